"""The operator's path through the real commands: nothing deleted that a command did not create,
one plain line (and a distinct exit status) for every expected failure, and a data folder that
the next run completes after a read-only or full disk."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sdcrawl.errors import EXIT_BUSY, EXIT_DATA, EXIT_USAGE
from sdcrawl.tools.testing import RECORDED, RECORDED_SINCE, REPO, read_feed, run_sdcrawl

STOPINI = RECORDED / "stopini"


def crawl_args(data: Path, *extra: str) -> list[str]:
    return ["crawl", "stopini", "--replay", str(STOPINI), "--data-dir", str(data), "--since", RECORDED_SINCE, *extra]


def one_line(text: str) -> str:
    lines = [l for l in text.splitlines() if l.strip()]
    assert len(lines) == 1, text[-3000:]
    assert "Traceback" not in text
    return lines[0]


def feed_is_valid(path: Path) -> list[dict]:
    data = path.read_bytes()
    assert data == b"" or data.endswith(b"\n")
    items = [json.loads(line) for line in data.splitlines()]
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)), "an article twice"
    return items


# --- demo ---------------------------------------------------------------------------------------
def test_demo_keeps_what_it_did_not_write(tmp_path):
    folder = tmp_path / "X"
    folder.mkdir()
    (folder / "important.txt").write_text("hi\n", encoding="utf-8")
    first = run_sdcrawl("demo", "--data-dir", str(folder), timeout=300)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    assert (folder / "important.txt").read_text(encoding="utf-8") == "hi\n"
    assert len(read_feed(folder / "feed.jsonl")) == 20
    # a second demo starts afresh: its own files replaced, the operator's file still there
    (folder / "runs" / "notes-by-hand.txt").write_text("mine\n", encoding="utf-8")
    second = run_sdcrawl("demo", "--data-dir", str(folder), timeout=300)
    assert second.returncode == 0, second.stderr[-2000:]
    assert (folder / "important.txt").exists() and (folder / "runs" / "notes-by-hand.txt").exists()
    assert len(read_feed(folder / "feed.jsonl")) == 20
    assert len(list((folder / "runs").glob("*.report.json"))) == 2  # the first demo's runs are gone


def test_demo_refuses_a_folder_with_a_feed_it_did_not_write(tmp_path):
    (tmp_path / "feed.jsonl").write_text('{"id": "x-1"}\n', encoding="utf-8")
    proc = run_sdcrawl("demo", "--data-dir", str(tmp_path))
    assert proc.returncode == EXIT_USAGE
    assert "holds a feed or state that `sdcrawl demo` did not write" in one_line(proc.stderr)
    assert (tmp_path / "feed.jsonl").read_text(encoding="utf-8") == '{"id": "x-1"}\n'


def test_killing_demo_takes_its_child_along(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "sdcrawl.cli", "demo", "--data-dir", str(tmp_path / "d")], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 60
        child = None
        while time.monotonic() < deadline and child is None:
            out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
            child = int(out[0]) if out else None
            time.sleep(0.05)
        assert child is not None, "demo started no child"
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and Path(f"/proc/{child}").exists():
            status = Path(f"/proc/{child}/stat").read_text().split()[2] if Path(f"/proc/{child}").exists() else "X"
            if status == "Z":
                break
            time.sleep(0.1)
        alive = Path(f"/proc/{child}").exists() and Path(f"/proc/{child}/stat").read_text().split()[2] != "Z"
        assert not alive, "the nightly child outlived the killed demo"
    finally:
        proc.kill()


# --- arguments ------------------------------------------------------------------------------------
@pytest.mark.parametrize("budget", ["0", "-3", "x"])
def test_a_page_budget_below_one_is_refused(tmp_path, budget):
    proc = run_sdcrawl(*crawl_args(tmp_path, "--page-budget", budget))
    assert proc.returncode == EXIT_USAGE
    assert "--page-budget" in proc.stderr.splitlines()[-1]
    assert not (tmp_path / "feed.jsonl").exists()


def test_check_checks_as_many_articles_as_asked():
    proc = run_sdcrawl("check", "stopini", "--replay", str(STOPINI), "--articles", "1")
    assert proc.stdout.splitlines()[0] == "stopini: 1 article(s) checked", proc.stdout + proc.stderr
    assert "1/1 found" in proc.stdout


def test_sites_with_a_broken_registry_entry_says_which(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    (seeds / "stopini.toml").write_text((seeds / "stopini.toml").read_text(encoding="utf-8") + "colour = 'blue'\n",
                                        encoding="utf-8")
    for argv in (["sites"], crawl_args(tmp_path / "d")):
        proc = run_sdcrawl(*argv, env={"SDCRAWL_SEEDS_DIR": str(seeds)})
        assert proc.returncode == EXIT_USAGE
        line = one_line(proc.stderr)
        assert "stopini.toml" in line and "colour" in line
    proc = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "crawl", "stopini"], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "SDCRAWL_SEEDS_DIR": str(seeds)})
    assert proc.returncode == EXIT_USAGE
    assert "stopini.toml" in one_line(proc.stderr)


def test_scrapy_crawl_exits_non_zero_when_the_site_failed(tmp_path):
    down = tmp_path / "down"
    shutil.copytree(STOPINI, down)
    manifest = (down / "manifest.toml").read_text(encoding="utf-8")
    entry = '[[page]]\nurl = "/lv/jaunumi/socialie-pakalpojumi"\nfile = "listing-1.html"\n'
    assert entry in manifest
    (down / "manifest.toml").write_text(manifest.replace(entry, ""), encoding="utf-8")  # the listing answers 404
    from sdcrawl.replay import ReplayServer

    with ReplayServer([down]) as server:
        proc = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "crawl", "stopini", "-s",
                               f"SDCRAWL_LOOPBACK_HOSTS={json.dumps(server.hosts_setting)}", "-s", f"SDCRAWL_DATA_DIR={tmp_path / 'd'}",
                               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
                              cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr[-2000:]


def test_new_site_that_finds_no_news_writes_nothing(tmp_path):
    copy = tmp_path / "tuksnesis"
    copy.mkdir()
    (copy / "manifest.toml").write_text('hosts = ["tuksnesis.lv"]\n\n[[page]]\nurl = "/"\nfile = "home.html"\n',
                                        encoding="utf-8")
    (copy / "home.html").write_text("<!DOCTYPE html><html lang=lv><head><title>Tuksnesis</title></head>"
                                    "<body><h1>Lapa tiek veidota</h1><p>Drīzumā šeit būs saturs.</p></body></html>",
                                    encoding="utf-8")
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    before = sorted(p.name for p in seeds.iterdir())
    pkgs = tmp_path / "pkgs" / "newspiders"
    pkgs.mkdir(parents=True)
    (pkgs / "__init__.py").write_text("", encoding="utf-8")
    env = {"SDCRAWL_SEEDS_DIR": str(seeds), "SDCRAWL_SPIDER_MODULES": "newspiders",
           "PYTHONPATH": os.pathsep.join([str(tmp_path / "pkgs"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    proc = run_sdcrawl("new-site", "tuksnesis", "--url", "https://tuksnesis.lv/", "--name", "Tuksneša novads",
                       "--replay", str(copy), env=env)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("sdcrawl: found no news at https://tuksnesis.lv/ ")
    assert sorted(p.name for p in seeds.iterdir()) == before
    assert [p.name for p in pkgs.iterdir()] == ["__init__.py"]


# --- a busy, read-only or full data folder ------------------------------------------------------
def test_a_second_writer_of_a_data_folder_is_told_in_one_line(tmp_path):
    from sdcrawl.replay import ReplayServer
    from sdcrawl.tools.testing import nightly_args

    data = tmp_path / "data"
    with ReplayServer([RECORDED]) as server:
        slow = subprocess.Popen([sys.executable, "-m", "sdcrawl.cli", *nightly_args(server, data, "-s", "DOWNLOAD_DELAY=0.5")],
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not (data / "sdcrawl.lock").exists():
                time.sleep(0.05)
            time.sleep(0.5)
            proc = run_sdcrawl(*crawl_args(data))
            assert proc.returncode == EXIT_BUSY
            assert one_line(proc.stderr) == (f"sdcrawl crawl: {data} is in use by sdcrawl nightly (pid {slow.pid}); "
                                             "try again when it has finished; not starting")
        finally:
            slow.wait(timeout=120)
    assert slow.returncode == 0
    feed_is_valid(data / "feed.jsonl")


def in_namespace(script: str, timeout: float = 240) -> subprocess.CompletedProcess:
    """Run a shell script in a private mount namespace (its mounts vanish with it)."""
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-ec", script], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "SDCRAWL_LOG_LEVEL": "WARNING"})


def sdcrawl_cmd(*args: str) -> str:
    return " ".join([sys.executable, "-m", "sdcrawl.cli", *(f"'{a}'" for a in args)])


def test_a_read_only_data_folder_gives_one_line_and_the_next_run_completes(tmp_path):
    data = tmp_path / "data"
    first = run_sdcrawl(*crawl_args(data, "--page-budget", "1"))
    assert first.returncode == 0, first.stderr[-2000:]
    before = (data / "feed.jsonl").read_bytes()
    for command in (crawl_args(data), ["nightly", "stopini", "--replay", str(STOPINI), "--data-dir", str(data)]):
        proc = in_namespace(f"mount --bind '{data}' '{data}'; mount -o remount,ro,bind '{data}'; "
                            f"{sdcrawl_cmd(*command)} 2>'{tmp_path / 'err'}' >/dev/null || echo $? > '{tmp_path / 'status'}'")
        assert proc.returncode == 0, proc.stderr
        assert int((tmp_path / "status").read_text()) == EXIT_DATA
        line = one_line((tmp_path / "err").read_text())
        assert line.startswith("sdcrawl: cannot write ") and "read-only file system" in line, line
        assert (data / "feed.jsonl").read_bytes() == before
    again = run_sdcrawl(*crawl_args(data))
    assert again.returncode == 0, again.stderr[-2000:]
    assert len(feed_is_valid(data / "feed.jsonl")) == 3


def test_a_full_disk_gives_one_line_and_the_next_run_completes(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    out.mkdir()
    data.mkdir()
    script = textwrap.dedent(f"""
        mount -t tmpfs -o size=72k tmpfs '{data}'
        status=0; {sdcrawl_cmd(*crawl_args(data))} 2>'{out}/err1' >/dev/null || status=$?
        echo $status > '{out}/status1'
        cp '{data}/feed.jsonl' '{out}/feed1' 2>/dev/null || : > '{out}/feed1'
        mount -o remount,size=64m '{data}'
        status=0; {sdcrawl_cmd(*crawl_args(data))} 2>'{out}/err2' >/dev/null || status=$?
        echo $status > '{out}/status2'
        cp '{data}/feed.jsonl' '{out}/feed2'
        ls '{data}/runs' > '{out}/runs2'
    """)
    proc = in_namespace(script)
    assert proc.returncode == 0, proc.stderr
    assert int((out / "status1").read_text()) == EXIT_DATA, (out / "err1").read_text()[-3000:]
    line = one_line((out / "err1").read_text())
    assert line.startswith("sdcrawl: cannot write ") and "disk is full" in line, line
    assert len(feed_is_valid(out / "feed1")) < 3
    assert int((out / "status2").read_text()) == 0, (out / "err2").read_text()[-3000:]
    assert len(feed_is_valid(out / "feed2")) == 3


def test_a_state_from_a_newer_sdcrawl_gives_one_line_and_changes_nothing(tmp_path):
    import sqlite3

    data = tmp_path / "data"
    first = run_sdcrawl(*crawl_args(data))
    assert first.returncode == 0, first.stderr[-2000:]
    with sqlite3.connect(data / "state.sqlite") as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    feed = (data / "feed.jsonl").read_bytes()
    runs = sorted(p.name for p in (data / "runs").iterdir())
    proc = run_sdcrawl("nightly", "stopini", "--replay", str(STOPINI), "--data-dir", str(data))
    assert proc.returncode == EXIT_DATA
    line = one_line(proc.stderr)
    assert line.startswith(f"sdcrawl: {data / 'state.sqlite'} has state schema version 99, written by a newer sdcrawl")
    assert (data / "feed.jsonl").read_bytes() == feed
    assert sorted(p.name for p in (data / "runs").iterdir()) == runs


def test_try_never_removes_a_feed_it_did_not_write(tmp_path):
    """`try --data-dir` pointed at a real data folder by mistake: refused, nothing removed."""
    (tmp_path / "feed.jsonl").write_text('{"id": "x-1"}\n', encoding="utf-8")
    (tmp_path / "state.sqlite").write_bytes(b"")
    proc = run_sdcrawl("try", "https://ropazi.lv/", "--data-dir", str(tmp_path), "--replay",
                       str(REPO / "tests" / "fixtures" / "sites" / "try" / "ropazi"))
    assert proc.returncode == EXIT_USAGE
    assert "holds a feed or state that `sdcrawl try` did not write" in one_line(proc.stderr)
    assert (tmp_path / "feed.jsonl").read_text(encoding="utf-8") == '{"id": "x-1"}\n'
    assert (tmp_path / "state.sqlite").exists()
