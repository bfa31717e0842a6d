"""The site registry: validated on load; every entry says what it is and shows its evidence; one
owner per host; every entry not marked for `sdcrawl try` crawls with a base spider and is served a
recorded copy of its platform; the reference sites keep their own copies."""

import subprocess
import sys
from datetime import date

import pytest

from sdcrawl.registry import RegistryError, load_registry, registry_problems
from sdcrawl.spiderloader import platform_bases
from sdcrawl.tools.testing import RECORDED, REPO

SITES = load_registry()
REFERENCE = ["bauskasnovads", "iecava", "lm", "rezeknesnovads", "socd", "stopini"]
GOOD = """id = "{id}"
name = "X sociālais dienests"
municipality = "X novads"
home = "https://x.lv/"
kind = "local_government"
platform = "wordpress"
start_urls = ["https://x.lv/jaunumi/"]
evidence = ["https://x.lv/jaunumi/"]
"""


def entry(site_id: str, host: str, *extra: str, platform: str = "wordpress", kind: str = "local_government",
          evidence: str | None = None) -> str:
    lines = [f'id = "{site_id}"', f'name = "{site_id}"', f'municipality = "{site_id} novads"', f'home = "https://{host}/"',
             f'kind = "{kind}"', f'platform = "{platform}"', f'start_urls = ["https://{host}/jaunumi/"]',
             f'evidence = ["{evidence or f"https://{host}/jaunumi/x"}"]', *extra]
    return "\n".join(lines) + "\n"


def registry_of(tmp_path, **entries: str) -> dict:
    for site_id, text in entries.items():
        (tmp_path / f"{site_id}.toml").write_text(text, encoding="utf-8")
    return load_registry(tmp_path)


def test_the_reference_sites_keep_their_ids_and_own_copies():
    assert set(REFERENCE) <= set(SITES)
    assert sorted(s for s in SITES if (RECORDED / s / "manifest.toml").exists()) == REFERENCE
    assert SITES["iecava"].kind == SITES["stopini"].kind == "archive"
    assert (SITES["iecava"].successor, SITES["stopini"].successor) == ("bauskasnovads", "ropazi")


def test_scrapy_list_prints_every_registry_site():
    out = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "list"], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split() == sorted([*SITES, "generic"])  # generic: `sdcrawl try` on any site


@pytest.mark.parametrize("site_id", REFERENCE)
def test_every_reference_site_has_a_recorded_copy_with_expected_feed(site_id):
    folder = RECORDED / site_id
    assert (folder / "manifest.toml").is_file()
    assert (folder / "expected.json").is_file()
    assert (folder / "reference.html").is_file()


def test_the_real_registry_has_no_problems():
    # one owner per host, evidence on the entry's hosts, successors present, and every entry not
    # marked for `sdcrawl try` on a platform with a base spider and a recorded copy
    assert registry_problems(SITES, RECORDED, platform_bases()) == []


def test_sdcrawl_sites_lists_forty_local_governments_and_four_state_bodies_each_with_evidence():
    out = subprocess.run([sys.executable, "-m", "sdcrawl.cli", "sites"], cwd=REPO, capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines()]
    assert sorted(row[0] for row in rows) == sorted(SITES)
    kinds = {row[0]: row[1] for row in rows}
    assert sum(k == "local_government" for k in kinds.values()) >= 40
    assert sum(k == "state_body" for k in kinds.values()) >= 4
    for row in rows:
        assert row[3] == "unverified" and int(row[4]) >= 1 and row[5] == "evidence", row
    assert {row[0] for row in rows if row[2] == "unknown?"} == {s for s, site in SITES.items() if site.platform == "unknown"}


def test_every_entry_has_evidence_and_a_kind():
    for site in SITES.values():
        assert site.evidence and all(url.startswith(("http://", "https://")) for url in site.evidence), site.id
        assert site.kind in ("local_government", "state_body", "archive"), site.id
        assert site.verified is None, site.id  # nothing has been checked against the live sites yet


def test_valid_entry_loads(tmp_path):
    (tmp_path / "x.toml").write_text(GOOD.format(id="x"), encoding="utf-8")
    site = load_registry(tmp_path)["x"]
    assert site.platform == "wordpress"
    assert site.domains == ("www.x.lv", "x.lv")


@pytest.mark.parametrize(
    "text, message",
    [
        (GOOD.format(id="x") + 'colour = "red"\n', "Additional properties are not allowed ('colour'"),
        (GOOD.format(id="y"), "id 'y' differs from the file name 'x'"),
        (GOOD.format(id="x").replace('"wordpress"', '"drupal7"'), "platform: 'drupal7' is not one of"),
        (GOOD.format(id="x").replace('start_urls = ["https://x.lv/jaunumi/"]', "start_urls = []"), "start_urls: [] should be non-empty"),
        ("id = ", "not valid TOML"),
        (GOOD.format(id="x").replace('evidence = ["https://x.lv/jaunumi/"]\n', ""), "'evidence' is a required property"),
        (GOOD.format(id="x").replace('evidence = ["https://x.lv/jaunumi/"]', "evidence = []"), "evidence: [] should be non-empty"),
        (GOOD.format(id="x").replace('evidence = ["https://x.lv/jaunumi/"]', 'evidence = ["x.lv/a"]'), "evidence/0: 'x.lv/a' does not match"),
        (GOOD.format(id="x").replace('kind = "local_government"\n', ""), "'kind' is a required property"),
        (GOOD.format(id="x").replace('"local_government"', '"novads"'), "kind: 'novads' is not one of"),
        (GOOD.format(id="x").replace('"wordpress"', '"unknown"'), "platform 'unknown' needs needs_try = true"),
        (GOOD.format(id="x") + 'verified = "2026-13-40"\n', "verified: '2026-13-40' is not a date"),
        (GOOD.format(id="x") + "verified = true\n", "verified: True is not valid under any of the given schemas"),
        (GOOD.format(id="x").replace('"local_government"', '"archive"'), "an archive entry names its successor"),
        (GOOD.format(id="x") + 'successor = "y"\n', 'successor is only for kind = "archive"'),
    ],
)
def test_bad_entries_are_one_line_errors(tmp_path, text, message):
    (tmp_path / "x.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(tmp_path)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_duplicate_ids_are_an_error(tmp_path):
    for group in ("vidzeme", "zemgale"):
        (tmp_path / group).mkdir()
        (tmp_path / group / "x.toml").write_text(GOOD.format(id="x"), encoding="utf-8")
    with pytest.raises(RegistryError, match="duplicate site id 'x'"):
        load_registry(tmp_path)


def test_supported_sites_table_is_current():
    from sdcrawl.sitesdoc import DOC, render

    assert DOC.read_text(encoding="utf-8") == render(), "docs/sites.md is stale: run python -m sdcrawl.sitesdoc"


def test_a_registry_entry_without_a_module_gets_its_platform_base(tmp_path, monkeypatch):
    from scrapy.settings import Settings

    from sdcrawl.spiderloader import RegistrySpiderLoader
    from sdcrawl.spiders.platforms import WordPressSpider

    (tmp_path / "x.toml").write_text(GOOD.format(id="x"), encoding="utf-8")
    loader = RegistrySpiderLoader(Settings({"SPIDER_MODULES": ["sdcrawl.spiders"], "SDCRAWL_SEEDS_DIR": str(tmp_path)}))
    spider = loader.load("x")
    assert spider.name == "x" and spider.__bases__ == (WordPressSpider,)
    assert loader.site_ids() == ["x"]


def test_an_entry_without_a_module_on_an_unknown_platform_gets_the_plain_base(tmp_path):
    from scrapy.settings import Settings

    from sdcrawl.spiderloader import RegistrySpiderLoader
    from sdcrawl.spiders.news import NewsSpider

    registry_of(tmp_path, y=entry("y", "y.lv", "needs_try = true", platform="unknown"))
    loader = RegistrySpiderLoader(Settings({"SPIDER_MODULES": ["sdcrawl.spiders"], "SDCRAWL_SEEDS_DIR": str(tmp_path)}))
    assert loader.load("y").__bases__ == (NewsSpider,)


def test_verified_is_false_or_the_date_check_passed(tmp_path):
    sites = registry_of(tmp_path, a=entry("a", "a.lv", "verified = false"), b=entry("b", "b.lv", "verified = 2026-11-30"),
                        c=entry("c", "c.lv", 'verified = "2026-12-01"'), d=entry("d", "d.lv"))
    assert [sites[i].verified for i in "abcd"] == [None, date(2026, 11, 30), date(2026, 12, 1), None]


def test_two_entries_on_one_host_are_a_problem_whatever_their_kind(tmp_path):
    sites = registry_of(tmp_path, a=entry("a", "same.lv"), b=entry("b", "www.same.lv", 'successor = "a"', kind="archive"))
    assert registry_problems(sites) == ["b: host same.lv is also claimed by a"]


def test_an_archive_on_its_own_old_host_is_no_problem_but_needs_its_successor(tmp_path):
    sites = registry_of(tmp_path, new=entry("new", "new.lv"), old=entry("old", "old.lv", 'successor = "new"', kind="archive"),
                        gone=entry("gone", "gone.lv", 'successor = "nosuch"', kind="archive"))
    assert registry_problems(sites) == ["gone: successor 'nosuch' is not in the registry"]


def test_evidence_off_the_entry_hosts_is_a_problem_unless_a_subdomain_or_also_host(tmp_path):
    sites = registry_of(tmp_path, a=entry("a", "a.lv", evidence="https://elsewhere.lv/lv/jaunums/x"),
                        b=entry("b", "b.lv", evidence="https://socialais.b.lv/x"),
                        c=entry("c", "c.lv", 'also_hosts = ["old-c.lv"]', evidence="https://www.old-c.lv/lv/jaunums/x"))
    assert registry_problems(sites) == ["a: evidence https://elsewhere.lv/lv/jaunums/x is not on the entry's hosts (a.lv)"]


def test_a_platform_without_a_base_spider_or_a_copy_is_a_problem_unless_marked_for_try(tmp_path):
    (tmp_path / "seeds").mkdir()
    sites = registry_of(tmp_path / "seeds", j=entry("j", "j.lv", platform="joomla"), w=entry("w", "w.lv"),
                        t=entry("t", "t.lv", "needs_try = true", platform="joomla"),
                        u=entry("u", "u.lv", "needs_try = true", platform="unknown"))
    bases = {name: cls for name, cls in platform_bases().items() if name != "joomla"}
    assert registry_problems(sites, bases=bases) == ["j: no base spider serves platform 'joomla'; mark it needs_try = true"]
    # a recorded copy of WordPress markup (w's own) but none of Joomla's
    (tmp_path / "recorded" / "w").mkdir(parents=True)
    (tmp_path / "recorded" / "w" / "manifest.toml").write_text('hosts = ["w.lv"]\n', encoding="utf-8")
    assert registry_problems(sites, tmp_path / "recorded", platform_bases()) == [
        f"j: no recorded copy of platform 'joomla' in {tmp_path / 'recorded'}"]
