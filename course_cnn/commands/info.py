"""``course-cnn info``: versions, offline data and shipped assets."""

NAME = "info"
HELP = "show versions and which offline data and shipped assets were found"


def add_arguments(parser):
    parser.add_argument("--no-tensorflow", action="store_true", help="do not import TensorFlow (faster)")


def run(args):
    from course_cnn.info import collect_info, format_info

    print(format_info(collect_info(import_tensorflow=not args.no_tensorflow)))
    return 0
