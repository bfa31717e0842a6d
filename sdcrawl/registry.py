"""The site registry: one TOML file per site in seeds/, validated when loaded.

A registry entry is data only (no code): the site's id, who publishes it, where its news is,
which platform it runs on, and optional RSS/Atom feeds and sitemaps. Unknown keys, a file whose
name differs from its id, and duplicate ids are errors, so a typo never silently disables a site.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema

PLATFORMS = ("unified", "wordpress", "joomla", "custom")

ENTRY_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name", "municipality", "home", "platform", "start_urls"],
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


def default_seeds_dir() -> Path:
    """SDCRAWL_SEEDS_DIR from the environment, else the repository's seeds/ folder."""
    return Path(os.environ.get("SDCRAWL_SEEDS_DIR") or Path(__file__).resolve().parent.parent / "seeds")


def parse_entry(data: dict, path: Path) -> Site:
    try:
        jsonschema.validate(data, ENTRY_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "entry"
        raise RegistryError(f"{path}: {where}: {exc.message}") from None
    if data["id"] != path.stem:
        raise RegistryError(f"{path}: id {data['id']!r} differs from the file name {path.stem!r}")
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
