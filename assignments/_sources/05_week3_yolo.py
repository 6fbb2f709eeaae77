"""Week 3: YOLO post-processing, run on a real pretrained face detector."""

from _build import check, code, exercise, markdown, setup

FILENAME = "05_week3_yolo.ipynb"


def cells():
    return [
        markdown("""
# Week 3 — Object detection with YOLO

A YOLO network divides the image into an $S \\times S$ grid; for each cell and each of $B$ anchor boxes it
predicts a box (centre, size), a confidence $p_c$ that the box holds an object, and class probabilities
$c_i$. Post-processing turns those $S \\cdot S \\cdot B$ boxes into a few detections:

1. convert centres and sizes to corners;
2. **score filtering**: keep a box when its best class score $p_c \\cdot c_i$ reaches a threshold;
3. scale the boxes to the image's pixels;
4. **non-max suppression**: drop the boxes overlapping a better one (IoU above a threshold).

You will write these steps, then run them on the output of a **real pretrained network**: the Tiny-YOLOv2 face
detector of face-api.js (13x13 grid, 5 anchors, one class), shipped with this package.

The YOLO helpers use the `tf.image` box order `(y1, x1, y2, x2)`; `iou` uses `(x1, y1, x2, y2)`.
"""),
        setup('''
import tensorflow as tf'''),
        markdown("""
## 1. Score filtering

`box_scores = box_confidence * box_class_probs`; the class of a box is the argmax of its scores and its score
the max. Build a boolean mask `box_class_scores >= threshold` and apply it (`tf.boolean_mask`) to the scores,
the boxes and the classes.
"""),
        exercise("week3.yolo_filter_boxes", '''
def yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.6):
    """boxes (..., 4), box_confidence (..., 1), box_class_probs (..., C) -> (scores, boxes, classes)."""
    raise NotImplementedError
'''),
        check("week3.yolo_filter_boxes"),
        markdown("""
## 2. Intersection over union

$$\\text{IoU} = \\frac{\\text{intersection}}{\\text{area}_1 + \\text{area}_2 - \\text{intersection}}$$

The intersection is the rectangle `(max(x1), max(y1), min(x2), min(y2))`; its width and height must be clamped
at 0, or two disjoint boxes get a positive "intersection".
"""),
        exercise("week3.iou", '''
def iou(box1, box2):
    """box1, box2: (x1, y1, x2, y2). Returns the IoU as a number."""
    raise NotImplementedError
'''),
        check("week3.iou"),
        markdown("""
## 3. Non-max suppression

`tf.image.non_max_suppression(boxes, scores, max_boxes, iou_threshold=iou_threshold)` returns the indices of
the boxes to keep; gather the scores, boxes and classes with them (`tf.gather`).
"""),
        exercise("week3.yolo_non_max_suppression", '''
def yolo_non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    """scores (n,), boxes (n, 4), classes (n,) -> the kept (scores, boxes, classes)."""
    raise NotImplementedError
'''),
        check("week3.yolo_non_max_suppression"),
        markdown("""
## 4. From centres to corners, and the whole pipeline

`box_xy` holds centres `(x, y)` and `box_wh` sizes `(w, h)`; the corners are `(y - h/2, x - w/2, y + h/2,
x + w/2)`. Then `yolo_eval` chains everything, scaling the boxes with `scale_boxes(boxes, image_shape)`
(provided by the package) before non-max suppression.
"""),
        exercise("week3.yolo_boxes_to_corners", '''
def yolo_boxes_to_corners(box_xy, box_wh):
    """(..., 2) centres and (..., 2) sizes -> (..., 4) corners (y1, x1, y2, x2)."""
    raise NotImplementedError
'''),
        check("week3.yolo_boxes_to_corners"),
        exercise("week3.yolo_eval", '''
from course_cnn.week3 import scale_boxes

def yolo_eval(yolo_outputs, image_shape=(720, 1280), max_boxes=10, score_threshold=0.6, iou_threshold=0.5):
    """yolo_outputs = (box_xy, box_wh, box_confidence, box_class_probs) -> (scores, boxes, classes)."""
    raise NotImplementedError
'''),
        check("week3.yolo_eval"),
        markdown("""
## 5. Your post-processing on a real detector

The face detector takes a 416x416 RGB image (the photo is padded to a square, then resized) and outputs
13x13x(5 x 5) numbers: per anchor `(t_x, t_y, t_w, t_h, t_o)`. `yolo_head` (from the package) decodes them
into `box_xy, box_wh, box_confidence, box_class_probs`; your `yolo_eval` does the rest.
"""),
        code('''
from course_cnn.datasets import load_photo
from course_cnn.plots import draw_boxes_on_image
from course_cnn.week3 import FACE_ANCHORS, detect_faces, load_face_detector, load_rgb_image, yolo_head

photo = load_rgb_image(load_photo("grace_hopper"))              # (n_H, n_W, 3)
height, width = photo.shape[:2]
side = max(height, width)
square = np.zeros((side, side, 3), dtype="float32")
square[:height, :width] = photo                                  # pad to a square (black at the bottom/right)
batch = tf.image.resize(square[None], (416, 416), antialias=True)

detector = load_face_detector()
feats = detector(batch, training=False)                          # (1, 13, 13, 25)
box_xy, box_wh, box_confidence, box_class_probs = yolo_head(feats, FACE_ANCHORS, num_classes=1)
outputs = (box_xy[0], box_wh[0], box_confidence[0], box_class_probs[0])
scores, boxes, classes = yolo_eval(outputs, image_shape=(side, side), score_threshold=0.5, iou_threshold=0.4)
print(f"{len(scores)} face(s); scores {np.round(scores.numpy(), 3)}")
print("the package's detect_faces finds:", np.round(detect_faces(photo)[1]))
draw_boxes_on_image(photo, boxes.numpy(), labels=["face"] * len(scores), scores=scores.numpy(), box_format="yxyx")
'''),
        markdown("""
The same post-processing decodes the course's 19x19x5x80 YOLOv2 output for cars; only the grid, the anchors
and the number of classes change.

## 6. (Optional) Non-max suppression by hand

`tf.image.non_max_suppression` does the work above. The lecture's algorithm, in numpy:

1. discard the boxes scoring below `score_threshold` (the notes' low $p_c$);
2. take the remaining box with the largest score and output it;
3. discard every remaining box whose IoU with it is $\\ge$ `iou_threshold`; repeat from 2 until no box is
   left or `max_output_size` boxes are out.

Return the indices of the kept boxes, by decreasing score, as an int64 array. Your `iou` works on these
boxes too (IoU does not depend on the order of the coordinates).
"""),
        exercise("week3.non_max_suppression", '''
def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=None):
    """boxes (n, 4), scores (n,). Returns the kept indices, an int64 array."""
    raise NotImplementedError
'''),
        check("week3.non_max_suppression"),
    ]
