"""``course-cnn verify``: face verification (1:1) and recognition (1:K) on a photo.

    course-cnn verify IMAGE --identity NAME      is this NAME? (exit 0 yes, 1 no)
    course-cnn verify IMAGE                      who is this? (exit 0 known, 1 not in the database)
    course-cnn verify IMAGE --add NAME --database faces.npz    enrol IMAGE as NAME

IMAGE is an image file or the name of a bundled photo (``obama_2``,
``grace_hopper``, ...). Without ``--database`` the known people are those of
the shipped photos: ``obama`` (obama_1.jpg) and ``biden`` (biden.jpg).
"""

NAME = "verify"
HELP = "face verification (--identity NAME) or recognition (who is it?) with the pretrained face encoder"

#: The default database: one shipped photo per person.
DEFAULT_PEOPLE = {"obama": "obama_1", "biden": "biden"}


def add_arguments(parser):
    parser.add_argument("image", metavar="IMAGE", help="image file, or a bundled photo name such as obama_2")
    parser.add_argument("--identity", metavar="NAME", help="verify that IMAGE shows NAME (1:1); without it, recognise (1:K)")
    parser.add_argument(
        "--database", metavar="DB.npz",
        help="a saved FaceDatabase (default: the shipped photos of obama and biden)",
    )  # fmt: skip
    parser.add_argument("--threshold", type=float, default=None, metavar="T", help="distance threshold (default: the calibrated 0.4)")
    parser.add_argument("--add", metavar="NAME", help="add IMAGE's encoding to --database under NAME (creates the file)")


def _image(spec):
    from pathlib import Path

    from course_cnn.datasets import list_photos, load_photo

    if not Path(spec).exists() and spec in list_photos():
        return load_photo(spec)
    return spec


def _database(args, model):
    from pathlib import Path

    from course_cnn.datasets import load_photo
    from course_cnn.week4.face import FaceDatabase, img_to_encoding

    if args.database and Path(args.database).exists():
        return FaceDatabase.load(args.database)
    if args.database and not args.add:
        raise FileNotFoundError(f"`--database`: no file at {args.database!r}; create it with --add NAME.")
    if args.add:
        return FaceDatabase()
    db = FaceDatabase()
    for name, photo in DEFAULT_PEOPLE.items():
        db.add(name, img_to_encoding(load_photo(photo), model))
    return db


def run(args):
    from course_cnn.week4.face import DEFAULT_THRESHOLD, img_to_encoding, load_face_encoder, verify

    if args.add and not args.database:
        raise ValueError("`--add` must come with --database DB.npz (the file to add to); got no --database.")
    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    model = load_face_encoder()
    image = _image(args.image)
    db = _database(args, model)
    if args.add:
        db.add(args.add, img_to_encoding(image, model))
        db.save(args.database)
        print(f"added {args.add!r} to {args.database} ({len(db)} people: {', '.join(db.names)})")
        return 0
    if args.identity:
        dist, door_open = verify(image, args.identity, db, model, threshold=threshold)
        verdict = f"it's {args.identity}, welcome in!" if door_open else f"it's not {args.identity}, please go away"
        print(f"{verdict} (distance {dist:.3f} {'<' if door_open else '>='} threshold {threshold:.3f})")
        return 0 if door_open else 1
    # who_is_it, keeping the closest name for the message
    min_dist, closest = db.nearest(img_to_encoding(image, model))
    if min_dist >= threshold:
        print(f"not in the database (closest: {closest} at distance {min_dist:.3f} >= threshold {threshold:.3f})")
        return 1
    print(f"it's {closest} (distance {min_dist:.3f} < threshold {threshold:.3f})")
    return 0
