r"""Error analysis: look at the mistakes before deciding what to fix.

Pick about 100 misclassified dev examples, tag each by hand with what went
wrong (an example can carry several tags: "dog", "blurry", "mislabeled"),
and count. If a share $s_t$ of the examined errors carries tag $t$, fixing
every one of them would bring the overall error $E$ down to at best

$$
\text{ceiling}_t = E\,(1 - s_t).
$$

The lecture's cat classifier has $E = 10\%$: if 5 of 100 errors are dogs,
a perfect dog fix gives at best $10\% \times 0.95 = 9.5\%$; if 50 of 100 are
dogs, $10\% \times 0.5 = 5\%$, and the dog problem is worth the work.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from course_cnn import _checks
from course_cnn.strategy._errors import check_error, fmt
from course_cnn.strategy.error_sampling import META_COLUMNS

__all__ = ["TagStat", "ErrorAnalysis"]

_TRUE_MARKS = {"x", "1", "yes", "y", "true", "t", "✓", "v"}


@dataclass(frozen=True)
class TagStat:
    """One row of the error-analysis table.

    Attributes
    ----------
    tag : str
        The tag.
    count : int
        How many examined errors carry it.
    share : float
        ``count / n_examined``, in [0, 1].
    ceiling : float
        Best overall error if every error with this tag were fixed:
        ``overall_error * (1 - share)``, in the analysis' scale.
    """

    tag: str
    count: int
    share: float
    ceiling: float


class ErrorAnalysis:
    r"""Tally tags over the examined errors: count, share of errors and ceiling per tag.

    $$
    \text{share}_t = \frac{\#\{\text{examined errors tagged } t\}}{n_\text{examined}},\qquad
    \text{ceiling}_t = E\,(1 - \text{share}_t)
    $$

    Shares can add up to more than 1 because an example may carry several
    tags; an example with no tag still counts as examined.

    Parameters
    ----------
    records : sequence of iterable of str, or mapping of id to iterable of str
        The tags of each examined error (``[["dog"], ["blurry", "dog"], []]``);
        a single string is one tag.
    overall_error : float
        The model's error on the set the errors were sampled from.
    tags : sequence of str, optional
        The declared tag list; a record using another tag is an error. By
        default the tags seen, in order of first appearance.
    scale : {"percent", "fraction"}, default "percent"
        Convention of ``overall_error`` (and of the ceilings).

    Raises
    ------
    ValueError
        For no records, an error rate out of range, or an undeclared tag.

    Examples
    --------
    The lecture: 10 % error, 5 of 100 examined errors are dogs.

    >>> records = [["dog"]] * 5 + [["great cat"]] * 43 + [[]] * 52
    >>> analysis = ErrorAnalysis(records, overall_error=10)
    >>> analysis.stat("dog").ceiling
    9.5
    >>> analysis.stat("great cat").share
    0.43
    """

    def __init__(self, records, overall_error, tags=None, scale="percent"):
        self.scale = scale
        self.overall_error = check_error(overall_error, "overall_error", scale)
        if isinstance(records, dict):
            records = list(records.values())
        if isinstance(records, (str, bytes)) or not hasattr(records, "__iter__"):
            raise _checks.fail("records", "be a sequence of tag lists", _checks.describe(records), TypeError)
        self.records = [self._tag_set(r) for r in records]
        if not self.records:
            raise _checks.fail("records", "contain at least one examined error", "0 records")
        seen = list(dict.fromkeys(t for r in self.records for t in r))
        if tags is None:
            self.tags = seen
        else:
            self.tags = _checks.check_strings(tags, "tags")
            for k, record in enumerate(self.records):
                unknown = sorted(set(record) - set(self.tags))
                if unknown:
                    raise _checks.fail("records", f"only use the declared tags {self.tags}",
                                       f"{unknown[0]!r} in record {k}")

    @staticmethod
    def _tag_set(record):
        if isinstance(record, str):
            return (record,)
        return tuple(dict.fromkeys(str(t).strip() for t in record if str(t).strip()))

    @classmethod
    def from_csv(cls, path, overall_error, tags=None, scale="percent"):
        """Read the tags of each examined error from a CSV a person filled in.

        Tags come from two places, merged: any column that is not one of
        ``id, index, true_label, predicted_label, tags, comment(s)`` is a tag
        column, ticked by a mark (``x``, ``1``, ``yes``, ``y``, ``true``);
        and a ``tags`` column with ``;``-separated tags. The file written by
        `export_error_sample` has this layout.

        Parameters
        ----------
        path : str or os.PathLike
            The CSV file (UTF-8, header row).
        overall_error : float
            As for the constructor.
        tags : sequence of str, optional
            The declared tag list (default: the tag columns, then tags seen).
        scale : {"percent", "fraction"}, default "percent"
            Convention of ``overall_error``.

        Returns
        -------
        ErrorAnalysis
            The analysis.

        Raises
        ------
        FileNotFoundError
            When the file does not exist.
        ValueError
            For an empty file, an undeclared tag, or an unknown tick mark.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "errors.csv"
        >>> _ = path.write_text(chr(10).join(["id,dog,blurry,tags", "0,x,,", "1,,x,mislabeled"]))
        >>> ErrorAnalysis.from_csv(path, overall_error=10).stat("dog").share
        0.5
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"error-analysis CSV not found: {path}")
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            rows = list(reader)
        tag_columns = [c for c in columns if c and c.lower() not in META_COLUMNS]
        records = []
        for line, row in enumerate(rows, start=2):
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            record = []
            for column in tag_columns:
                mark = row.get(column, "").lower()
                if mark and mark not in _TRUE_MARKS and mark not in {"0", "no", "n", "false", "f", "-"}:
                    raise _checks.fail(f"{path.name}", "tick tag columns with x, 1, yes or true (or leave them empty)",
                                       f"{row[column]!r} in column {column!r}, line {line}")
                if mark in _TRUE_MARKS:
                    record.append(column)
            record.extend(t for t in row.get("tags", "").split(";") if t.strip())
            records.append(record)
        if tags is None:
            extra = [t for r in records for t in r if t not in tag_columns]
            tags = list(dict.fromkeys([*tag_columns, *[t.strip() for t in extra]]))
        return cls(records, overall_error, tags=tags, scale=scale)

    @property
    def n_examined(self):
        """int: Number of examined errors (records)."""
        return len(self.records)

    def stat(self, tag):
        """The `TagStat` of one tag.

        Parameters
        ----------
        tag : str
            A declared tag.

        Returns
        -------
        TagStat
            Its count, share and ceiling.

        Raises
        ------
        ValueError
            For an undeclared tag.
        """
        _checks.check_choice(tag, "tag", self.tags)
        count = sum(tag in r for r in self.records)
        share = count / self.n_examined
        return TagStat(tag, count, share, round(self.overall_error * (1.0 - share), 12))

    def table(self):
        """Every tag's `TagStat`, most frequent first.

        Returns
        -------
        list of TagStat
            One row per declared tag (ties keep the declared order).
        """
        return sorted((self.stat(t) for t in self.tags), key=lambda s: -s.count)

    def format_table(self):
        """The table as Markdown text (tag, count, share of errors, ceiling).

        Returns
        -------
        str
            A Markdown table, one row per tag.
        """
        head = (f"{self.n_examined} errors examined, overall error {fmt(self.overall_error, self.scale)}\n\n"
                "| tag | count | share of errors | ceiling (best error if fixed) |\n| --- | ---: | ---: | ---: |")
        rows = [f"| {s.tag} | {s.count} | {100 * s.share:.1f}% | {fmt(s.ceiling, self.scale)} |" for s in self.table()]
        return "\n".join([head, *rows])

    def to_csv(self, path):
        """Write the table as CSV (``tag,count,share,ceiling``).

        Parameters
        ----------
        path : str or os.PathLike
            Destination.

        Returns
        -------
        pathlib.Path
            The written file.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["tag", "count", "share", "ceiling"])
            for s in self.table():
                writer.writerow([s.tag, s.count, f"{s.share:.6g}", f"{s.ceiling:.6g}"])
        return path

    def plot(self, path=None, title=None):
        """Bar chart of each tag's share of errors, annotated with its ceiling.

        Parameters
        ----------
        path : str or os.PathLike, optional
            Where to save the figure.
        title : str, optional
            Figure title.

        Returns
        -------
        matplotlib.figure.Figure
            Horizontal bars, most frequent tag on top.
        """
        from course_cnn.plots import new_figure, save_figure

        table = self.table()
        fig, ax = new_figure(figsize=(6.4, 0.45 * len(table) + 1.4))
        y = np.arange(len(table))[::-1]
        ax.barh(y, [100 * s.share for s in table], color="#fdae6b", edgecolor="#e6550d")
        ax.set_yticks(y, [s.tag for s in table])
        for yi, s in zip(y, table):
            ax.text(100 * s.share + 1, yi, f"{s.count}  -> ceiling {fmt(s.ceiling, self.scale)}", va="center",
                    fontsize=8)
        ax.set_xlim(0, 125)
        ax.set_xlabel(f"share of the {self.n_examined} examined errors (%)")
        ax.set_title(title or f"error analysis (overall error {fmt(self.overall_error, self.scale)})", fontsize=9)
        if path is not None:
            save_figure(fig, path)
        return fig

    def __repr__(self):
        return f"ErrorAnalysis(n_examined={self.n_examined}, tags={self.tags}, overall_error={self.overall_error})"
