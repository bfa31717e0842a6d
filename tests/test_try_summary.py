"""The end of `sdcrawl try`: the verdict on a dedicated spider and the summary, as pure functions."""

from sdcrawl.tools.tryout import render_summary, suggest_id, verdict


def page(url="https://x.lv/a", title="T", published="2024-01-02", body=800, layers=("generic", "generic", "generic"),
         date_from="page", relevant=True):
    return {"url": url, "title": title, "published": published, "body_chars": body, "date_from": date_from, "relevant": relevant,
            "provenance": dict(zip(("title", "published", "body"), layers)), "in_feed": relevant, "why_not": None}


LISTING = {"method": "listing", "feeds": [], "listing": {"url": "https://x.lv/jaunumi", "shape": "/jaunumi/{slug}", "links": 5,
           "dated": 5, "next_how": 'link "Nākamā »"', "pages": ["https://x.lv/jaunumi", "https://x.lv/jaunumi?page=2"]},
           "start_url": "https://x.lv/jaunumi", "platform": "custom", "platform_evidence": []}


def test_nothing_found_needs_a_spider():
    level, reasons = verdict([], {"method": "nothing"})
    assert level == "NEEDED" and reasons == ["no article was extracted: no feed, listing or sitemap found"]


def test_missing_dates_and_short_bodies_need_a_spider():
    pages = [page(url=f"https://x.lv/{i}", published=None if i < 3 else f"2024-01-0{i}", body=150) for i in range(1, 7)]
    level, reasons = verdict(pages, LISTING)
    assert level == "NEEDED"
    assert "dates missing on 2 of 6 pages" in reasons
    assert any(r.startswith("bodies are short (median 150 characters)") for r in reasons)


def test_one_date_on_most_pages_is_the_chromes():
    pages = [page(url=f"https://x.lv/{i}", published="2021-11-10") for i in range(5)]
    level, reasons = verdict(pages, LISTING)
    assert level == "NEEDED" and reasons[0].startswith("5 of 5 pages have the same date 2021-11-10")


def test_generic_only_is_advised_and_metadata_is_not_needed():
    pages = [page(url=f"https://x.lv/{i}", published=f"2024-01-0{i}") for i in range(1, 5)]
    assert verdict(pages, LISTING) == ("ADVISED", ["every field comes from generic extraction: the site's own selectors make it robust"])
    pages = [page(url=f"https://x.lv/{i}", published=f"2024-01-0{i}", layers=("metadata", "metadata", "generic")) for i in range(1, 5)]
    assert verdict(pages, LISTING)[0] == "NOT NEEDED"


def test_summary_lines():
    pages = [page(url="https://x.lv/1", title="Supervīzijas", published="2024-03-01"),
             page(url="https://x.lv/2", title="Darba laiks", published="2024-03-05", relevant=False)]
    text = render_summary(LISTING, pages, {"sdcrawl/feed/written": 1}, "data/try/x.lv")
    lines = text.splitlines()
    assert lines[:4] == ["sdcrawl try https://x.lv/jaunumi", "Found the news by: listing", "  listing  https://x.lv/jaunumi",
                         "           5 article links like /jaunumi/{slug} on the first page, 5 showing a date; 2 page(s) walked; "
                         'pagination: link "Nākamā »"']
    assert "  relevant (social-service trainings or projects): 1/2; written to the feed: 1" in lines
    assert lines.index("  2024-03-05  Darba laiks  [not relevant]") < lines.index("  2024-03-01  Supervīzijas  [relevant]")
    assert lines[-1] == 'Next: sdcrawl new-site x --url "https://x.lv/jaunumi" --name "<municipality>"'


def test_suggest_id():
    assert suggest_id("https://www.kekava.lv/?id=212") == "kekava"
    assert suggest_id("https://socialais.kuldigasnovads.lv/") == "socialais_kuldigasnovads"
    assert suggest_id("https://123.lv/") == "site_123"
