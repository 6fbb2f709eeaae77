"""The 20 Newsgroups "bydate" archive, read without extracting it."""

from __future__ import annotations

import os
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from course_cnn import _checks


@dataclass(frozen=True)
class Newsgroups:
    """The 20 Newsgroups "bydate" split, as texts and integer labels.

    Attributes
    ----------
    train_texts, test_texts : list of str
        The posts (11,314 and 7,532 of them), headers included unless
        `load_20newsgroups` was asked to remove them.
    train_labels, test_labels : ndarray of shape (n_documents,), int64
        Index into ``target_names``.
    target_names : list of str
        The 20 group names, sorted.
    """

    train_texts: list
    train_labels: np.ndarray
    test_texts: list
    test_labels: np.ndarray
    target_names: list


_NEWS_ENV = "COURSE_CNN_20NG"

#: What `load_20newsgroups` can strip from each post, as in scikit-learn's ``fetch_20newsgroups(remove=...)``.
NEWS_PARTS = ("headers", "footers", "quotes")
# "In article <...>, x@y.edu (X) writes:" and other lines introducing a quote
_ATTRIBUTION = re.compile(r"^in article\b|\b(writes|wrote|says|said)( in)?\s*(:|\.\.\.)$", re.IGNORECASE)

_NEWS_NAME = "20news-bydate.tar.gz"


def find_20newsgroups(path=None):
    """Return the 20 Newsgroups archive's path, or None.

    Looks at ``path``, else the ``COURSE_CNN_20NG`` environment variable,
    then ``./20news-bydate.tar.gz`` in the working directory: the places a
    user puts it, and no others.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The archive, tried first.

    Returns
    -------
    pathlib.Path or None
        The first existing file.

    Examples
    --------
    >>> find_20newsgroups("/nowhere.tar.gz") is None
    True
    """
    if path is not None:
        candidates = [_checks.check_path(path, "path")]
    else:
        candidates = [os.environ.get(_NEWS_ENV), Path(_NEWS_NAME)]
    for candidate in candidates:
        if candidate and Path(candidate).expanduser().is_file():
            return Path(candidate).expanduser()
    return None


def load_20newsgroups(path=None, max_per_group=None, remove=()):
    r"""Read the 20 Newsgroups "bydate" archive without extracting it.

    The archive holds ``20news-bydate-train/<group>/<id>`` and
    ``20news-bydate-test/<group>/<id>``, Latin-1 text. Copies whose line
    breaks were turned into tabs get them back: every ``\t`` becomes ``\n``.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The ``20news-bydate.tar.gz`` archive; see `find_20newsgroups`
        for where it is looked for by default.
    max_per_group : int, optional
        Keep only the first posts (by id) of each group in each split, for
        quick demos and tests.
    remove : sequence of str, default ()
        Parts of each post to strip, any of ``"headers"``
        (everything before the first blank line: ``From:``, ``Subject:``,
        ``Organization:``, ``Lines:`` ...), ``"footers"`` (the signature
        after a last line of dashes) and ``"quotes"`` (lines starting
        with ``>`` or ``|`` and the "... writes:" lines introducing them).
        Word vectors learnt from raw posts are dominated by header words
        (``edu``, ``subject``, ``lines``); a classifier can also read the
        group from them.

    Returns
    -------
    Newsgroups
        Texts, labels and the sorted group names.

    Raises
    ------
    FileNotFoundError
        When the archive is not found; the message says where to get it.
    ValueError
        When the archive has no ``20news-bydate-train`` posts.

    Examples
    --------
    >>> news = load_20newsgroups("20news-bydate.tar.gz")  # doctest: +SKIP
    >>> len(news.train_texts), len(news.test_texts)  # doctest: +SKIP
    (11314, 7532)
    """
    if max_per_group is not None:
        max_per_group = _checks.check_positive_int(max_per_group, "max_per_group")
    remove = [_checks.check_choice(part, "remove", NEWS_PARTS) for part in _checks.check_strings(remove, "remove")]
    archive = find_20newsgroups(path)
    if archive is None and path is not None:
        raise _checks.fail("path", f'be an existing {_NEWS_NAME} archive (the standard "bydate" archive, published on '
                           "Jason Rennie's 20 Newsgroups page)", repr(str(path)), FileNotFoundError)
    if archive is None:
        where = repr(str(path)) if path is not None else f"${_NEWS_ENV}, ./{_NEWS_NAME}"
        raise FileNotFoundError(
            f"20 Newsgroups archive not found (looked in: {where}). Pass the path of the standard "
            f'"bydate" archive {_NEWS_NAME}, published on Jason Rennie\'s 20 Newsgroups page, or set '
            f"${_NEWS_ENV} to it (scikit-learn's fetch_20newsgroups deletes its copy after extracting, "
            "so that cannot be reused)."
        )
    posts: dict[str, list[tuple[str, int, bytes]]] = {"train": [], "test": []}
    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            parts = member.name.strip("./").split("/")
            if not member.isfile() or len(parts) != 3 or not parts[0].startswith("20news-bydate-"):
                continue
            split, group, post_id = parts[0].rsplit("-", 1)[1], parts[1], parts[2]
            raw = tar.extractfile(member).read()  # decoded and stripped below, once the kept posts are known
            posts[split].append((group, int(post_id) if post_id.isdigit() else 0, raw))
    if not posts["train"]:
        raise _checks.fail("path", "hold 20news-bydate-train/<group>/<id> posts", f"none in {str(archive)!r}")
    target_names = sorted({group for group, _, _ in posts["train"]})
    index = {name: i for i, name in enumerate(target_names)}
    out = {}
    for split, items in posts.items():
        items.sort(key=lambda item: (item[0], item[1]))
        if max_per_group is not None:
            kept, seen = [], {}
            for item in items:
                seen[item[0]] = seen.get(item[0], 0) + 1
                if seen[item[0]] <= max_per_group:
                    kept.append(item)
            items = kept
        texts = [_strip_post(raw.decode("latin-1").replace("\t", "\n"), remove) for _, _, raw in items]
        out[split] = (texts, np.array([index[g] for g, _, _ in items], dtype=np.int64))
    return Newsgroups(out["train"][0], out["train"][1], out["test"][0], out["test"][1], target_names)


def _strip_post(text, remove):
    """A post without the parts named in ``remove`` (see `load_20newsgroups`)."""
    if "headers" in remove:
        _, blank_line, text = text.partition("\n\n")  # the header block ends at the first blank line
        text = text if blank_line else ""  # no blank line: the post is all header
    lines = text.split("\n")
    if "footers" in remove:
        # the signature starts at the last line made of dashes only ("--", "-----------")
        dashes = [i for i, line in enumerate(lines) if line.strip() and not line.strip().strip("-")]
        lines = lines[:dashes[-1]] if dashes else lines
    if "quotes" in remove:
        lines = [line for line in lines if not line.lstrip().startswith((">", "|")) and not _ATTRIBUTION.search(line.strip())]
    return "\n".join(lines).strip()
