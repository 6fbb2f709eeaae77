"""Private checks shared by the week 2 builders (on top of course_cnn._checks)."""

from __future__ import annotations

from typing import Any, Sequence

from course_cnn import _checks


def check_filters(filters: Any, name: str, length: int) -> tuple:
    """Require a sequence of ``length`` positive ints up to MAX_UNITS (a block's filter counts)."""
    requirement = f"be a sequence of {length} positive ints (at most {_checks.MAX_UNITS})"
    if isinstance(filters, (str, bytes)) or not isinstance(filters, Sequence):
        raise _checks.fail(name, requirement, _checks.describe(filters), TypeError)
    if len(filters) != length:
        raise _checks.fail(name, requirement, f"{len(filters)} values {tuple(filters)!r}")
    for value in filters:
        try:
            _checks.check_size(value, name, _checks.MAX_UNITS)
        except (TypeError, ValueError) as exc:
            raise type(exc)(str(_checks.fail(name, requirement, repr(tuple(filters))))) from None
    return tuple(int(v) for v in filters)


def check_image_shape(input_shape: Any, name: str = "input_shape", channels: int | None = None) -> tuple:
    """Require ``(n_H, n_W, n_C)`` of positive ints."""
    requirement = f"be a tuple (n_H, n_W, n_C) of ints in [1, {_checks.MAX_IMAGE_SIDE}]"
    if channels is not None:
        requirement += f" with n_C = {channels}"
    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, Sequence):
        raise _checks.fail(name, requirement, _checks.describe(input_shape), TypeError)
    if len(input_shape) != 3:
        raise _checks.fail(name, requirement, repr(tuple(input_shape)))
    ok = all(not isinstance(d, bool) and isinstance(d, int) and 1 <= d <= _checks.MAX_IMAGE_SIDE for d in input_shape)
    if not ok or (channels is not None and input_shape[2] != channels):
        raise _checks.fail(name, requirement, repr(tuple(input_shape)))
    return tuple(int(d) for d in input_shape)


class ShapeTracker:
    """Follow (n_H, n_W) through a network and name the layer that would go below 1x1.

    Used before building a model, so that a too-small input fails with a clear
    message instead of a Keras shape error deep inside the graph.
    """

    def __init__(self, input_shape: tuple, name: str = "input_shape"):
        self.input_shape = tuple(input_shape)
        self.name = name
        self.n_H, self.n_W = int(input_shape[0]), int(input_shape[1])

    def layer(self, layer_name: str, f: int, s: int, padding: str = "valid", pad: int = 0) -> None:
        """Apply one conv/pool layer: out = floor((n + 2p - f) / s) + 1 ('same': ceil(n / s))."""
        if padding == "same":
            n_H, n_W = -(-self.n_H // s), -(-self.n_W // s)
        else:
            n_H = (self.n_H + 2 * pad - f) // s + 1
            n_W = (self.n_W + 2 * pad - f) // s + 1
        if n_H < 1 or n_W < 1:
            raise _checks.fail(
                self.name,
                f"be large enough for layer '{layer_name}' ({f}x{f}, stride {s}, {padding} padding), "
                f"which would shrink {self.n_H}x{self.n_W} below 1x1",
                repr(self.input_shape),
            )
        self.n_H, self.n_W = n_H, n_W
