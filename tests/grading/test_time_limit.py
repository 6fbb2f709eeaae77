"""The per-case time limit: an endless loop is stopped, reported, and grading goes on."""

import signal
import threading
import time

import numpy as np
import pytest

from course_cnn.grading import Case, Suite, grade
from course_cnn.grading._time_limit import CaseTimeout, call_with_time_limit


def _cases():
    # case "loops" makes the learner's function below loop forever; "returns" does not
    return [Case(name, lambda name=name: ({"x": np.arange(3.0)}, {"mode": name})) for name in ("loops", "returns")]


def _square(x, mode="returns"):
    return x * x


SQUARE = Suite("toy.square", f"{__name__}:_square", _cases)


def loops_on_one_case(x, mode="returns"):
    while mode == "loops":  # a pure-Python loop that never ends
        pass
    return x * x


def swallows_the_first_stop(x, mode="returns"):
    if mode == "loops":
        try:
            while True:
                pass
        except BaseException:  # noqa: BLE001 - a learner's bare except: the timer fires again
            pass
        while True:
            pass
    return x * x


@pytest.mark.parametrize("function", [loops_on_one_case, swallows_the_first_stop])
def test_endless_loop_is_stopped_reported_and_the_next_case_runs(function):
    started = time.monotonic()
    report = grade(function, SQUARE, timeout=0.3)
    assert time.monotonic() - started < 5
    assert [c.status for c in report.cases] == ["timed out", "passed"]
    assert report.score == 0.5
    text = str(report)
    assert "[TIME] loops" in text
    assert "case 'loops' did not finish in 0.3 s: stopped there, and grading went on with the next case" in text
    assert "[PASS] returns" in text


def test_the_alarm_is_put_back_as_it_was():
    before = signal.getsignal(signal.SIGALRM)
    grade(loops_on_one_case, SQUARE, timeout=0.2)
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_outer_timer_keeps_running():
    # someone else's timer (pytest-timeout, say) is given back with the time it has left
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30.0)
        grade(loops_on_one_case, SQUARE, timeout=0.2)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25.0 < left < 30.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not fired


def test_off_the_main_thread_the_case_runs_in_a_worker_that_is_stopped():
    reports = []
    thread = threading.Thread(target=lambda: reports.append(grade(loops_on_one_case, SQUARE, timeout=0.3)))
    thread.start()
    thread.join(10)
    assert not thread.is_alive()
    assert [c.status for c in reports[0].cases] == ["timed out", "passed"]
    time.sleep(0.2)  # the worker got CaseTimeout at its next bytecode and ended
    assert not [t for t in threading.enumerate() if t.name == "course-cnn-grade-case"]


def test_worker_thread_hands_back_results_and_errors():
    outcome = []

    def in_thread():
        outcome.append(call_with_time_limit(pow, (2, 5), {}, 5.0))
        try:
            call_with_time_limit(lambda: 1 / 0, (), {}, 5.0)
        except ZeroDivisionError as exc:
            outcome.append(type(exc).__name__)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join(10)
    assert outcome == [32, "ZeroDivisionError"]


def test_no_limit_and_errors_pass_through():
    assert call_with_time_limit(pow, (2, 3), {}, None) == 8
    with pytest.raises(ZeroDivisionError):
        call_with_time_limit(lambda: 1 / 0, (), {}, 1.0)
    with pytest.raises(CaseTimeout):
        call_with_time_limit(lambda: time.sleep(5), (), {}, 0.1)


def test_timeout_must_be_a_positive_number():
    with pytest.raises(ValueError, match=r"`timeout` must be a real number > 0; got -1\.0\."):
        grade(_square, SQUARE, timeout=-1)
    with pytest.raises(TypeError, match=r"`timeout` must be a real number > 0; got '10'\."):
        grade(_square, SQUARE, timeout="10")


def test_suites_have_their_own_default_limit():
    from course_cnn.grading import get_suite

    assert SQUARE.timeout == 10.0
    assert get_suite("week1.conv_forward").timeout == 10.0
    assert get_suite("week2.ResNet50").timeout >= 60
