"""Measure the classifier on the labelled development table.

    python -m sdcrawl.classify.evaluate [--data DIR] [--split PART] [--failures] [--check]
    python -m sdcrawl.classify.evaluate --timing    # warm ms per call on the reference articles

The table is ``tests/fixtures/relevance/*.jsonl``: one JSON object a line with
``id`` (unique), ``form`` ("article": a whole article; "lead": a title and its lead, as feeds and
listings give), ``family`` (what kind of text it is, e.g. "supervision", "neg-draft-regulation"),
``title``, ``body``, ``relevant`` (bool) and ``topics`` (the subset of ["training", "project"]
the article is about; [] when not relevant), and optionally ``split``.

Every row belongs to the development part or to the held-out part (30 %), decided by a hash of
its id so that nobody chooses; tune while looking at ``--split dev --failures`` only, and report
both.  A row may name its part instead: ``"split": "fresh"`` (a batch written after the first
look at the held-out figures, measured once before the rule changed again) and ``"fresh2"``
(written after the last rule change and measured once, untuned).  Once a part's failures have
been looked at for tuning, it is development data: the figures that say how the rule does on
unseen text are the first measurements recorded in the commit messages.  Printed: relevance precision, recall and F1 for whole articles and for title + lead,
and F1 per topic (a row has a topic when it is relevant and about that topic, on both sides).
``--check`` exits 1 when a target (THRESHOLDS) is missed on the chosen split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from sdcrawl.classify import TOPICS, classify

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "relevance"
HOLDOUT_PERCENT = 30
FORMS = ("article", "lead")
SPLITS = ("dev", "holdout", "fresh", "fresh2")
# (measure, minimum): what issue 14 asks of the table
THRESHOLDS = {
    "article precision": 0.95, "article recall": 0.95,
    "lead precision": 0.90, "lead recall": 0.90,
    **{f"{t} F1": 0.90 for t in TOPICS},
}


class TableError(ValueError):
    """A row of the table is malformed (the message names file, line and problem)."""


@dataclass(frozen=True)
class Row:
    id: str
    form: str
    family: str
    title: str
    body: str
    relevant: bool
    topics: tuple[str, ...]
    where: str
    split: str


def split_of(row_id: str) -> str:
    bucket = int(hashlib.sha256(row_id.encode()).hexdigest()[:8], 16) % 100
    return "holdout" if bucket < HOLDOUT_PERCENT else "dev"


def load(data: Path = DEFAULT_DATA) -> list[Row]:
    files = sorted(Path(data).glob("*.jsonl"))
    if not files:
        raise TableError(f"{data}: no *.jsonl files")
    rows: list[Row] = []
    seen: dict[str, str] = {}
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TableError(f"{where}: not JSON ({exc.msg})") from None
            rows.append(_row(obj, where, seen))
    return rows


def _row(obj: object, where: str, seen: dict[str, str]) -> Row:
    if not isinstance(obj, dict):
        raise TableError(f"{where}: a row must be a JSON object")
    for key, kind in (("id", str), ("form", str), ("family", str), ("title", str),
                      ("body", str), ("relevant", bool), ("topics", list)):
        if not isinstance(obj.get(key), kind):
            raise TableError(f"{where}: '{key}' missing or not a {kind.__name__}")
    if obj["id"] in seen:
        raise TableError(f"{where}: id {obj['id']!r} also at {seen[obj['id']]}")
    seen[obj["id"]] = where
    if obj["form"] not in FORMS:
        raise TableError(f"{where}: form must be one of {', '.join(FORMS)}")
    if not set(obj["topics"]) <= set(TOPICS):
        raise TableError(f"{where}: topics must be a subset of {list(TOPICS)}")
    if obj["relevant"] != bool(obj["topics"]):
        raise TableError(f"{where}: a relevant row names its topics, an irrelevant one none")
    split = obj.get("split", split_of(obj["id"]))
    if split not in SPLITS:
        raise TableError(f"{where}: split must be one of {', '.join(SPLITS)}")
    return Row(obj["id"], obj["form"], obj["family"], obj["title"], obj["body"],
               obj["relevant"], tuple(obj["topics"]), where, split)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(rows: list[Row]) -> tuple[dict[str, float], list[tuple[Row, bool, list[str]]]]:
    """(figures, failures): figures keyed as THRESHOLDS (plus F1s and counts); a failure is
    (row, predicted relevance, predicted topics) for a wrong relevance or topic set."""
    counts = {f: [0, 0, 0] for f in (*FORMS, *TOPICS)}
    failures = []
    for row in rows:
        c = classify(row.title, row.body)
        got_topics = list(c.topics) if c.relevant else []
        _count(counts[row.form], row.relevant, c.relevant)
        for t in TOPICS:
            _count(counts[t], t in row.topics, t in got_topics)
        if c.relevant != row.relevant or tuple(got_topics) != row.topics:
            failures.append((row, c.relevant, got_topics))
    figures: dict[str, float] = {}
    for form in FORMS:
        p, r, f = _prf(*counts[form])
        figures |= {f"{form} precision": p, f"{form} recall": r, f"{form} F1": f,
                    f"{form} rows": sum(1 for x in rows if x.form == form)}
    for t in TOPICS:
        p, r, f = _prf(*counts[t])
        figures |= {f"{t} precision": p, f"{t} recall": r, f"{t} F1": f}
    return figures, failures


def _count(cell: list[int], truth: bool, got: bool) -> None:
    if got and truth:
        cell[0] += 1
    elif got:
        cell[1] += 1
    elif truth:
        cell[2] += 1


def report(rows: list[Row], split: str) -> tuple[str, dict[str, float], list]:
    chosen = [r for r in rows if split == "all" or r.split == split]
    figures, failures = evaluate(chosen)
    lines = [f"{split}: {len(chosen)} rows ({figures['article rows']} articles, "
             f"{figures['lead rows']} title+lead)",
             f"  {'relevance':<18} {'precision':>9} {'recall':>7} {'F1':>6}"]
    for form, name in (("article", "whole articles"), ("lead", "title + lead")):
        lines.append(f"  {name:<18} {figures[form + ' precision']:>9.3f} "
                     f"{figures[form + ' recall']:>7.3f} {figures[form + ' F1']:>6.3f}")
    for t in TOPICS:
        lines.append(f"  {'topic ' + t:<18} {figures[t + ' precision']:>9.3f} "
                     f"{figures[t + ' recall']:>7.3f} {figures[t + ' F1']:>6.3f}")
    return "\n".join(lines), figures, failures


def missed(figures: dict[str, float]) -> list[str]:
    return [f"{k} {figures[k]:.3f} < {v}" for k, v in THRESHOLDS.items() if figures[k] < v]


REFERENCE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "reference"


def timing(repeat: int = 200) -> str:
    """Median warm time of one call on each reference article (title = its first line)."""
    import statistics
    import time

    lines = []
    for path in sorted(REFERENCE.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        classify(title, body)  # warm: simplemma loaded, lemmas cached
        runs = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            classify(title, body)
            runs.append(time.perf_counter() - t0)
        lines.append(f"  {path.name:<32} {len(body.encode()) / 1024:4.1f} KB "
                     f"{statistics.median(runs) * 1000:6.2f} ms")
    return "warm classify(), median of {} calls:\n".format(repeat) + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sdcrawl.classify.evaluate",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.jsonl tables")
    ap.add_argument("--split", choices=(*SPLITS, "all"), default=None,
                    help="one part only (default: each part, then all)")
    ap.add_argument("--failures", action="store_true", help="list the rows decided wrongly")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--timing", action="store_true",
                    help="print the warm time per call on the reference articles and stop")
    args = ap.parse_args(argv)
    if args.timing:
        print(timing())
        return 0
    try:
        rows = load(args.data)
    except (TableError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    splits = [args.split] if args.split else [*SPLITS, "all"]
    status = 0
    for split in splits:
        text, figures, failures = report(rows, split)
        print(text)
        if args.failures:
            for row, got, topics in failures:
                print(f"    {row.id} ({row.family}): labelled {row.relevant} {list(row.topics)}, "
                      f"got {got} {topics}")
        problems = missed(figures)
        if args.check and problems:
            print("  MISSED: " + "; ".join(problems))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
