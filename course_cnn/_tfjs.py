"""Read TensorFlow.js weight files and the compact form we ship them in.

A TF.js model stores its weights as a JSON manifest plus binary shards. The
manifest lists, in order, each tensor's ``name``, ``shape`` and ``dtype``;
the shards are the tensors' bytes concatenated. A tensor may be quantised::

    "quantization": {"dtype": "uint8", "scale": s, "min": m}

in which case one byte ``q`` per entry is stored and the weight is
``w = q * s + m`` (an affine map of the 256 levels onto ``[m, m + 255 s]``).

We ship the converted weights as ``.npz`` files that keep the quantised
bytes (four times smaller than float32) next to their ``scale``/``min``;
`load_weights_npz` dequantises them on load.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

__all__ = ["parse_tfjs_weights", "save_weights_npz", "load_weights_npz"]

_BYTES = {"uint8": 1, "uint16": 2, "float16": 2, "float32": 4, "int32": 4}


def parse_tfjs_weights(manifest, shards):
    """Split TF.js shards into named tensors, still in stored form.

    Parameters
    ----------
    manifest : list of dict or str
        The ``*-weights_manifest.json`` content (parsed or as JSON text).
    shards : list of bytes
        The contents of every shard, in the order the manifest's groups and
        ``paths`` list them.

    Returns
    -------
    dict of str to dict
        ``name -> {"data": ndarray of the stored dtype and the tensor's shape,
        "scale": float or None, "min": float or None}``.

    Raises
    ------
    ValueError
        When the shards hold fewer or more bytes than the manifest describes.

    Examples
    --------
    >>> manifest = [{"paths": ["a.bin"], "weights": [{"name": "w", "shape": [2],
    ...     "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}}]}]
    >>> parse_tfjs_weights(manifest, [bytes([0, 4])])["w"]["data"]
    array([0, 4], dtype=uint8)
    """
    if isinstance(manifest, str):
        manifest = json.loads(manifest)
    buffer = b"".join(shards)
    tensors, offset = {}, 0
    for group in manifest:
        for spec in group["weights"]:
            quant = spec.get("quantization")
            dtype = quant["dtype"] if quant else spec["dtype"]
            count = int(np.prod(spec["shape"], dtype=np.int64))
            nbytes = count * _BYTES[dtype]
            if offset + nbytes > len(buffer):
                raise ValueError(f"TF.js shards end before tensor {spec['name']!r} ({len(buffer)} bytes)")
            data = np.frombuffer(buffer, dtype=np.dtype(dtype).newbyteorder("<"), count=count, offset=offset)
            tensors[spec["name"]] = {
                "data": data.reshape(spec["shape"]).astype(np.dtype(dtype)),
                "scale": float(quant["scale"]) if quant else None,
                "min": float(quant["min"]) if quant else None,
            }
            offset += nbytes
    if offset != len(buffer):
        raise ValueError(f"TF.js shards hold {len(buffer) - offset} bytes the manifest does not describe")
    return tensors


def save_weights_npz(path, tensors):
    """Save parsed TF.js tensors compactly (quantised bytes kept as uint8).

    Parameters
    ----------
    path : str or os.PathLike
        Destination ``.npz``.
    tensors : dict
        As returned by `parse_tfjs_weights`.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> t = {"w": {"data": np.array([0, 4], np.uint8), "scale": 0.5, "min": -1.0}}
    >>> save_weights_npz("/tmp/course_cnn_doctest.npz", t).suffix
    '.npz'
    """
    arrays = {}
    for name, tensor in tensors.items():
        arrays[f"{name}::data"] = tensor["data"]
        if tensor["scale"] is not None:
            arrays[f"{name}::scale_min"] = np.array([tensor["scale"], tensor["min"]], dtype=np.float64)
    path = Path(path)
    np.savez_compressed(path, **arrays)
    return path


def load_weights_npz(path):
    """Load weights saved by `save_weights_npz` as float32 arrays.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.npz`` file.

    Returns
    -------
    dict of str to ndarray
        ``name -> float32 array``; quantised tensors are dequantised as
        ``q * scale + min``.

    Examples
    --------
    >>> t = {"w": {"data": np.array([0, 4], np.uint8), "scale": 0.5, "min": -1.0}}
    >>> load_weights_npz(save_weights_npz("/tmp/course_cnn_doctest.npz", t))["w"]
    array([-1.,  1.], dtype=float32)
    """
    weights = {}
    with np.load(path, allow_pickle=False) as npz:
        for key in npz.files:
            name, kind = key.rsplit("::", 1)
            if kind != "data":
                continue
            data = npz[key]
            if f"{name}::scale_min" in npz.files:
                scale, minimum = npz[f"{name}::scale_min"]
                data = data.astype(np.float64) * scale + minimum  # w = q * scale + min
            weights[name] = data.astype(np.float32)
    return weights
