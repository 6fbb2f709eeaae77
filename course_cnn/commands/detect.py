"""``course-cnn detect``: find faces in a photo with the pretrained Tiny-YOLOv2 face detector."""

from course_cnn.commands._common import (
    add_verbose,
    check_output,
    import_tensorflow,
    load_resolved,
    plural,
    resolve_photo,
)

NAME = "detect"
HELP = "find faces in IMAGE with the pretrained tiny YOLO face detector (offline) and draw them"


def add_arguments(parser):
    parser.add_argument("image", metavar="IMAGE",
                        help="a photo file (JPEG, PNG, ...) or a bundled photo name "
                             "(grace_hopper, obama_1, china, ...)")
    parser.add_argument("--out", metavar="PNG", default=None, help="save the photo with the boxes drawn to PNG")
    parser.add_argument("--score-threshold", type=float, default=0.5, help="minimum face confidence p_c (default: %(default)s)")
    parser.add_argument("--iou-threshold", type=float, default=0.4, help="non-max suppression IoU threshold (default: %(default)s)")
    add_verbose(parser)


def run(args):
    from course_cnn import _checks

    # every argument is checked before TensorFlow loads (seconds)
    photo = resolve_photo(args.image, "IMAGE")
    _checks.check_probability(args.score_threshold, "--score-threshold")
    _checks.check_probability(args.iou_threshold, "--iou-threshold")
    out = None if args.out is None else check_output(args.out, "--out", (".png", ".jpg", ".jpeg", ".pdf", ".svg"))
    image = load_resolved(photo)
    import_tensorflow(args.verbose)
    from course_cnn.plots import draw_boxes_on_image
    from course_cnn.week3 import detect_faces

    scores, boxes = detect_faces(image, score_threshold=args.score_threshold, iou_threshold=args.iou_threshold)
    print(f"{plural(len(scores), 'face')} found in {args.image} ({image.shape[1]}x{image.shape[0]} px)")
    for i, (score, (y1, x1, y2, x2)) in enumerate(zip(scores, boxes), 1):
        print(f"  face {i}: score {score:.3f}, box (y1, x1, y2, x2) = ({y1:.0f}, {x1:.0f}, {y2:.0f}, {x2:.0f})")
    if out is not None:
        draw_boxes_on_image(image, boxes, ["face"] * len(scores), scores, box_format="yxyx", path=out)
        print(f"wrote {out}")
    return 0
