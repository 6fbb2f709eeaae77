import numpy as np
import pytest
from sklearn.mixture import GaussianMixture

from course_cnn.scdv._gmm import TiedFastGaussianMixture


@pytest.mark.parametrize("covariance_type", ["tied", "diag"])
def test_fast_mixture_matches_sklearn(covariance_type):
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(size=(60, 5)), rng.normal(size=(60, 5)) + 3])
    ours = TiedFastGaussianMixture(3, covariance_type=covariance_type, random_state=0, max_iter=20).fit(X)
    ref = GaussianMixture(3, covariance_type=covariance_type, random_state=0, max_iter=20).fit(X)
    np.testing.assert_allclose(ours.means_, ref.means_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours._estimate_log_prob(X), ref._estimate_log_prob(X), rtol=1e-12)
