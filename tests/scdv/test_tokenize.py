import numpy as np
import pytest

from course_cnn.scdv import check_documents, tokenize


@pytest.mark.parametrize("text, tokens", [
    ("Don't e-mail me at 5pm!", ["don", "t", "e", "mail", "me", "at", "pm"]),
    ("HELLO\tWorld\n\nagain", ["hello", "world", "again"]),
    ("naïve café", ["na", "ve", "caf"]),          # letters a-z only, like re.sub("[^a-zA-Z]", " ", ...)
    ("1234 !!", []),
    ("", []),
])
def test_tokenize_keeps_lowercase_letter_runs(text, tokens):
    assert tokenize(text) == tokens


def test_tokenize_rejects_non_string():
    with pytest.raises(TypeError, match=r"`text` must be a str; got 3\."):
        tokenize(3)


def test_check_documents_accepts_sequences():
    assert check_documents(np.array(["a", "b"])) == ["a", "b"]
    assert check_documents(iter(["x"])) == ["x"]


@pytest.mark.parametrize("documents, error, message", [
    ("one string", TypeError, r"`documents` must be a sequence of str \(one per document\), not a single string"),
    (5, TypeError, r"`documents` must be a sequence of str; got 5\."),
    ([], ValueError, r"`documents` must contain at least one document; got an empty sequence\."),
    (["ok", 3], TypeError, r"`documents` must contain only str; got int 3 at index 1\."),
    (["ok", None], TypeError, r"`documents` must contain only str; got NoneType None at index 1\."),
    ([b"bytes"], TypeError, r"`documents` must contain only str; got bytes b'bytes' at index 0\."),
])
def test_check_documents_messages(documents, error, message):
    with pytest.raises(error, match=message):
        check_documents(documents)


def test_stop_word_set():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from course_cnn.scdv import stop_word_set

    english = stop_word_set("english")
    assert english == frozenset(ENGLISH_STOP_WORDS) | set("abcdefghijklmnopqrstuvwxyz")
    assert {"the", "of", "t", "x"} <= english and not {"god", "space", "car"} & english
    assert stop_word_set(None) == frozenset()
    assert stop_word_set(["foo", "bar"]) == {"foo", "bar"}
