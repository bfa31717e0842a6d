"""The site registry: validated on load; every entry has a spider and a recorded copy."""

import subprocess
import sys

import pytest

from sdcrawl.registry import RegistryError, load_registry
from sdcrawl.tools.testing import RECORDED, REPO

SITES = load_registry()
GOOD = """id = "{id}"
name = "X sociālais dienests"
municipality = "X novads"
home = "https://x.lv/"
platform = "wordpress"
start_urls = ["https://x.lv/jaunumi/"]
"""


def test_registry_holds_the_six_reference_sites():
    assert sorted(SITES) == ["bauskasnovads", "iecava", "lm", "rezeknesnovads", "socd", "stopini"]


def test_scrapy_list_prints_every_registry_site():
    out = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "list"], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split() == sorted([*SITES, "generic"])  # generic: `sdcrawl try` on any site


@pytest.mark.parametrize("site_id", sorted(SITES))
def test_every_entry_has_a_recorded_copy_with_expected_feed(site_id):
    folder = RECORDED / site_id
    assert (folder / "manifest.toml").is_file()
    assert (folder / "expected.json").is_file()
    assert (folder / "reference.html").is_file()


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
