"""``course-cnn verify``: face verification (1:1) and recognition (1:K) on a photo.

    course-cnn verify IMAGE --identity NAME      is this NAME? (exit 0 yes, 1 no)
    course-cnn verify IMAGE                      who is this? (exit 0 known, 1 not in the database)
    course-cnn verify IMAGE --add NAME --database faces.npz    enrol IMAGE as NAME

IMAGE is an image file or the name of a bundled photo (``obama_2``,
``grace_hopper``, ...). Without ``--database`` the known people are those of
the shipped photos: ``obama`` (obama_1.jpg) and ``biden`` (biden.jpg).
"""

import difflib
from pathlib import Path

from course_cnn.commands._common import (
    UsageError,
    add_verbose,
    import_tensorflow,
    load_resolved,
    plural,
    resolve_photo,
    usage_error,
)

NAME = "verify"
HELP = "face verification (--identity NAME) or recognition (who is it?) with the pretrained face encoder"

#: The default database: one shipped photo per person.
DEFAULT_PEOPLE = {"obama": "obama_1", "biden": "biden"}

#: The library's parameter names, in this verb's words.
RENAMES = {"image_path": "IMAGE", "path": "--database", "name": "--add"}


def add_arguments(parser):
    parser.add_argument("image", metavar="IMAGE",
                        help="image file, or a bundled photo name (obama_2, grace_hopper, ...; as in detect and style)")
    parser.add_argument("--identity", metavar="NAME", help="verify that IMAGE shows NAME (1:1); without it, recognise (1:K)")
    parser.add_argument(
        "--database", metavar="DB.npz",
        help="a saved FaceDatabase (default: the shipped photos of obama and biden)",
    )  # fmt: skip
    parser.add_argument("--threshold", type=float, default=None, metavar="T", help="distance threshold (default: the calibrated 0.4)")
    parser.add_argument("--add", metavar="NAME", help="add IMAGE's encoding to --database under NAME (creates the file)")
    add_verbose(parser)


def _check_arguments(args):
    """Everything that can be checked before TensorFlow loads."""
    from course_cnn import _checks

    photo = resolve_photo(args.image, "IMAGE")
    if args.threshold is not None:
        _checks.check_number(args.threshold, "--threshold", low=0.0, low_inclusive=False)
    if args.add is not None:
        if not args.database:
            raise UsageError("`--add` must come with --database DB.npz (the file to add to); got no --database.")
        if args.identity is not None:
            raise usage_error("--add", "not be combined with --identity (enrol first, then verify)",
                              f"--add {args.add!r} --identity {args.identity!r}")
        if not args.add.strip():
            raise usage_error("--add", "be a non-empty name", repr(args.add))
    if args.database:
        import zipfile

        database = Path(args.database).expanduser()
        if database.is_dir():
            raise usage_error("--database", "be a FaceDatabase .npz file", f"{args.database!r}, which is a folder")
        if database.suffix.lower() != ".npz":
            raise usage_error("--database", "be a FaceDatabase file name ending in .npz", repr(args.database))
        if not database.is_file() and args.add is None:
            raise FileNotFoundError(f"`--database`: no file at {args.database!r}; create it with --add NAME.")
        if database.is_file() and not zipfile.is_zipfile(database):
            raise usage_error("--database", "be a FaceDatabase .npz file (written by --add)",
                              f"{args.database!r}, which is not an .npz archive")
    elif args.identity is not None and args.identity not in DEFAULT_PEOPLE:
        close = difflib.get_close_matches(args.identity, list(DEFAULT_PEOPLE), n=3, cutoff=0.5)
        known = ", ".join(map(repr, DEFAULT_PEOPLE))
        hint = f"did you mean {', '.join(map(repr, close))}?" if close else f"known: {known}"
        raise usage_error("--identity", f"be a name in the database ({hint})", repr(args.identity))
    return photo


def _database(args, model, encode):
    from course_cnn.datasets import load_photo
    from course_cnn.week4.face import FaceDatabase

    if args.database and Path(args.database).expanduser().is_file():
        return FaceDatabase.load(Path(args.database).expanduser())
    db = FaceDatabase()
    if args.add is None:
        for name, photo in DEFAULT_PEOPLE.items():
            db.add(name, encode(load_photo(photo)))
    return db


def _no_face(spec):
    return usage_error("IMAGE", "show a face", f"{spec!r}, in which the face detector found none with score >= 0.5; "
                       "pass a photo with a clearly visible face (`course-cnn detect IMAGE` shows what it finds)")


def run(args):
    photo = _check_arguments(args)
    image = load_resolved(photo)
    import_tensorflow(args.verbose)
    from course_cnn.week4.face import DEFAULT_THRESHOLD, NoFaceError, img_to_encoding, load_face_encoder, verify

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    model = load_face_encoder()
    db = _database(args, model, lambda pixels: img_to_encoding(pixels, model))
    try:
        if args.identity is not None:
            dist, door_open = verify(image, args.identity, db, model, threshold=threshold)
            verdict = f"it's {args.identity}, welcome in!" if door_open else f"it's not {args.identity}, please go away"
            print(f"{verdict} (distance {dist:.3f} {'<' if door_open else '>='} threshold {threshold:.3f})")
            return 0 if door_open else 1
        encoding = img_to_encoding(image, model)
    except NoFaceError:
        raise _no_face(args.image) from None
    if args.add is not None:
        db.add(args.add, encoding)
        db.save(Path(args.database).expanduser())
        print(f"added {args.add!r} to {args.database} ({plural(len(db), 'person', 'people')}: {', '.join(db.names)})")
        return 0
    # who_is_it, keeping the closest name for the message
    min_dist, closest = db.nearest(encoding)
    if min_dist >= threshold:
        print(f"not in the database (closest: {closest} at distance {min_dist:.3f} >= threshold {threshold:.3f})")
        return 1
    print(f"it's {closest} (distance {min_dist:.3f} < threshold {threshold:.3f})")
    return 0
