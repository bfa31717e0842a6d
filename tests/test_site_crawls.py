"""Every registry site with a recorded copy of its own, crawled from it over loopback through the
real engine, spiders and pipelines, gives exactly its expected feed (recorded/<id>/expected.json).
(The other entries are served their platform's copy: test_registry_replay.py.)"""

import json

import pytest

from sdcrawl.registry import load_registry
from sdcrawl.tools.testing import RECORDED, comparable, crawl_recorded, expected_path

SITES = sorted(s for s in load_registry() if (RECORDED / s / "manifest.toml").exists())


@pytest.mark.parametrize("site_id", SITES)
def test_crawl_matches_expected_feed(site_id, tmp_path):
    proc, items = crawl_recorded(site_id, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = json.loads(expected_path(site_id).read_text(encoding="utf-8"))
    assert comparable(items) == expected
    # each article once
    assert len({i["id"] for i in items}) == len(items)
    assert len({i["url"] for i in items}) == len(items)
