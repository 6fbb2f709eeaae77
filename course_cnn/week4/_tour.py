"""Week 4's tour demos: those of its face and style parts, in that order."""

import importlib
import importlib.util

DEMOS = []
for _part in ("face", "style"):
    _name = f"course_cnn.week4.{_part}._tour"
    if importlib.util.find_spec(f"course_cnn.week4.{_part}") and importlib.util.find_spec(_name):
        DEMOS.extend(importlib.import_module(_name).DEMOS)
