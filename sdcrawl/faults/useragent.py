"""The user agent names the project and the operator's contact address (SDCRAWL_CONTACT), so
that a municipality's web admin can tell who is crawling and reach them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def user_agent_with_contact(agent: str, contact: str | None) -> str:
    """`agent` with `contact` added inside its closing parenthesis (or in one of its own)."""
    if not contact:
        return agent
    return f"{agent[:-1]}; {contact})" if agent.endswith(")") else f"{agent} ({contact})"


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """Scrapy's user-agent middleware with USER_AGENT + SDCRAWL_CONTACT (a warning when unset)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContactUserAgentMiddleware:
        contact = crawler.settings.get("SDCRAWL_CONTACT")
        if not contact:
            logger.warning("SDCRAWL_CONTACT is not set: set it to an address where site admins can reach you")
        mw = cls(user_agent_with_contact(crawler.settings.get("USER_AGENT"), contact))
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw
