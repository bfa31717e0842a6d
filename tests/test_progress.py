"""Progress of a crawl a person watches: one line per site, redrawn in place on a terminal, and
nothing of it when stderr is not a terminal (scheduled runs)."""

import os
import pty
import select
import subprocess
import sys

from sdcrawl.progress import HEADER, SiteProgress, render
from sdcrawl.tools.testing import RECORDED, REPO


def test_render_one_site():
    stats = {"response_received_count": 9, "sdcrawl/listing_links": 5, "sdcrawl/feed_entries": 2, "sdcrawl/feed/written": 4,
             "sdcrawl/dropped/irrelevant": 2, "sdcrawl/dropped/duplicate": 1, "sdcrawl/article_failed": 1, "sdcrawl/log/ERROR": 0}
    lines = render([SiteProgress.from_stats("socd", stats, 1.24, "running")])
    assert lines == [HEADER, "socd            running       9     7    4       3      1      0    1.2s"]
    assert HEADER.split() == ["site", "status", "pages", "seen", "new", "dropped", "failed", "errors", "time"]


def test_render_several_sites_adds_a_total_and_fits_the_width():
    rows = [SiteProgress("stopini", 7, 4, 3, 1, 0, 0, 0.4, "finished"), SiteProgress("a-very-long-site-name", 2, 0, 0, 0, 1, 2, 3.0)]
    lines = render(rows, width=60)
    assert len(lines) == 4 and all(len(l) <= 60 for l in lines)
    assert lines[2].startswith("a-very-long-sit ")
    assert lines[3] == "all 1/2         running       9     4    3       1      1      2    3.0s"[:60]


def _crawl_args(tmp_path):
    return [sys.executable, "-m", "sdcrawl.cli", "crawl", "stopini", "--replay", str(RECORDED / "stopini"),
            "--data-dir", str(tmp_path), "--since", "2000-01-01"]


def test_no_progress_without_a_terminal(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SDCRAWL_LOG_LEVEL", "SDCRAWL_PROGRESS")}
    proc = subprocess.run(_crawl_args(tmp_path), cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "\x1b[" not in proc.stderr and "seen  new dropped" not in proc.stderr
    assert "Spider opened" in proc.stderr  # the log as configured (INFO by default)


def test_progress_in_place_on_a_terminal(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SDCRAWL_LOG_LEVEL", "SDCRAWL_PROGRESS")}
    master, slave = pty.openpty()
    proc = subprocess.Popen(_crawl_args(tmp_path), cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(master)
    text = out.decode("utf-8", errors="replace")
    assert proc.returncode == 0, text[-2000:]
    assert HEADER in text
    assert "stopini" in text and "finished" in text.splitlines()[-1]
    assert "\x1b[2F" in text  # drawn again over itself
    assert "Spider opened" not in text  # INFO lines give way to the progress (WARNING unless configured)
    assert "stopini" in proc.stdout.read().decode()  # the summary still goes to stdout
