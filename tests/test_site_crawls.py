"""Every registry site, crawled from its recorded copy over loopback through the real engine,
spiders and pipelines, gives exactly its expected feed (recorded/<id>/expected.json)."""

import json

import pytest

from sdcrawl.registry import load_registry
from sdcrawl.tools.testing import comparable, crawl_recorded, expected_path

SITES = sorted(load_registry())


@pytest.mark.parametrize("site_id", SITES)
def test_crawl_matches_expected_feed(site_id, tmp_path):
    proc, items = crawl_recorded(site_id, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = json.loads(expected_path(site_id).read_text(encoding="utf-8"))
    assert comparable(items) == expected
    # each article once
    assert len({i["id"] for i in items}) == len(items)
    assert len({i["url"] for i in items}) == len(items)
