"""Subcommands of ``course-cnn``, one module each (see `course_cnn.cli`)."""
