import pytest

from course_cnn.cli import main


def test_cli_scdv_on_a_slice(newsgroups_archive, capsys, eager_tf_functions):  # word2vec's ~130 steps: eager is faster
    code = main(["scdv", "--corpus", str(newsgroups_archive), "--clusters", "3", "--dim", "8", "--epochs", "1",
                 "--min-count", "3", "--max-per-group", "4", "--C", "1"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(f"[1/5 at 0 s] reading {newsgroups_archive}\n")
    assert "about 13 min" not in out                     # the estimate is for the whole corpus only
    assert "] fitting SCDV on the training posts: word2vec (1 epochs, d=8)" in out
    assert "] LinearSVC: 3-fold cross-validation over C = 1" in out
    assert "80 training, 80 test posts" in out          # 4 posts per group, 20 groups
    assert "24 features" in out                          # 3 clusters x 8 dims
    assert "LinearSVC (C=1): test accuracy" in out


def test_cli_scdv_missing_archive(tmp_path, capsys):
    assert main(["scdv", "--corpus", str(tmp_path / "none.tar.gz")]) == 2
    assert capsys.readouterr().err == (
        "course-cnn scdv: error: `--corpus` must be the 20news-bydate.tar.gz archive; the standard \"bydate\" "
        "archive 20news-bydate.tar.gz is published on Jason Rennie's 20 Newsgroups page (scikit-learn's "
        f"fetch_20newsgroups deletes its copy after extracting, so it cannot be reused); got '{tmp_path}/none.tar.gz' "
        "(no such file).\n")


def test_cli_scdv_not_an_archive(tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    assert main(["scdv", "--corpus", str(notes)]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        "course-cnn scdv: error: `--corpus` must be the 20news-bydate.tar.gz archive (a .tar.gz holding "
        f"20news-bydate-train/<group>/<id>); got '{notes}', which is not a tar archive.\n")
    assert "Traceback" not in captured.out + captured.err


def test_cli_scdv_archive_without_posts(tmp_path, capsys):
    import tarfile

    empty = tmp_path / "empty.tar.gz"
    with tarfile.open(empty, "w:gz"):
        pass
    assert main(["scdv", "--corpus", str(empty), "--max-per-group", "2"]) == 2
    assert capsys.readouterr().err == (
        "course-cnn scdv: error: `--corpus` must hold 20news-bydate-train/<group>/<id> posts; "
        f"got none in '{empty}'.\n")


# The least that runs every line of the quick demo: 10 posts per group and split (they still hold "space" and "god"
# 5 times or more), 2 clusters of 4-dim word vectors after one word2vec epoch.
_TINY = dict(per_group=10, scdv=dict(n_clusters=2, dim=4, epochs=1, min_count=5, window=2, negative=2))


def test_tour_demo_quick(newsgroups_archive, tmp_path, monkeypatch, tiny_tour_budget, eager_tf_functions):
    """The demo's wiring with a tiny budget (reading the archive is most of it); the quick budget runs as slow."""
    from course_cnn.scdv import _tour

    tiny_tour_budget(_tour, _TINY)
    _check_tour_demo_quick(newsgroups_archive, tmp_path, monkeypatch)


@pytest.mark.slow
def test_tour_demo_quick_at_its_quick_budget(newsgroups_archive, tmp_path, monkeypatch):
    _check_tour_demo_quick(newsgroups_archive, tmp_path, monkeypatch)


def _check_tour_demo_quick(newsgroups_archive, tmp_path, monkeypatch):
    from course_cnn.scdv._tour import DEMOS

    import course_cnn.scdv

    monkeypatch.setenv("COURSE_CNN_20NG", str(newsgroups_archive))
    fitted = []
    plot = course_cnn.scdv.plot_word_clusters
    monkeypatch.setattr(course_cnn.scdv, "plot_word_clusters", lambda scdv, path: fitted.append(scdv) or plot(scdv, path))
    (demo,) = DEMOS
    result = demo.run(tmp_path, True)
    assert "LinearSVC test accuracy" in result.summary
    assert len(result.files) == 2 and all(f.is_file() and f.stat().st_size > 0 for f in result.files)
    frequent = list(fitted[0].vocabulary_[:40])  # by frequency; read with their headers, posts put these first
    assert set(frequent).isdisjoint({"subject", "organization", "lines", "nntp", "posting", "host", "writes", "article"})
    assert {"space", "god"} <= set(fitted[0].vocabulary_)


def test_tour_demo_without_archive(tmp_path, monkeypatch):
    import course_cnn.datasets as datasets
    from course_cnn.scdv._tour import DEMOS

    monkeypatch.setattr(datasets, "find_20newsgroups", lambda path=None: None)
    result = DEMOS[0].run(tmp_path, True)
    assert result.summary.startswith("20 Newsgroups archive not found") and result.files == []


@pytest.mark.slow
def test_scdv_beats_chance_clearly_on_a_real_slice(newsgroups_archive):
    """A 20-groups slice (30 posts per group): SCDV + LinearSVC well above the 5% chance level."""
    from sklearn.svm import LinearSVC

    from course_cnn.datasets import load_20newsgroups
    from course_cnn.scdv import SCDV

    news = load_20newsgroups(newsgroups_archive, max_per_group=30)
    scdv = SCDV(n_clusters=10, dim=50, epochs=5, min_count=5, window=5)
    X_train = scdv.fit_transform(news.train_texts)
    accuracy = (LinearSVC(C=10).fit(X_train, news.train_labels).predict(scdv.transform(news.test_texts))
                == news.test_labels).mean()
    assert accuracy > 0.25
