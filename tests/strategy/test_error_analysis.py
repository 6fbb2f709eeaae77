"""Error analysis: sampling, tagging (records and CSV), ceilings, table, chart, export; label noise."""

import csv

import numpy as np
import pytest

from course_cnn._checks import CourseCNNWarning
from course_cnn.strategy import ErrorAnalysis, export_error_sample, label_noise_report, sample_errors


def test_sample_errors_only_picks_errors_and_is_seeded():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 3, 500)
    y_pred = np.where(rng.random(500) < 0.3, (y_true + 1) % 3, y_true)
    picked = sample_errors(y_true, y_pred, n=50, seed=1)
    assert len(picked) == 50 and len(set(picked)) == 50
    assert (y_true[picked] != y_pred[picked]).all()
    np.testing.assert_array_equal(picked, sample_errors(y_true, y_pred, n=50, seed=1))
    assert not np.array_equal(picked, sample_errors(y_true, y_pred, n=50, seed=2))


def test_sample_errors_accepts_scores_and_one_hot():
    y_true = np.eye(3)[[0, 1, 2, 2]]  # one-hot
    scores = np.array([[0.9, 0.1, 0], [0.2, 0.7, 0.1], [0.5, 0.4, 0.1], [0, 0.3, 0.7]])  # argmax 0, 1, 0, 2
    np.testing.assert_array_equal(sample_errors(y_true, scores, n=1), [2])


def test_sample_errors_warns_when_fewer_errors_than_asked():
    with pytest.warns(CourseCNNWarning, match="only 1"):
        np.testing.assert_array_equal(sample_errors([0, 1, 2], [0, 1, 0], n=100), [2])


@pytest.mark.parametrize(
    "args, error, match",
    [
        (([0, 1], [0]), ValueError, r"`y_pred` must have one prediction per label of `y_true` \(2\); got 1"),
        (([0, 1], [0, 1], 0), ValueError, "`n` must be a positive int; got 0"),
        (([[[0]]], [0]), ValueError, r"`y_true` must have shape \(m,\) \(labels\) or \(m, n_classes\).*; got shape \(1, 1, 1\)"),
    ],
)
def test_sample_errors_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        sample_errors(*args)


@pytest.mark.parametrize(
    "n_dogs, ceiling",
    [
        (5, 9.5),   # 10% * (1 - 5/100) = 9.5%
        (50, 5.0),  # 10% * (1 - 50/100) = 5%
        (0, 10.0),
        (100, 0.0),
    ],
)
def test_lecture_ceiling(n_dogs, ceiling):
    records = [["dog"]] * n_dogs + [[]] * (100 - n_dogs)
    stat = ErrorAnalysis(records, overall_error=10, tags=["dog"]).stat("dog")
    assert stat.count == n_dogs
    assert stat.share == pytest.approx(n_dogs / 100)
    assert stat.ceiling == pytest.approx(ceiling)


def test_multi_tag_records_and_fraction_scale():
    # 4 examined errors: dog 2/4, blurry 3/4, mislabeled 1/4 (shares add up to 1.5)
    records = {"a": ["dog", "blurry"], "b": ("blurry",), "c": ["dog", "blurry", "mislabeled"], "d": []}
    analysis = ErrorAnalysis(records, overall_error=0.08, scale="fraction")
    table = analysis.table()
    assert [(s.tag, s.count) for s in table] == [("blurry", 3), ("dog", 2), ("mislabeled", 1)]
    # ceilings: 0.08 * (1 - 3/4) = 0.02, 0.08 * 0.5 = 0.04, 0.08 * 0.75 = 0.06
    np.testing.assert_allclose([s.ceiling for s in table], [0.02, 0.04, 0.06])
    assert analysis.n_examined == 4


def test_single_string_record_is_one_tag_and_duplicates_count_once():
    analysis = ErrorAnalysis(["dog", ["dog", "dog"]], overall_error=10)
    assert analysis.stat("dog").count == 2


def test_undeclared_tag_and_other_bad_input():
    with pytest.raises(ValueError, match=r"`records` must only use the declared tags \['dog'\]; got 'cat' in record 1"):
        ErrorAnalysis([["dog"], ["cat"]], overall_error=10, tags=["dog"])
    with pytest.raises(ValueError, match="`records` must contain at least one examined error"):
        ErrorAnalysis([], overall_error=10)
    with pytest.raises(ValueError, match=r"`overall_error` must be an error rate in \[0, 100\]"):
        ErrorAnalysis([["dog"]], overall_error=120)
    with pytest.raises(TypeError, match="`records` must be a sequence of tag lists"):
        ErrorAnalysis("dog", overall_error=10)
    with pytest.raises(ValueError, match="`tag` must be one of 'dog'"):
        ErrorAnalysis([["dog"]], overall_error=10).stat("cat")


def test_from_csv_merges_tick_columns_and_tags_column(tmp_path):
    path = tmp_path / "filled.csv"
    path.write_text(
        "id,index,true_label,predicted_label,dog,great cat,blurry,tags,comment\n"
        "0,12,cat,not cat,x,,x,,pitbull\n"
        "1,40,cat,not cat,,X,,mislabeled,\n"
        "2,41,cat,not cat,yes,,,blurry;instagram,\n"
        "3,90,cat,not cat,,,,,\n",
        encoding="utf-8",
    )
    analysis = ErrorAnalysis.from_csv(path, overall_error=10)
    assert analysis.tags == ["dog", "great cat", "blurry", "mislabeled", "instagram"]
    counts = {s.tag: s.count for s in analysis.table()}
    assert counts == {"dog": 2, "great cat": 1, "blurry": 2, "mislabeled": 1, "instagram": 1}
    assert analysis.stat("dog").ceiling == pytest.approx(5.0)  # 10 * (1 - 2/4)
    with pytest.raises(ValueError, match="`records` must only use the declared tags"):
        ErrorAnalysis.from_csv(path, overall_error=10, tags=["dog", "great cat", "blurry"])


def test_from_csv_bad_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="error-analysis CSV not found"):
        ErrorAnalysis.from_csv(tmp_path / "missing.csv", overall_error=10)
    bad = tmp_path / "bad.csv"
    bad.write_text("id,dog\n0,maybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"`bad.csv` must tick tag columns with x.*'maybe' in column 'dog', line 2"):
        ErrorAnalysis.from_csv(bad, overall_error=10)


def test_table_text_csv_and_chart(tmp_path):
    analysis = ErrorAnalysis([["dog"]] * 8 + [["blurry"]] * 61 + [[]] * 31, overall_error=10)
    text = analysis.format_table()
    assert "| blurry | 61 | 61.0% | 3.9% |" in text  # 10 * (1 - 0.61) = 3.9
    assert "| dog | 8 | 8.0% | 9.2% |" in text      # 10 * (1 - 0.08) = 9.2
    rows = list(csv.DictReader(analysis.to_csv(tmp_path / "t.csv").open()))
    assert rows[0] == {"tag": "blurry", "count": "61", "share": "0.61", "ceiling": "3.9"}
    fig = analysis.plot(path=tmp_path / "bars.png")
    assert (tmp_path / "bars.png").is_file()
    widths = sorted(p.get_width() for p in fig.axes[0].patches)
    np.testing.assert_allclose(widths, [8, 61])


def test_export_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.random((30, 8, 8))
    y_true = rng.integers(0, 3, 30)
    y_pred = (y_true + (rng.random(30) < 0.5)) % 3
    idx = sample_errors(y_true, y_pred, n=5)
    out = export_error_sample(images, y_true, y_pred, idx, tmp_path, class_names=["a", "b", "c"], tags=["dark"])
    assert out["grid"].stat().st_size > 1000
    rows = list(csv.DictReader(out["csv"].open()))
    assert [int(r["index"]) for r in rows] == list(idx)
    assert [r["true_label"] for r in rows] == [["a", "b", "c"][y_true[i]] for i in idx]
    # a person ticks the first two rows as "dark": share 2/5, ceiling 20 * 0.6 = 12
    lines = out["csv"].read_text().splitlines()
    lines[1] = lines[1].replace(",,,", ",x,,", 1)
    lines[2] = lines[2].replace(",,,", ",x,,", 1)
    out["csv"].write_text("\n".join(lines) + "\n")
    assert ErrorAnalysis.from_csv(out["csv"], overall_error=20).stat("dark").ceiling == pytest.approx(12.0)
    with pytest.raises(ValueError, match=r"`indices` must be valid example indices in \[0, 29\]"):
        export_error_sample(images, y_true, y_pred, [3, 30], tmp_path)
    with pytest.raises(ValueError, match="`tags` must not reuse a fixed column name"):
        export_error_sample(images, y_true, y_pred, [3], tmp_path, tags=["comment"])


@pytest.mark.parametrize(
    "dev_error, share, worth, due, other",
    [
        (10, 0.06, False, 0.6, 9.4),  # the lecture: 0.6% of 10% comes from labels: not now
        (2, 0.3, True, 0.6, 1.4),     # 0.6% of 2%: relabel
    ],
)
def test_label_noise_lecture_cases(dev_error, share, worth, due, other):
    report = label_noise_report(dev_error, share)
    assert report.worth_relabelling is worth
    assert report.due_to_labels == pytest.approx(due)
    assert report.other_causes == pytest.approx(other)
    text = str(report)
    assert ("relabel now" in text) is worth
    if worth:
        assert "dev and test together" in text


def test_label_noise_model_gap_and_fraction():
    # 0.05 share is below the 10% threshold, but 0.05 * 0.08 = 0.004 >= the 0.002 gap between two models
    report = label_noise_report(0.08, 0.05, scale="fraction", model_gap=0.002)
    assert report.worth_relabelling and "difference" in report.reason
    assert not label_noise_report(0.08, 0.05, scale="fraction", model_gap=0.01).worth_relabelling


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((110, 0.1), {}, r"`dev_error` must be an error rate in \[0, 100\]"),
        ((10, 6), {}, r"`mislabeled_fraction_of_errors` must be a probability in \[0, 1\]; got 6"),
        ((10, 0.1), {"threshold": 2}, r"`threshold` must be a probability"),
        ((0.1, 0.1), {"scale": "fraction", "model_gap": 3}, r"`model_gap` must be an error rate in \[0, 1\]"),
    ],
)
def test_label_noise_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        label_noise_report(*args, **kwargs)


def test_error_sample_refuses_nan_and_bare_strings(tmp_path):
    images, y = np.zeros((2, 4, 4)), np.array([0, 1])
    bad = images.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match=r"`images` must contain only finite values; got 1 NaN or infinite entry\."):
        export_error_sample(bad, y, y, [0], tmp_path)
    with pytest.raises(TypeError, match=r"`class_names` must be a sequence of str, not a single str"):
        export_error_sample(images, y, y, [0], tmp_path, class_names="ab")
    with pytest.raises(ValueError, match=r"`y_true` must contain only finite values"):
        sample_errors(np.array([0.0, np.nan]), np.array([0, 1]))
    with pytest.raises(TypeError, match=r"`tags` must be a sequence of str, not a single str"):
        ErrorAnalysis([["dog"]], 10.0, tags="dog")
