"""The `sdcrawl` command: help, and one-line errors with exit status 2 for bad input."""

import json

import pytest

from sdcrawl.tools.testing import RECORDED, run_sdcrawl


def test_help_lists_the_commands():
    proc = run_sdcrawl("--help")
    assert proc.returncode == 0
    for command in ("extract", "crawl", "nightly", "check", "demo", "sites"):
        assert command in proc.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["extract", "no/such/page.html"], "sdcrawl: no such file: no/such/page.html"),
        (["extract", "README.md"], "sdcrawl: not HTML: README.md"),
        (["extract", "recorded/stopini/reference.html", "--site", "nosuchsite"], "sdcrawl: unknown site 'nosuchsite'"),
        (["crawl", "nosuchsite"], "sdcrawl: unknown site(s): nosuchsite"),
        (["crawl", "stopini", "--since", "yesterday"], "sdcrawl: --since must be YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    proc = run_sdcrawl(*args)
    assert proc.returncode == 2
    assert proc.stderr.startswith(message)
    assert proc.stderr.count("\n") == 1
    assert proc.stdout == ""


def test_extract_prints_the_item_and_why():
    url = "https://rezeknesnovads.lv/rezeknes-novada-socialie-darbinieki-piedalas-erasmus-projekta/"
    proc = run_sdcrawl("extract", str(RECORDED / "rezeknesnovads" / "reference.html"), "--url", url, "--site", "rezeknesnovads")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["relevant"] is True and out["in_feed"] is True and out["why_not"] == []
    assert out["item"]["url"] == url
    assert out["item"]["published"] == "2024-01-02"
    assert out["item"]["classification"]["evidence"]["programmes"]


def test_extract_says_why_an_irrelevant_page_would_not_reach_the_feed(tmp_path):
    page = tmp_path / "greetings.html"
    page.write_text(
        "<html lang=lv><body><h1>Sveicam sociālos darbiniekus profesionālajos svētkos!</h1>"
        "<p>12.09.2024</p><p>Sociālā dienesta vadība sveic visus sociālos darbiniekus profesionālajos svētkos "
        "un pateicas par ikdienas darbu ar novada iedzīvotājiem. Lai izturība un prieks darbā!</p></body></html>",
        encoding="utf-8",
    )
    proc = run_sdcrawl("extract", str(page), "--url", "https://x.lv/sveiciens")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["relevant"] is False and out["in_feed"] is False
    assert out["item"]["published"] == "2024-09-12"
    assert any(w.startswith("not relevant") for w in out["why_not"])


def test_check_passes_on_the_recorded_site():
    proc = run_sdcrawl("check", "stopini", "--replay", str(RECORDED / "stopini"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "BAD" not in proc.stdout
    assert "ok  title" in proc.stdout and "ok  published" in proc.stdout


def test_check_finds_a_redesigned_article_template(tmp_path):
    """The site renamed its article classes: fields now come only from generic extraction."""
    import shutil

    copy = tmp_path / "stopini"
    shutil.copytree(RECORDED / "stopini", copy)
    for page in copy.glob("*.html"):
        if page.name.startswith("listing"):
            continue
        html = page.read_text(encoding="utf-8")
        for old, new in (("news-title", "raksts-virsraksts"), ("news-date", "raksts-datums"), ("news-text", "raksts-teksts")):
            html = html.replace(old, new)
        page.write_text(html, encoding="utf-8")
    proc = run_sdcrawl("check", "stopini", "--replay", str(copy))
    assert proc.returncode == 1
    for field in ("title", "published", "body"):
        assert f"BAD {field}" in proc.stdout
    assert "CHANGED?" in proc.stdout


def test_check_finds_a_redesigned_listing(tmp_path):
    import shutil

    copy = tmp_path / "stopini"
    shutil.copytree(RECORDED / "stopini", copy)
    for page in copy.glob("listing*.html"):
        page.write_text(page.read_text(encoding="utf-8").replace("news-item", "zinas-ieraksts"), encoding="utf-8")
    proc = run_sdcrawl("check", "stopini", "--replay", str(copy))
    assert proc.returncode == 1
    assert "BAD listing" in proc.stdout and "0 article link(s)" in proc.stdout


def test_scrapy_nightly_is_the_same_command(tmp_path):
    from sdcrawl.store.lock import DataLock

    import subprocess
    import sys

    from sdcrawl.tools.testing import REPO

    data = tmp_path / "data"
    with DataLock(data / "sdcrawl.lock"):  # held: the command must reach sdcrawl's nightly and stop there
        proc = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "nightly", "stopini", "--data-dir", str(data)],
                              cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3
    assert proc.stderr.startswith(f"sdcrawl nightly: {data} is in use by ")
