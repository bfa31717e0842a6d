"""Downloader middlewares of sdcrawl."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware

logger = logging.getLogger(__name__)


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """The user agent names the project and the operator's contact address (SDCRAWL_CONTACT),
    so that a municipality's web admin can tell who is crawling and reach them."""

    @classmethod
    def from_crawler(cls, crawler):
        agent = crawler.settings.get("USER_AGENT")
        contact = crawler.settings.get("SDCRAWL_CONTACT")
        if contact:
            agent = f"{agent[:-1]}; {contact})" if agent.endswith(")") else f"{agent} ({contact})"
        else:
            logger.warning("SDCRAWL_CONTACT is not set: set it to an address where site admins can reach you")
        mw = cls(agent)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw
