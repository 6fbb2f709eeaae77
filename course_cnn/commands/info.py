"""``course-cnn info``: versions, offline data and shipped assets."""

from course_cnn.commands._common import add_verbose, import_tensorflow

NAME = "info"
HELP = "show versions and which offline data and shipped assets were found"


def add_arguments(parser):
    parser.add_argument("--no-tensorflow", action="store_true", help="do not import TensorFlow (faster)")
    add_verbose(parser)


def run(args):
    from course_cnn.info import collect_info, format_info

    if not args.no_tensorflow:
        import_tensorflow(args.verbose)
    print(format_info(collect_info(import_tensorflow=not args.no_tensorflow)))
    return 0
