"""The checks both redirect middlewares (sdcrawl.faults.redirect, sdcrawl.faults.metarefresh)
apply to the request a redirect leads to: no private, loopback or link-local address (hosts of
SDCRAWL_LOOPBACK_HOSTS and SDCRAWL_ALLOW_PRIVATE_HOSTS excepted), and no loop.

The address check resolves the name when the redirect is followed; a DNS answer that changes
between the check and the download (DNS rebinding) is not caught."""

from __future__ import annotations

import ipaddress
import logging
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.utils.asyncio import run_in_thread

from sdcrawl.faults.outcome import Refused, record_fault

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request

logger = logging.getLogger(__name__)


def address_kind(address: str) -> str | None:
    """'loopback', 'link-local', 'private', ... for an address a crawler must not be sent to; None
    for a public one. Raises ValueError for a host name."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    for flag in ("is_loopback", "is_link_local", "is_unspecified", "is_multicast", "is_private", "is_reserved"):
        if getattr(ip, flag):
            return flag.removeprefix("is_").replace("_", "-")
    return None


def redirect_loop(redirected: Request) -> str | None:
    """The chain ("a -> b -> a") when `redirected` goes back to an address already in its redirect
    chain, else None."""
    chain = [*redirected.meta.get("redirect_urls", []), redirected.url]
    if redirected.url.split("#")[0] in {u.split("#")[0] for u in chain[:-1]}:
        return " -> ".join(chain)
    return None


class HostCheck:
    """Which hosts a redirect must not lead to, with the answer kept per host for the crawl."""

    def __init__(self, open_hosts: set[str]) -> None:
        self.open_hosts = {h.lower() for h in open_hosts}
        self.problems: dict[str, str | None] = {}

    @classmethod
    def from_settings(cls, settings: Any) -> HostCheck:
        return cls({*settings.getdict("SDCRAWL_LOOPBACK_HOSTS"), *settings.getlist("SDCRAWL_ALLOW_PRIVATE_HOSTS")})

    async def problem(self, url: str) -> str | None:
        """Why a redirect to `url` must not be followed because of where its host is, or None."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host or host in self.open_hosts:
            return None
        if host not in self.problems:
            try:
                kind = address_kind(host)
                problem = f"{host} is a {kind} address" if kind else None
            except ValueError:  # a name: what does it resolve to?
                try:
                    infos = await run_in_thread(socket.getaddrinfo, host, parts.port or 80, 0, socket.SOCK_STREAM)
                except (OSError, UnicodeError):
                    problem = None  # does not resolve: the download itself fails and says so
                else:
                    kinds = [(info[4][0], address_kind(info[4][0])) for info in infos]
                    problem = next((f"{host} resolves to {a}, a {k} address" for a, k in kinds if k), None)
            self.problems[host] = problem
        return self.problems[host]


async def check_redirect(crawler: Crawler, hosts: HostCheck, redirected: Request, request: Request) -> Request:
    """`redirected`, or Refused ("redirect_loop", "redirect_blocked") with the fault recorded."""
    if line := redirect_loop(redirected):
        record_fault(crawler, "redirect_loop", line)
        logger.error("Redirect loop, not followed: %s", line)
        raise Refused("redirect_loop", line, "redirect loop")
    if problem := await hosts.problem(redirected.url):
        line = f"{request.url} -> {redirected.url}: {problem}"
        record_fault(crawler, "redirect_blocked", line)
        logger.warning("Redirect blocked: %s", line)
        raise Refused("redirect_blocked", line, f"redirect to {redirected.url}: {problem}")
    return redirected
