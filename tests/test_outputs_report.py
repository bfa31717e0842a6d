"""`sdcrawl report`: the static HTML page, opened in Debian's Chromium (headless) and its
screenshot checked for the sites table and the charts; also written from a real nightly run."""

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from test_outputs_data import history_reports, recorded_articles, site_part, story_pair, write_feed, write_reports

from sdcrawl.outputs import commands
from sdcrawl.outputs.inputs import InputError
from sdcrawl.outputs.report_html import ERROR_COLOUR, NEW_COLOUR, STATUS_COLOURS, render_report

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
SITES = ["bauskasnovads", "iecava", "lm", "rezeknesnovads", "socd", "stopini"]


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def screenshot(page: Path, out: Path, size=(1200, 1400)) -> Image.Image:
    assert CHROMIUM, "chromium not found: apt-get install chromium (the project's tests already need it)"
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--no-first-run", "--hide-scrollbars", f"--window-size={size[0]},{size[1]}",
                           f"--screenshot={out}", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert out.exists(), proc.stderr[-2000:]
    return Image.open(out).convert("RGB")


def data_folder(tmp_path: Path) -> Path:
    """Twelve nights of six sites: new articles most nights, errors on some, socd failed last night."""
    data = tmp_path / "data"
    nights = 12
    sites = {site: [((i + k) % 3, 2 if (i + k) % 5 == 0 else 0) for i in range(nights)] for k, site in enumerate(SITES)}
    last = [site_part(s, new_items=2, errors=1 if s == "lm" else 0) for s in SITES if s != "socd"]
    last.insert(4, site_part("socd", status="failed", errors=3, site_error="robots.txt and the listing could not be fetched"))
    write_reports(data / "runs", history_reports(__import__("datetime").date(2026, 11, 30), nights, sites, last_sites=last))
    write_feed(data / "feed.jsonl", [*recorded_articles(), *story_pair()])
    return data


def test_the_page_renders_in_chromium_with_the_table_and_the_charts(tmp_path):
    data = data_folder(tmp_path)
    page = commands.write_report(data)
    assert page == data / "report.html"
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text.lower()  # nothing needs JavaScript
    assert text.count("<svg") == len(SITES)
    image = screenshot(page, tmp_path / "report.png")
    pixels = image.load()
    width, height = image.size

    def where(colour):
        target = rgb(colour)
        return [(x, y) for y in range(height) for x in range(width) if pixels[x, y] == target]

    blue, red, failed = where(NEW_COLOUR), where(ERROR_COLOUR), where(STATUS_COLOURS["failed"])
    ok = where(STATUS_COLOURS["ok"])
    assert len(blue) > 200, "no bar of new articles drawn"
    assert len(red) > 50, "no bar of errors drawn"
    assert failed and ok, "status badges not drawn"
    # the charts: one per site row, each spreading its bars over its width (the legend's square
    # above the table is one small blue patch and is left out), all in one column of the table
    bands: dict[int, list[int]] = {}
    for x, y in blue:
        bands.setdefault(y // 40, []).append(x)
    charts = {band: xs for band, xs in bands.items() if max(xs) - min(xs) > 60}
    assert len(charts) >= len(SITES)
    chart_left = min(min(xs) for xs in charts.values())
    assert max(max(xs) for xs in charts.values()) - chart_left < 200
    assert max(x for x, _ in failed) < chart_left and max(x for x, _ in ok) < chart_left
    chart_ys = [y for x, y in blue if x >= chart_left]
    assert sum(1 for x, y in red if x >= chart_left) > 50
    # the table region (from the first to the last chart row, left of the charts) holds text: dark pixels
    top, bottom = min(chart_ys) - 30, max(chart_ys) + 5
    dark = sum(1 for y in range(top, bottom) for x in range(0, chart_left) if sum(pixels[x, y]) < 200)
    assert dark > 2000, "the sites table is blank"
    # below the table: the articles, the republished story once, with its second source
    first, second = story_pair()
    assert text.count(f'href="{first["url"]}"') == 1 and f"also published by: <a href=\"{second['url']}\"" in text
    assert text.count(f'href="{second["url"]}"') == 1


def test_what_the_page_says(tmp_path):
    data = data_folder(tmp_path)
    from sdcrawl.outputs.inputs import load_reports, read_feed
    html = render_report(load_reports(data / "runs"), read_feed(data / "feed.jsonl"))
    assert "Last run <b>20261130T020000000000Z</b>" in html
    assert "<b>socd</b>: robots.txt and the listing could not be fetched" in html
    for a in recorded_articles():
        assert f'href="{a["url"]}"' in html and a["published"] in html
    nasty = {**recorded_articles()[0], "id": "socd-" + "f6" * 10, "title": "<script>alert(1)</script> & co", "published": "2031-01-01"}
    html = render_report(load_reports(data / "runs"), [nasty])
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_an_empty_data_folder_and_a_missing_one(tmp_path):
    (tmp_path / "empty").mkdir()
    page = commands.write_report(tmp_path / "empty", tmp_path / "r.html")
    assert "No finished run yet." in page.read_text(encoding="utf-8")
    with pytest.raises(InputError, match="no such data folder"):
        commands.write_report(tmp_path / "nope")


def test_report_and_exports_from_a_real_nightly_run(tmp_path):
    """The real nightly job over the recorded sites on loopback, then every output from its folder."""
    import duckdb
    import feedparser

    from sdcrawl.replay import ReplayServer
    from sdcrawl.tools.testing import RECORDED, nightly_args, read_report, run_sdcrawl

    data = tmp_path / "data"
    with ReplayServer([RECORDED]) as server:
        proc = run_sdcrawl(*nightly_args(server, data))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = read_report(data)
    text = commands.write_report(data).read_text(encoding="utf-8")
    assert f"Last run <b>{report['run_id']}</b>" in text
    for s in report["sites"]:
        assert f"<td>{s['site']}</td>" in text
    feed_lines = (data / "feed.jsonl").read_text(encoding="utf-8").splitlines()
    atom = feedparser.parse(commands.export(data / "feed.jsonl", "atom", tmp_path / "feed.atom").read_bytes())
    assert not atom.bozo and len(atom.entries) == len(feed_lines) == report["new_items"]
    parquet = commands.export(data / "feed.jsonl", "parquet", tmp_path / "a.parquet")
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*), min(typeof(published)) FROM '{parquet}'").fetchall() == [(len(feed_lines), "DATE")]
    assert commands.send_alerts(data, {})["problems"] == []
    # the run history reads the same from the reports and from the state's tables
    from sdcrawl.outputs.inputs import history_from_reports, history_from_state, load_reports

    def plain(history):
        return {site: [(n["run_id"], n["status"], n["new_items"], n["errors"]) for n in nights] for site, nights in history.items()}

    from_reports = plain(history_from_reports(load_reports(data / "runs")))
    assert from_reports == plain(history_from_state(data / "state.sqlite"))
    assert sum(n[2] for nights in from_reports.values() for n in nights) == len(feed_lines)


def test_the_cli_entry_points_print_the_path_or_one_line(tmp_path, capsys):
    data = data_folder(tmp_path)
    assert commands.cli_report(data, tmp_path / "page.html") == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "page.html")
    assert commands.cli_export(data, "parquet", tmp_path / "a.parquet") == 0 and (tmp_path / "a.parquet").stat().st_size > 0
    capsys.readouterr()
    assert commands.cli_export(tmp_path / "nope", "atom", tmp_path / "x.atom") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("sdcrawl: ") and "no such feed file" in err


def test_the_report_reads_the_feed_as_a_stream_keeping_the_newest_of_each_site():
    """The nightly writes the page after every run: it must not hold (or index) the whole archive."""
    from sdcrawl.outputs.commands import newest_per_site

    feed = [{"id": f"{site}-{n:020x}", "site": site, "published": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"}
            for n in range(60) for site in ("a", "b")]
    kept, counts = newest_per_site(iter(feed), keep=5)
    assert counts == {"a": 60, "b": 60}
    for site in ("a", "b"):
        mine = [i for i in feed if i["site"] == site]
        newest = sorted(mine, key=lambda i: (i["published"], mine.index(i)), reverse=True)[:5]
        assert sorted(i["id"] for i in kept if i["site"] == site) == sorted(i["id"] for i in newest)
    assert kept == [i for i in feed if i in kept]  # feed order kept (stories take the earliest source first)
