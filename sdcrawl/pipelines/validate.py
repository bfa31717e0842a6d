"""Schema validation of items (sdcrawl/schema/article.schema.json, JSON Schema 2020-12, formats
checked).

- no title → dropped, `sdcrawl/dropped/no_title`, page rejected ("no_title": recorded by the store);
- no publication date → dropped, `sdcrawl/dropped/no_date`, page rejected ("no_date");
- any other schema error → dropped, `sdcrawl/dropped/invalid` and `sdcrawl/dropped/invalid/<field>`
  for each field in error, one warning line naming the URL and the first error. Such a page is not
  recorded as rejected: an invalid item is a bug to fix, and the page is fetched again next time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, NoReturn

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from scrapy.exceptions import DropItem

from sdcrawl.item import public
from sdcrawl.pipelines.base import Rejected
from sdcrawl.store.feed import dumps_line

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["VALIDATED", "ValidatePipeline", "field_errors", "line_digest", "load_schema", "validated_line",
           "validation_errors", "validator"]

logger = logging.getLogger(__name__)

_REQUIRED = re.compile(r"^'(.+)' is a required property$")


@cache
def load_schema() -> dict[str, Any]:
    """The article schema, read once from the installed package."""
    text = files("sdcrawl").joinpath("schema/article.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _location(path: Any) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _split(error: ValidationError, item: Any) -> list[tuple[str, str]]:
    """(top-level field, 'location: message') pairs for one error."""
    if error.path:
        return [(str(error.path[0]), f"{_location(error.path)}: {error.message}")]
    if error.validator == "required" and (match := _REQUIRED.match(error.message)):
        return [(match.group(1), f"{match.group(1)}: missing (required)")]
    if error.validator == "additionalProperties" and isinstance(item, dict):
        known = error.schema.get("properties", {})
        return [(name, f"{name}: unknown field") for name in sorted(item) if name not in known]
    return [("(root)", f"(root): {error.message}")]


def field_errors(item: Any) -> list[tuple[str, str]]:
    """(top-level field, message) for every schema error, sorted by field then message."""
    pairs = [pair for error in validator().iter_errors(item) for pair in _split(error, item)]
    return sorted(set(pairs))


def validation_errors(item: Any) -> list[str]:
    """One 'field: message' line per schema error of `item` (empty when it is valid), e.g.
    "published: '2012-13-01' is not a 'date'"."""
    return [message for _, message in field_errors(public(item) if isinstance(item, dict) else item)]


# --- validate once (issue 16) ---------------------------------------------------------------------
#: Private key (never in the feed) of an item that passed validation: the digest of the exact feed
#: line it was validated as. The store stage validates again only when its line differs, i.e. when a
#: stage after validation changed the item, so "never a line that does not match the schema" holds
#: at the cost of one hash instead of a second jsonschema run.
VALIDATED = "_validated"


def line_digest(line: bytes) -> bytes:
    return hashlib.blake2b(line, digest_size=16).digest()


def validated_line(item: dict[str, Any]) -> tuple[bytes, list[str]]:
    """(the feed line of `item`, its schema errors): the errors are only computed when the line is
    not the one that passed validation."""
    data = dumps_line(public(item))
    if item.get(VALIDATED) == line_digest(data):
        return data, []
    return data, validation_errors(item)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        validator()  # a broken schema file fails at start-up, not on the first item

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def _reject(self, item: dict[str, Any], reason: str) -> NoReturn:
        url = item.get("url")
        self.crawler.stats.inc_value(f"sdcrawl/dropped/{reason}")
        logger.info("Dropped %s: %s", url, reason.replace("_", " "))
        raise Rejected(reason, url)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if _blank(item.get("title")):
            self._reject(item, "no_title")
        if _blank(item.get("published")):
            self._reject(item, "no_date")
        line = public(item)
        errors = field_errors(line)
        if not errors:
            item[VALIDATED] = line_digest(dumps_line(line))
            return item
        stats = self.crawler.stats
        stats.inc_value("sdcrawl/dropped/invalid")
        for field in dict.fromkeys(field for field, _ in errors):
            stats.inc_value(f"sdcrawl/dropped/invalid/{field}")
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        logger.warning("Invalid item %s: %s%s", item.get("url"), errors[0][1], more)
        raise DropItem(f"invalid: {errors[0][1]}", log_level="DEBUG")
