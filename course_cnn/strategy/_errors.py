"""Private helpers: error rates in percent or as fractions (one convention per call)."""

from __future__ import annotations

from course_cnn import _checks

#: The two conventions for an error rate and the top of their range.
SCALES = {"percent": 100.0, "fraction": 1.0}


def check_scale(scale):
    """Validate ``scale`` and return the top of its range (100 or 1)."""
    return SCALES[_checks.check_choice(scale, "scale", tuple(SCALES))]


def check_error(value, name, scale):
    """Validate one error rate in the call's convention and return it as a float."""
    top = check_scale(scale)
    unit = "percent" if scale == "percent" else "a fraction"
    try:
        return _checks.check_number(value, name, 0.0, top)
    except TypeError:
        raise _checks.fail(name, f"be an error rate in [0, {top:g}] ({unit}, scale={scale!r})",
                           _checks.describe(value), TypeError) from None
    except ValueError:
        hint = ""
        if scale == "fraction" and isinstance(value, (int, float)) and 1 < value <= 100:
            hint = " (is it a percentage? pass scale='percent')"
        raise _checks.fail(name, f"be an error rate in [0, {top:g}] ({unit}, scale={scale!r})",
                           _checks.describe(value) + hint) from None


def fmt(value, scale):
    """Format an error rate for reports: ``'9.5%'`` or ``'0.095'``."""
    if value is None:
        return "n/a"
    return f"{value:.3g}%" if scale == "percent" else f"{value:.4g}"
