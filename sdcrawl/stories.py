"""One story once: near-duplicate articles across sites (the same press release, lightly edited,
republished by the ministry and by several municipalities), found with MinHash LSH (datasketch).

Text compared: the title and the body, casefolded (NFKC), cut into words (`\\w+`, so Latvian
letters stay letters) and shingled into overlapping word 3-grams (SHINGLE_WORDS). Two articles are
the same story when the MinHash estimate of the Jaccard similarity of their shingle sets is at least
THRESHOLD and, when both name calendar days ("12. martā", "12.03.2024"), they share one: the same
release names the same event days, a site's monthly notice (the same words, another date) does
not. The LSH index (banded for the threshold, weighted against misses) only proposes candidates;
each is checked with its signature, so an LSH false positive never links.
Articles of the same site are not linked (CROSS_SITE_ONLY): a site's own repeated notices (the
same supervision announcement every month, with another date) are separate events, and the same
page under two addresses is already one article (the crawl's content key).

The measured precision and recall of this choice, on the built Latvian pairs in
`sdcrawl/outputs/neardup_eval.py`: `python -m sdcrawl.outputs.neardup_eval` (docs/outputs.md).

Append-only feed: an article's `related` holds the ids of the EARLIER articles of its story, known
when its line is written; an earlier line is never rewritten. Readers make the links symmetric
(`related_map`, `stories`): every article of a story then knows all the others.

In the crawl (a pipeline stage, after classification and before the feed is written):

    index = NearDupIndex.from_feed(feed_path)      # at open: rebuilt from the feed (see below)
    ...
    item["related"] = index.link(item)             # per item: query, then add; [] when none

Persistence: none. The index is rebuilt from the feed each time a crawl starts, because the feed
is the only truth (a cache beside it could disagree after a crash between the two writes) and the
rebuild is cheap: `python -m sdcrawl.outputs.neardup_eval --rebuild 5000` times it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # datasketch brings numpy and scipy (~70 MB): imported when an index is first made
    from datasketch import LeanMinHash

SHINGLE_WORDS = 3
THRESHOLD = 0.3
# LSH band parameters weighted against missing a pair (false positives are dropped by the check)
LSH_WEIGHTS = (0.1, 0.9)
NUM_PERM = 128
SEED = 1
CROSS_SITE_ONLY = True

_WORD = re.compile(r"\w+")
_MONTHS = ("janvār", "februār", "mart", "aprīl", "maij", "jūnij", "jūlij", "august", "septembr", "oktobr",
           "novembr", "decembr")
# "12. martā", "2024. gada 12. martā", "12.03.2024": the calendar days a text names
_DAY_MONTH = re.compile(r"\b(\d{1,2})\.\s*(" + "|".join(_MONTHS) + r")\w*", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(?:\d{4})\b")


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    """The set of word k-grams of the text (the whole text as one shingle when it is shorter)."""
    tokens = words(text)
    if len(tokens) <= k:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + k]).encode() for i in range(len(tokens) - k + 1)}


def named_days(text: str) -> set[tuple[int, int]]:
    """(day, month) of every calendar day the text names."""
    days = set()
    for day, month in _DAY_MONTH.findall(text):
        days.add((int(day), _MONTHS.index(month.casefold()) + 1))
    for day, month in _NUMERIC_DATE.findall(text):
        if 1 <= int(month) <= 12:
            days.add((int(day), int(month)))
    return days


def days_agree(a: set[tuple[int, int]], b: set[tuple[int, int]]) -> bool:
    """False when both texts name calendar days and share none: a press release and its
    republications name the same event days, two notices of a series (another date) do not."""
    return not (a and b) or bool(a & b)


def article_text(item: Mapping[str, Any]) -> str:
    return f"{item.get('title') or ''}\n{item.get('body') or ''}"


@lru_cache(maxsize=None)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) that datasketch finds best for the threshold; worked out once (it integrates
    false positive and negative rates, which takes a while)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
    return lsh.b, lsh.r


def signature(item: Mapping[str, Any], num_perm: int = NUM_PERM, k: int = SHINGLE_WORDS) -> LeanMinHash:
    from datasketch import LeanMinHash, MinHash

    m = MinHash(num_perm=num_perm, seed=SEED)
    m.update_batch(sorted(shingles(article_text(item), k)))
    return LeanMinHash(m)


class NearDupIndex:
    """An LSH index of the articles seen so far, in feed order.

    `link(item)` returns the ids of earlier articles of the same story (other sites, estimated
    Jaccard >= threshold), in the order they were added, and adds the item."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM, k: int = SHINGLE_WORDS,
                 cross_site_only: bool = CROSS_SITE_ONLY) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold {threshold} is not in (0, 1]")
        self.threshold, self.num_perm, self.k, self.cross_site_only = threshold, num_perm, k, cross_site_only
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(num_perm=num_perm, params=lsh_params(threshold, num_perm))
        self._sigs: dict[str, LeanMinHash] = {}
        self._site: dict[str, str] = {}
        self._days: dict[str, set[tuple[int, int]]] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._sigs

    def signature(self, item: Mapping[str, Any]) -> LeanMinHash:
        return signature(item, self.num_perm, self.k)

    def similarity(self, a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
        """The estimated Jaccard similarity of two articles' shingle sets."""
        return self.signature(a).jaccard(self.signature(b))

    def query(self, item: Mapping[str, Any], sig: LeanMinHash | None = None) -> list[str]:
        """Ids of indexed articles of the same story as `item` (not itself), oldest first."""
        sig = sig if sig is not None else self.signature(item)
        days = named_days(article_text(item))
        found = []
        for other in self._lsh.query(sig):
            if other == item.get("id"):
                continue
            if self.cross_site_only and self._site[other] == item.get("site"):
                continue
            if sig.jaccard(self._sigs[other]) >= self.threshold and days_agree(days, self._days[other]):
                found.append(other)
        return sorted(found, key=self._order.__getitem__)

    def add(self, item: Mapping[str, Any], sig: LeanMinHash | None = None) -> None:
        """Index an article (once per id; a second add of the same id does nothing)."""
        article_id = item["id"]
        if article_id in self._sigs:
            return
        sig = sig if sig is not None else self.signature(item)
        self._lsh.insert(article_id, sig)
        self._sigs[article_id] = sig
        self._site[article_id] = str(item.get("site") or "")
        self._days[article_id] = named_days(article_text(item))
        self._order[article_id] = len(self._order)

    def link(self, item: Mapping[str, Any]) -> list[str]:
        """The value of the item's `related` field: earlier articles of its story. Adds the item."""
        sig = self.signature(item)
        related = self.query(item, sig)
        self.add(item, sig)
        return related

    @classmethod
    def from_articles(cls, articles: Iterable[Mapping[str, Any]], **options: Any) -> "NearDupIndex":
        index = cls(**options)
        for item in articles:
            index.add(item)
        return index

    @classmethod
    def from_feed(cls, feed_path: str | Path, since: str | None = None, **options: Any) -> "NearDupIndex":
        """The index of the feed's articles (published on or after `since`, an ISO date, when
        given); an absent feed gives an empty index."""
        from sdcrawl.store.feed import iter_lines

        articles = (v for v, _ in iter_lines(feed_path, quiet=True) if  # damage is reported once, by the run book
                    isinstance(v, dict) and isinstance(v.get("id"), str)
                    and (since is None or str(v.get("published") or "") >= since))
        return cls.from_articles(articles, **options)


def related_map(articles: Sequence[Mapping[str, Any]], index: NearDupIndex | None = None) -> dict[str, list[str]]:
    """Symmetric links: for each article id, the ids of every other article of its story, in feed
    order. An article's own `related` field is used when the line has one; for lines without it
    the links are computed as the crawl would have (each against the articles before it)."""
    order = {a["id"]: i for i, a in enumerate(articles)}
    links: dict[str, set[str]] = {a["id"]: set() for a in articles}
    index = index if index is not None else NearDupIndex()
    for a in articles:
        if "related" in a:
            earlier = [r for r in a.get("related") or () if r in links]
            index.add(a)
        else:
            earlier = index.link(a)
        for other in earlier:
            if other != a["id"]:
                links[a["id"]].add(other)
                links[other].add(a["id"])
    groups = stories_from_links(links, order)
    out = {}
    for group in groups:
        for member in group:
            out[member] = [m for m in group if m != member]
    return out


def stories_from_links(links: Mapping[str, Iterable[str]], order: Mapping[str, int]) -> list[list[str]]:
    """Connected groups of ids (a story is everything linked to it, also through another
    article), each in feed order, the groups in the order of their first article."""
    parent = {i: i for i in links}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, others in links.items():
        for b in others:
            if b in parent:
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[max(ra, rb, key=order.__getitem__)] = min(ra, rb, key=order.__getitem__)
    groups: dict[str, list[str]] = {}
    for i in sorted(links, key=order.__getitem__):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def stories(articles: Sequence[Mapping[str, Any]], index: NearDupIndex | None = None) -> list[list[Mapping[str, Any]]]:
    """The articles grouped by story (each group in feed order: the first is the earliest)."""
    by_id = {a["id"]: a for a in articles}
    related = related_map(articles, index)
    order = {a["id"]: i for i, a in enumerate(articles)}
    return [[by_id[i] for i in group] for group in stories_from_links(related, order)]
