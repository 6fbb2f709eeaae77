"""What the ``course-cnn`` verbs share: usage errors, naming a photo, a quiet TensorFlow.

Everything here is cheap to import (no TensorFlow, no Keras): a verb checks
its arguments with these helpers first, answers a mistake in a fraction of a
second, and only then imports the heavy machinery through `import_tensorflow`.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from pathlib import Path


class UsageError(Exception):
    """A user's mistake on the command line: printed as one line, exit status 2."""


def usage_error(flag, requirement, received):
    """The CLI's one-line message, in the package's template, naming the flag as typed.

    Examples
    --------
    >>> str(usage_error("--size", "be a positive int", "0"))
    '`--size` must be a positive int; got 0.'
    """
    return UsageError(f"`{flag}` must {requirement}; got {received}.")


def plural(n, word, many=None):
    """``"1 face"``, ``"2 faces"``, ``"1 person"``, ``"3 people"``.

    Examples
    --------
    >>> plural(1, "person", "people"), plural(2, "person", "people"), plural(0, "face")
    ('1 person', '2 people', '0 faces')
    """
    return f"{n} {word if n == 1 else (many or word + 's')}"


# --- photos: one way to name a photo in every verb -----------------------------------------------------

def resolve_photo(spec, flag, extra=()):
    """Check a photo argument: an image file, or the name of a bundled photo.

    Parameters
    ----------
    spec : str
        What the user typed.
    flag : str
        The argument's name in messages (``"IMAGE"``, ``"CONTENT"``).
    extra : sequence of str, optional
        Further names the verb accepts (``"texture"``), returned as they are.

    Returns
    -------
    pathlib.Path or str
        The file (checked to be a readable image), or the bundled name.

    Raises
    ------
    UsageError
        For a missing or unreadable file that is not a bundled name either.
    """
    from course_cnn.datasets import list_photos  # numpy only

    path = Path(spec).expanduser()
    if path.is_file():
        _check_image_file(path, flag)
        return path
    names = sorted(list_photos())
    if spec in names or spec in extra:
        return spec
    if path.is_dir():
        raise usage_error(flag, "be an image file or a bundled photo name", f"{spec!r}, which is a folder")
    known = ", ".join(names + list(extra))
    raise usage_error(flag, f"be an existing image file or a bundled photo name ({known})",
                      f"{spec!r} (no such file)")


def _check_image_file(path, flag):
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        why = "not an image PIL can read" if isinstance(exc, UnidentifiedImageError) else f"unreadable: {str(exc).rstrip('.')}"
        raise usage_error(flag, "be an image file (JPEG, PNG, ...)", f"{str(path)!r}, {why}") from None


def check_output(spec, flag, suffixes=(".png",)):
    """Check an output file argument before the work: a known suffix, not a folder.

    Returns
    -------
    pathlib.Path
        The path (its folder is created when the file is written).
    """
    path = Path(spec).expanduser()
    if path.suffix.lower() not in suffixes:
        raise usage_error(flag, f"be a file name ending in {' or '.join(suffixes)}", repr(str(spec)))
    if path.is_dir():
        raise usage_error(flag, "be a file name", f"{str(spec)!r}, which is a folder")
    return path


def load_resolved(resolved):
    """The pixels of what `resolve_photo` returned: an RGB uint8 array of shape (n_H, n_W, 3)."""
    import numpy as np
    from PIL import Image

    from course_cnn.datasets import load_photo

    if isinstance(resolved, Path):
        with Image.open(resolved) as img:
            return np.asarray(img.convert("RGB"))
    return load_photo(resolved)


# --- TensorFlow, quietly -------------------------------------------------------------------------------

def add_verbose(parser):
    """The ``--verbose`` flag of the verbs that run TensorFlow."""
    parser.add_argument("--verbose", action="store_true",
                        help="show TensorFlow's start-up lines and warnings (hidden by default)")


@contextlib.contextmanager
def _stderr_to_file():
    """Send file descriptor 2 (where TensorFlow's C++ start-up lines go) to a temporary file."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield captured
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def import_tensorflow(verbose=False):
    """Import TensorFlow for a verb, its start-up log lines hidden unless ``verbose``.

    TensorFlow writes its start-up lines (oneDNN, CUDA drivers, CPU features,
    twice per process) from C++ before its logging honours
    ``TF_CPP_MIN_LOG_LEVEL``, so they are caught at the file-descriptor level
    while TensorFlow loads and looks for devices; if that fails, they are
    shown with the error. Python-side warnings (``tf.function`` retracing,
    absl) are raised to ERROR level.

    Parameters
    ----------
    verbose : bool, default False
        Leave TensorFlow's logging as it is.
    """
    if verbose:
        import tensorflow  # noqa: F401

        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    error = None
    with _stderr_to_file() as captured:
        try:
            import tensorflow as tf

            tf.config.list_physical_devices()   # the device search logs too (once per process)
        except BaseException as exc:  # noqa: BLE001  (re-raised below, once stderr is back)
            error = exc
            captured.seek(0)
            lines = captured.read().decode("utf-8", "replace")
    if error is not None:   # TensorFlow failed to load: what it said is part of the story
        sys.stderr.write(lines)
        raise error
    import logging

    import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    with contextlib.suppress(ImportError):
        from absl import logging as absl_logging

        absl_logging.set_verbosity(absl_logging.ERROR)


# --- library messages in the CLI's words ---------------------------------------------------------------

_BACKTICKED = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)`")


def translate(message, names, phrases=None):
    """Rewrite a library message in the command line's terms.

    Parameters
    ----------
    message : str
        The library's message (``"`score_threshold` must be ..."``).
    names : dict of str to str
        Parameter name -> the CLI's name for it (``{"score_threshold": "--score-threshold"}``);
        only backticked names are replaced.
    phrases : dict of str to str, optional
        Literal snippets to replace first (``{"weights=None": "--weights random"}``).

    Returns
    -------
    str
        The message.

    Examples
    --------
    >>> translate("`pad` must be an int; got 'x'.", {"pad": "--pad"})
    "`--pad` must be an int; got 'x'."
    """
    for old, new in (phrases or {}).items():
        message = message.replace(old, new)
    return _BACKTICKED.sub(lambda m: f"`{names.get(m.group(1), m.group(1))}`", message)


def parser_names(parser):
    """Parameter name -> CLI name for every argument of an argparse parser (``dest`` -> ``--flag`` or METAVAR)."""
    names = {}
    for action in parser._actions:
        if action.option_strings:
            names[action.dest] = max(action.option_strings, key=len)
        elif action.dest not in ("help",):
            names[action.dest] = action.metavar or action.dest.upper()
    return names
