"""Week 3: object detection.

From the lecture's label vector to a trained detector: classification with
localization, landmarks, sliding windows and their convolutional form,
bounding boxes and IoU, YOLO with anchor boxes, non-max suppression, mAP,
and a real pretrained YOLO (face-api.js's tiny face detector) decoded with
the course's own post-processing functions.

Boxes are ``(x1, y1, x2, y2)`` in `boxes` and
``(y1, x1, y2, x2)`` (the ``tf.image`` order) in every YOLO helper.
"""

from course_cnn.week3.conv_transpose import (
    conv_transpose_forward,
    conv_transpose_forward_loops,
    conv_transpose_output_size,
)
from course_cnn.week3.segmentation_data import (
    SCENE_CLASSES,
    SegmentationScenes,
    load_segmentation_folder,
    make_segmentation_arrays,
    make_segmentation_scenes,
)
from course_cnn.week3.segmentation_metrics import (
    confusion_counts,
    dice_coefficient,
    mean_iou,
    per_class_iou,
    pixel_accuracy,
)
from course_cnn.week3.region_proposals import anchor_grid, proposal_targets, roi_pool, roi_pool_loops
from course_cnn.week3.unet import conv_block, create_mask, display, unet_model, upsampling_block
from course_cnn.week3.boxes import centers_to_corners, corners_to_centers, iou, iou_matrix, non_max_suppression
from course_cnn.week3.face_detector import (
    FACE_ANCHORS,
    FACE_INPUT_SIZE,
    FACE_MEAN_RGB,
    detect_faces,
    load_face_detector,
    load_rgb_image,
)
from course_cnn.week3.detection_data import (
    SHAPE_CLASSES,
    DetectionImages,
    kmeans_anchors,
    make_detection_dataset,
    make_detection_images,
)
from course_cnn.week3.landmarks import landmark_model, make_landmark_data, plot_landmarks
from course_cnn.week3.face_landmarks import LANDMARK_GROUPS, detect_landmarks, load_landmark_detector, plot_face_landmarks
from course_cnn.week3.ssd import SSD_INPUT_SIZE, decode_ssd_boxes, detect_faces_ssd, load_ssd_face_detector, ssd_anchors
from course_cnn.week3.localization import (
    box_from_label,
    localization_label,
    localization_loss,
    localization_model,
    make_localization_data,
)
from course_cnn.week3.metrics import average_precision, mean_average_precision
from course_cnn.week3.sliding_windows import dense_to_conv, sliding_window_detect, window_classifier
from course_cnn.week3.tiny_yolo import detect_objects, evaluate_detector, tiny_yolo
from course_cnn.week3.yolo_batch import yolo_eval_batch
from course_cnn.week3.yolo_io import draw_boxes, load_yolo_model, preprocess_image, read_anchors, read_classes
from course_cnn.week3.yolo_labels import YoloLoss, anchor_iou, yolo_encode_labels, yolo_loss
from course_cnn.week3.yolo import (
    scale_boxes,
    yolo_boxes_to_corners,
    yolo_eval,
    yolo_filter_boxes,
    yolo_head,
    yolo_non_max_suppression,
)

__all__ = [
    # classification with localization
    "localization_label",
    "localization_loss",
    "localization_model",
    "make_localization_data",
    "box_from_label",
    # landmarks
    "landmark_model",
    "make_landmark_data",
    "plot_landmarks",
    # sliding windows
    "window_classifier",
    "sliding_window_detect",
    "dense_to_conv",
    # boxes
    "iou",
    "iou_matrix",
    "corners_to_centers",
    "centers_to_corners",
    "non_max_suppression",
    # YOLO post-processing (course signatures)
    "yolo_head",
    "yolo_boxes_to_corners",
    "scale_boxes",
    "yolo_filter_boxes",
    "yolo_non_max_suppression",
    "yolo_eval",
    "yolo_eval_batch",
    "preprocess_image",
    "read_classes",
    "read_anchors",
    "draw_boxes",
    "load_yolo_model",
    # YOLO training
    "anchor_iou",
    "yolo_encode_labels",
    "yolo_loss",
    "YoloLoss",
    "SHAPE_CLASSES",
    "DetectionImages",
    "make_detection_images",
    "make_detection_dataset",
    "kmeans_anchors",
    "tiny_yolo",
    "detect_objects",
    "evaluate_detector",
    # evaluation
    "average_precision",
    "mean_average_precision",
    # the real pretrained detector
    "FACE_ANCHORS",
    "FACE_MEAN_RGB",
    "FACE_INPUT_SIZE",
    "load_face_detector",
    "detect_faces",
    "load_rgb_image",
    # real landmarks (face-api.js's 68-point net)
    "LANDMARK_GROUPS",
    "load_landmark_detector",
    "detect_landmarks",
    "plot_face_landmarks",
    # a second real detector: SSD MobileNet v1
    "SSD_INPUT_SIZE",
    "load_ssd_face_detector",
    "ssd_anchors",
    "decode_ssd_boxes",
    "detect_faces_ssd",
    # segmentation: transposed convolution
    "conv_transpose_forward",
    "conv_transpose_forward_loops",
    "conv_transpose_output_size",
    # segmentation: U-Net (course signatures)
    "conv_block",
    "upsampling_block",
    "unet_model",
    "create_mask",
    "display",
    # segmentation data and metrics
    "SCENE_CLASSES",
    "SegmentationScenes",
    "make_segmentation_arrays",
    "make_segmentation_scenes",
    "load_segmentation_folder",
    "pixel_accuracy",
    "per_class_iou",
    "mean_iou",
    "dice_coefficient",
    "confusion_counts",
    # region proposals (optional lecture)
    "roi_pool",
    "roi_pool_loops",
    "anchor_grid",
    "proposal_targets",
]
