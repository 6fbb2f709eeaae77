"""Checks of arrays and tensors: rank, shape, dtype kind, finiteness."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from course_cnn._checks._messages import _KIND_NAMES, _shape_of, _shape_str, describe, fail


def check_array(
    x: Any,
    name: str,
    *,
    ndim: int | None = None,
    shape: Sequence | None = None,
    kinds: str = "biuf",
    finite: bool = False,
    dtype: Any = None,
) -> np.ndarray:
    """Convert ``x`` to a numpy array and validate it.

    Parameters
    ----------
    x : array_like
        Anything ``numpy.asarray`` accepts (lists, arrays, tensors).
    name : str
        Parameter name for messages.
    ndim : int, optional
        Required number of dimensions.
    shape : sequence, optional
        Required shape pattern, see `check_shape`.
    kinds : str, default "biuf"
        Allowed numpy dtype kinds (bool, signed, unsigned, float).
    finite : bool, default False
        Reject NaN and infinite entries.
    dtype : numpy dtype, optional
        Cast to this dtype after the checks (ints to float, say).

    Returns
    -------
    ndarray
        The validated array.

    Raises
    ------
    TypeError
        For a dtype outside ``kinds`` or an object that is not array-like.
    ValueError
        For a wrong rank, shape, or non-finite values.

    Examples
    --------
    >>> check_array([[1, 2]], "X", ndim=2, dtype=np.float64).dtype
    dtype('float64')
    """
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists, exotic objects
        raise fail(name, "be array-like", f"{describe(x)} ({exc})", TypeError) from None
    check_dtype_kind(arr, name, kinds)
    if ndim is not None:
        check_ndim(arr, name, ndim)
    if shape is not None:
        check_shape(arr, name, shape)
    if finite:
        check_finite(arr, name)
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    return arr


def check_tensor(x: Any, name: str, *, ndim: int | None = None, shape: Sequence | None = None,
                 kinds: str = "biuf", dims: str | None = None) -> Any:
    """Validate a tensor or array without copying it to the host.

    Tensors (anything with ``shape`` and ``dtype`` that is not an ndarray:
    ``tf.Tensor``, ``tf.Variable``, symbolic Keras tensors) are checked
    through their static shape and dtype only, so the check costs nothing
    inside a training graph; everything else goes through `check_array`.

    Parameters
    ----------
    x : tensor or array_like
        The input.
    name : str
        Parameter name for messages.
    ndim : int, optional
        Required rank.
    shape : sequence, optional
        Required shape pattern, see `check_shape` (unknown dimensions match).
    kinds : str, default "biuf"
        Allowed numpy dtype kinds.
    dims : str, optional
        Names of the dimensions for the rank message.

    Returns
    -------
    tensor or ndarray
        ``x`` itself when it is a tensor, else the validated array.

    Raises
    ------
    TypeError, ValueError
        As `check_array`.

    Examples
    --------
    >>> check_tensor([[1.0, 2.0]], "y_pred", ndim=2).shape
    (1, 2)
    """
    if hasattr(x, "shape") and hasattr(x, "dtype") and not isinstance(x, (np.ndarray, np.generic)):
        check_dtype_kind(x, name, kinds)
    else:
        x = check_array(x, name, kinds=kinds)
    if ndim is not None:
        check_ndim(x, name, ndim, dims)
    if shape is not None:
        check_shape(x, name, shape)
    return x


def check_ndim(x: Any, name: str, ndim: int, dims: str | None = None) -> None:
    """Require ``x`` to have exactly ``ndim`` dimensions.

    Parameters
    ----------
    x : array_like
        Array or tensor (only its shape is read).
    name : str
        Parameter name for messages.
    ndim : int
        Required rank.
    dims : str, optional
        Names of the dimensions for the message, e.g. ``"(m, n_H, n_W, n_C)"``.

    Returns
    -------
    None
        Returns quietly when the check passes.

    Raises
    ------
    ValueError
        ``"`A_prev` must have 4 dimensions (m, n_H, n_W, n_C); got shape (3, 3)."``

    Examples
    --------
    >>> check_ndim(np.zeros((2, 2)), "X", 2)
    """
    got = _shape_of(x, name)
    if len(got) != ndim:
        plural = "dimension" if ndim == 1 else "dimensions"
        what = f"have {ndim} {plural}" + (f" {dims}" if dims else "")
        raise fail(name, what, f"shape {_shape_str(got)}")


def check_shape(x: Any, name: str, shape: Sequence) -> None:
    """Require ``x`` to match a shape pattern.

    Parameters
    ----------
    x : array_like
        Array or tensor (only its shape is read).
    name : str
        Parameter name for messages.
    shape : sequence of int, None or Ellipsis
        The pattern: an int fixes a dimension, ``None`` accepts any size, and
        a leading ``...`` accepts any number of leading dimensions. For
        example ``(..., 4)`` is "anything ending in 4".

    Returns
    -------
    None
        Returns quietly when the check passes.

    Raises
    ------
    ValueError
        ``"`boxes` must have shape (..., 4); got shape (19, 19, 5, 3)."``

    Examples
    --------
    >>> check_shape(np.zeros((19, 19, 5, 4)), "boxes", (..., 4))
    """
    got = _shape_of(x, name)
    pattern = tuple(shape)
    leading = len(pattern) > 0 and pattern[0] is Ellipsis
    fixed = pattern[1:] if leading else pattern
    ok = len(got) >= len(fixed) if leading else len(got) == len(fixed)
    if ok:
        tail = got[len(got) - len(fixed):] if fixed else ()
        ok = all(want is None or have is None or want == have for want, have in zip(fixed, tail))
    if not ok:
        parts = (["..."] if leading else []) + ["None" if d is None else str(d) for d in fixed]
        wanted = "(" + ", ".join(parts) + ("," if len(parts) == 1 and not leading else "") + ")"
        raise fail(name, f"have shape {wanted}", f"shape {_shape_str(got)}")


def check_dtype_kind(x: Any, name: str, kinds: str = "biuf") -> None:
    """Require the dtype of ``x`` to be of one of the numpy ``kinds``.

    Parameters
    ----------
    x : array_like
        Array or tensor.
    name : str
        Parameter name for messages.
    kinds : str, default "biuf"
        Allowed numpy dtype kinds: ``b`` bool, ``i`` int, ``u`` unsigned,
        ``f`` float, ``c`` complex.

    Returns
    -------
    None
        Returns quietly when the check passes.

    Raises
    ------
    TypeError
        ``"`X` must have a bool, int, unsigned int or float dtype; got dtype <U1."``

    Examples
    --------
    >>> check_dtype_kind(np.zeros(2), "X", "f")
    """
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        _shape_of(x, name)  # a ragged list is refused by name before numpy says "inhomogeneous shape"
        dtype = np.asarray(x).dtype
    # TensorFlow dtypes carry their numpy twin in `as_numpy_dtype`.
    np_dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
    if np_dtype.kind not in kinds:
        names = [_KIND_NAMES[k] for k in kinds]
        allowed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        article = "an" if allowed[0] in "aeiou" else "a"
        raise fail(name, f"have {article} {allowed} dtype", f"dtype {np_dtype}", TypeError)


def check_finite(x: Any, name: str) -> None:
    """Require every entry of ``x`` to be finite (no NaN, no inf).

    Parameters
    ----------
    x : array_like
        Numeric array or tensor.
    name : str
        Parameter name for messages.

    Returns
    -------
    None
        Returns quietly when the check passes.

    Raises
    ------
    ValueError
        ``"`A_prev` must contain only finite values; got 2 NaN or infinite entries."``

    Examples
    --------
    >>> check_finite(np.ones(3), "x")
    """
    arr = np.asarray(x)
    if arr.dtype.kind in "fc":
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        if bad:
            raise fail(name, "contain only finite values", f"{bad} NaN or infinite entr{'y' if bad == 1 else 'ies'}")


def check_finite_values(x: Any, name: str) -> None:
    """`check_finite` where the values are at hand; symbolic tensors pass unchecked.

    For functions a person calls directly that also run inside a training
    graph (the style costs, the triplet loss): numpy input and eager tensors
    are checked, while a tensor of a ``tf.function`` graph or a Keras
    symbolic tensor, whose values do not exist yet, is left alone (there a
    NaN propagates, as in Keras's own losses).

    Parameters
    ----------
    x : array_like or tensor
        The values.
    name : str
        Parameter name for messages.

    Returns
    -------
    None
        Returns quietly when the check passes or cannot be made.

    Raises
    ------
    ValueError
        For NaN or infinite entries.

    Examples
    --------
    >>> check_finite_values([1.0, 2.0], "J_content")
    """
    if isinstance(x, (np.ndarray, np.generic, list, tuple, int, float)):
        check_finite(x, name)
        return
    to_numpy = getattr(x, "numpy", None)
    if callable(to_numpy):
        try:
            values = to_numpy()  # eager tensors; graph and Keras symbolic tensors raise
        except Exception:  # noqa: BLE001 - any failure means the values are not at hand
            return
        check_finite(values, name)


def check_same_leading_dims(arrays: dict[str, Any], n_dims: int | None = None) -> None:
    """Require several arrays to share their leading dimensions.

    Parameters
    ----------
    arrays : dict of str to array_like
        Parameter name -> array, in the order the user passed them; the first
        is the reference.
    n_dims : int, optional
        Number of leading dimensions to compare; by default all but the last.

    Returns
    -------
    None
        Returns quietly when the check passes.

    Raises
    ------
    ValueError
        ``"`box_confidence` must have the same leading dimensions as `boxes`
        (19, 19, 5); got shape (19, 19, 3, 1)."``

    Examples
    --------
    >>> check_same_leading_dims({"a": np.zeros((3, 4)), "b": np.zeros((3, 1))})
    """
    items = list(arrays.items())
    ref_name, ref = items[0]
    ref_shape = _shape_of(ref, ref_name)
    k = len(ref_shape) - 1 if n_dims is None else n_dims
    want = ref_shape[:k]
    for name, arr in items[1:]:
        got = _shape_of(arr, name)
        if got[:k] != want:
            raise fail(
                name,
                f"have the same leading dimensions as `{ref_name}` {_shape_str(want)}",
                f"shape {_shape_str(got)}",
            )
