"""A time limit for one call of a learner's function, so that an endless loop cannot hang the grader.

Two ways to stop a call, chosen per call:

* **On the main thread of a POSIX system** (a notebook's kernel, the
  ``course-cnn grade`` command, pytest): an interval timer (``SIGALRM``)
  whose handler raises `CaseTimeout` *inside the learner's code*. The
  function runs in the caller's own thread, so everything thread-local stays
  as the learner set it (Keras keeps its global state, the dtype policy
  included, in a ``threading.local``; TensorFlow its device scopes), and the
  loop really stops: nothing keeps running afterwards. The timer fires again
  every half second, so one bare ``except:`` cannot swallow it for good (a
  loop that catches every exception at each turn cannot be stopped from
  inside its thread at all); the handler raises only while the learner's
  frames are running, never in the lines below that clean up. A timer set by someone else
  (pytest-timeout, say) is put back with the time it has left.
* **Anywhere else** (Windows, or `grade` called from a worker thread, where
  signals cannot be used): the function runs in a daemon thread and the
  caller waits ``timeout`` seconds for it. A thread cannot be killed, so
  when it is late we ask CPython to raise `CaseTimeout` in it at its next
  bytecode (``PyThreadState_SetAsyncExc``): a pure-Python loop stops. A
  thread stuck inside one long C call runs on until it returns, abandoned;
  being a daemon it never keeps the interpreter from exiting.
"""

from __future__ import annotations

import ctypes
import signal
import sys
import threading
import time
from typing import Any, Callable

_REFIRE_S = 0.5  # the interval timer's period once the time is up


class CaseTimeout(BaseException):
    """Raised in the learner's function when its case ran out of time.

    A ``BaseException`` (like ``KeyboardInterrupt``), so that a learner's
    ``except Exception:`` does not swallow it.
    """


def call_with_time_limit(function: Callable, args: tuple, kwargs: dict, timeout: float | None) -> Any:
    """``function(*args, **kwargs)``, stopped with `CaseTimeout` after ``timeout`` seconds.

    Parameters
    ----------
    function : callable
        The learner's function.
    args, kwargs : tuple, dict
        Its arguments.
    timeout : float or None
        Seconds allowed; None for no limit.

    Returns
    -------
    object
        What ``function`` returned.

    Raises
    ------
    CaseTimeout
        When the call did not finish in time.
    BaseException
        Whatever ``function`` raised.

    Examples
    --------
    >>> call_with_time_limit(max, (1, 2), {}, 5.0)
    2
    >>> def forever():
    ...     while True:
    ...         pass
    >>> call_with_time_limit(forever, (), {}, 0.1)
    Traceback (most recent call last):
    ...
    course_cnn.grading._time_limit.CaseTimeout: 0.1
    """
    if timeout is None:
        return function(*args, **kwargs)
    if _alarm_usable():
        return _call_with_alarm(function, args, kwargs, timeout)
    return _call_in_thread(function, args, kwargs, timeout)


def _alarm_usable() -> bool:
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) is not None)  # None: a handler set from C, which we could not restore


def _call_with_alarm(function: Callable, args: tuple, kwargs: dict, timeout: float) -> Any:
    here = sys._getframe()
    fired = []

    def on_alarm(signum, frame):
        # raise only inside the learner's code: a frame below this function's, never this function's own lines
        caller = frame.f_back if frame is not None and frame is not here else None
        while caller is not None and caller is not here:
            caller = caller.f_back
        if caller is here:
            fired.append(True)
            raise CaseTimeout(timeout)

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, timeout, _REFIRE_S)
    started = time.monotonic()
    try:
        result = function(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_delay > 0:  # someone else's timer: give back what it has left (at least a tick, so it still fires)
            signal.setitimer(signal.ITIMER_REAL, max(outer_delay - (time.monotonic() - started), 1e-3), outer_interval)
    if fired:  # the learner's code caught our exception and went on: it still ran out of time
        raise CaseTimeout(timeout)
    return result


def _call_in_thread(function: Callable, args: tuple, kwargs: dict, timeout: float) -> Any:
    outcome: dict[str, Any] = {}

    def target():
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller as is
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="course-cnn-grade-case", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        _raise_in_thread(worker, CaseTimeout)
        raise CaseTimeout(timeout)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _raise_in_thread(thread: threading.Thread, exception: type) -> None:
    """Ask CPython to raise ``exception`` in ``thread`` at its next bytecode (nothing elsewhere)."""
    try:
        set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except AttributeError:  # not CPython: the thread is left to run, as a daemon
        return
    set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
    if set_async_exc(thread.ident, exception) > 1:  # more than one thread state touched: undo
        set_async_exc(thread.ident, None)
