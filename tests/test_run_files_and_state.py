"""Held-out faults of the run bookkeeping (issue 13, items 2 and 5), through the real commands:
the run files partition the feed whoever wrote it, every path follows the settings, and a damaged
state is set aside and rebuilt from the feed, with a line in the report."""

import json
import os
from pathlib import Path

from sdcrawl.replay import ReplayServer
from sdcrawl.tools.testing import RECORDED, nightly_args, read_feed, read_report, run_sdcrawl


def run_files_in_order(data: Path) -> bytes:
    runs = data / "runs"
    ids = sorted(p.name.removesuffix(".report.json") for p in runs.glob("*.report.json"))
    return b"".join((runs / f"{run_id}.jsonl").read_bytes() for run_id in ids)


def ids_once(feed: Path) -> list[str]:
    ids = [item["id"] for item in read_feed(feed)]
    assert len(ids) == len(set(ids)), "an article twice in the feed"
    return ids


def test_a_crawl_between_two_nightly_runs_has_its_own_run_file(tmp_path):
    data = tmp_path / "data"
    with ReplayServer([RECORDED]) as server:
        routes = json.dumps(server.hosts_setting)
        first = run_sdcrawl(*nightly_args(server, data), "stopini")
        assert first.returncode == 0, first.stderr[-2000:]
        by_hand = run_sdcrawl("crawl", "socd", "--data-dir", str(data), "--since", "2000-01-01",
                              "-s", f"SDCRAWL_LOOPBACK_HOSTS={routes}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")
        assert by_hand.returncode == 0, by_hand.stderr[-2000:]
        last = run_sdcrawl(*nightly_args(server, data), "lm")
        assert last.returncode == 0, last.stderr[-2000:]
    feed = data / "feed.jsonl"
    assert len(ids_once(feed)) == 3 + 4 + 3
    assert run_files_in_order(data) == feed.read_bytes()
    kinds = sorted(json.loads(p.read_text(encoding="utf-8"))["kind"] for p in (data / "runs").glob("*.report.json"))
    assert kinds == ["crawl", "nightly", "nightly"]


def test_nightly_writes_where_the_settings_say(tmp_path):
    data, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    with ReplayServer([RECORDED / "stopini"]) as server:
        proc = run_sdcrawl(*nightly_args(server, data, "-s", f"SDCRAWL_FEED_PATH={elsewhere / 'feed.jsonl'}",
                                         "-s", f"SDCRAWL_RUNS_DIR={elsewhere / 'runs'}"), "stopini")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not (data / "feed.jsonl").exists()
    lines = (elsewhere / "feed.jsonl").read_bytes()
    assert lines.count(b"\n") == 3
    report = read_report(elsewhere)
    assert report["new_items"] == 3 and report["feed"] == str(elsewhere / "feed.jsonl")
    assert (elsewhere / "runs" / f"{report['run_id']}.jsonl").read_bytes() == lines
    assert "(3 new article(s)" in proc.stdout


def damage_and_rerun(tmp_path, damage) -> tuple[Path, dict]:
    data = tmp_path / "data"
    with ReplayServer([RECORDED / "stopini"]) as server:
        first = run_sdcrawl(*nightly_args(server, data), "stopini")
        assert first.returncode == 0, first.stderr[-2000:]
        before = (data / "feed.jsonl").read_bytes()
        damage(data / "state.sqlite")
        second = run_sdcrawl(*nightly_args(server, data), "stopini")
    assert second.returncode == 0, second.stdout + second.stderr[-3000:]
    assert "Traceback" not in second.stderr
    assert (data / "feed.jsonl").read_bytes() == before, "nothing is fetched twice: the state knew it all again"
    report = read_report(data)
    assert report["new_items"] == 0
    assert report["state_set_aside"].startswith(f"the crawl state {data / 'state.sqlite'} was damaged (")
    assert "Note: the crawl state" in second.stdout
    kept = [p for p in data.glob("state.sqlite.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and kept[0].name in report["state_set_aside"]
    return data, report


def test_a_truncated_state_is_set_aside_and_rebuilt_from_the_feed(tmp_path):
    def truncate(path: Path) -> None:
        size = path.stat().st_size
        with open(path, "r+b") as f:
            f.truncate(size // 3)
        for extra in ("-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)

    damage_and_rerun(tmp_path, truncate)


def test_random_bytes_in_the_states_pages_are_noticed(tmp_path):
    def scribble(path: Path) -> None:
        for extra in ("-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        data = bytearray(path.read_bytes())
        assert len(data) > 3 * 4096
        for page in range(1, len(data) // 4096, 2):  # every other page after the first (the header stays)
            data[page * 4096 + 8: (page + 1) * 4096 - 8] = os.urandom(4096 - 16)
        path.write_bytes(bytes(data))

    damage_and_rerun(tmp_path, scribble)


def nightly_twice_after(tmp_path, damage) -> tuple[Path, list, list]:
    """A first run, the feed damaged by `damage(feed)`, then two more runs: (data, reports, stderrs)."""
    data = tmp_path / "data"
    reports, errors = [], []
    with ReplayServer([RECORDED / "stopini"]) as server:
        first = run_sdcrawl(*nightly_args(server, data), "stopini")
        assert first.returncode == 0, first.stderr[-2000:]
        damage(data / "feed.jsonl")
        for _ in range(2):
            proc = run_sdcrawl(*nightly_args(server, data), "stopini")
            assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
            reports.append(read_report(data))
            errors.append(proc.stderr)
    return data, reports, errors


def valid_lines(feed: Path) -> list[dict]:
    out = []
    for raw in feed.read_bytes().splitlines():
        try:
            out.append(json.loads(raw))
        except ValueError:
            continue
    return out


def test_a_garbage_line_in_the_middle_of_the_feed_is_reported_once(tmp_path):
    def insert_garbage(feed: Path) -> None:
        lines = feed.read_bytes().splitlines(keepends=True)
        feed.write_bytes(lines[0] + b"\x00\x13garbage, not JSON\n" + b"".join(lines[1:]))

    data, reports, errors = nightly_twice_after(tmp_path, insert_garbage)
    assert reports[0]["feed_damage"].startswith("1 damaged line(s) in feed.jsonl (not JSON; ending at byte ")
    assert reports[1]["feed_damage"] is None  # said once, not on every run
    assert "ERROR" not in errors[1] and "not JSON" not in errors[1]
    ids = [i["id"] for i in valid_lines(data / "feed.jsonl")]
    assert len(ids) == len(set(ids)) == 3
    assert reports[0]["new_items"] == reports[1]["new_items"] == 0


def test_a_line_overwritten_in_place_is_fetched_again_once(tmp_path):
    lost = {}

    def overwrite(feed: Path) -> None:
        lines = feed.read_bytes().splitlines(keepends=True)
        lost.update(json.loads(lines[1]))
        lines[1] = b"#" * (len(lines[1]) - 1) + b"\n"  # the same length: every other offset stays
        feed.write_bytes(b"".join(lines))

    data, reports, errors = nightly_twice_after(tmp_path, overwrite)
    assert f"1 article(s) whose line was lost will be fetched again: {lost['id']}" in reports[0]["feed_damage"]
    assert reports[0]["new_items"] == 1 and reports[1]["new_items"] == 0
    items = valid_lines(data / "feed.jsonl")
    assert sorted(i["id"] for i in items) == sorted({i["id"] for i in items})  # each once
    assert len(items) == 3 and lost["id"] in {i["id"] for i in items}
