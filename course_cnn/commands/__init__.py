"""Subcommands of ``course-cnn``, one module each (see :mod:`course_cnn.cli`)."""
