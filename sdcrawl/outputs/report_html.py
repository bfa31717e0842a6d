"""`sdcrawl report`: one static HTML page of the last run and the history. No server, no
JavaScript, no file beside it: the style and the charts (SVG) are inline.

- The last run: when, status, new articles, duration, problems, runs recovered after a kill.
- Per site: the last run's status, new articles, pages, errors, alerts, and a small bar chart of
  new articles (blue) and errors (red) over the recent nights (RECENT_NIGHTS).
- The newest relevant articles per site, each story once: an article republished by other sites
  (neardup) is listed under the site that published it first, with every source and its date.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from sdcrawl import stories as neardup
from sdcrawl.outputs.inputs import history_from_reports

RECENT_NIGHTS = 14
NEWEST_PER_SITE = 5
NEW_COLOUR = "#1f6fc5"
ERROR_COLOUR = "#d62728"
STATUS_COLOURS = {"ok": "#2e7d32", "alert": "#b26a00", "failed": "#7b1fa2", "problems": "#b26a00", "unverified": "#757575"}

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#222;background:#fff}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}h3{font-size:1rem;margin:1rem 0 .3rem}
table{border-collapse:collapse;margin:.4rem 0}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:middle}
th{background:#eef2f6}td.n{text-align:right}.status{color:#fff;padding:0 .4rem;border-radius:3px;font-weight:600}
.problems li{margin:.15rem 0}.meta{color:#555}.sources{color:#555;font-size:.9em}.key span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em}
ul.articles{margin:.2rem 0 .8rem;padding-left:1.2rem}ul.articles li{margin:.25rem 0}.topic{background:#eef2f6;border-radius:3px;padding:0 .3rem;margin-left:.3rem;font-size:.85em}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def chart_svg(nights: Sequence[Mapping[str, Any]], *, width: int = 168, height: int = 44) -> str:
    """Bars per night, oldest left: new articles (blue, up) and errors (red, beside it)."""
    nights = list(nights)[-RECENT_NIGHTS:]
    if not nights:
        return '<span class="meta">no history</span>'
    top = max([1, *(n["new_items"] for n in nights), *(n["errors"] for n in nights)])
    slot = width / RECENT_NIGHTS
    bar = max(2, int(slot / 2) - 1)
    base = height - 2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
             f' role="img" shape-rendering="crispEdges"><title>new articles (blue) and errors (red), last {len(nights)} nights</title>',
             f'<line x1="0" y1="{base + 0.5}" x2="{width}" y2="{base + 0.5}" stroke="#999" stroke-width="1"/>']
    for i, night in enumerate(nights):
        x = int(i * slot)
        for value, colour, dx, what in ((night["new_items"], NEW_COLOUR, 0, "new"), (night["errors"], ERROR_COLOUR, bar, "errors")):
            h = round((height - 6) * value / top)
            if value and h < 2:
                h = 2
            if h:
                parts.append(f'<rect x="{x + dx}" y="{base - h}" width="{bar}" height="{h}" fill="{colour}">'
                             f'<title>{_e(night["date"])}: {value} {what}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def _status(status: str | None) -> str:
    colour = STATUS_COLOURS.get(str(status), "#555")
    return f'<span class="status" style="background:{colour}">{_e(status or "-")}</span>'


def _article_line(story: Sequence[Mapping[str, Any]]) -> str:
    lead = story[0]
    topics = "".join(f'<span class="topic">{_e(t)}</span>' for t in [*(lead.get("topics") or ()), *(lead.get("programmes") or ())])
    line = f'<a href="{_e(lead.get("url"))}">{_e(lead.get("title"))}</a> <span class="meta">{_e(lead.get("published"))}</span>{topics}'
    if len(story) > 1:
        sources = ", ".join(f'<a href="{_e(a.get("url"))}">{_e(a.get("municipality") or a.get("site"))}</a> ({_e(a.get("published"))})'
                            for a in story[1:])
        line += f'<div class="sources">Same story also published by: {sources}</div>'
    return f"<li>{line}</li>"


def render_report(reports: Sequence[Mapping[str, Any]], articles: Sequence[Mapping[str, Any]], *,
                  title: str = "sdcrawl report", index: neardup.NearDupIndex | None = None,
                  counts: Mapping[str, int] | None = None) -> str:
    """The whole page as a string. `reports`: the run reports, oldest first; `articles`: the feed,
    or the newest articles of each site (`newest_per_site`) with `counts` the site's total."""
    finished = [r for r in reports if r.get("sites") is not None and r.get("status") != "killed"]
    history = history_from_reports(finished)
    last = finished[-1] if finished else None
    out = ["<!DOCTYPE html>", '<html lang="lv"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>", f"<h1>{_e(title)}</h1>"]
    if last is None:
        out.append("<p>No finished run yet.</p>")
    else:
        out.append(f'<p class="meta">Last run <b>{_e(last["run_id"])}</b> (started {_e(last.get("started_at", "?"))}): '
                   f'{_status(last.get("status"))} '
                   f'{_e(last.get("new_items", 0))} new article(s) in {_e(last.get("duration_s", "?"))} s; '
                   f'{len(finished)} run(s) in the history.</p>')
        problems = [(s["site"], p) for s in last["sites"] for p in ([s["site_error"]] if s.get("site_error") else []) + list(s.get("alerts") or ())]
        if problems:
            out.append('<h2>Problems</h2><ul class="problems">')
            out += [f"<li><b>{_e(site)}</b>: {_e(p)}</li>" for site, p in problems]
            out.append("</ul>")
        for killed in last.get("recovered_runs") or ():
            out.append(f'<p class="meta">Recovered run {_e(killed.get("run_id"))} (killed): {_e(killed.get("lines"))} line(s).</p>')
        out.append(f'<h2>Sites</h2><p class="key meta">Recent nights:<span style="background:{NEW_COLOUR}"></span>new articles'
                   f'<span style="background:{ERROR_COLOUR}"></span>errors</p>')
        out.append('<table class="sites"><thead><tr><th>site</th><th>status</th><th>new</th><th>pages</th><th>errors</th>'
                   '<th>problems</th><th>recent nights</th></tr></thead><tbody>')
        for s in last["sites"]:
            site_problems = ([s["site_error"]] if s.get("site_error") else []) + list(s.get("alerts") or ())
            out.append(f'<tr><td>{_e(s["site"])}</td><td>{_status(s.get("status"))}</td><td class="n">{_e(s.get("new_items", 0))}</td>'
                       f'<td class="n">{_e(s.get("pages_fetched", 0))}</td><td class="n">{_e(s.get("errors", 0))}</td>'
                       f'<td>{"<br>".join(_e(p) for p in site_problems) or "-"}</td><td>{chart_svg(history.get(s["site"], []))}</td></tr>')
        out.append("</tbody></table>")

    relevant = [a for a in articles if (a.get("classification") or {}).get("relevant", True)]
    groups = neardup.stories(relevant, index)
    by_site: dict[str, list[list[Mapping[str, Any]]]] = {}
    for story in groups:
        by_site.setdefault(str(story[0].get("site")), []).append(story)
    out.append("<h2>Newest relevant articles</h2>")
    if not by_site:
        out.append("<p>The feed has no article yet.</p>")
    site_order = [s["site"] for s in last["sites"]] if last else []
    for site in [*site_order, *sorted(set(by_site) - set(site_order))]:
        stories = sorted(by_site.get(site, []), key=lambda g: (str(g[0].get("published")), g[0]["id"]), reverse=True)
        if not stories:
            continue
        name = stories[0][0].get("municipality") or site
        size = (f"{counts[site]} article(s) in the feed" if counts and site in counts
                else f'{len(stories)} stor{"y" if len(stories) == 1 else "ies"}')
        out.append(f'<h3>{_e(name)} <span class="meta">({_e(site)}, {size})</span></h3>')
        out.append('<ul class="articles">' + "".join(_article_line(g) for g in stories[:NEWEST_PER_SITE]) + "</ul>")
    out.append("</body></html>")
    return "\n".join(out)
