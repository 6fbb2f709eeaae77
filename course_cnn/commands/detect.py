"""``course-cnn detect``: find faces in a photo with the pretrained Tiny-YOLOv2 face detector."""

NAME = "detect"
HELP = "find faces in IMAGE with the pretrained tiny YOLO face detector (offline) and draw them"


def add_arguments(parser):
    parser.add_argument("image", metavar="IMAGE", help="a photo (JPEG, PNG, ...)")
    parser.add_argument("--out", metavar="PNG", default=None, help="save the photo with the boxes drawn to PNG")
    parser.add_argument("--score-threshold", type=float, default=0.5, help="minimum face confidence p_c (default: %(default)s)")
    parser.add_argument("--iou-threshold", type=float, default=0.4, help="non-max suppression IoU threshold (default: %(default)s)")


def run(args):
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from course_cnn.plots import draw_boxes_on_image
    from course_cnn.week3 import detect_faces, load_rgb_image

    image = load_rgb_image(args.image)
    scores, boxes = detect_faces(image, score_threshold=args.score_threshold, iou_threshold=args.iou_threshold)
    print(f"{len(scores)} face{'' if len(scores) == 1 else 's'} found in {args.image} ({image.shape[1]}x{image.shape[0]} px)")
    for i, (score, (y1, x1, y2, x2)) in enumerate(zip(scores, boxes), 1):
        print(f"  face {i}: score {score:.3f}, box (y1, x1, y2, x2) = ({y1:.0f}, {x1:.0f}, {y2:.0f}, {x2:.0f})")
    if args.out:
        draw_boxes_on_image(image, boxes, ["face"] * len(scores), scores, box_format="yxyx", path=args.out)
        print(f"wrote {args.out}")
    return 0
