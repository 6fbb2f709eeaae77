"""The tour runner: demos run in order, failures are contained, the index links everything."""

import html.parser

import numpy as np

from course_cnn import cli, plots, tour


def _figure_demo(out_dir, quick):
    fig = plots.image_grid(np.zeros((2, 4, 4)))
    path = plots.save_figure(fig, out_dir / "grid.png")
    (out_dir / "table.csv").write_text("a,b\n1,2\n")
    return tour.DemoResult(f"two outputs (quick={quick})", [path, out_dir / "table.csv"])


def _broken_demo(out_dir, quick):
    raise RuntimeError("boom")


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("img", "a"):
            self.links.append(attrs.get("src") or attrs.get("href"))


def test_run_tour_writes_outputs_and_index(tmp_path):
    lines = []
    demos = [tour.Demo("a-figure", "A figure", _figure_demo), tour.Demo("b-broken", "Broken", _broken_demo)]
    outcomes = tour.run_tour(tmp_path, quick=True, demos=demos, echo=lines.append)
    assert [o.demo.key for o in outcomes] == ["a-figure", "b-broken"]
    assert outcomes[0].result.summary == "two outputs (quick=True)"
    assert outcomes[1].error == "RuntimeError: boom"
    assert "boom" in (tmp_path / "b-broken" / "error.txt").read_text()
    assert lines[0] == "[1/2] A figure ..." and lines[-1].startswith("1 of 2 demos ran")
    parser = _Links()
    parser.feed((tmp_path / "index.html").read_text())
    assert parser.links == ["a-figure/grid.png", "a-figure/table.csv", "b-broken/error.txt"]
    for link in parser.links:
        assert (tmp_path / link).is_file()


def test_only_filters_by_key_prefix(tmp_path):
    demos = [tour.Demo("week1-x", "x", _figure_demo), tour.Demo("week3-y", "y", _figure_demo)]
    outcomes = tour.run_tour(tmp_path, demos=demos, only=["week3"], echo=lambda line: None)
    assert [o.demo.key for o in outcomes] == ["week3-y"]


def test_registered_demos_follow_course_order():
    keys = [demo.key for demo in tour.registered_demos()]
    assert len(keys) == len(set(keys)), "demo keys must be unique"
    parts = [key.split("-")[0] for key in keys]
    order = {part: i for i, part in enumerate(tour.PARTS)}
    ranks = [order.get(part, order.get(part[:5], -1)) for part in parts]
    assert ranks == sorted(ranks)


def test_cli_tour_list_and_failure_status(tmp_path, capsys, monkeypatch):
    assert cli.main(["tour", "--list"]) == 0
    monkeypatch.setattr(tour, "registered_demos", lambda parts=tour.PARTS: [tour.Demo("x-broken", "B", _broken_demo)])
    assert cli.main(["tour", "--out", str(tmp_path)]) == 1
    assert "FAILED: RuntimeError: boom" in capsys.readouterr().out
