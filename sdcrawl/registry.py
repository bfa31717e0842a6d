"""The site registry: one TOML file per site in seeds/, validated when loaded.

A registry entry is data only (no code): the site's id, who publishes it, where its news is,
which platform it runs on, and optional RSS/Atom feeds and sitemaps. Unknown keys, a file whose
name differs from its id, and duplicate ids are errors, so a typo never silently disables a site.

Every entry also says what it is and why we believe it:
  kind       "local_government" (a state city or novads, or its social service's own site),
             "state_body" (a ministry or agency publishing national projects and trainings), or
             "archive" (a merged municipality's old site that still serves its old news; it names
             its `successor` entry and lives on its own old host).
  evidence   the addresses of stored copies of the site's pages that show its address, its
             news and its URL shapes (hence the platform). Required, at least one.
  verified   false until `sdcrawl check` has once passed against the live site, then that date
             (a TOML date or "YYYY-MM-DD").
  needs_try  true when the URL shapes match no platform a base spider serves: `platform` is then
             "unknown", the entry crawls with the plain NewsSpider and generic extraction until
             `sdcrawl try <start URL>` and `sdcrawl new-site` give it a spider. A known platform
             may also be marked, when the shapes only suggest it (confirm with `try`).
  also_hosts other hosts of the same publisher (a former domain) whose pages count as evidence.

`registry_problems()` checks what needs the whole registry (and the recorded copies): one owner
per host, evidence on the entry's own hosts, successors that exist, and a base spider plus a
recorded copy for every platform an unmarked entry uses.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema

PLATFORMS = ("unified", "wordpress", "joomla", "custom", "unknown")
#: the platforms a base spider serves (sdcrawl.spiderloader.platform_bases); "unknown" is not one
BASE_PLATFORMS = ("unified", "wordpress", "joomla", "custom")
KINDS = ("local_government", "state_body", "archive")

ENTRY_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name", "municipality", "home", "platform", "start_urls", "kind", "evidence"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "name": {"type": "string", "minLength": 1},
        "municipality": {"type": "string", "minLength": 1},
        "home": {"type": "string", "pattern": "^https?://[^/]+/"},
        "platform": {"enum": list(PLATFORMS)},
        "start_urls": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^https?://"}},
        "feeds": {"type": "array", "items": {"type": "string", "pattern": "^https?://"}},
        "sitemaps": {"type": "array", "items": {"type": "string", "pattern": "^https?://"}},
        "javascript": {"type": "boolean"},
        "javascript_articles": {"type": "boolean"},
        "notes": {"type": "string"},
        "kind": {"enum": list(KINDS)},
        "evidence": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string", "pattern": "^https?://[^/]+"}},
        "verified": {"anyOf": [{"const": False}, {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}]},
        "needs_try": {"type": "boolean"},
        "also_hosts": {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9.-]+$"}},
        "successor": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
    },
}


class RegistryError(ValueError):
    """A registry file is malformed; the message names the file and the problem in one line."""


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    municipality: str
    home: str
    platform: str
    start_urls: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    javascript: bool = False  # listing pages are drawn by script: render them in the browser
    javascript_articles: bool = False  # so are article pages
    notes: str = ""
    path: Path | None = field(default=None, compare=False)
    # defaults keep older callers (tests, scaffolding) that build a Site by hand working
    kind: str = "local_government"
    evidence: tuple[str, ...] = ()
    verified: date | None = None  # the day `sdcrawl check` once passed against the live site
    needs_try: bool = False  # no base spider serves its platform yet: `sdcrawl try` it first
    also_hosts: tuple[str, ...] = ()
    successor: str = ""  # for an archive: the id of the entry that publishes its news now

    @property
    def domains(self) -> tuple[str, ...]:
        """Hosts of the site (with and without www.), for allowed_domains."""
        hosts = {urlsplit(u).hostname for u in (self.home, *self.start_urls, *self.feeds, *self.sitemaps)}
        out: set[str] = set()
        for h in hosts:
            if h:
                bare = h.removeprefix("www.")
                out.update({bare, "www." + bare})
        return tuple(sorted(out))

    @property
    def hosts(self) -> tuple[str, ...]:
        """The hosts this entry claims, without "www.": its URLs' and its `also_hosts`."""
        found = {h.removeprefix("www.") for h in self.domains} | {h.removeprefix("www.") for h in self.also_hosts}
        return tuple(sorted(found))


def default_seeds_dir() -> Path:
    """SDCRAWL_SEEDS_DIR from the environment, else the repository's seeds/ folder."""
    return Path(os.environ.get("SDCRAWL_SEEDS_DIR") or Path(__file__).resolve().parent.parent / "seeds")


def parse_entry(data: dict, path: Path) -> Site:
    data = dict(data)
    if isinstance(data.get("verified"), date):  # a TOML date: verified = 2026-12-01
        data["verified"] = data["verified"].isoformat()
    try:
        jsonschema.validate(data, ENTRY_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "entry"
        raise RegistryError(f"{path}: {where}: {exc.message}") from None
    if data["id"] != path.stem:
        raise RegistryError(f"{path}: id {data['id']!r} differs from the file name {path.stem!r}")
    verified = None
    if data.get("verified"):
        try:
            verified = date.fromisoformat(data["verified"])
        except ValueError:
            raise RegistryError(f"{path}: verified: {data['verified']!r} is not a date") from None
    needs_try = data.get("needs_try", False)
    if data["platform"] == "unknown" and not needs_try:
        raise RegistryError(f"{path}: platform 'unknown' needs needs_try = true (run `sdcrawl try` on its start URL)")
    if data["kind"] == "archive" and not data.get("successor"):
        raise RegistryError(f"{path}: an archive entry names its successor (the entry that publishes its news now)")
    if data.get("successor") and data["kind"] != "archive":
        raise RegistryError(f"{path}: successor is only for kind = \"archive\"")
    return Site(
        id=data["id"],
        name=data["name"],
        municipality=data["municipality"],
        home=data["home"],
        platform=data["platform"],
        start_urls=tuple(data["start_urls"]),
        feeds=tuple(data.get("feeds", ())),
        sitemaps=tuple(data.get("sitemaps", ())),
        javascript=data.get("javascript", False),
        javascript_articles=data.get("javascript_articles", False),
        notes=data.get("notes", ""),
        path=path,
        kind=data["kind"],
        evidence=tuple(data["evidence"]),
        verified=verified,
        needs_try=needs_try,
        also_hosts=tuple(h.removeprefix("www.") for h in data.get("also_hosts", ())),
        successor=data.get("successor", ""),
    )


def load_registry(seeds_dir: str | Path | None = None) -> dict[str, Site]:
    """All sites of the registry by id, validated; raises RegistryError on the first problem."""
    folder = Path(seeds_dir) if seeds_dir else default_seeds_dir()
    if not folder.is_dir():
        raise RegistryError(f"{folder}: the site registry folder does not exist")
    sites: dict[str, Site] = {}
    for path in sorted(folder.rglob("*.toml")):  # subfolders may group sites (e.g. by region)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise RegistryError(f"{path}: not valid TOML: {exc}") from None
        site = parse_entry(data, path)
        if site.id in sites:
            raise RegistryError(f"{path}: duplicate site id {site.id!r} (also in {sites[site.id].path})")
        sites[site.id] = site
    return sites


@lru_cache(maxsize=8)
def _cached(seeds_dir: str) -> dict[str, Site]:
    return load_registry(seeds_dir)


def get_site(site_id: str, seeds_dir: str | Path | None = None) -> Site:
    sites = _cached(str(Path(seeds_dir) if seeds_dir else default_seeds_dir()))
    try:
        return sites[site_id]
    except KeyError:
        raise RegistryError(f"unknown site {site_id!r}; known: {', '.join(sorted(sites))}") from None


def _host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def registry_problems(sites: dict[str, Site], recorded: Path | None = None, bases: dict | None = None) -> list[str]:
    """What is wrong with the registry as a whole, one line per problem (empty: nothing).

    - a host claimed by two entries (an archive lives on its own old host, so it never shares
      one with its successor; a site that moved into a section of another host is that host's);
    - evidence off the entry's hosts (its URLs' hosts, subdomains of them, and `also_hosts`);
    - an archive whose successor is not in the registry;
    - an entry not marked `needs_try` on a platform without a base spider or without a recorded
      copy of that platform's markup under `recorded` (when given).
    """
    problems: list[str] = []
    owner: dict[str, str] = {}
    for site in sites.values():
        for host in site.hosts:
            if host in owner and owner[host] != site.id:
                problems.append(f"{site.id}: host {host} is also claimed by {owner[host]}")
            owner.setdefault(host, site.id)
    for site in sites.values():
        hosts = site.hosts
        for url in site.evidence:
            host = _host_of(url)
            if not any(host == h or host.endswith("." + h) for h in hosts):
                problems.append(f"{site.id}: evidence {url} is not on the entry's hosts ({', '.join(hosts)})")
        if site.kind == "archive" and site.successor not in sites:
            problems.append(f"{site.id}: successor {site.successor!r} is not in the registry")
    if bases is not None or recorded is not None:
        copies = platform_copies(sites, recorded) if recorded is not None else {}
        for site in sites.values():
            if site.needs_try:
                continue
            if bases is not None and site.platform not in bases:
                problems.append(f"{site.id}: no base spider serves platform {site.platform!r}; mark it needs_try = true")
            if recorded is not None and site.platform not in copies:
                problems.append(f"{site.id}: no recorded copy of platform {site.platform!r} in {recorded}")
    return problems


#: which recorded copy stands for a platform when one copy is served under many hosts
#: (sdcrawl.replay.registry_pages): a site whose own spider module adds nothing to its base
PLATFORM_COPIES = {"unified": "bauskasnovads", "wordpress": "socd", "joomla": "iecava", "custom": "stopini"}


def platform_copies(sites: dict[str, Site], recorded: Path) -> dict[str, str]:
    """platform -> id of the recorded copy that shows its markup: PLATFORM_COPIES where that copy
    exists, else the first (by id) entry of the platform with a copy of its own."""
    out: dict[str, str] = {}
    for platform in BASE_PLATFORMS:
        preferred = PLATFORM_COPIES.get(platform)
        if preferred in sites and sites[preferred].platform == platform and (recorded / preferred / "manifest.toml").is_file():
            out[platform] = preferred
            continue
        for site_id in sorted(sites):
            if sites[site_id].platform == platform and (recorded / site_id / "manifest.toml").is_file():
                out[platform] = site_id
                break
    return out
