"""The registry: every suite is well formed, and every suite is exercised by a test of this folder."""

from pathlib import Path

import pytest

from course_cnn.grading import exercises, get_suite, suites

HERE = Path(__file__).parent


def test_keys_follow_the_course_order_and_names_are_unique():
    keys = exercises()
    weeks = [k.split(".")[0] for k in keys]
    order = ["week1", "week2", "week3", "week4", "strategy", "scdv"]
    assert weeks == sorted(weeks, key=order.index)
    names = [s.function_name for s in suites()]
    assert len(names) == len(set(names)), "a function name maps to two suites: `course-cnn grade` needs unique names"


@pytest.mark.parametrize("suite", suites(), ids=lambda s: s.key)
def test_suite_is_well_formed(suite):
    assert suite.summary
    assert suite.hints, "every suite teaches at least one classic mistake"
    assert callable(suite.load_reference())
    assert suite.reference.split(":")[1] == suite.function_name
    cases = suite.cases()
    assert cases and len({c.name for c in cases}) == len(cases)


@pytest.mark.parametrize("key", exercises())
def test_every_suite_has_a_wrong_implementation_in_the_tests(key):
    sources = "".join(p.read_text() for p in HERE.glob("test_*.py") if p.name != "test_registry.py")
    assert f'("{key}",' in sources, f"no learner-style wrong implementation of {key} in tests/grading"


def test_lookup_by_function_name_and_suggestions():
    assert get_suite("conv_forward").key == "week1.conv_forward"
    with pytest.raises(ValueError, match=r"did you mean 'week1.conv_forward'"):
        get_suite("week1.conv_froward")
