"""One story once, in the feed: the same press release republished by another site gets the
earlier article's id in `related` (the later line only: the feed stays append-only); a different
story on the same topic gets nothing; after a restart the index is rebuilt from the feed."""

from datetime import date, timedelta

from factories import PipelineRun, feed_lines, make_item

from sdcrawl.pipelines.validate import validation_errors

RELEASE = ("Labklājības ministrija aicina pašvaldību sociālo dienestu darbiniekus pieteikties bezmaksas "
           "mācībām par darbu ar ģimenēm, kurās aug bērni ar funkcionāliem traucējumiem. Mācības notiks "
           "divās grupās Rīgā un Daugavpilī, tās finansē Eiropas Sociālā fonda Plus projekts. Pieteikties "
           "var līdz mēneša beigām, aizpildot anketu ministrijas tīmekļvietnē. Mācību programmā ir "
           "lekcijas, praktiski uzdevumi un supervīzija pēc katras nodarbības.")
EDITED = RELEASE.replace("Labklājības ministrija aicina", "Novada Sociālais dienests informē, ka Labklājības ministrija aicina") \
                .replace("Pieteikties var", "Interesenti pieteikties var")
OTHER = ("Sociālā dienesta darbinieki piedalījās mācībās par vardarbības atpazīšanu ģimenēs. Mācības vadīja "
         "psihologs, un tajās piedalījās arī bāriņtiesas speciālisti. Dalībnieki apsprieda gadījumu "
         "izpēti un sadarbību ar policiju, un mācību noslēgumā saņēma apliecības.")


def article(site: str, slug: str, title: str, body: str, days_ago: int = 3) -> dict:
    return make_item(site=site, url=f"https://{site}.lv/lv/jaunums/{slug}", title=title, body=body,
                     municipality=f"{site} novads", published=(date.today() - timedelta(days=days_ago)).isoformat())


def test_the_same_release_on_another_site_links_back_and_another_story_does_not(tmp_path):
    first = article("lm", "macibas-gimenem", "Aicina pieteikties mācībām darbam ar ģimenēm", RELEASE)
    again = article("valka", "ministrija-aicina-macities", "Ministrija aicina pieteikties mācībām darbam ar ģimenēm", EDITED)
    other = article("ogre", "macibas-par-vardarbibu", "Mācības par vardarbības atpazīšanu", OTHER)
    with PipelineRun(tmp_path) as run:
        for item in (first, again, other):
            assert run.process(item) is not None
    lines = {line["site"]: line for line in feed_lines(tmp_path / "feed.jsonl")}
    assert "related" not in lines["lm"]  # the earlier line is never rewritten
    assert lines["valka"]["related"] == [lines["lm"]["id"]]
    assert "related" not in lines["ogre"]
    assert validation_errors(lines["valka"]) == []
    assert run.stats["sdcrawl/related"] == 1

    # a later run (a new process would rebuild the index from the feed the same way)
    third = article("jelgava", "aicina-macities", "Aicina pieteikties mācībām", EDITED.replace("divās grupās", "trīs grupās"))
    with PipelineRun(tmp_path) as later:
        assert later.process(third) is not None
    line = feed_lines(tmp_path / "feed.jsonl")[-1]
    assert line["site"] == "jelgava" and line["related"] == [lines["lm"]["id"], lines["valka"]["id"]]


def test_an_article_older_than_the_window_is_neither_indexed_nor_linked(tmp_path):
    """SDCRAWL_RELATED_DAYS (90): the index holds recent articles only, so its memory does not
    grow with the archive; a republication months later is not linked."""
    old = article("lm", "macibas-gimenem", "Aicina pieteikties mācībām darbam ar ģimenēm", RELEASE, days_ago=400)
    old_copy = article("valka", "ministrija-aicina", "Ministrija aicina pieteikties mācībām", EDITED, days_ago=399)
    fresh = article("jelgava", "aicina-macities", "Aicina pieteikties mācībām", EDITED, days_ago=1)
    with PipelineRun(tmp_path) as run:
        for item in (old, old_copy, fresh):
            assert run.process(item) is not None
    assert all("related" not in line for line in feed_lines(tmp_path / "feed.jsonl"))
    assert "sdcrawl/related" not in run.stats
