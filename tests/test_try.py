"""`sdcrawl try URL` on copies of unknown sites (tests/fixtures/sites/try/): the generic spider finds the
news by the one way each site offers (a feed, a sitemap, paginated listings, an odd CMS), and every
article comes out with its exact title and date, chrome dates notwithstanding; the relevant ones
reach the try's own feed, and the summary says how the news was found and whether a spider is needed."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sdcrawl.tools.testing import REPO, read_feed, run_sdcrawl

TRY = Path(__file__).parent / "fixtures" / "sites" / "try"

# (path and query, title, date, relevant) of every article of each copy
SITES = {
    "ropazi": dict(url="https://ropazi.lv/", how="feed", found="feed     https://ropazi.lv/lv/rss/articles", host="ropazi.lv", articles=[
        ("/lv/jaunums/socialaja-dienesta-darbinieki-apgust-supervizijas", "Sociālā dienesta darbinieki turpina grupu supervīzijas", "2024-03-14", True),
        ("/lv/jaunums/pasvaldibas-iestazu-darba-laiks-lieldienu-brivdienas", "Pašvaldības iestāžu darba laiks Lieldienu brīvdienās", "2024-03-07", False),
        ("/lv/jaunums/socialais-dienests-uzsak-esf-projektu-bernu-atbalstam", "Sociālais dienests uzsāk ESF+ projektu bērniem ar funkcionāliem traucējumiem", "2024-02-26", True),
        # the feed says 13 Feb (last changed): the page's own date wins
        ("/lv/jaunums/socialie-darbinieki-pieredzes-apmainas-brauciena-lietuva", "Sociālie darbinieki pieredzes apmaiņas braucienā Lietuvā", "2024-02-12", True),
        ("/lv/jaunums/socialie-darbinieki-macas-darba-ar-vardarbiba-cietusajiem", "Sociālā darba speciālisti mācās darbā ar vardarbībā cietušām personām", "2024-01-30", True),
        ("/lv/jaunums/aicinam-pieteikties-malkas-pabalstam", "Aicinām pieteikties pabalstam malkas iegādei", "2024-01-18", False),
    ]),
    "salaspilssd": dict(url="https://salaspilssd.lv/", how="sitemap", found="sitemap  https://salaspilssd.lv/sitemap.xml", host="salaspilssd.lv", articles=[
        ("/aktualitates/dienas-centra-darba-laiks-maija-svetkos", "Dienas centra darba laiks maija svētkos", "2024-04-29", False),
        ("/aktualitates/specialisti-apgust-motivejosas-intervijas-metodi", "Speciālisti apgūst motivējošās intervijas metodi", "2024-04-18", True),
        # lastmod 2024-05-02 in the sitemap: the page's own date wins
        ("/aktualitates/uzsakts-projekts-atbalsts-gimenem-ar-berniem", "Uzsākts projekts „Atbalsts ģimenēm ar bērniem Salaspilī”", "2024-03-21", True),
        ("/aktualitates/seminars-par-seniora-aprupi-majas", "Aprūpētāji piedalās seminārā par senioru aprūpi mājās", "2024-02-15", True),
        ("/aktualitates/pieredzes-apmaina-ogres-novada-socialaja-dienesta", "Pieredzes apmaiņā Ogres novada Sociālajā dienestā", "2024-01-25", True),
        ("/aktualitates/ziemassvetku-pacinas-senioriem", "Ziemassvētku paciņas vientuļajiem senioriem", "2023-12-12", False),
    ]),
    "preili": dict(url="https://preili.lv/jaunumi/socialais-dienests/", how="listing", host="preili.lv",
                   found="listing  https://preili.lv/jaunumi/socialais-dienests/", articles=[
        ("/4731/socialie-darbinieki-piedalas-supervizijas/", "Sociālie darbinieki piedalās supervīzijās", "2019-03-26", True),
        ("/4719/socialais-dienests-aicina-pieteikties-pabalstam-skolas-piederumu-iegadei/", "Sociālais dienests aicina pieteikties pabalstam skolas piederumu iegādei", "2019-03-12", False),
        ("/4702/pieredzes-apmaina-rezeknes-novada-socialaja-dienesta/", "Pieredzes apmaiņa Rēzeknes novada Sociālajā dienestā", "2019-02-20", True),
        ("/4688/uzsakts-projekts-senioru-dienas-centra-attistibai/", "Uzsākts projekts senioru dienas centra attīstībai", "2019-01-31", True),
        ("/4653/ziemassvetku-pasakums-senioriem/", "Ziemassvētku pasākums senioriem", "2018-12-19", False),
        ("/4620/macibas-socialajiem-darbiniekiem-par-darbu-ar-jauniesiem/", "Mācības sociālajiem darbiniekiem par darbu ar jauniešiem", "2018-11-28", True),
        ("/4590/sociala-dienesta-darbinieki-apgust-jaunas-prasmes-konference/", "Sociālā dienesta darbinieki piedalās Latgales sociālo dienestu konferencē", "2018-10-03", True),
    ]),
    "kekava": dict(url="https://www.kekava.lv/?id=212", how="listing", host="kekava.lv", found="listing  https://www.kekava.lv/?id=212", articles=[
        ("/?id=212&lid=7034", "Sociālā dienesta speciālisti piedalās supervīzijās", "2021-11-09", True),
        ("/?id=212&lid=7019", "Sociālā dienesta darba laiks 18. novembra svētkos", "2021-11-02", False),
        ("/?id=212&lid=6988", "Uzsākts projekts „Atbalsts senioriem Ķekavas novadā”", "2021-10-21", True),
        ("/?id=212&lid=6961", "Sociālie darbinieki apgūst darbu ar pusaudžiem", "2021-10-08", True),
        ("/?id=212&lid=6930", "Pieredzes apmaiņa ar Olaines novada sociālo dienestu", "2021-09-24", True),
        ("/?id=212&lid=6897", "Aicinām uz rudens talku Ķekavas parkā", "2021-09-10", False),
        ("/?id=212&lid=6870", "Aprūpētāji piedalās seminārā par demenci", "2021-08-27", True),
    ]),
}


@pytest.fixture(scope="module", params=sorted(SITES))
def tried(request, tmp_path_factory):
    name = request.param
    data = tmp_path_factory.mktemp(name)
    proc = run_sdcrawl("try", SITES[name]["url"], "--replay", str(TRY / name), "--data-dir", str(data))
    pages = [json.loads(l) for l in (data / "pages.jsonl").read_text(encoding="utf-8").splitlines()] if (data / "pages.jsonl").exists() else []
    discovery = json.loads((data / "discovery.json").read_text(encoding="utf-8")) if (data / "discovery.json").exists() else {}
    return name, proc, pages, read_feed(data / "feed.jsonl"), discovery


def _origin(name: str) -> str:
    url = SITES[name]["url"]
    return url.split("/")[0] + "//" + url.split("/")[2]


def test_every_article_with_its_exact_title_and_date(tried):
    name, proc, pages, _, _ = tried
    assert proc.returncode == 0, proc.stderr[-3000:]
    base = _origin(name)
    got = sorted((p["url"], p["title"], p["published"], p["relevant"]) for p in pages)
    assert got == sorted((base + path, title, day, relevant) for path, title, day, relevant in SITES[name]["articles"])


def test_the_relevant_articles_reach_the_trys_own_feed(tried):
    name, _, _, feed, _ = tried
    base = _origin(name)
    assert sorted(i["url"] for i in feed) == sorted(base + path for path, _, _, relevant in SITES[name]["articles"] if relevant)
    assert {i["site"] for i in feed} == {"generic"}
    assert {i["municipality"] for i in feed} == {SITES[name]["host"]}
    assert all(i["id"].startswith("generic-") and i["body"] for i in feed)


def test_the_summary_says_how_the_news_was_found(tried):
    name, proc, pages, _, discovery = tried
    assert discovery["method"] == SITES[name]["how"]
    lines = proc.stdout.splitlines()
    assert f"Found the news by: {SITES[name]['how']}" in lines
    assert any(line.strip().startswith(SITES[name]["found"].strip()) for line in lines), proc.stdout
    n = len(SITES[name]["articles"])
    relevant = sum(1 for a in SITES[name]["articles"] if a[3])
    assert f"Articles: {n} extracted" in lines
    assert f"  with a title {n}/{n}, a date {n}/{n}, a body {n}/{n}" in "\n".join(lines)
    assert f"  relevant (social-service trainings or projects): {relevant}/{n}; written to the feed: {relevant}" in lines
    newest = max(SITES[name]["articles"], key=lambda a: a[2])
    assert f"  {newest[2]}  {newest[1][:78]}" in "\n".join(lines)
    assert any(line.startswith("Dedicated spider: ") for line in lines)


def test_pagination_and_probes(tried):
    name, _, _, _, discovery = tried
    if SITES[name]["how"] == "listing":
        pages = {"preili": 3, "kekava": 2}[name]
        assert len(discovery["listing"]["pages"]) == pages
        assert discovery["feeds"] == [] and discovery["sitemaps"] == []
    elif name == "ropazi":
        # not announced by the page: found at the well-known address after /feed/ failed
        assert [p[0] for p in discovery["probes"]][-2:] == ["https://ropazi.lv/feed/", "https://ropazi.lv/lv/rss/articles"]
        assert discovery["listing"] is None and discovery["sitemaps"] == []
    else:
        assert ["https://salaspilssd.lv/robots.txt", "1 sitemap(s)"] in discovery["probes"]
        assert discovery["sitemap_shape"] == "/aktualitates/{slug}"


def test_kekava_dates_come_from_the_end_of_the_article_and_it_says_a_spider_is_advised(tried):
    name, proc, pages, _, _ = tried
    if name != "kekava":
        assert "page end" not in {p["date_from"] for p in pages}
        return
    # htmldate alone would take the right column's 10.11.2021 for every article
    assert {p["date_from"] for p in pages} == {"page end"}
    assert "Dedicated spider: ADVISED" in proc.stdout
    assert "7 date(s) are read from the line closing the article" in proc.stdout


def test_bad_urls_are_one_line_and_exit_2():
    proc = run_sdcrawl("try", "not a url")
    assert proc.returncode == 2 and proc.stderr == "sdcrawl: not a URL: not a url\n"


def test_a_site_with_no_news_to_find_says_so_and_exits_1(tmp_path):
    proc = run_sdcrawl("try", "https://preili.lv/nav-tadas-lapas", "--replay", str(TRY / "preili"),
                       "--data-dir", str(tmp_path))  # the start page answers 404
    assert proc.returncode == 1
    assert "Found the news by: nothing" in proc.stdout and "Dedicated spider: NEEDED" in proc.stdout
    assert "  nothing: https://preili.lv/nav-tadas-lapas: HTTP 404" in proc.stdout.splitlines()


def test_scrapy_crawl_generic_writes_to_a_try_folder_of_its_own(tmp_path):
    from sdcrawl.replay import ReplayServer

    with ReplayServer([TRY / "preili"]) as server:
        env = {**__import__("os").environ, "SDCRAWL_DATA_DIR": str(tmp_path), "SDCRAWL_LOG_LEVEL": "WARNING"}
        proc = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "crawl", "generic", "-a", "url=https://preili.lv/jaunumi/socialais-dienests/",
                               "-a", "page_budget=1", "-s", f"SDCRAWL_LOOPBACK_HOSTS={json.dumps(server.hosts_setting)}",
                               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    folder = tmp_path / "try" / "preili.lv"
    # pages.jsonl is what `sdcrawl try` records of a crawl; the spider on its own writes only its feed
    # (and keeps the article it found irrelevant for `sdcrawl reclassify`)
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("state")) == ["feed.jsonl", "rejected.jsonl"]
    assert len(read_feed(folder / "feed.jsonl")) == 2  # page 1 only: two of its three articles are relevant
    assert not (tmp_path / "feed.jsonl").exists()


def test_a_probe_that_never_answers_does_not_end_the_discovery(tmp_path):
    proc = run_sdcrawl("try", "https://ropazi.lv/", "--replay", str(TRY / "ropazi"), "--data-dir", str(tmp_path),
                       "-s", 'SPIDER_MIDDLEWARES={"trykit.DropFeedProbe": 1}', env={"PYTHONPATH": str(Path(__file__).parent)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    probes = json.loads((tmp_path / "discovery.json").read_text(encoding="utf-8"))["probes"]
    assert ["https://ropazi.lv/feed/", "no answer"] in probes
    assert probes[-1] == ["https://ropazi.lv/lv/rss/articles", "a feed of 7 entries"]
    assert "Articles: 6 extracted" in proc.stdout
