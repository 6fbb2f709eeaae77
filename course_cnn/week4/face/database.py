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
"""

from __future__ import annotations

import difflib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from course_cnn import _checks

__all__ = ["FaceDatabase", "UnknownIdentityError"]

_FORMAT = "course_cnn.FaceDatabase"
_VERSION = 1


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


class FaceDatabase:
    r"""Known faces: each name holds one or more encodings of dimension ``d``.

    Parameters
    ----------
    dim : int, optional
        Encoding dimension; fixed by the first `add` when not given.

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
        self.dim = None if dim is None else _checks.check_positive_int(dim, "dim")
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
        path : str or path-like
            Destination file; its folder must exist.

        Returns
        -------
        pathlib.Path
            The written file.

        Raises
        ------
        ValueError
            When the database is empty.
        FileNotFoundError
            When the folder does not exist.

        Examples
        --------
        >>> p = FaceDatabase().add("ada", [1.0, 2.0]).save("/tmp/course_cnn_doctest_db.npz")
        >>> FaceDatabase.load(p)["ada"].tolist()
        [[1.0, 2.0]]
        """
        if not self._encodings:
            raise _checks.fail("database", "contain at least one identity to be saved", "an empty database")
        path = Path(path)
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
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(buffer.getvalue())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)  # atomic on POSIX and Windows
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    @classmethod
    def load(cls, path):
        """Read a database written by `save`.

        Parameters
        ----------
        path : str or path-like
            The ``.npz`` file.

        Returns
        -------
        FaceDatabase
            The database.

        Raises
        ------
        FileNotFoundError
            When there is no such file.
        ValueError
            When the file is corrupt, not a FaceDatabase, or of another
            format version.

        Examples
        --------
        >>> p = FaceDatabase().add("ada", [1.0]).save("/tmp/course_cnn_doctest_db.npz")
        >>> FaceDatabase.load(p).names
        ['ada']
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"`path`: no FaceDatabase file at {str(path)!r}.")
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
        enc, owners, names = arrays["encodings"], arrays["owners"], header.get("names", [])
        consistent = (
            enc.ndim == 2 and owners.shape == (enc.shape[0],) and enc.shape[1] == header.get("dim")
            and owners.dtype.kind in "iu" and np.array_equal(np.unique(owners), np.arange(len(names)))
            and len(set(names)) == len(names) and np.all(np.isfinite(enc))
        )  # fmt: skip
        if not consistent:
            raise bad("whose arrays do not match its header (damaged file)")
        db = cls(dim=int(header["dim"]))
        for i, name in enumerate(names):
            db.add(name, enc[owners == i])
        return db
