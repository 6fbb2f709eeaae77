r"""A database of known faces: name -> one or more encodings, saved safely.

Recognition compares a new encoding with every stored one and answers with
the closest identity, or "not in the database" when even the closest is
farther than the threshold:

$$\hat{k} = \arg\min_k \min_j \lVert f(x) - e_{k,j}\rVert_2, \qquad
  \text{answer} = \begin{cases} \hat{k} & \text{if the distance} < \tau \\
  \text{nobody} & \text{otherwise.}\end{cases}$$

Keeping several encodings per person (different photos) makes the minimum
more robust. The file format is a plain ``.npz`` (never pickle): arrays
``encodings`` (N, d) and ``owners`` (N,), and ``header``, UTF-8 JSON bytes
``{"format": "course_cnn.FaceDatabase", "version": 1, "names": [...], "dim": d}``.
`FaceDatabase.save` writes a temporary file beside the target and
renames it over the target, so a crash mid-write never loses the old file.
The temporary file's name carries the writer's process id
(``.faces.npz.<pid>.<random>.tmp``, see ``_atomic.py``), so that the next
`save` to the same target can tell the leftover of a killed process from a
save still running, and removes it. `FaceDatabase.load` refuses every file
that `save` would refuse to write (no identities, say).
"""

from __future__ import annotations

import difflib
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np

from course_cnn import _checks
from course_cnn.week4.face._atomic import write_atomic

__all__ = ["FaceDatabase", "UnknownIdentityError"]

_FORMAT = "course_cnn.FaceDatabase"
_VERSION = 1
#: Largest encoding dimension: a 512 x 512 x 3 image flattened fits; more is a typo.
_MAX_DIM = 2**20


class UnknownIdentityError(KeyError):
    """A name that is not in the database (a ``KeyError`` whose message reads well)."""

    def __str__(self):
        return str(self.args[0]) if self.args else ""


def _unknown_name(name, known, param="name"):
    close = difflib.get_close_matches(str(name), list(known), n=3, cutoff=0.5)
    if close:
        hint = f"did you mean {', '.join(repr(c) for c in close)}?"
    else:
        hint = f"known: {', '.join(repr(k) for k in known) or 'none'}"
    return _checks.fail(param, f"be a name in the database ({hint})", repr(name), UnknownIdentityError)


def _check_path(path, purpose):
    """``path`` as a `Path`, or a TypeError/ValueError naming `path` (None, bytes, '' are refused)."""
    if not isinstance(path, (str, os.PathLike)) or isinstance(os.fspath(path), bytes):
        raise _checks.fail("path", f"be a str or path-like naming {purpose}", _checks.describe(path), TypeError)
    if not os.fspath(path):
        raise _checks.fail("path", f"name {purpose}", "an empty string")
    return Path(path)


class FaceDatabase:
    r"""Known faces: each name holds one or more encodings of dimension ``d``.

    Parameters
    ----------
    dim : int, optional
        Encoding dimension, at most 2**20; fixed by the first `add` when
        not given.

    Attributes
    ----------
    names : list of str
        The identities, in the order they were added.
    dim : int or None
        The encoding dimension.

    Examples
    --------
    >>> db = FaceDatabase()
    >>> db.add("ada", [1.0, 0.0]).add("alan", [[0.0, 1.0], [0.6, 0.8]])
    FaceDatabase(2 names, 3 encodings, dim=2)
    >>> dist, name = db.nearest([0.8, 0.6])  # |(0.8,0.6)-(0.6,0.8)| = 0.2828 < |(0.8,0.6)-(1,0)| = 0.6325
    >>> name, round(dist, 4)
    ('alan', 0.2828)
    """

    def __init__(self, dim=None):
        self.dim = None if dim is None else _checks.check_int(dim, "dim", minimum=1, maximum=_MAX_DIM)
        self._encodings = {}

    # -- contents ---------------------------------------------------------
    @property
    def names(self):
        return list(self._encodings)

    def __len__(self):
        return len(self._encodings)

    def __contains__(self, name):
        return name in self._encodings

    def __getitem__(self, name):
        if name not in self._encodings:
            raise _unknown_name(name, self._encodings)
        return self._encodings[name].copy()

    def __repr__(self):
        total = sum(len(e) for e in self._encodings.values())
        return f"FaceDatabase({len(self)} names, {total} encodings, dim={self.dim})"

    def items(self):
        """Pairs ``(name, encodings of shape (k, d))``, in insertion order.

        Returns
        -------
        list of tuple
            Copies of the stored arrays.

        Examples
        --------
        >>> [(n, e.shape) for n, e in FaceDatabase().add("ada", [1.0, 0.0]).items()]
        [('ada', (1, 2))]
        """
        return [(name, enc.copy()) for name, enc in self._encodings.items()]

    def add(self, name, encodings):
        """Add one or more encodings of ``name`` (appended if the name exists).

        Parameters
        ----------
        name : str
            The identity.
        encodings : array_like of shape (d,), (1, d) or (k, d)
            Its encodings (finite floats).

        Returns
        -------
        FaceDatabase
            ``self``, so calls chain.

        Raises
        ------
        TypeError
            When ``name`` is not a non-empty string.
        ValueError
            When the encodings' dimension differs from the database's.

        Examples
        --------
        >>> FaceDatabase().add("ada", np.zeros(4)).dim
        4
        """
        if not isinstance(name, str) or not name:
            raise _checks.fail("name", "be a non-empty str", _checks.describe(name), TypeError)
        enc = _checks.check_array(encodings, "encodings", kinds="biuf", finite=True, dtype=np.float32)
        if enc.ndim == 1:
            enc = enc[None, :]  # (1, d)
        _checks.check_ndim(enc, "encodings", 2, "(k, d)")
        if enc.shape[0] == 0 or enc.shape[1] == 0:
            raise _checks.fail("encodings", "hold at least one non-empty encoding", f"shape {enc.shape}")
        if self.dim is not None and enc.shape[1] != self.dim:
            raise _checks.fail("encodings", f"have dimension {self.dim} like the database", f"shape {enc.shape}")
        self.dim = enc.shape[1]
        old = self._encodings.get(name)
        self._encodings[name] = enc.copy() if old is None else np.concatenate([old, enc])
        return self

    def remove(self, name):
        """Remove ``name`` and all its encodings.

        Parameters
        ----------
        name : str
            The identity.

        Returns
        -------
        FaceDatabase
            ``self``.

        Raises
        ------
        KeyError
            When ``name`` is not in the database (the message lists close names).

        Examples
        --------
        >>> len(FaceDatabase().add("ada", [1.0]).remove("ada"))
        0
        """
        if name not in self._encodings:
            raise _unknown_name(name, self._encodings)
        del self._encodings[name]
        return self

    # -- queries ----------------------------------------------------------
    def distances(self, encoding):
        r"""Distance from ``encoding`` to each identity (its closest stored encoding).

        $$d_k = \min_j \lVert x - e_{k,j}\rVert_2$$

        Parameters
        ----------
        encoding : array_like of shape (d,) or (1, d)
            The query encoding.

        Returns
        -------
        dict of str to float
            Name -> distance.

        Raises
        ------
        ValueError
            For an empty database or an encoding of another dimension.

        Examples
        --------
        >>> FaceDatabase().add("ada", [3.0, 4.0]).distances([0.0, 0.0])
        {'ada': 5.0}
        """
        if not self._encodings:
            raise _checks.fail("database", "contain at least one identity", "an empty database")
        x = _checks.check_array(encoding, "encoding", kinds="biuf", finite=True, dtype=np.float32).reshape(-1)
        if x.shape[0] != self.dim:
            raise _checks.fail("encoding", f"have dimension {self.dim} like the database", f"shape {np.shape(encoding)}")
        return {name: float(np.min(np.linalg.norm(enc - x, axis=1))) for name, enc in self._encodings.items()}

    def nearest(self, encoding):
        """The closest identity and its distance.

        Parameters
        ----------
        encoding : array_like of shape (d,) or (1, d)
            The query encoding.

        Returns
        -------
        dist : float
            Distance to the closest stored encoding.
        name : str
            Its identity.

        Raises
        ------
        ValueError
            For an empty database or an encoding of another dimension.

        Examples
        --------
        >>> FaceDatabase().add("a", [0.0]).add("b", [2.0]).nearest([1.5])
        (0.5, 'b')
        """
        dists = self.distances(encoding)
        name = min(dists, key=dists.get)
        return dists[name], name

    # -- files ------------------------------------------------------------
    def save(self, path):
        """Write the database to ``path`` (``.npz`` + JSON header), atomically.

        Parameters
        ----------
        path : str or os.PathLike
            Destination file; its folder must exist.

        Returns
        -------
        pathlib.Path
            The written file.

        Raises
        ------
        TypeError
            When ``path`` is not a str or path-like (``None``, say).
        ValueError
            When the database is empty, or ``path`` is a folder.
        FileNotFoundError
            When the folder does not exist.

        Notes
        -----
        The bytes go to a temporary file beside ``path`` that is renamed
        over it once complete. A temporary file left by an earlier save to
        the same ``path`` whose process was killed is removed first.

        Examples
        --------
        >>> p = FaceDatabase().add("ada", [1.0, 2.0]).save("/tmp/course_cnn_doctest_db.npz")
        >>> FaceDatabase.load(p)["ada"].tolist()
        [[1.0, 2.0]]
        """
        if not self._encodings:
            raise _checks.fail("database", "contain at least one identity to be saved", "an empty database")
        path = _check_path(path, "the file to write")
        if path.is_dir():
            requirement = f"name a file, not a folder (a file inside it: {str(path / 'faces.npz')!r})"
            raise _checks.fail("path", requirement, f"{str(path)!r}, which is a folder")
        if not path.parent.is_dir():
            raise FileNotFoundError(f"`path`: folder {str(path.parent)!r} does not exist.")
        names = self.names
        header = {"format": _FORMAT, "version": _VERSION, "names": names, "dim": self.dim}
        buffer = io.BytesIO()
        np.savez(
            buffer,
            encodings=np.concatenate([self._encodings[n] for n in names]).astype(np.float32),  # (N, d)
            owners=np.concatenate([np.full(len(self._encodings[n]), i, np.int32) for i, n in enumerate(names)]),
            header=np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8),
        )
        return write_atomic(path, buffer.getvalue())  # removes a killed save's leftover first

    @classmethod
    def load(cls, path):
        """Read a database written by `save`.

        Parameters
        ----------
        path : str or os.PathLike
            The ``.npz`` file.

        Returns
        -------
        FaceDatabase
            The database.

        Raises
        ------
        TypeError
            When ``path`` is not a str or path-like (``None``, say).
        FileNotFoundError
            When there is no such file.
        ValueError
            When ``path`` is a folder or a ``.npy`` file, or the file is
            corrupt, not a FaceDatabase, of another format version, or
            holds what `save` refuses to write (no identities, say).

        Examples
        --------
        >>> p = FaceDatabase().add("ada", [1.0]).save("/tmp/course_cnn_doctest_db.npz")
        >>> FaceDatabase.load(p).names
        ['ada']
        """
        path = _check_path(path, "a FaceDatabase .npz file")
        if path.is_dir():
            raise _checks.fail("path", "be a FaceDatabase .npz file", f"{str(path)!r}, which is a folder")
        if not path.is_file():
            raise FileNotFoundError(f"`path`: no FaceDatabase file at {str(path)!r}.")
        with open(path, "rb") as fh:
            magic = fh.read(6)
        if magic == b"\x93NUMPY":
            why = (f"{str(path)!r}, a .npy file holding one array (numpy.save); build the database "
                   f"with FaceDatabase().add(name, encodings) and write it with .save(path)")  # fmt: skip
            raise _checks.fail("path", "be a FaceDatabase .npz file written by FaceDatabase.save", why)
        try:
            with np.load(path, allow_pickle=False) as npz:
                arrays = {key: npz[key] for key in npz.files}
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            why = f"{str(path)!r}, which cannot be read (corrupt or truncated: {exc})"
            raise _checks.fail("path", "be a FaceDatabase .npz file", why) from None
        return cls._from_arrays(arrays, path)

    @classmethod
    def _from_arrays(cls, arrays, path):
        def bad(why):
            return _checks.fail("path", "be a FaceDatabase .npz file", f"{str(path)!r}, {why}")

        if not {"encodings", "owners", "header"} <= set(arrays):
            raise bad(f"which holds the arrays {sorted(arrays)} instead of encodings, owners and header")
        try:
            header = json.loads(arrays["header"].astype(np.uint8).tobytes().decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad(f"whose header is not valid JSON ({exc})") from None
        if not isinstance(header, dict) or header.get("format") != _FORMAT:
            raise bad("whose header does not name the course_cnn.FaceDatabase format")
        if header.get("version") != _VERSION:
            raise bad(f"of format version {header.get('version')!r}; this course_cnn reads version {_VERSION}")
        enc, owners, names, dim = arrays["encodings"], arrays["owners"], header.get("names"), header.get("dim")
        if isinstance(names, list) and not names:  # save() refuses an empty database
            raise bad("which holds no identities (FaceDatabase.save never writes an empty database)")
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise bad("whose header's names are not a list of non-empty strings (damaged file)")
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
            raise bad(f"whose header's dim is {dim!r}, not a positive int (damaged file)")
        consistent = (
            enc.ndim == 2 and owners.shape == (enc.shape[0],) and enc.shape[1] == dim
            and enc.dtype.kind in "biuf" and owners.dtype.kind in "iu"
            and np.array_equal(np.unique(owners), np.arange(len(names)))
            and len(set(names)) == len(names) and np.all(np.isfinite(enc))
        )  # fmt: skip
        if not consistent:
            raise bad("whose arrays do not match its header (damaged file)")
        db = cls(dim=dim)
        for i, name in enumerate(names):
            db.add(name, enc[owners == i])
        return db
