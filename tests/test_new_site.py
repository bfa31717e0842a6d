"""`sdcrawl new-site` then `sdcrawl record` on a loopback copy of a site the registry lacks (the
`?id=&lid=` CMS of kekava.lv), in a temporary project (SDCRAWL_SEEDS_DIR, a temporary spider
package through SDCRAWL_SPIDER_MODULES): the generated spider, recorded copy and expected feed are
right, and the generated test passes in a pytest child process. Plus the refusals: bad ids, ids
taken, files that exist (without --force). Nothing is left in the repository's folders."""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from sdcrawl.replay import DEFAULT_ROBOTS
from sdcrawl.tools.testing import REPO, run_sdcrawl

TRY = Path(__file__).parent / "fixtures" / "sites" / "try"
KEKAVA = TRY / "kekava"
URL = "https://www.kekava.lv/?id=212"
WATCHED = [REPO / "seeds", REPO / "sdcrawl" / "spiders", REPO / "recorded", REPO / "tests" / "sites_generated"]


def snapshot() -> set[str]:
    return {str(p) for folder in WATCHED if folder.exists() for p in folder.rglob("*") if "__pycache__" not in p.parts}


def temp_project(tmp: Path) -> tuple[Path, dict]:
    """A project outside the repository: seeds/ (with the registry's entries), a spider package."""
    root = tmp / "project"
    (root / "seeds").mkdir(parents=True)
    for entry in (REPO / "seeds").glob("*.toml"):
        (root / "seeds" / entry.name).write_text(entry.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp / "pkgs" / "newspiders").mkdir(parents=True)
    (tmp / "pkgs" / "newspiders" / "__init__.py").write_text("", encoding="utf-8")
    env = {"SDCRAWL_SEEDS_DIR": str(root / "seeds"), "SDCRAWL_SPIDER_MODULES": "newspiders",
           "PYTHONPATH": os.pathsep.join([str(tmp / "pkgs"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    return root, env


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """new-site, then record, then the generated test in a pytest child process."""
    before = snapshot()
    tmp = tmp_path_factory.mktemp("newsite")
    root, env = temp_project(tmp)
    new = run_sdcrawl("new-site", "kekava", "--url", URL, "--name", "Ķekavas novads", "--replay", str(KEKAVA), env=env)
    rec = run_sdcrawl("record", "kekava", "--replay", str(KEKAVA), env=env)
    generated = root / "tests" / "sites_generated" / "test_kekava.py"
    test = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(generated)],
                          cwd=tmp, env={**os.environ, **env}, capture_output=True, text=True, timeout=180)
    return dict(root=root, tmp=tmp, env=env, new=new, rec=rec, test=test, before=before, after=snapshot())


def test_new_site_writes_the_entry_the_spider_and_the_test(made):
    assert made["new"].returncode == 0, made["new"].stderr[-3000:]
    root = made["root"]
    entry = tomllib.loads((root / "seeds" / "kekava.toml").read_text(encoding="utf-8"))
    assert entry["id"] == "kekava" and entry["municipality"] == "Ķekavas novads" and entry["platform"] == "custom"
    assert entry["start_urls"] == [URL] and entry["home"] == "https://www.kekava.lv/"
    assert "feeds" not in entry and "sitemaps" not in entry
    spider = (made["tmp"] / "pkgs" / "newspiders" / "kekava.py").read_text(encoding="utf-8")
    assert "class KekavaSpider(NewsSpider):" in spider
    assert 'listing_links = ".news_title a"' in spider
    assert 'next_page = ".paging a:contains(\\"»\\")"' in spider
    # the article selectors were worked out on the sample articles: the date is the one closing the text
    assert 'selectors = Selectors(title="#content h1", date="#content p i", body="#content .news_text")' in spider
    assert "wrote" in made["new"].stdout and "sdcrawl record kekava" in made["new"].stdout


def test_record_saves_two_listing_pages_five_articles_a_manifest_and_notes(made):
    assert made["rec"].returncode == 0, made["rec"].stderr[-3000:]
    copy = made["root"] / "recorded" / "kekava"
    manifest = tomllib.loads((copy / "manifest.toml").read_text(encoding="utf-8"))
    assert manifest["hosts"] == ["kekava.lv", "www.kekava.lv"]
    urls = {p["url"]: p.get("file") for p in manifest["page"]}
    assert urls["/?id=212"] == "listing-1.html" and urls["/?id=212&pg=2"] == "listing-2.html"
    articles = sorted(u for u in urls if "lid=" in u)
    assert articles == ["/?id=212&lid=6930", "/?id=212&lid=6961", "/?id=212&lid=6988", "/?id=212&lid=7019", "/?id=212&lid=7034"]
    assert urls["/?id=212&lid=7034"] == "reference.html"  # the newest relevant article
    original = {p["url"]: p["file"] for p in tomllib.loads((KEKAVA / "manifest.toml").read_text(encoding="utf-8"))["page"]}
    for url, name in urls.items():  # the bytes the site sent
        sent = DEFAULT_ROBOTS if url == "/robots.txt" else (KEKAVA / original[url]).read_bytes()
        assert (copy / name).read_bytes() == sent
    notes = (copy / "NOTES.md").read_text(encoding="utf-8")
    assert "Recorded by `sdcrawl record kekava`" in notes and "UTC" in notes and "https://www.kekava.lv/?id=212&lid=7034" in notes


def test_the_expected_feed_has_the_right_articles_and_dates_from_the_sites_own_selectors(made):
    expected = json.loads((made["root"] / "recorded" / "kekava" / "expected.json").read_text(encoding="utf-8"))
    got = sorted((i["url"], i["title"], i["published"]) for i in expected)
    assert got == [
        ("https://www.kekava.lv/?id=212&lid=6930", "Pieredzes apmaiņa ar Olaines novada sociālo dienestu", "2021-09-24"),
        ("https://www.kekava.lv/?id=212&lid=6961", "Sociālie darbinieki apgūst darbu ar pusaudžiem", "2021-10-08"),
        ("https://www.kekava.lv/?id=212&lid=6988", "Uzsākts projekts „Atbalsts senioriem Ķekavas novadā”", "2021-10-21"),
        ("https://www.kekava.lv/?id=212&lid=7034", "Sociālā dienesta speciālisti piedalās supervīzijās", "2021-11-09"),
    ]  # 7019 (opening hours) is not relevant
    assert all(i["site"] == "kekava" and i["municipality"] == "Ķekavas novads" for i in expected)
    assert all(i["provenance"]["published"] == "site" and i["provenance"]["title"] == "site" for i in expected)


def test_the_generated_test_passes(made):
    assert made["test"].returncode == 0, made["test"].stdout[-3000:] + made["test"].stderr[-2000:]
    assert "1 passed" in made["test"].stdout


def test_nothing_was_left_in_the_repository(made):
    assert made["after"] == made["before"]


def test_both_refuse_to_overwrite_without_force(made):
    env = made["env"]
    proc = run_sdcrawl("new-site", "kekava", "--url", URL, "--name", "Ķekavas novads", "--replay", str(KEKAVA), env=env)
    assert proc.returncode == 2 and "already in the registry" in proc.stderr and "--force" in proc.stderr
    proc = run_sdcrawl("record", "kekava", "--replay", str(KEKAVA), env=env)
    assert proc.returncode == 2 and "holds a recorded copy; --force records it again" in proc.stderr


@pytest.mark.parametrize("site_id, message", [
    ("Kekava", "bad site id 'Kekava'"),
    ("2kekava", "bad site id '2kekava'"),
    ("ķekava", "bad site id 'ķekava'"),
    ("stopini", "site 'stopini' is already in the registry"),
    ("generic", "'generic' is the name of another spider"),
])
def test_new_site_checks_the_id(site_id, message, tmp_path):
    _, env = temp_project(tmp_path)
    proc = run_sdcrawl("new-site", site_id, "--url", URL, "--name", "X", env=env)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"sdcrawl: {message}") and proc.stderr.count("\n") == 1
    assert not (tmp_path / "pkgs" / "newspiders" / f"{site_id}.py").exists()


def test_new_site_refuses_a_file_in_the_way(tmp_path):
    root, env = temp_project(tmp_path)
    (tmp_path / "pkgs" / "newspiders" / "kekava.py").write_text("# by hand\n", encoding="utf-8")
    proc = run_sdcrawl("new-site", "kekava", "--url", URL, "--name", "X", env=env)
    assert proc.returncode == 2 and "kekava.py exists; --force overwrites it" in proc.stderr
    assert (tmp_path / "pkgs" / "newspiders" / "kekava.py").read_text(encoding="utf-8") == "# by hand\n"
    assert not (root / "seeds" / "kekava.toml").exists()


def test_record_needs_a_registry_site(tmp_path):
    _, env = temp_project(tmp_path)
    proc = run_sdcrawl("record", "kekava", env=env)
    assert proc.returncode == 2 and proc.stderr.startswith("sdcrawl: unknown site 'kekava'")
    assert "sdcrawl new-site kekava" in proc.stderr
