"""Week 1, assignment 1: convolutional model, step by step (numpy)."""

from _build import check, code, exercise, markdown, setup

FILENAME = "01_week1_convolution_step_by_step.ipynb"


def cells():
    return [
        markdown("""
# Week 1 — Convolutional model, step by step

You will implement, in plain numpy, the two layers every convolutional network is made of:

* **convolution**: zero padding, one step of the convolution, the forward pass;
* **pooling**: max and average pooling, forward;
* (optional) the **backward passes** of both.

Notation: a batch of activations has shape `(m, n_H, n_W, n_C)`; filters `W` have shape
`(f, f, n_C_prev, n_C)` and biases `b` shape `(1, 1, 1, n_C)`. After each exercise, the next cell grades
your function with `grade(...)`: it runs our reference implementation on freshly generated inputs (several
seeds, `pad = 0`, `stride > 1`, ...) and compares datatype, shape and values. Replace each
`raise NotImplementedError` with your code.
"""),
        setup(),
        markdown("""
## 1. Zero padding

Padding adds zeros around the height and width of every image, so that a convolution can keep the size of
its input and use the border pixels as much as the centre ones. Only axes 1 and 2 are padded.
"""),
        exercise("week1.zero_pad", '''
def zero_pad(X, pad):
    """Pad the height and width of every image of X with `pad` zeros.

    X : ndarray of shape (m, n_H, n_W, n_C); returns (m, n_H + 2 * pad, n_W + 2 * pad, n_C).
    """
    # Hint: np.pad with a pad width for each of the four axes.
    raise NotImplementedError
'''),
        check("week1.zero_pad"),
        markdown("""
## 2. One step of convolution

One filter applied to one slice of the input: multiply element-wise, sum, add the bias.

$$Z = \\sum_{i,j,k} a_{\\text{slice}}[i, j, k] \\, W[i, j, k] + b$$
"""),
        exercise("week1.conv_single_step", '''
def conv_single_step(a_slice_prev, W, b):
    """a_slice_prev, W: ndarrays of shape (f, f, n_C_prev); b: shape (1, 1, 1). Returns a number.

    b.item() is b's value as a number (float(b) fails for a (1, 1, 1) array on numpy 2).
    """
    raise NotImplementedError
'''),
        check("week1.conv_single_step"),
        markdown("""
## 3. Convolution, forward pass

Slide every filter over the padded input with the given stride. The output size is

$$n_H = \\left\\lfloor \\frac{n_{H,prev} + 2\\,pad - f}{stride} \\right\\rfloor + 1, \\qquad
n_W = \\left\\lfloor \\frac{n_{W,prev} + 2\\,pad - f}{stride} \\right\\rfloor + 1.$$

The window of output position `(h, w)` starts at `(h * stride, w * stride)` in the padded input.
"""),
        exercise("week1.conv_forward", '''
def conv_forward(A_prev, W, b, hparameters):
    """Forward pass of a convolution layer.

    A_prev: (m, n_H_prev, n_W_prev, n_C_prev); W: (f, f, n_C_prev, n_C); b: (1, 1, 1, n_C);
    hparameters: {"stride": s, "pad": p}. Returns (Z, cache) with cache = (A_prev, W, b, hparameters).
    """
    # 1. read the shapes and hyperparameters; 2. compute n_H and n_W (ints); 3. Z = np.zeros(...)
    # 4. A_prev_pad = zero_pad(A_prev, pad); 5. loop over i, h, w, c and call conv_single_step
    raise NotImplementedError
'''),
        check("week1.conv_forward"),
        markdown("""
## 4. Pooling, forward pass

Pooling has no parameters and **no padding**: `n_H = floor((n_H_prev - f) / stride) + 1`. Max pooling keeps
the largest value of each window, average pooling its mean; each channel is pooled on its own.
"""),
        exercise("week1.pool_forward", '''
def pool_forward(A_prev, hparameters, mode="max"):
    """hparameters: {"f": f, "stride": s}; mode: "max" or "average". Returns (A, cache), cache = (A_prev, hparameters)."""
    raise NotImplementedError
'''),
        check("week1.pool_forward"),
        markdown("""
## 5. (Optional) Backward passes

For a convolution, every window that used an input value sends back its share of the gradient:

$$dA_{prev}[\\text{window}] \\mathrel{+}= W_c \\, dZ_{hwc}, \\qquad dW_c \\mathrel{+}= a_{\\text{slice}} \\, dZ_{hwc},
\\qquad db_c = \\sum_{h,w} dZ_{hwc}.$$
"""),
        exercise("week1.conv_backward", '''
def conv_backward(dZ, cache):
    """dZ: (m, n_H, n_W, n_C); cache from conv_forward. Returns (dA_prev, dW, db) shaped like A_prev, W, b."""
    raise NotImplementedError
'''),
        check("week1.conv_backward"),
        markdown("Max pooling sends the gradient to the position of the maximum only: a mask of the window."),
        exercise("week1.create_mask_from_window", '''
def create_mask_from_window(x):
    """x: ndarray of shape (f, f). Returns a boolean mask, True where x is maximal."""
    raise NotImplementedError
'''),
        check("week1.create_mask_from_window"),
        markdown("Average pooling spreads the gradient evenly over the window."),
        exercise("week1.distribute_value", '''
def distribute_value(dz, shape):
    """dz: a number; shape: (n_H, n_W). Returns an array of that shape whose entries sum to dz."""
    raise NotImplementedError
'''),
        check("week1.distribute_value"),
        exercise("week1.pool_backward", '''
def pool_backward(dA, cache, mode="max"):
    """dA: gradient of the pooling output; cache from pool_forward. Returns dA_prev shaped like A_prev."""
    raise NotImplementedError
'''),
        check("week1.pool_backward"),
        markdown("""
## 6. Your convolution on a photo

Your `conv_forward` with a vertical-edge filter, on a real photo (made small so that the loops stay quick),
next to the package's vectorised version: the two must agree.
"""),
        code('''
from course_cnn.datasets import load_photo
from course_cnn.week1 import conv_forward as reference_conv_forward, vertical_edge_filter
from course_cnn.plots import image_grid

photo = load_photo("china")[::16, ::16].mean(axis=-1) / 255.0  # small grayscale image
size = 24 if QUICK else 48
A_prev = photo[None, :size, :size, None]                         # (1, n_H, n_W, 1)
W = vertical_edge_filter().reshape(3, 3, 1, 1).astype(float)
b = np.zeros((1, 1, 1, 1))
Z, _ = conv_forward(A_prev, W, b, {"pad": 1, "stride": 1})
Z_ref, _ = reference_conv_forward(A_prev, W, b, {"pad": 1, "stride": 1})
print("largest difference with the package:", float(np.max(np.abs(Z - Z_ref))))
image_grid([A_prev[0, :, :, 0], Z[0, :, :, 0]], titles=["input", "vertical edges"], cmap="gray")
'''),
        markdown("""
**What you built** is exactly what `keras.layers.Conv2D` and `MaxPooling2D` compute (they are much faster).
Next: the week 1 application, where you build models with Keras.
"""),
    ]
