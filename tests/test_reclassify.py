"""`sdcrawl reclassify`: articles an older rule rejected come back with the current classifier,
once each, fetching nothing; a second run adds nothing; a kill part way loses and duplicates
nothing (issue 14)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sdcrawl.settings as project_settings
from sdcrawl.tools.testing import RECORDED, REPO, read_feed, read_report, run_sdcrawl
from sdcrawl.urls import article_id

TESTS = Path(__file__).parent
OLDER = {**project_settings.ITEM_PIPELINES, "sdcrawl.pipelines.classify.ClassifyPipeline": None,
         "olderrule.OlderRuleClassify": 150}
ENV = {"PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
EXPECTED = json.loads((RECORDED / "stopini" / "expected.json").read_text(encoding="utf-8"))
SUPERVISION = next(i for i in EXPECTED if "supervīz" in i["title"])


def crawl_with_the_older_rule(data: Path) -> None:
    proc = run_sdcrawl("crawl", "stopini", "--replay", str(RECORDED / "stopini"), "--data-dir", str(data),
                       "--since", "2000-01-01", "-s", f"ITEM_PIPELINES={json.dumps(OLDER)}", env=ENV)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_reclassify_brings_back_what_an_older_rule_rejected_once(tmp_path):
    data = tmp_path / "data"
    crawl_with_the_older_rule(data)
    feed = data / "feed.jsonl"
    assert sorted(i["id"] for i in read_feed(feed)) == sorted(i["id"] for i in EXPECTED if i is not SUPERVISION)
    kept = [json.loads(l) for l in (data / "rejected.jsonl").read_text(encoding="utf-8").splitlines()]
    assert SUPERVISION["id"] in {k["id"] for k in kept}

    first = run_sdcrawl("reclassify", "--data-dir", str(data))
    assert first.returncode == 0, first.stderr[-3000:]
    assert "1 now relevant and added to the feed" in first.stdout
    items = read_feed(feed)
    assert sorted(i["id"] for i in items) == sorted(i["id"] for i in EXPECTED)
    back = next(i for i in items if i["id"] == SUPERVISION["id"])
    assert {k: v for k, v in back.items() if k != "scraped_at"} == SUPERVISION  # as the crawl would have stored it
    report = read_report(data)
    assert report["kind"] == "reclassify" and report["new_items"] == 1

    size = feed.stat().st_size
    second = run_sdcrawl("reclassify", "--data-dir", str(data))
    assert second.returncode == 0 and "0 now relevant" in second.stdout
    assert feed.stat().st_size == size
    # the page is known again: a crawl with the current rule fetches and adds nothing
    again = run_sdcrawl("crawl", "stopini", "--replay", str(RECORDED / "stopini"), "--data-dir", str(data),
                        "--since", "2000-01-01")
    assert again.returncode == 0 and feed.stat().st_size == size


def test_a_kill_part_way_loses_and_duplicates_nothing(tmp_path):
    data = tmp_path / "data"
    crawl_with_the_older_rule(data)
    kept = json.loads((data / "rejected.jsonl").read_text(encoding="utf-8").splitlines()[0])
    # many kept copies of a supervision article (other addresses, other titles), so that the kill lands part way
    many = []
    for n in range(1500):
        url = f"https://stopini.lv/lv/jaunumi/socialie-pakalpojumi/supervizijas-grupa-{n}"
        many.append({**kept, "url": url, "id": article_id("stopini", url), "_fetched_urls": [url],
                     "title": f"{SUPERVISION['title']} ({n}. grupa)", "body": f"{SUPERVISION['body']}\n\nGrupa Nr. {n}."})
    with open(data / "rejected.jsonl", "a", encoding="utf-8") as f:
        for item in many:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    feed = data / "feed.jsonl"
    start_lines = feed.read_bytes().count(b"\n")
    child = subprocess.Popen([sys.executable, "-m", "sdcrawl.cli", "reclassify", "--data-dir", str(data)], cwd=REPO,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and feed.read_bytes().count(b"\n") < start_lines + 100 and child.poll() is None:
        time.sleep(0.01)
    assert child.poll() is None, "reclassify ended before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert start_lines + 100 <= feed.read_bytes().count(b"\n") < start_lines + 1 + len(many)
    again = run_sdcrawl("reclassify", "--data-dir", str(data), timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    ids = [i["id"] for i in read_feed(feed)]
    assert len(ids) == len(set(ids)), "an article twice"
    assert set(ids) == {i["id"] for i in EXPECTED} | {m["id"] for m in many}
    runs = sorted((data / "runs").glob("*.jsonl"))
    assert b"".join(p.read_bytes() for p in runs) == feed.read_bytes()  # the killed run's lines have their file
