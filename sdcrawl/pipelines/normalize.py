"""Unicode and whitespace normalisation of items, and canonical URLs.

`normalize_item(item)` returns a new dict:
- every string (at any depth, dict keys included) in Unicode NFC, without control characters
  (ESC, NUL, C1 ...; whitespace ones count as whitespace), Unicode noncharacters (U+FFFF,
  U+FDD0 ...) or lone surrogates: a page can hold them, no reader of the feed wants them;
- `body`: runs of spaces, tabs, no-break spaces (any whitespace but newline) become one space,
  lines are stripped, and paragraphs are separated by exactly one blank line;
- every other string: all whitespace collapsed to single spaces, stripped;
- `url`: `canonicalize(url)`; `images`: canonicalized, duplicates and non-http(s) addresses
  removed, order kept;
- a top-level field that is None or an empty string is removed (optional fields are present only
  when the page has them; a missing title or date is then reported as such by validation).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from sdcrawl.urls import canonicalize

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["NormalizePipeline", "normalize_body", "normalize_item", "normalize_text"]

logger = logging.getLogger(__name__)

_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")  # whitespace other than newline, incl. \t and U+00A0
_BLANK_LINES = re.compile(r"\n{3,}")
# control characters that are not whitespace (those are collapsed as whitespace), noncharacters
# (U+FDD0-U+FDEF, and the last two code points of every plane), lone surrogates
_NONCHARACTERS = "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
_INVISIBLE = re.compile(f"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")


def normalize_text(text: str) -> str:
    """NFC, without invisible characters, all whitespace runs collapsed to one space, stripped."""
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFC", text)).split())


def normalize_body(text: str) -> str:
    """NFC, without invisible characters; spaces collapsed within lines; lines stripped; one
    blank line between paragraphs."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n\n").replace("\u2028", "\n")
    lines = (_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def _normalize_value(value: Any) -> Any:
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, dict):
        return {_normalize_value(k) if isinstance(k, str) else k: _normalize_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalize_value(v) for v in value]
    return value


def _canonical_or_none(url: str) -> str | None:
    try:
        canonical = canonicalize(url)
    except ValueError:
        return None
    return canonical if canonical.startswith(("http://", "https://")) else None


def normalize_item(item: dict[str, Any]) -> dict[str, Any]:
    """A normalised copy of `item` (see the module docstring); the input is not changed."""
    result: dict[str, Any] = {}
    for key, value in item.items():
        key = unicodedata.normalize("NFC", key) if isinstance(key, str) else key
        if key == "body" and isinstance(value, str):
            value = normalize_body(value)
        elif key == "url" and isinstance(value, str):
            value = normalize_text(value)
            value = _canonical_or_none(value) or value  # an unusable URL is left for validation
        elif key == "images" and isinstance(value, (list, tuple)):
            images: list[Any] = []
            for image in value:
                canonical = _canonical_or_none(normalize_text(image)) if isinstance(image, str) else None
                if canonical is not None and canonical not in images:
                    images.append(canonical)
            value = images
        else:
            value = _normalize_value(value)
        if value is None or value == "":
            continue
        result[key] = value
    return result


class NormalizePipeline:
    """Applies `normalize_item`; counts images it had to leave out (`sdcrawl/normalize/images_dropped`)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> dict[str, Any]:
        original = item if isinstance(item, dict) else ItemAdapter(item).asdict()
        normalized = normalize_item(original)
        raw_images = original.get("images")
        if isinstance(raw_images, (list, tuple)):
            unusable = sum(
                1 for i in raw_images if not (isinstance(i, str) and _canonical_or_none(normalize_text(i)))
            )
            if unusable:
                self.crawler.stats.inc_value("sdcrawl/normalize/images_dropped", unusable)
                logger.debug("%s: %d image URLs are not absolute http(s) URLs", normalized.get("url"), unusable)
        return normalized
