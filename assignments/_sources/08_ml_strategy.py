"""ML strategy: diagnosing a model's errors, and learning from partly labelled data."""

from _build import check, code, exercise, markdown, setup

FILENAME = "08_ml_strategy.ipynb"


def cells():
    return [
        markdown("""
# ML strategy — what to work on next

Two tools from "structuring machine learning projects":

1. the **error ladder**: human-level → train → train-dev → dev → test errors, whose gaps tell you whether to
   work on bias, variance, data mismatch or overfitting the dev set;
2. **multi-task learning with missing labels**: a loss that ignores the labels nobody filled in (the
   lecture's "?").

Then you run an error analysis on a real model's mistakes.
"""),
        setup(),
        markdown("""
## 1. The error ladder

$$\\text{avoidable bias} = E_{train} - E_{human},\\quad \\text{variance} = E_{train\\text{-}dev} - E_{train},$$
$$\\text{data mismatch} = E_{dev} - E_{train\\text{-}dev},\\quad \\text{dev overfitting} = E_{test} - E_{dev}.$$

Return a dict with the four gaps. Without a train-dev error, variance and data mismatch cannot be
separated: return `None` for both; without a test error, `dev_overfitting` is `None`.
"""),
        exercise("strategy.diagnose", '''
def diagnose(human, train, dev, train_dev=None, test=None):
    """Errors in percent. Returns {"avoidable_bias": ..., "variance": ..., "data_mismatch": ..., "dev_overfitting": ...}."""
    raise NotImplementedError
'''),
        check("strategy.diagnose"),
        code('''
from course_cnn.strategy import diagnose as full_diagnose

for case in [(0, 1, 10, 9), (0, 1, 10, 1.5), (0, 10, 12, 11), (0, 10, 20, 11)]:
    human, train, dev, train_dev = case
    print(case, diagnose(human, train, dev, train_dev=train_dev), "->",
          full_diagnose(human, train, dev, train_dev=train_dev).problems)
'''),
        markdown("""
## 2. A loss for missing labels

Each example has several binary labels (is there a pedestrian? a car? a stop sign? a traffic light?), and
some are missing, marked `NaN` or `-1`. Average the binary cross-entropy over the labels that are present:

$$J = \\frac{\\sum_{i,j} M_{ij}\\, \\mathcal{L}(\\hat y_{ij}, y_{ij})}{\\max(1, \\sum_{i,j} M_{ij})}$$

Careful: `NaN * 0` is `NaN`, so replace missing labels (e.g. with `tf.where`) before computing the loss.
"""),
        exercise("strategy.masked_binary_crossentropy", '''
import tensorflow as tf

def masked_binary_crossentropy(y_true, y_pred):
    """y_true, y_pred: (m, n_tasks); missing labels are NaN or -1. Returns a scalar tensor."""
    raise NotImplementedError
'''),
        check("strategy.masked_binary_crossentropy"),
        markdown("""
## 3. Error analysis on a real model

Train a quick classifier on scikit-learn's handwritten digits, sample its mistakes, and tally tags over them.
Here the "tags" are the true classes of the misclassified digits (with a real project you would look at each
example and tag it by hand: blurry, mislabelled, ...). The **ceiling** of a tag is the best overall error you
could reach by fixing all its errors.
"""),
        code('''
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from course_cnn.strategy import ErrorAnalysis, sample_errors

X, y = load_digits(return_X_y=True)
X_train, X_dev, y_train, y_dev = train_test_split(X, y, test_size=0.3, random_state=0)
classifier = LogisticRegression(max_iter=200 if QUICK else 2000).fit(X_train / 16, y_train)
y_pred = classifier.predict(X_dev / 16)
dev_error = 100 * float(np.mean(y_pred != y_dev))
n_errors = int(np.sum(y_pred != y_dev))
errors = sample_errors(y_dev, y_pred, n=min(100, n_errors), seed=0)  # up to 100 mistakes to look at
records = [[f"true {y_dev[i]}"] for i in errors]
analysis = ErrorAnalysis(records, overall_error=dev_error)
print(f"dev error {dev_error:.2f}% over {len(y_dev)} examples")
print(analysis.format_table())
analysis.plot()
'''),
    ]
