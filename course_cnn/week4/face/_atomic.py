"""Atomic file writes that clean up after a killed writer.

`write_atomic` writes the bytes to a temporary file beside the target,
flushes them to disk and renames the file over the target
(``os.replace``, atomic on POSIX and Windows), so a crash mid-write never
loses the old file. A process killed before the rename (SIGKILL, a power
cut) leaves its temporary file behind; its name carries the writer's
process id::

    .faces.npz.<pid>.<random>.tmp

so the next write to the same target can tell a dead writer's leftover
from a write still running in another process, and removes only the
former (`remove_stale_temporaries`). The process check errs on the side of
keeping: a leftover whose id now belongs to another running process stays
until that process ends. Process ids are only meaningful on one machine, so
on a folder that other machines or containers write to a running save's
file could look stale; where ids cannot be checked (Windows), and for
leftovers without an id, a file counts as stale once untouched for
`STALE_AFTER_S` seconds.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

#: A temporary file without a process id (written by course_cnn before they
#: carried one) counts as stale once untouched for this long, in seconds;
#: so does any temporary file where process ids cannot be checked (not POSIX).
STALE_AFTER_S = 600.0
TEMP_SUFFIX = ".tmp"


def temp_prefix(path, pid=None):
    """Start of the name of the temporary file for ``path``: ``.<name>.<pid>.``."""
    return f".{Path(path).name}.{os.getpid() if pid is None else pid}."


def _writer_is_gone(pid):
    """True when process ``pid`` no longer runs, False when it does, None where it cannot be told."""
    if pid == os.getpid():
        return False  # another thread of this process may be writing
    if os.name != "posix":
        return None  # os.kill(pid, 0) would terminate the process on Windows
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: it exists, under another user
        return False
    return False


def remove_stale_temporaries(path):
    """Delete the temporary files that killed writes to ``path`` left beside it.

    Parameters
    ----------
    path : pathlib.Path
        The target file (its folder must exist).

    Returns
    -------
    list of pathlib.Path
        The files removed.
    """
    path = Path(path)
    # .<name>.<pid>.<random>.tmp, or .<name>.<random>.tmp from before the pid was added
    pattern = re.compile(re.escape(f".{path.name}.") + r"(?:(\d+)\.)?[a-z0-9_]+" + re.escape(TEMP_SUFFIX))
    removed = []
    for tmp in path.parent.iterdir():
        match = pattern.fullmatch(tmp.name)
        if not match:
            continue
        gone = None if match.group(1) is None else _writer_is_gone(int(match.group(1)))
        try:
            if not tmp.is_file():
                continue
            if gone is None:  # no process to ask: stale once untouched for a while
                gone = time.time() - tmp.stat().st_mtime > STALE_AFTER_S
            if gone:
                tmp.unlink()
                removed.append(tmp)
        except OSError:  # removed meanwhile, or not ours to remove: leave it
            pass
    return removed


def write_atomic(path, data):
    """Write ``data`` to ``path`` through a temporary file renamed over it.

    Parameters
    ----------
    path : pathlib.Path
        The target file (its folder must exist).
    data : bytes
        The whole content.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # atomic on POSIX and Windows
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
