"""``course-cnn style``: neural style transfer of one image in the style of another."""

NAME = "style"
HELP = "neural style transfer: CONTENT in the style of STYLE (writes the result, a side-by-side figure, the cost curve)"

UNTRAINED_NOTE = (
    "NOTE: VGG-19 has RANDOM weights: the network is untrained, so this run shows the optimisation "
    "at work, not a real style transfer. Use --weights imagenet (Keras cache or download) or "
    "--weights PATH to a copy of vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5."
)


def add_arguments(parser):
    parser.add_argument("content", metavar="CONTENT",
                        help="content image: a file, or a bundled photo name (china, flower, grace_hopper)")
    parser.add_argument("style", metavar="STYLE",
                        help="style image: a file, a bundled photo name, or 'texture' (a generated texture)")
    parser.add_argument("--out", default="result.png", metavar="PNG", help="result image (default: %(default)s)")
    parser.add_argument("--iterations", type=int, default=100, metavar="N", help="Adam steps (default: %(default)s)")
    parser.add_argument("--size", type=int, default=400, help="longer side of the images in pixels (default: %(default)s)")
    parser.add_argument("--weights", default="imagenet", metavar="imagenet|PATH|random",
                        help="VGG-19 weights: 'imagenet' (Keras cache, or download when online), a local .h5 file, "
                             "or 'random' (untrained; default: %(default)s)")
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


def _read(source, allow_texture):
    """A file path, a bundled photo name, or the generated texture."""
    from pathlib import Path

    from course_cnn.datasets import list_photos, load_photo

    if allow_texture and source == "texture":
        from course_cnn.week4.style import make_style_texture

        return make_style_texture(512)
    if Path(source).expanduser().is_file():
        return Path(source).expanduser()
    if source in list_photos():
        return load_photo(source)
    names = ", ".join(sorted(list_photos()) + (["texture"] if allow_texture else []))
    raise FileNotFoundError(f"no image file {source!r}, and it is not a bundled name ({names})")


def run(args):
    from pathlib import Path

    from course_cnn.week4.style import StyleTransfer, plot_cost_history, plot_side_by_side, save_image

    weights = None if args.weights == "random" else args.weights
    content, style = _read(args.content, False), _read(args.style, True)
    if weights is None:
        print(UNTRAINED_NOTE)
    out = Path(args.out)
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
