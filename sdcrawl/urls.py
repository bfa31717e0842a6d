"""Canonical URLs, URL keys and article ids.

- `canonicalize(url)`: the URL written to the feed. url-normalize does the RFC 3986 work
  (lowercase scheme and host, IDNA, default port, dot segments, percent-encoding); tracking
  parameters are then removed and w3lib sorts the remaining query and drops the fragment.
- `url_key(url)`: the canonical URL without its scheme and a leading 'www.', so the http/https and
  www variants of one page share a key. The state and the deduplication compare these keys.
- `article_id(site, url)`: '<site>-' + 20 hex digits of SHA-256 of the URL key.
"""

from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from url_normalize import url_normalize
from w3lib.url import canonicalize_url

__all__ = ["TRACKING_PARAMS", "TRACKING_PREFIXES", "article_id", "canonicalize", "is_tracking_param", "url_key"]

# Query parameters that say how a visitor arrived, never which page it is (compared lowercased).
TRACKING_PARAMS = frozenset(
    {
        # Facebook, Instagram, Google, Microsoft, Yandex, X, TikTok, LinkedIn
        "fbclid", "fb_action_ids", "fb_action_types", "fb_ref", "fb_source",
        "igshid", "igsh",
        "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "_ga", "_gl",
        "msclkid",
        "yclid", "ysclid",
        "twclid", "ttclid", "li_fat_id",
        # Mailchimp, HubSpot, Marketo, Vero, Oracle Eloqua, Adobe
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "hsctatracking", "mkt_tok", "vero_id", "vero_conv",
        "elqtrackid", "elqtrack", "s_cid",
        # session ids some CMSs put in links
        "phpsessid", "jsessionid",
    }
)
# Prefixes of tracking parameter families: Google Analytics (utm_), Matomo/Piwik (pk_, mtm_,
# matomo_, piwik_), Google Ads (hsa_).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "matomo_", "piwik_", "hsa_")

_WWW = re.compile(r"^www\.")
_PATH_SESSION = re.compile(r";jsessionid=[^/;?#]*", re.IGNORECASE)


def is_tracking_param(name: str) -> bool:
    """Whether a query parameter name (raw or percent-encoded) is a tracking parameter."""
    name = unquote_plus(name).strip().lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


# Both are pure functions of a string, and one article URL is canonicalized about nine times on
# its way (listing, request, extraction, normalize, dedup, item keys, state): memoized. 2,048
# entries: a URL's repeats fall within one page's processing, and the cache stays a few hundred kB.
# A ValueError (a relative URL) is raised again each time, never cached.
_CACHE_SIZE = 2048


@functools.lru_cache(maxsize=_CACHE_SIZE)
def canonicalize(url: str) -> str:
    """The canonical form of `url`: lowercase scheme and host, no default port, no fragment, no
    tracking parameters, remaining query parameters sorted. ValueError if `url` is not absolute.

    >>> canonicalize("HTTPS://WWW.Ogre.LV:443/lv/Jaunumi?utm_source=fb&b=2&a=1#top")
    'https://www.ogre.lv/lv/Jaunumi?a=1&b=2'
    """
    url = url.strip()
    if not urlsplit(url).scheme:  # url-normalize would invent 'https://' for 'img/a.jpg'
        raise ValueError(f"not an absolute URL: {url!r}")
    normalized = url_normalize(url)
    parts = urlsplit(normalized)
    query = "&".join(
        param for param in parts.query.split("&") if param and not is_tracking_param(param.partition("=")[0])
    )
    path = _PATH_SESSION.sub("", parts.path)  # Java servlets' ';jsessionid=...' path parameter
    return canonicalize_url(urlunsplit(parts._replace(path=path, query=query, fragment="")))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def url_key(url: str) -> str:
    """The canonical URL without scheme and without a leading 'www.': one key for the
    http/https and www/no-www variants of a page.

    >>> url_key("http://www.ogre.lv/lv/jaunumi?fbclid=x")
    'ogre.lv/lv/jaunumi'
    """
    parts = urlsplit(canonicalize(url))
    netloc = parts.netloc
    userinfo, at, host = netloc.rpartition("@")
    host = _WWW.sub("", host)
    rest = urlunsplit(("", "", parts.path, parts.query, ""))
    return f"{userinfo}{at}{host}{rest}"


def article_id(site: str, url: str) -> str:
    """'<site>-' + the first 20 hex digits of SHA-256 of `url_key(url)`.

    >>> article_id("ogre", "https://www.ogre.lv/a") == article_id("ogre", "http://ogre.lv/a#x")
    True
    """
    return f"{site}-" + hashlib.sha256(url_key(url).encode("utf-8")).hexdigest()[:20]
