"""URL shapes: what the addresses of a group of links have in common.

`url_shape` replaces numbers, slugs and ids by placeholders and keeps words, so a listing's
article links share one shape (`/lv/jaunumi/{slug}`, `/?id={n}&lid={n}`) and a section page
(`/lv/jaunumi`) has another. `shape_regex` turns a shape into a regular expression for a spider.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from sdcrawl.urls import is_tracking_param

__all__ = ["PLACEHOLDERS", "is_article_shape", "shape_compatible", "shape_regex", "url_shape"]


def _segment_shape(seg: str) -> str:
    if re.fullmatch(r"\d+", seg):
        return "{n}"
    stem = re.sub(r"\.(html?|php|aspx?)$", "", seg.lower())
    if "-" in stem or "_" in stem or "%" in stem:
        return "{slug}"
    if re.search(r"\d", stem):
        return "{id}"
    return stem


def url_shape(url: str) -> str:
    """The URL's pattern: numbers, slugs and ids replaced, words kept, tracking parameters dropped.

    >>> url_shape("https://stopini.lv/lv/jaunumi/socialie-pakalpojumi/ziemassvetku-pacinas-1659")
    '/lv/jaunumi/{slug}/{slug}'
    >>> url_shape("https://www.kekava.lv/?id=212&lid=7034")
    '/?id={n}&lid={n}'
    """
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    path = "/" + "/".join(_segment_shape(s) for s in segments)
    if segments and parts.path.endswith("/"):
        path += "/"
    query = []
    for key, value in sorted(parse_qsl(parts.query, keep_blank_values=True)):
        if is_tracking_param(key):
            continue
        if re.fullmatch(r"\d+", value):
            value = "{n}"
        elif not re.fullmatch(r"[a-z]{1,12}", value):
            value = "{s}"
        query.append(f"{key.lower()}={value}")
    return path + ("?" + "&".join(query) if query else "")


PLACEHOLDERS = ("{n}", "{slug}", "{id}", "{s}")


def is_article_shape(shape: str) -> bool:
    """Whether a shape can be an article's: its last path segment or a query value is a
    placeholder (a section page such as `/lv/jaunumi` is all words)."""
    path, _, query = shape.partition("?")
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return last in PLACEHOLDERS or any(v in PLACEHOLDERS for v in re.findall(r"=([^&]*)", query))


def shape_compatible(shape: str, main: str) -> bool:
    """A one-word article slug (`/jaunumi/supervizijas`) belongs with `/jaunumi/{slug}`."""
    if shape == main:
        return True
    a, b = shape.split("/"), main.split("/")
    return len(a) == len(b) and a[:-1] == b[:-1] and b[-1] in PLACEHOLDERS and "?" not in shape + main


def shape_regex(shape: str) -> str:
    """A regular expression for the path (and query) of URLs of this shape, for a spider."""
    path, _, query = shape.partition("?")
    out = []
    for seg in path.split("/"):
        out.append({"{n}": r"\d+", "{slug}": r"[^/?#]+", "{id}": r"[^/?#]+"}.get(seg, re.escape(seg)))
    regex = "^" + "/".join(out)
    if query:
        keys = [kv.split("=", 1)[0] for kv in query.split("&")]
        regex += "".join(rf"(?=.*[?&]{re.escape(k)}=)" for k in keys)
        return regex + r"\?"
    return regex + "$"

