"""The benchmark runs end to end (`bench/run.py --quick`) and prints its five measures with numbers.

The figures themselves are not asserted: they depend on the machine and its load (bench/RESULTS.md
holds the latest full run and what they mean).
"""

import re
import subprocess
import sys

from sdcrawl.tools.testing import REPO

SECTIONS = ["### 0. ", "### 1. Incremental cost", "### 2. Throughput", "### 3. Extraction cost", "### 4. Memory",
            "### 5. Many sites", "### Summary"]
NUMBER = re.compile(r"^\**(-?\d[\d,]*(?:\.\d+)?)")  # a cell that starts with a figure


def tables(text: str) -> dict[str, list[list[str]]]:
    """Section title -> data rows (cells) of its Markdown table."""
    out: dict[str, list[list[str]]] = {}
    title = None
    for line in text.splitlines():
        if line.startswith("### "):
            title = line
            out[title] = []
        elif title and line.startswith("|") and not line.startswith("|---"):
            out[title].append([c.strip() for c in line.strip().strip("|").split("|")])
    return {t: rows[1:] for t, rows in out.items()}  # without the header row


def numbers(cells: list[str]) -> list[float]:
    return [float(m.group(1).replace(",", "")) for c in cells if (m := NUMBER.match(c))]


def test_quick_benchmark_prints_every_measure_with_numbers():
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--quick"], cwd=REPO,
                          capture_output=True, text=True, timeout=280)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    found = tables(out)
    for prefix in SECTIONS:
        titles = [t for t in found if t.startswith(prefix)]
        assert titles, f"section {prefix!r} missing from:\n{out}"
        rows = found[titles[0]]
        assert rows, f"{titles[0]}: empty table"
        for row in rows:
            if not row[0].startswith("**"):  # ratio rows hold one bold figure
                assert numbers(row[1:]) or numbers(row), f"{titles[0]}: no number in row {row}"
    summary = found[[t for t in found if t.startswith("### Summary")][0]]
    assert len(summary) == 10  # issue 16's targets, then issue 8's that still stand
    for measure, target, result, verdict in summary:
        if result == "not measured":  # only the public corpus row, when ../shared/corpora is absent
            assert "corpus" in measure and verdict == "-"
            continue
        assert numbers([result]), f"summary: {measure}: {result!r} is not a number"
        assert verdict in ("MET", "MISSED")
    # the incremental run fetched something, and the throughput ratio is a positive number
    inc = found[[t for t in found if t.startswith("### 1.")][0]]
    assert all(numbers([row[1]])[0] > 0 for row in inc)
    assert numbers([summary[0][2]])[0] > 0 and numbers([summary[1][2]])[0] > 0  # CPU and throughput ratios
