"""Tokenizing text the way the SCDV reference code does.

The reference implementation (Mekala et al., 2017) keeps only the letters
``a``-``z`` of a lower-cased text and splits on everything else, so
``"Don't e-mail me at 5pm!"`` becomes ``don t e mail me at pm``. Every part of
:mod:`course_cnn.scdv` takes a ``tokenizer`` argument, a function
``str -> list of str``, so this choice can be swapped for any other.
"""

from __future__ import annotations

import re

from course_cnn import _checks

__all__ = ["tokenize", "check_documents"]

# Letters only, after lower-casing: the reference's re.sub("[^a-zA-Z]", " ", text).
_LETTERS = re.compile(r"[a-z]+")


def tokenize(text):
    """Split ``text`` into lower-case runs of the letters a-z.

    Parameters
    ----------
    text : str
        One document.

    Returns
    -------
    list of str
        The tokens, in order, repeats kept.

    Raises
    ------
    TypeError
        When ``text`` is not a string.

    Examples
    --------
    >>> tokenize("Don't e-mail me at 5pm!")
    ['don', 't', 'e', 'mail', 'me', 'at', 'pm']
    >>> tokenize("")
    []
    """
    if not isinstance(text, str):
        raise _checks.fail("text", "be a str", _checks.describe(text), TypeError)
    return _LETTERS.findall(text.lower())


def check_documents(documents, name="documents"):
    """Require a non-empty sequence of strings and return it as a list.

    Parameters
    ----------
    documents : sequence of str
        The corpus, one string per document (a list, tuple, numpy array of
        ``str`` or a pandas Series).
    name : str, default "documents"
        Parameter name for messages.

    Returns
    -------
    list of str
        The documents.

    Raises
    ------
    TypeError
        For a single string, a non-sequence, or an entry that is not a string
        (``"`documents` must contain only str; got int 3 at index 1."``).
    ValueError
        For an empty corpus.

    Examples
    --------
    >>> check_documents(("a b", "c"))
    ['a b', 'c']
    """
    if isinstance(documents, (str, bytes)):
        raise _checks.fail(name, "be a sequence of str (one per document), not a single string",
                           _checks.describe(documents)[:60], TypeError)
    try:
        docs = list(documents)
    except TypeError:
        raise _checks.fail(name, "be a sequence of str", _checks.describe(documents), TypeError) from None
    if not docs:
        raise _checks.fail(name, "contain at least one document", "an empty sequence")
    for i, doc in enumerate(docs):
        if not isinstance(doc, str):
            kind = type(doc).__name__
            raise _checks.fail(name, "contain only str", f"{kind} {doc!r:.40} at index {i}", TypeError)
    return docs
