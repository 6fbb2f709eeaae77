"""``course-cnn style``: neural style transfer of one image in the style of another."""

import os
from pathlib import Path

from course_cnn.commands._common import (
    add_verbose,
    check_output,
    import_tensorflow,
    load_resolved,
    resolve_photo,
    usage_error,
)

NAME = "style"
HELP = "neural style transfer: CONTENT in the style of STYLE (writes the result, a side-by-side figure, the cost curve)"

UNTRAINED_NOTE = (
    "NOTE: VGG-19 has RANDOM weights: the network is untrained, so this run shows the optimisation "
    "at work, not a real style transfer. Use --weights imagenet (Keras cache or download) or "
    "--weights PATH to a copy of vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5."
)


#: Keras's VGG-19 weights without the classifier, where ``--weights imagenet`` looks (and downloads to).
VGG19_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"
#: The host Keras downloads it from (about 80 MB, once).
VGG19_HOST = "storage.googleapis.com"

#: The library's parameter names and phrases, in this verb's words.
RENAMES = {"alpha": "--content-weight", "beta": "--style-weight", "content_image": "CONTENT",
           "style_image": "STYLE", "max_side": "--size"}
PHRASES = {"weights=None": "--weights random", "as `weights`": "as --weights PATH"}


def add_arguments(parser):
    parser.add_argument("content", metavar="CONTENT",
                        help="content image: a file, or a bundled photo name (china, flower, grace_hopper)")
    parser.add_argument("style", metavar="STYLE",
                        help="style image: a file, a bundled photo name, or 'texture' (a generated texture)")
    parser.add_argument("--out", default="result.png", metavar="PNG", help="result image (default: %(default)s)")
    parser.add_argument("--iterations", type=int, default=100, metavar="N", help="Adam steps (default: %(default)s)")
    parser.add_argument("--size", type=int, default=400, help="longer side of the images in pixels (default: %(default)s)")
    parser.add_argument("--weights", default="imagenet", metavar="imagenet|PATH|random",
                        help="VGG-19 weights: 'imagenet' (Keras' cached ~/.keras/models/" + VGG19_FILE + "; when "
                             "absent and online, Keras downloads it once, about 80 MB), a local copy of that .h5 "
                             "file, or 'random' (untrained, no download; default: %(default)s)")
    parser.add_argument("--content-weight", type=float, default=10.0, metavar="ALPHA",
                        help="alpha, weight of the content cost (default: %(default)s)")
    parser.add_argument("--style-weight", type=float, default=40.0, metavar="BETA",
                        help="beta, weight of the style cost (default: %(default)s)")
    parser.add_argument("--tv-weight", type=float, default=0.0, help="weight of the total-variation cost (default: 0)")
    parser.add_argument("--learning-rate", type=float, default=0.01, help="Adam's step size (default: %(default)s)")
    parser.add_argument("--snapshot-every", type=int, default=None, metavar="N",
                        help="also save the image every N steps next to the result")
    parser.add_argument("--seed", type=int, default=0, help="seed of the initial noise and random weights")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    add_verbose(parser)


def _keras_cache():
    """Where Keras keeps the VGG-19 file: ``$KERAS_HOME/models`` or ``~/.keras/models`` (as `vgg19_weights_cache`)."""
    home = os.environ.get("KERAS_HOME") or os.path.join("~", ".keras")
    return Path(home).expanduser() / "models" / VGG19_FILE


def _can_download(timeout=3.0):
    """Whether Keras' download host answers within ``timeout`` seconds (DNS included)."""
    import socket
    import threading

    answer = []

    def probe():
        try:
            socket.create_connection((VGG19_HOST, 443), timeout=timeout).close()
            answer.append(True)
        except OSError:
            answer.append(False)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(answer and answer[0])


def _check_weights(spec):
    """``--weights`` as the library takes it: None (random), "imagenet", or the path of a local copy."""
    if spec == "random":
        return None
    if spec == "imagenet":
        if not _keras_cache().is_file() and not _can_download():
            raise usage_error(
                "--weights", f"be 'random', a local copy of {VGG19_FILE}, or 'imagenet' with that file in Keras' "
                f"cache or a network to download it (about 80 MB from {VGG19_HOST})",
                f"'imagenet', but {str(_keras_cache())!r} does not exist and {VGG19_HOST} cannot be reached; "
                "pass --weights random (untrained) or --weights PATH")
        return spec
    path = Path(spec).expanduser()
    if not path.is_file():
        why = "which is a folder" if path.is_dir() else "no such file"
        raise usage_error("--weights", f"be 'imagenet', 'random' or a local copy of {VGG19_FILE}", f"{spec!r} ({why})")
    return str(path)


def _check_arguments(args):
    """Everything that can be checked before TensorFlow loads; returns (content, style, weights, out)."""
    from course_cnn import _checks

    content = resolve_photo(args.content, "CONTENT")
    style = resolve_photo(args.style, "STYLE", extra=("texture",))
    out = check_output(args.out, "--out", (".png", ".jpg", ".jpeg"))
    _checks.check_positive_int(args.iterations, "--iterations")
    _checks.check_int(args.size, "--size", 16, 4096)
    for value, flag in ((args.content_weight, "--content-weight"), (args.style_weight, "--style-weight"),
                        (args.tv_weight, "--tv-weight")):
        _checks.check_number(value, flag, low=0)
    _checks.check_number(args.learning_rate, "--learning-rate", low=0, low_inclusive=False)
    if args.snapshot_every is not None:
        _checks.check_positive_int(args.snapshot_every, "--snapshot-every")
    _checks.check_non_negative_int(args.seed, "--seed")
    return content, style, _check_weights(args.weights), out


def _pixels(resolved):
    if resolved == "texture":
        from course_cnn.week4.style import make_style_texture

        return make_style_texture(512)
    return load_resolved(resolved)


def run(args):
    content, style, weights, out = _check_arguments(args)
    import_tensorflow(args.verbose)
    from course_cnn.week4.style import StyleTransfer, plot_cost_history, plot_side_by_side, save_image

    content, style = _pixels(content), _pixels(style)
    if weights is None:
        print(UNTRAINED_NOTE)
    stem = out.with_suffix("")
    transfer = StyleTransfer(
        content, style, size=args.size, weights=weights, alpha=args.content_weight, beta=args.style_weight,
        tv_weight=args.tv_weight, learning_rate=args.learning_rate, seed=args.seed,
        snapshot_every=args.snapshot_every, snapshot_dir=Path(f"{stem}_snapshots") if args.snapshot_every else None,
        verbose=0 if args.quiet else 1,
    )
    result = transfer.run(args.iterations)
    label = "VGG-19 untrained (random weights)" if weights is None else f"VGG-19 weights: {args.weights}"
    title = f"{transfer.steps_done} steps, {label}"
    side, curve = Path(f"{stem}_side_by_side.png"), Path(f"{stem}_cost.png")
    save_image(result, out)
    plot_side_by_side(transfer.content, transfer.style, result, path=side, title=title)
    plot_cost_history(transfer.history, path=curve, title=title)
    files = [out, side, curve]
    history = transfer.history["cost"]
    print(f"cost {history[0]:.4g} -> {history[-1]:.4g} in {transfer.steps_done} steps ({transfer.seconds:.1f} s)")
    if weights is None:
        print("(untrained network: the images show what the optimiser does, not an artistic style)")
    print("wrote " + ", ".join(str(f) for f in files))
    return 0
