"""`sdcrawl new-site`: a registry entry, a spider and a test for a new site, from its URL.

    sdcrawl new-site kekava --url "https://www.kekava.lv/?id=212" --name "Ķekavas novads" [--platform P] [--force]

It runs the generic spider on the URL (sdcrawl.discover: feeds, listing, sitemap, platform) and on
a few of the site's articles, then writes from the templates in sdcrawl/templates/:

- `seeds/<id>.toml`: the start URL (the listing found), the feeds (and sitemaps, when they are how
  the news was found), the platform;
- `<spiders>/<id>.py`: a spider on the platform's base; only what the base gets wrong on these
  pages is written out — the listing's link, entry, date and pagination selectors found on the
  listing page, the article selectors (title, date, body) worked out from the sample articles and
  checked on every one of them, a sitemap filter for the article URL shape;
- `tests/sites_generated/test_<id>.py`: the site's recorded copy must crawl to its expected feed.

Where: the registry folder is SDCRAWL_SEEDS_DIR (default seeds/); the project root is its parent
(`recorded/`, `tests/sites_generated/` under it); the spider goes to the folder of NEWSPIDER_MODULE
(the first of SDCRAWL_SPIDER_MODULES, default sdcrawl.spiders). Nothing is overwritten without
`--force`; the id must be `[a-z][a-z0-9_]*` and not taken by another site or spider.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from sdcrawl import discover
from sdcrawl.extract import Selectors, extract_article
from sdcrawl.extract.dates import parse_date
from sdcrawl.extract.html import element_text, inline_text, parse_html
from sdcrawl.registry import RegistryError, default_seeds_dir, load_registry
from sdcrawl.sources.urls import site_root

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
BASES = {"unified": "UnifiedPlatformSpider", "wordpress": "WordPressSpider", "joomla": "JoomlaSpider", "custom": "NewsSpider"}
SAMPLES = 5


class ScaffoldError(Exception):
    """Refused: one line for the operator."""


def template(name: str) -> Template:
    return Template(files("sdcrawl").joinpath(f"templates/{name}").read_text(encoding="utf-8"))


# --- where things go ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Project:
    seeds: Path
    spiders_module: str
    spiders_dir: Path

    @property
    def root(self) -> Path:
        return self.seeds.parent

    @property
    def recorded(self) -> Path:
        return self.root / "recorded"

    @property
    def tests(self) -> Path:
        return self.root / "tests" / "sites_generated"

    def entry(self, site_id: str) -> Path:
        return self.seeds / f"{site_id}.toml"

    def spider(self, site_id: str) -> Path:
        return self.spiders_dir / f"{site_id}.py"

    def test(self, site_id: str) -> Path:
        return self.tests / f"test_{site_id}.py"


def project(settings) -> Project:
    seeds = Path(settings.get("SDCRAWL_SEEDS_DIR") or default_seeds_dir()).resolve()
    module = settings.get("NEWSPIDER_MODULE") or "sdcrawl.spiders"
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ScaffoldError(f"the spider package {module!r} (NEWSPIDER_MODULE) cannot be imported")
    return Project(seeds, module, Path(list(spec.submodule_search_locations)[0]).resolve())


def check_id(site_id: str) -> None:
    if not ID_PATTERN.match(site_id):
        raise ScaffoldError(f"bad site id {site_id!r}: lowercase letters, digits and _, starting with a letter")


def check_new_site(site_id: str, where: Project, spider_names: list[str], force: bool) -> None:
    """Refuse an id the registry or another spider already has, and files that exist (unless --force)."""
    check_id(site_id)
    try:
        registry = load_registry(where.seeds) if where.seeds.is_dir() else {}
    except RegistryError as exc:
        raise ScaffoldError(str(exc)) from None
    if site_id in registry and not force:
        raise ScaffoldError(f"site {site_id!r} is already in the registry ({registry[site_id].path}); --force overwrites it")
    if site_id in spider_names and site_id not in registry:
        raise ScaffoldError(f"{site_id!r} is the name of another spider; choose another id")
    existing = [p for p in (where.entry(site_id), where.spider(site_id), where.test(site_id)) if p.exists()]
    if existing and not force:
        raise ScaffoldError(f"{existing[0]} exists; --force overwrites it")


# --- article selectors from sample pages -------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(text.split())


def _first_text(doc, css: str, attr_first: bool = False) -> tuple[object, str] | None:
    found = discover.select(doc, css)
    if not found:
        return None
    el = found[0]
    if attr_first:
        return el, (el.get("datetime") or el.get("content") or inline_text(el))
    return el, inline_text(el)


def _candidates(elements) -> list[str]:
    out: dict[str, None] = {}
    for el in elements:
        for css in discover.css_candidates(el):
            out.setdefault(css, None)
    return list(out)


def derive_selectors(samples: list[tuple[str, str, dict]]) -> dict[str, str]:
    """CSS for the title, the date and the body of a site's articles, worked out from sample
    pages and their generically extracted items: a selector is kept only when on every sample its
    first match gives that sample's title, date or body."""
    pages = [(parse_html(html), item) for _, html, item in samples]
    out: dict[str, str] = {}
    if not pages:
        return out
    doc0, item0 = pages[0]

    if item0.get("title"):
        els = [el for el in doc0.iter() if isinstance(el.tag, str) and el.tag not in ("title", "head", "meta", "html", "body")
               and _norm(inline_text(el)) == _norm(item0["title"])]
        for css in _candidates(els):
            if all(item.get("title") and (hit := _first_text(doc, css)) and _norm(hit[1]) == _norm(item["title"]) for doc, item in pages):
                out["title"] = css
                break

    if item0.get("published"):
        want = date.fromisoformat(item0["published"])
        els = [el for el in doc0.iter() if isinstance(el.tag, str) and not discover.in_chrome(el)
               and ((el.tag == "time" and parse_date(el.get("datetime") or "") == want)
                    or (len(inline_text(el)) <= 40 and parse_date(inline_text(el)) == want))]
        els.sort(key=lambda e: -len(list(e.iterancestors())))  # the innermost first
        for css in _candidates(els):
            if all(item.get("published") and (hit := _first_text(doc, css, attr_first=True))
                   and parse_date(hit[1]) == date.fromisoformat(item["published"]) for doc, item in pages):
                out["date"] = css
                break

    def ends(body: str) -> tuple[str, str]:
        flat = _norm(body)
        return flat[:40], flat[-40:]

    if item0.get("body"):
        head, tail = ends(item0["body"])
        els = [el for el in doc0.iter() if isinstance(el.tag, str) and el.tag not in ("html", "body")
               and head in _norm(element_text(el)) and tail in _norm(element_text(el))]
        els.sort(key=lambda e: len(element_text(e)))  # the smallest that holds the whole text first
        for css in _candidates(els[:3]):
            ok = True
            for doc, item in pages:
                found = discover.select(doc, css)
                if not item.get("body") or not found:
                    ok = False
                    break
                h, t = ends(item["body"])
                text = _norm(element_text(found[0]))
                if h not in text or t not in text or len(text) > 3 * len(_norm(item["body"])) + 200:
                    ok = False
                    break
            if ok:
                out["body"] = css
                break
    return out


def _layer_works(selectors: Selectors, field: str, samples: list[tuple[str, str, dict]]) -> bool:
    """Whether the selectors give `field` on every sample, equal to what the sample has."""
    key = {"title": "title", "date": "published", "body": "body"}[field]
    for url, html, item in samples:
        got = extract_article(html, url, selectors=selectors)
        if got["provenance"].get(key) != "site":
            return False
        if key != "body" and got.get(key) != item.get(key):
            return False
    return True


# --- the spider --------------------------------------------------------------------------------------
@dataclass
class SpiderPlan:
    base: str
    attributes: list[tuple[str, str, str]]      # (name, python expression, comment)
    sitemap_regex: str | None = None
    notes: list[str] | None = None


def plan_spider(platform: str, discovery: dict, listing_html: str | None, samples: list[tuple[str, str, dict]]) -> SpiderPlan:
    """What the new spider must say that its platform base does not already get right."""
    from sdcrawl.spiderloader import platform_bases

    base_cls = platform_bases()[platform]
    plan = SpiderPlan(BASES[platform], [], notes=[])
    listing = discovery.get("listing")
    if listing and listing_html:
        url = listing["url"]
        doc = parse_html(listing_html)
        wanted = {u for u in _group_urls(listing_html, url, listing)}
        base_links = {re.sub(r"#.*$", "", _join(url, h)) for h in _hrefs(doc, base_cls.listing_links)}
        if not wanted or not wanted <= base_links or len(base_links - wanted) > len(wanted):
            if listing.get("link_css"):
                plan.attributes.append(("listing_links", py(listing["link_css"]), f"links like {listing['shape']}"))
                if listing.get("entry_css") and listing.get("date_css"):
                    plan.attributes.append(("listing_entries", py(listing["entry_css"]), "one per article, with its date"))
                    plan.attributes.append(("listing_date", py(listing["date_css"]), None))
                elif base_cls.listing_entries is not None:
                    plan.attributes.append(("listing_entries", "None", "the listing's dates are not inside its entries"))
            else:
                plan.notes.append("no CSS selector picks the listing's links exactly: write listing_links by hand")
        elif base_cls.listing_entries is None and listing.get("entry_css") and listing.get("date_css"):
            # the base finds the links; the entries' dates let pagination stop at `since`
            plan.attributes.append(("listing_entries", py(listing["entry_css"]), "one per article, with its date"))
            plan.attributes.append(("listing_date", py(listing["date_css"]), None))
        next_url = listing.get("next")
        if next_url:
            base_next = _hrefs(doc, base_cls.next_page)
            if not base_next or _join(url, base_next[0]) != next_url:
                if listing.get("next_css"):
                    plan.attributes.append(("next_page", py(listing["next_css"]), listing.get("next_how")))
                else:
                    plan.notes.append(f"pagination found ({listing.get('next_how')}) but no CSS for it: write next_page by hand")
    if discovery.get("sitemap_shape") and not discovery.get("feeds") and not listing:
        plan.sitemap_regex = discover.shape_regex(discovery["sitemap_shape"])

    if samples:
        derived = derive_selectors(samples)
        fields = {}
        for field in ("title", "date", "body"):
            if _layer_works(base_cls.selectors, field, samples):
                continue  # the platform's own selector does it
            if field in derived:
                fields[field] = derived[field]
            else:
                plan.notes.append(f"no selector gives the {field} on every sample article: generic extraction does it for now")
        if fields:
            args = ", ".join(f"{k}={py(v)}" for k, v in fields.items())
            if base_cls.selectors != Selectors():
                plan.attributes.append(("selectors", f"replace({plan.base}.selectors, {args})", "checked on the sample articles"))
            else:
                plan.attributes.append(("selectors", f"Selectors({args})", f"checked on {len(samples)} sample articles"))
    else:
        plan.notes.append("no article page was reached: article selectors are left to generic extraction")
    return plan


def py(value: str) -> str:
    """A Python string literal in double quotes."""
    return json.dumps(value, ensure_ascii=False)


def _join(base: str, href: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, href.strip())


def _hrefs(doc, css: str) -> list[str]:
    out = []
    for el in discover.select(doc, css):
        if el.get("href"):
            out.append(el.get("href"))
    return out


def _group_urls(html: str, url: str, listing: dict) -> list[str]:
    group = discover.group_on_page(html, url, (listing["place"], listing["shape"]))
    return group.urls if group else []


def render_spider(site_id: str, url: str, discovery: dict, plan: SpiderPlan, today: str) -> str:
    class_name = "".join(part.capitalize() for part in site_id.split("_")) + "Spider"
    imports = []
    uses = " ".join(expr for _, expr, _ in plan.attributes)
    if "replace(" in uses:
        imports.append("from dataclasses import replace")
    if plan.sitemap_regex:
        imports += ["import re", "from urllib.parse import urlsplit"]
    imports.sort(key=lambda l: (not l.startswith("import"), l))
    if imports:
        imports.append("")
    if "Selectors(" in uses:
        imports.append("from sdcrawl.extract import Selectors")
    imports.append(f"from sdcrawl.spiders.platforms import {plan.base}")
    lines = []
    for name, expr, comment in plan.attributes:
        lines.append(f"    {name} = {expr}" + (f"  # {comment}" if comment else ""))
    if plan.sitemap_regex:
        lines.append("")
        lines.append("    # the sitemap lists every page of the site; its articles have this shape: "
                     f"{discovery.get('sitemap_shape')}")
        lines.append(f"    article_path = re.compile({py(plan.sitemap_regex)})")
        lines.append("")
        lines.append("    def is_article_in_sitemap(self, url: str) -> bool:")
        lines.append("        parts = urlsplit(url)")
        lines.append("        return self.article_path.search(parts.path + (f\"?{parts.query}\" if parts.query else \"\")) is not None")
    for note in plan.notes or []:
        lines.append(f"    # TODO: {note}")
    if not lines:
        lines.append("    # everything else is the platform's")
    lines.append("")
    host = urlsplit(url).hostname or url
    evidence = ", ".join(discovery.get("platform_evidence") or []) or "none"
    return template("spider.py.tmpl").substitute(
        doc=f"{host}: its news, for sdcrawl.", id=site_id, today=today, url=url, method=discovery.get("method", "nothing"),
        evidence=evidence, imports="\n".join(imports) + "\n", class_name=class_name, base=plan.base, body="\n".join(lines))


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_entry(site_id: str, url: str, name: str, municipality: str, platform: str, discovery: dict, today: str) -> str:
    final = discovery.get("final_url") or url
    listing = discovery.get("listing")
    start = listing["url"] if listing else final
    feeds = [f["url"] for f in discovery.get("feeds") or [] if f.get("on_site")]
    sitemaps = [s["url"] for s in discovery.get("sitemaps") or [] if s.get("type") == "urlset"] if discovery.get("sitemap_shape") and not feeds and not listing else []
    how = discovery.get("method", "nothing")
    notes = f"Added by sdcrawl new-site on {today}: news found by {how}"
    if listing:
        notes += f"; listing links like {listing['shape']}, pagination {listing.get('next_how') or 'none'}"
    if discovery.get("platform_evidence"):
        notes += f"; platform evidence: {', '.join(discovery['platform_evidence'])}"
    notes += "."
    return template("seed.toml.tmpl").substitute(
        id=site_id, today=today, url=url, method=how, name=_toml_str(name), municipality=_toml_str(municipality),
        home=site_root(final), platform=platform, start_urls=_toml_str(start),
        feeds=f"feeds = [{', '.join(map(_toml_str, feeds))}]\n" if feeds else "",
        sitemaps=f"sitemaps = [{', '.join(map(_toml_str, sitemaps))}]\n" if sitemaps else "",
        notes=f"notes = {_toml_str(notes)}\n")


def render_test(site_id: str, today: str) -> str:
    return template("test_site.py.tmpl").substitute(id=site_id, today=today)


def write_files(where: Project, site_id: str, entry: str, spider: str, test: str) -> list[Path]:
    written = []
    for path, text in ((where.entry(site_id), entry), (where.spider(site_id), spider), (where.test(site_id), test)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
