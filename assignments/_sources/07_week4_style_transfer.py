"""Week 4, assignment 2: neural style transfer."""

from _build import check, code, exercise, markdown, setup

FILENAME = "07_week4_style_transfer.ipynb"


def cells():
    return [
        markdown("""
# Week 4 — Neural style transfer

Generate an image $G$ with the content of $C$ and the style of $S$ by minimising

$$J(G) = \\alpha\\, J_{content}(C, G) + \\beta\\, J_{style}(S, G)$$

over the pixels of $G$, with the activations of a pretrained VGG-19 as features. You write the costs; the
package's `StyleTransfer` runs the optimisation. Every layer output below has shape `(1, n_H, n_W, n_C)`, and
every dimension must be read from the tensors themselves.
"""),
        setup('''
import tensorflow as tf'''),
        markdown("""
## 1. Content cost

$$J_{content}(C, G) = \\frac{1}{4\\, n_H\\, n_W\\, n_C} \\sum \\left(a^{(C)} - a^{(G)}\\right)^2$$

`content_output` and `generated_output` are lists of layer outputs; the content layer's is the **last** one.
"""),
        exercise("week4.compute_content_cost", '''
def compute_content_cost(content_output, generated_output):
    """Uses a_C = content_output[-1], a_G = generated_output[-1]. Returns a scalar tensor."""
    raise NotImplementedError
'''),
        check("week4.compute_content_cost"),
        markdown("""
## 2. The Gram matrix

With the activations unrolled to $A$ of shape `(n_C, n_H * n_W)`, $G_A = A A^\\top$: entry $(k, k')$ measures
how much channels $k$ and $k'$ fire together.
"""),
        exercise("week4.gram_matrix", '''
def gram_matrix(A):
    """A: (n_C, n_H * n_W). Returns A A^T, shape (n_C, n_C)."""
    raise NotImplementedError
'''),
        check("week4.gram_matrix"),
        markdown("""
## 3. Style cost of one layer

$$J_{style}^{[l]}(S, G) = \\frac{1}{4\\, n_C^2\\, (n_H n_W)^2} \\sum_{k, k'} \\left(G^{(S)}_{kk'} - G^{(G)}_{kk'}\\right)^2$$

Unroll `(1, n_H, n_W, n_C)` to `(n_H * n_W, n_C)` with `tf.reshape`, then transpose to `(n_C, n_H * n_W)`.
"""),
        exercise("week4.compute_layer_style_cost", '''
def compute_layer_style_cost(a_S, a_G):
    """a_S, a_G: (1, n_H, n_W, n_C). Returns a scalar tensor."""
    raise NotImplementedError
'''),
        check("week4.compute_layer_style_cost"),
        markdown("""
## 4. Style cost over several layers, and the total cost

$J_{style} = \\sum_l \\lambda^{[l]} J_{style}^{[l]}$ over the style layers, which are every output but the last
(the content layer's); `STYLE_LAYERS` is a list of `(layer name, weight)`.
"""),
        exercise("week4.compute_style_cost", '''
from course_cnn.week4.style import STYLE_LAYERS

def compute_style_cost(style_image_output, generated_image_output, STYLE_LAYERS=STYLE_LAYERS):
    """Weighted sum of compute_layer_style_cost over the style layers. Returns a scalar tensor."""
    raise NotImplementedError
'''),
        check("week4.compute_style_cost"),
        exercise("week4.total_cost", '''
def total_cost(J_content, J_style, alpha=10, beta=40):
    """alpha * J_content + beta * J_style."""
    raise NotImplementedError
'''),
        check("week4.total_cost"),
        markdown("""
## 5. Transfer a style

`StyleTransfer` computes the content and style targets once, then runs Adam on the generated image's
pixels (starting from the content image plus noise). VGG-19's ImageNet weights need a download; offline,
`weights=None` uses random weights — the optimisation still runs and the costs still decrease, but the
result is not a real style transfer. Pass `weights="imagenet"` (online, or with the file in Keras' cache) or a
local `.h5` path for the real thing.
"""),
        code('''
from course_cnn.datasets import load_photo
from course_cnn.plots import image_grid
from course_cnn.week4.style import StyleTransfer, make_style_texture

WEIGHTS = None  # "imagenet" when online or cached, or the path of vgg19 ..._notop.h5
content = load_photo("china")
style = make_style_texture(size=128, seed=0)
transfer = StyleTransfer(content, style, size=64 if QUICK else 400, weights=WEIGHTS, verbose=0)
generated = transfer.run(5 if QUICK else 500)
costs = transfer.history["cost"]
print(f"total cost: {costs[0]:.4g} at the first step, {costs[-1]:.4g} at the last")
def as_generated(image):  # same size and [0, 1] range as the generated image, to show them side by side
    image = np.asarray(image, dtype="float32")
    return tf.image.resize(image / (255.0 if image.max() > 1 else 1.0), generated.shape[:2]).numpy()

image_grid([as_generated(content), as_generated(style), generated], titles=["content", "style", "generated"])
'''),
    ]
