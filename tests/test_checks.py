"""Every message of course_cnn._checks, pinned."""

import re

import numpy as np
import pytest

from course_cnn import _checks as C


def test_fail_template():
    err = C.fail("boxes", "have shape (..., 4)", "shape (19, 19, 5, 3)")
    assert isinstance(err, ValueError)
    assert str(err) == "`boxes` must have shape (..., 4); got shape (19, 19, 5, 3)."
    assert isinstance(C.fail("x", "be y", "z", TypeError), TypeError)


def test_check_shape_message_from_design():
    with pytest.raises(ValueError, match=re.escape("`boxes` must have shape (..., 4); got shape (19, 19, 5, 3).")):
        C.check_shape(np.zeros((19, 19, 5, 3)), "boxes", (..., 4))


@pytest.mark.parametrize(
    "shape, pattern",
    [((19, 19, 5, 4), (..., 4)), ((4,), (..., 4)), ((3, 4), (None, 4)), ((2, 3), (2, 3)), ((), ())],
)
def test_check_shape_accepts(shape, pattern):
    C.check_shape(np.zeros(shape), "x", pattern)


@pytest.mark.parametrize(
    "shape, pattern, message",
    [
        ((3, 5), (None, 4), "`x` must have shape (None, 4); got shape (3, 5)."),
        ((4,), (None, 4), "`x` must have shape (None, 4); got shape (4,)."),
        ((2, 3, 4), (2, 3), "`x` must have shape (2, 3); got shape (2, 3, 4)."),
        ((3,), (4,), "`x` must have shape (4,); got shape (3,)."),
        ((), (..., 4), "`x` must have shape (..., 4); got shape ()."),
    ],
)
def test_check_shape_rejects(shape, pattern, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        C.check_shape(np.zeros(shape), "x", pattern)


def test_check_ndim():
    C.check_ndim(np.zeros((2, 3)), "X", 2)
    msg = "`A_prev` must have 4 dimensions (m, n_H, n_W, n_C); got shape (3, 3)."
    with pytest.raises(ValueError, match=re.escape(msg)):
        C.check_ndim(np.zeros((3, 3)), "A_prev", 4, "(m, n_H, n_W, n_C)")
    with pytest.raises(ValueError, match=re.escape("`v` must have 1 dimension; got shape (2, 2).")):
        C.check_ndim(np.zeros((2, 2)), "v", 1)


def test_check_dtype_kind():
    C.check_dtype_kind(np.zeros(2, np.int32), "X")
    with pytest.raises(TypeError, match=re.escape("`X` must have a bool, int, unsigned int or float dtype; got dtype <U1.")):
        C.check_dtype_kind(np.array(["a"]), "X")
    with pytest.raises(TypeError, match=re.escape("`X` must have a float dtype; got dtype int64.")):
        C.check_dtype_kind(np.zeros(2, np.int64), "X", "f")


def test_check_dtype_kind_reads_tensorflow_dtypes():
    tf = pytest.importorskip("tensorflow")
    C.check_dtype_kind(tf.zeros(2), "t", "f")
    with pytest.raises(TypeError, match=re.escape("`t` must have a float dtype; got dtype int32.")):
        C.check_dtype_kind(tf.zeros(2, tf.int32), "t", "f")


def test_check_finite():
    C.check_finite(np.ones(3), "x")
    C.check_finite(np.arange(3), "x")  # ints are always finite
    with pytest.raises(ValueError, match=re.escape("`A` must contain only finite values; got 1 NaN or infinite entry.")):
        C.check_finite(np.array([1.0, np.nan]), "A")
    with pytest.raises(ValueError, match=re.escape("got 2 NaN or infinite entries.")):
        C.check_finite(np.array([np.inf, np.nan]), "A")


def test_check_array_converts_and_checks():
    arr = C.check_array([[1, 2], [3, 4]], "X", ndim=2, shape=(2, 2), finite=True, dtype=np.float64)
    assert arr.dtype == np.float64 and arr.shape == (2, 2)
    with pytest.raises(TypeError, match=re.escape("`X` must be array-like; got list")):
        C.check_array([[1, 2], [3]], "X")
    with pytest.raises(ValueError, match=re.escape("`X` must have 3 dimensions; got shape (2, 2).")):
        C.check_array([[1, 2], [3, 4]], "X", ndim=3)


@pytest.mark.parametrize(
    "value, kwargs, error, message",
    [
        (0, {"minimum": 1}, ValueError, "`stride` must be a positive int; got 0."),
        (-1, {"minimum": 0}, ValueError, "`stride` must be a non-negative int; got -1."),
        (1.5, {"minimum": 0}, TypeError, "`stride` must be a non-negative int; got 1.5."),
        (True, {"minimum": 1}, TypeError, "`stride` must be a positive int; got True."),
        ("2", {}, TypeError, "`stride` must be an int; got '2'."),
        (9, {"minimum": 1, "maximum": 8}, ValueError, "`stride` must be an int in [1, 8]; got 9."),
        (1, {"minimum": 2}, ValueError, "`stride` must be an int >= 2; got 1."),
        (5, {"maximum": 4}, ValueError, "`stride` must be an int <= 4; got 5."),
    ],
)
def test_check_int_messages(value, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        C.check_int(value, "stride", **kwargs)


def test_check_int_accepts_numpy_ints_and_shortcuts():
    assert C.check_int(np.int64(3), "f", minimum=1) == 3
    assert C.check_positive_int(2, "stride") == 2
    assert C.check_non_negative_int(0, "pad") == 0
    with pytest.raises(ValueError, match=re.escape("`pad` must be a non-negative int; got -1.")):
        C.check_non_negative_int(-1, "pad")
    with pytest.raises(ValueError, match=re.escape("`stride` must be a positive int; got 0.")):
        C.check_positive_int(0, "stride")


def test_check_number():
    assert C.check_number(np.float32(0.5), "alpha", low=0) == 0.5
    assert C.check_number(np.array(2.0), "alpha") == 2.0
    with pytest.raises(ValueError, match=re.escape("`alpha` must be a real number >= 0; got -0.1.")):
        C.check_number(-0.1, "alpha", low=0)
    with pytest.raises(ValueError, match=re.escape("`lr` must be a real number > 0; got 0.0.")):
        C.check_number(0.0, "lr", low=0, low_inclusive=False)
    with pytest.raises(ValueError, match=re.escape("`p` must be a real number in [0, 100]; got 101.0.")):
        C.check_number(101.0, "p", 0, 100)
    with pytest.raises(ValueError, match=re.escape("`p` must be a finite real number <= 1; got nan.")):
        C.check_number(float("nan"), "p", high=1)
    with pytest.raises(TypeError, match=re.escape("`p` must be a real number; got 'a'.")):
        C.check_number("a", "p")


@pytest.mark.parametrize("value", [0, 0.0, 0.5, 1, np.float32(1.0)])
def test_check_probability_accepts(value):
    assert C.check_probability(value, "threshold") == float(value)


@pytest.mark.parametrize(
    "value, error, message",
    [
        (1.5, ValueError, "`threshold` must be a probability in [0, 1]; got 1.5."),
        (-0.1, ValueError, "`threshold` must be a probability in [0, 1]; got -0.1."),
        (None, TypeError, "`threshold` must be a probability in [0, 1]; got None."),
    ],
)
def test_check_probability_rejects(value, error, message):
    with pytest.raises(error, match=re.escape(message)):
        C.check_probability(value, "threshold")


def test_check_choice():
    assert C.check_choice("max", "mode", ("max", "average")) == "max"
    with pytest.raises(ValueError, match=re.escape("`mode` must be one of 'max', 'average'; got 'min'.")):
        C.check_choice("min", "mode", ("max", "average"))
    with pytest.raises(ValueError, match=re.escape("`mode` must be one of 'max', 'average'; got 3.")):
        C.check_choice(3, "mode", ("max", "average"))


def test_check_same_leading_dims():
    C.check_same_leading_dims({"boxes": np.zeros((19, 19, 5, 4)), "box_confidence": np.zeros((19, 19, 5, 1))})
    msg = "`box_confidence` must have the same leading dimensions as `boxes` (19, 19, 5); got shape (19, 19, 3, 1)."
    with pytest.raises(ValueError, match=re.escape(msg)):
        C.check_same_leading_dims({"boxes": np.zeros((19, 19, 5, 4)), "box_confidence": np.zeros((19, 19, 3, 1))})


def test_describe():
    assert C.describe(np.zeros((2, 3))) == "ndarray of shape (2, 3)"
    assert C.describe("min") == "'min'"
    assert C.describe(np.float64(0.5)) == "0.5"
    assert C.describe(None) == "None"


def test_check_strings_refuses_a_bare_str():
    assert C.check_strings(("car", np.str_("bus")), "class_names") == ["car", "bus"]
    with pytest.raises(TypeError, match=re.escape(
            "`class_names` must be a sequence of str, not a single str (it would be read letter by letter); got 'car'.")):
        C.check_strings("car", "class_names")
    with pytest.raises(TypeError, match=re.escape("`tags` must be a sequence of str; got an item 1.")):
        C.check_strings(["a", 1], "tags")
    with pytest.raises(ValueError, match=re.escape("`metrics` must hold at least 1 str; got 0 items.")):
        C.check_strings([], "metrics", min_len=1)


def test_check_path(tmp_path):
    assert C.check_path(tmp_path, "out_dir", exists=True) == tmp_path
    with pytest.raises(TypeError, match=re.escape("`path` must be a str or path-like; got 123.")):
        C.check_path(123, "path")
    with pytest.raises(FileNotFoundError, match=r"`image_path` must be the path of an existing image file; got '.*nope.png'"):
        C.check_path(tmp_path / "nope.png", "image_path", exists=True, what="an image file")


def test_check_seed_and_model():
    assert C.check_seed(0) == 0 and C.check_seed(None) is None
    with pytest.raises(ValueError, match=re.escape("`seed` must be an int in [0, 4294967295] or None; got -1.")):
        C.check_seed(-1)
    with pytest.raises(TypeError, match=re.escape("`seed` must be an int in [0, 4294967295] or None; got 2.5.")):
        C.check_seed(2.5)
    with pytest.raises(TypeError, match=re.escape("`model` must be a Keras model; got None.")):
        C.check_model(None)


def test_sizes_have_upper_bounds_checked_before_any_work():
    assert C.check_size(3, "n", C.MAX_EXAMPLES) == 3
    with pytest.raises(ValueError, match=re.escape("`n` must be an int in [1, 10000000]; got 1000000000000.")):
        C.check_size(10**12, "n", C.MAX_EXAMPLES)
    assert C.check_input_shape([28, 28, 1]) == (28, 28, 1)
    assert C.check_input_shape((None, None, 3), allow_none=True) == (None, None, 3)
    with pytest.raises(ValueError, match=re.escape("`input_shape` must be a tuple of 3 ints in [1, 16384]; got (-1, 8, 3).")):
        C.check_input_shape((-1, 8, 3))
    with pytest.raises(TypeError, match=re.escape("`input_shape` must be a tuple of 3 ints in [1, 16384]; got 'abc'.")):
        C.check_input_shape("abc")


def test_check_tensor_reads_static_shapes_only():
    import tensorflow as tf

    t = tf.zeros((2, 8))
    assert C.check_tensor(t, "y_pred", ndim=2) is t
    with pytest.raises(ValueError, match=re.escape("`y_pred` must have 2 dimensions (m, 5 + n); got shape (2, 8, 1).")):
        C.check_tensor(tf.zeros((2, 8, 1)), "y_pred", ndim=2, dims="(m, 5 + n)")
    with pytest.raises(TypeError, match=re.escape("`y_true` must have a bool, int, unsigned int or float dtype; got dtype <U3.")):
        C.check_tensor("abc", "y_true")
