"""``course-cnn detect``: find faces in a photo with a pretrained face detector (Tiny-YOLOv2 or SSD MobileNet v1)."""

from course_cnn.commands._common import (
    add_verbose,
    check_output,
    import_tensorflow,
    load_resolved,
    plural,
    resolve_photo,
    usage_error,
)

NAME = "detect"
HELP = "find faces in IMAGE with a pretrained face detector (tiny YOLO or SSD, offline) and draw them"
#: --model -> (label, NMS IoU threshold face-api uses with it)
MODELS = {"tiny-yolo": ("Tiny-YOLOv2", 0.4), "ssd": ("SSD MobileNet v1", 0.5)}


def add_arguments(parser):
    parser.add_argument("image", metavar="IMAGE",
                        help="a photo file (JPEG, PNG, ...) or a bundled photo name "
                             "(grace_hopper, obama_1, china, ...)")
    parser.add_argument("--out", metavar="PNG", default=None, help="save the photo with the boxes drawn to PNG")
    parser.add_argument("--score-threshold", type=float, default=0.5, help="minimum face confidence p_c (default: %(default)s)")
    parser.add_argument("--iou-threshold", type=float, default=None,
                        help="non-max suppression IoU threshold (default: 0.4 with tiny-yolo, 0.5 with ssd)")
    parser.add_argument("--model", default="tiny-yolo", metavar="tiny-yolo|ssd",
                        help="the detector: Tiny-YOLOv2 (416x416, fast) or SSD MobileNet v1 (512x512, six anchor "
                             "scales, tighter boxes) (default: %(default)s)")
    parser.add_argument("--landmarks", action="store_true",
                        help="also find the 68 landmarks of each face (face-api's landmark net) and draw them")
    add_verbose(parser)


def run(args):
    from course_cnn import _checks

    # every argument is checked before TensorFlow loads (seconds)
    photo = resolve_photo(args.image, "IMAGE")
    _checks.check_probability(args.score_threshold, "--score-threshold")
    if args.model not in MODELS:
        raise usage_error("--model", "be 'tiny-yolo' or 'ssd'", repr(args.model))
    label, default_iou = MODELS[args.model]
    iou_threshold = default_iou if args.iou_threshold is None else args.iou_threshold
    _checks.check_probability(iou_threshold, "--iou-threshold")
    out = None if args.out is None else check_output(args.out, "--out", (".png", ".jpg", ".jpeg", ".pdf", ".svg"))
    image = load_resolved(photo)
    import_tensorflow(args.verbose)
    from course_cnn.week3 import detect_faces, detect_faces_ssd

    detect = detect_faces_ssd if args.model == "ssd" else detect_faces
    scores, boxes = detect(image, score_threshold=args.score_threshold, iou_threshold=iou_threshold)
    print(f"{plural(len(scores), 'face')} found in {args.image} ({image.shape[1]}x{image.shape[0]} px) by {label}")
    points = _landmarks(image, boxes) if args.landmarks else [None] * len(boxes)
    for i, (score, (y1, x1, y2, x2), face) in enumerate(zip(scores, boxes, points), 1):
        print(f"  face {i}: score {score:.3f}, box (y1, x1, y2, x2) = ({y1:.0f}, {x1:.0f}, {y2:.0f}, {x2:.0f})")
        if face is not None:
            print(f"    68 landmarks: eyes at {_xy(face, 'left_eye')} and {_xy(face, 'right_eye')}, "
                  f"nose tip at ({face[30, 0]:.0f}, {face[30, 1]:.0f}), mouth at {_xy(face, 'mouth')} (x, y)")
    if out is not None:
        _draw(image, scores, boxes, points, out)
        print(f"wrote {out}")
    return 0


def _landmarks(image, boxes):
    from course_cnn.week3 import detect_landmarks, load_landmark_detector

    model = load_landmark_detector()
    return [detect_landmarks(image, box, model=model) for box in boxes]  # (68, 2) each


def _xy(points, group):
    from course_cnn.week3 import LANDMARK_GROUPS

    x, y = points[list(LANDMARK_GROUPS[group])].mean(axis=0)
    return f"({x:.0f}, {y:.0f})"


def _draw(image, scores, boxes, points, out):
    from course_cnn.plots import draw_boxes_on_image, new_figure, save_figure
    from course_cnn.week3 import LANDMARK_GROUPS

    if all(p is None for p in points):  # boxes only
        draw_boxes_on_image(image, boxes, ["face"] * len(scores), scores, box_format="yxyx", path=out)
        return
    fig, ax = new_figure(figsize=(6, 6 * image.shape[0] / image.shape[1]))
    draw_boxes_on_image(image, boxes, ["face"] * len(scores), scores, box_format="yxyx", ax=ax)
    for face in (p for p in points if p is not None):
        for group, color in zip(LANDMARK_GROUPS.values(), ("C0", "C1", "C1", "C2", "C3", "C3", "C4")):
            ax.plot(face[list(group), 0], face[list(group), 1], ".-", color=color, markersize=2, linewidth=0.8)
    save_figure(fig, out)
