"""Tokenizing text the way the SCDV reference code does.

The reference implementation (Mekala et al., 2017) keeps only the letters
``a``-``z`` of a lower-cased text and splits on everything else, so
``"Don't e-mail me at 5pm!"`` becomes ``don t e mail me at pm``. Every part of
`course_cnn.scdv` takes a ``tokenizer`` argument, a function
``str -> list of str``, so this choice can be swapped for any other.

The reference trains its word vectors on every token, but builds document
vectors (and their idf) without stop words and one-letter words
(`stop_word_set`): "the" and "of" would otherwise add the largest
share of every document's vector while saying nothing about its topic.
"""

from __future__ import annotations

import re

from course_cnn import _checks

__all__ = ["tokenize", "check_documents", "stop_word_set"]

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


def stop_word_set(stop_words="english"):
    """The set of tokens that document vectors skip.

    Parameters
    ----------
    stop_words : "english", None, or collection of str, default "english"
        ``"english"`` is scikit-learn's English stop-word list (318 words,
        ``sklearn.feature_extraction.text.ENGLISH_STOP_WORDS``) plus the 26
        one-letter tokens, as the reference code drops NLTK's English stop
        words and every token of one letter; ``None`` keeps every token; a
        collection is used as it is.

    Returns
    -------
    frozenset of str
        Empty for ``None``.

    Raises
    ------
    TypeError
        For anything else.

    Examples
    --------
    >>> stops = stop_word_set()
    >>> len(stops), "the" in stops, "x" in stops, "space" in stops
    (342, True, True, False)
    >>> stop_word_set(None)
    frozenset()
    """
    if stop_words is None:
        return frozenset()
    if isinstance(stop_words, str):
        if stop_words != "english":
            raise _checks.fail("stop_words", 'be "english", None or a collection of str', repr(stop_words))
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS) | frozenset("abcdefghijklmnopqrstuvwxyz")
    try:
        words = frozenset(stop_words)
    except TypeError:
        raise _checks.fail("stop_words", 'be "english", None or a collection of str', _checks.describe(stop_words),
                           TypeError) from None
    if not all(isinstance(w, str) for w in words):
        raise _checks.fail("stop_words", 'be "english", None or a collection of str',
                           "a collection holding non-strings", TypeError)
    return words
