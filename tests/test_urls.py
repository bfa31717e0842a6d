import re

import pytest

from sdcrawl.urls import article_id, canonicalize, is_tracking_param, url_key

ID_PATTERN = re.compile(r"^[a-z0-9_]+-[0-9a-f]{20}$")  # the schema's id pattern


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # case of scheme and host; the path keeps its case
        ("HTTPS://WWW.Ogre.LV/lv/Jaunumi", "https://www.ogre.lv/lv/Jaunumi"),
        # default ports go, others stay
        ("http://ogre.lv:80/a", "http://ogre.lv/a"),
        ("https://ogre.lv:443/a", "https://ogre.lv/a"),
        ("https://ogre.lv:8443/a", "https://ogre.lv:8443/a"),
        # fragment
        ("https://ogre.lv/a#komentari", "https://ogre.lv/a"),
        # tracking parameters, any case, and the rest sorted
        ("https://ogre.lv/a?utm_source=fb&utm_medium=social&id=5", "https://ogre.lv/a?id=5"),
        ("https://ogre.lv/a?UTM_Campaign=x&b=2&a=1", "https://ogre.lv/a?a=1&b=2"),
        ("https://ogre.lv/a?fbclid=IwAR0abc", "https://ogre.lv/a"),
        ("https://ogre.lv/a?gclid=1&yclid=2&msclkid=3&igshid=4&mc_cid=5&mc_eid=6&_ga=7&_gl=8", "https://ogre.lv/a"),
        ("https://ogre.lv/a?pk_campaign=x&mtm_source=y&p=123", "https://ogre.lv/a?p=123"),
        ("https://ogre.lv/a;jsessionid=0A1B?p=1", "https://ogre.lv/a?p=1"),
        # root path, dot segments, percent-encoding of non-ASCII letters
        ("https://ogre.lv", "https://ogre.lv/"),
        ("https://ogre.lv/a/../b/./c", "https://ogre.lv/b/c"),
        ("https://ogre.lv/ziņas/sociālais", "https://ogre.lv/zi%C5%86as/soci%C4%81lais"),
        ("https://ogre.lv/zi%c5%86as", "https://ogre.lv/zi%C5%86as"),
        ("  https://ogre.lv/a  ", "https://ogre.lv/a"),
    ],
)
def test_canonicalize(url, expected):
    assert canonicalize(url) == expected


def test_canonicalize_is_idempotent():
    url = "HTTP://WWW.Ogre.LV:80/ziņas?utm_source=x&b=2&a=1#top"
    once = canonicalize(url)
    assert once == "http://www.ogre.lv/zi%C5%86as?a=1&b=2"
    assert canonicalize(once) == once


@pytest.mark.parametrize("url", ["/lv/jaunumi", "img/a.jpg", ""])
def test_canonicalize_refuses_relative_urls(url):
    with pytest.raises(ValueError, match="not an absolute URL"):
        canonicalize(url)


@pytest.mark.parametrize(
    ("name", "tracking"),
    [("utm_source", True), ("UTM_TERM", True), ("utm%5Fsource", True), ("fbclid", True), ("_ga", True),
     ("p", False), ("id", False), ("page", False), ("utm", False), ("ga", False)],
)
def test_is_tracking_param(name, tracking):
    assert is_tracking_param(name) is tracking


SAME_ARTICLE = [
    "https://www.ogre.lv/lv/jaunumi/apmacibas",
    "http://www.ogre.lv/lv/jaunumi/apmacibas",
    "https://ogre.lv/lv/jaunumi/apmacibas",
    "http://OGRE.lv:80/lv/jaunumi/apmacibas#sakums",
    "https://www.ogre.lv:443/lv/jaunumi/apmacibas?utm_source=facebook&fbclid=abc",
]


@pytest.mark.parametrize("url", SAME_ARTICLE)
def test_url_key_ignores_scheme_www_port_fragment_and_tracking(url):
    assert url_key(url) == "ogre.lv/lv/jaunumi/apmacibas"


def test_url_key_keeps_query_and_other_subdomains():
    assert url_key("https://www.ogre.lv/?utm_source=x&p=123") == "ogre.lv/?p=123"
    assert url_key("https://soc.ogre.lv/a") == "soc.ogre.lv/a"
    assert url_key("https://www2.ogre.lv/a") == "www2.ogre.lv/a"


def test_article_id_is_the_same_for_one_article():
    ids = {article_id("ogre", url) for url in SAME_ARTICLE}
    assert len(ids) == 1
    (the_id,) = ids
    assert ID_PATTERN.match(the_id)
    # sha256 of 'ogre.lv/lv/jaunumi/apmacibas', first 20 hex digits
    import hashlib

    assert the_id == "ogre-" + hashlib.sha256(b"ogre.lv/lv/jaunumi/apmacibas").hexdigest()[:20]


@pytest.mark.parametrize(
    "other",
    [
        "https://www.ogre.lv/lv/jaunumi/apmacibas-2",
        "https://www.ogre.lv/lv/jaunumi/Apmacibas",  # paths are case-sensitive
        "https://www.ogre.lv/lv/jaunumi/apmacibas?p=2",
        "https://www.ikskile.lv/lv/jaunumi/apmacibas",
    ],
)
def test_article_id_differs_for_other_pages(other):
    assert article_id("ogre", other) != article_id("ogre", SAME_ARTICLE[0])


def test_article_id_prefix_is_the_site():
    assert article_id("ogre_novads", SAME_ARTICLE[0]).startswith("ogre_novads-")
    assert article_id("ogre_novads", SAME_ARTICLE[0])[-20:] == article_id("ogre", SAME_ARTICLE[0])[-20:]
