"""`sdcrawl demo`: the nightly job twice over the recorded copies on loopback, in a data folder
of its own: it removes only what an earlier demo wrote there, and its child dies with it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sdcrawl.tools.args import scratch_folder

__all__ = ["cmd_demo"]

REPO = Path(__file__).resolve().parents[2]
RECORDED = REPO / "recorded"


DEMO_MARK = ".sdcrawl-demo"
DEMO_FILES = ("feed.jsonl", "rejected.jsonl", "state.sqlite", "state.sqlite-wal", "state.sqlite-shm", "sdcrawl.lock",
              "report.html")


def _demo_folder(folder: Path, keep: bool) -> None:
    """Make `folder` ready for the demo, removing only what an earlier demo wrote there."""
    scratch_folder(folder, DEMO_MARK, "demo", DEMO_FILES, keep)


def _child(argv: list[str]) -> int:
    """Run a child command that dies with this process (also when this one is SIGKILLed)."""
    import signal
    import subprocess

    def die_with_parent() -> None:
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass

    proc = subprocess.Popen(argv, preexec_fn=die_with_parent)
    previous = signal.signal(signal.SIGTERM, lambda *_: (proc.terminate(), sys.exit(143)))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_demo(args) -> int:
    """The whole job offline: the nightly run twice over every site with a recorded copy of its own."""
    from sdcrawl.registry import load_registry

    data_dir = Path(args.data_dir)
    _demo_folder(data_dir, args.keep)
    print(f"sdcrawl demo: serving the recorded copies in {RECORDED} on 127.0.0.1 and running the nightly job into {data_dir}/")
    own = [s for s in load_registry() if (RECORDED / s / "manifest.toml").exists()]  # the sites with a copy of their own
    # the copies hold articles from 2012 on: a fixed `since` instead of the horizon back from today
    base = [sys.executable, "-m", "sdcrawl.cli", "nightly", *own, "--data-dir", str(data_dir), "--replay", str(RECORDED),
            "--since", "2000-01-01"]
    status = 0
    for title in ("First run: backfill of every site", "Second run: incremental (nothing new on the sites)"):
        print(f"\n== {title}", flush=True)
        status = max(status, _child(base))
    feed = data_dir / "feed.jsonl"
    lines = feed.read_text(encoding="utf-8").splitlines() if feed.exists() else []
    print(f"\n{feed}: {len(lines)} articles in all; runs/ holds each run's own lines and report. The newest:")
    items = sorted((json.loads(l) for l in lines), key=lambda i: i["published"], reverse=True)
    for item in items[:5]:
        print(f"  {item['published']}  {item['site']:<15} {item['title'][:70]}  [{', '.join(item['topics'])}]")
    return status
