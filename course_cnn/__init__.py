"""course_cnn: the companion package of a convolutional-networks course.

Importing the package is cheap: it loads no TensorFlow or Keras. The weeks
are sub-packages imported on demand::

    from course_cnn.week1 import conv_forward
    from course_cnn.week3 import yolo_filter_boxes

See the README for a week-by-week map and ``course-cnn --help`` for the
command line.
"""

from course_cnn._checks import CourseCNNWarning

__version__ = "0.1.0"

__all__ = ["CourseCNNWarning", "__version__"]
