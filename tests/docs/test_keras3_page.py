"""Every Python block of docs/keras3.md runs, so each claim there is checked."""

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "keras3.md"
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)
SECTIONS = re.findall(r"^## (.+)$", PAGE.read_text(encoding="utf-8"), flags=re.M)


def test_one_block_per_section():
    assert len(BLOCKS) == len(SECTIONS) == 7


@pytest.mark.parametrize("code", BLOCKS, ids=[s[:40] for s in SECTIONS])
def test_block_runs(code):
    exec(compile(code, str(PAGE), "exec"), {"__name__": "keras3_page"})
