"""Data the tests of sdcrawl/outputs share (no tests here): the recorded sites' expected feed
lines, a story republished by a second site, and run reports in the documented shape."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from sdcrawl.tools.testing import RECORDED


def recorded_articles() -> list[dict]:
    """Every expected feed line of the recorded sites, in a feed-like order (oldest first), with
    the fetch time the expected files leave out (it changes from run to run)."""
    out = []
    for path in sorted(RECORDED.glob("*/expected.json")):
        for i, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            out.append({**item, "scraped_at": item.get("scraped_at") or f"2026-11-30T02:{i:02d}:17+00:00"})
    return sorted(out, key=lambda a: (a["published"], a["id"]))


def _like(template: dict, **fields) -> dict:
    return {**template, **fields}


STORY_BODY = (
    "Labklājības ministrija aicina pašvaldību sociālos darbiniekus pieteikties bezmaksas mācībām par darbu ar "
    "ģimenēm, kurās aug bērni ar uzvedības traucējumiem. Mācības notiks no 14. līdz 16. novembrim Rīgā, un tajās "
    "varēs piedalīties divi speciālisti no katra novada.\n\n"
    "Mācību programmā ir lekcijas par bērna attīstību, praktiskas nodarbības sarunu vadīšanā ar vecākiem un "
    "gadījumu analīze mazās grupās. Mācības vadīs pieredzējuši psihologi un sociālie darbinieki.\n\n"
    "Mācības finansē Eiropas Sociālā fonda Plus projekts, pieteikšanās ilgst līdz 31. oktobrim."
)
STORY_BODY_EDITED = (
    "Informē novada sociālais dienests.\n\n"
    "Labklājības ministrija aicina pašvaldību sociālos darbiniekus pieteikties bezmaksas mācībām par darbu ar "
    "ģimenēm, kurās aug bērni ar uzvedības traucējumiem. Mācības notiks no 14. līdz 16. novembrim Rīgā, un tajās "
    "varēs piedalīties divi speciālisti no katra novada.\n\n"
    "Mācību programmā ir lekcijas par bērna attīstību, praktiskas nodarbības sarunu vadīšanā ar vecākiem un "
    "gadījumu analīze mazās grupās. Apmācības vadīs pieredzējuši psihologi un sociālie darbinieki.\n\n"
    "Mācības finansē Eiropas Sociālā fonda Plus projekts, pieteikšanās ilgst līdz 31. oktobrim.\n\n"
    "Papildu informāciju sniegs novada sociālā dienesta vadītāja."
)


def story_pair() -> tuple[dict, dict]:
    """One press release (lm, the ministry) and the same story lightly edited by a municipality
    (iecava) two days later: valid feed lines, newer than every recorded article."""
    articles = recorded_articles()
    lm = next(a for a in articles if a["site"] == "lm")
    iecava = next(a for a in articles if a["site"] == "iecava")
    first = _like(lm, id="lm-" + "a1" * 10, url="https://www.lm.gov.lv/lv/jaunums/macibas-socialajiem-darbiniekiem-novembri",
                  title="Mācības sociālajiem darbiniekiem par darbu ar ģimenēm", body=STORY_BODY,
                  published="2030-10-20", scraped_at="2030-10-21T02:00:00+00:00")
    first.pop("updated", None)
    second = _like(iecava, id="iecava-" + "b2" * 10, url="https://www.iecava.lv/jaunumi/macibas-socialajiem-darbiniekiem",
                   title="Novadā: mācības sociālajiem darbiniekiem par darbu ar ģimenēm", body=STORY_BODY_EDITED,
                   published="2030-10-22", scraped_at="2030-10-23T02:00:00+00:00")
    second.pop("updated", None)
    return first, second


def write_feed(path: Path, articles: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(a, ensure_ascii=False, sort_keys=True) + "\n" for a in articles), encoding="utf-8")
    return path


def run_id(day: date) -> str:
    return f"{day:%Y%m%d}T020000000000Z"


def site_part(site: str, *, status: str = "ok", new_items: int = 0, errors: int = 0, alerts=(), site_error=None) -> dict:
    return {"site": site, "status": status, "site_error": site_error, "alerts": list(alerts), "finish_reason": "finished",
            "pages_fetched": 3, "articles_seen": 10, "skipped_known": 10 - new_items, "new_items": new_items, "rejected": {},
            "failed_articles": 0, "errors": errors, "retries": 0, "faults": {}, "duration_s": 1.5}


def report(day: date, sites: list[dict], recovered=()) -> dict:
    status = "ok" if all(s["status"] == "ok" for s in sites) else "problems"
    return {"run_id": run_id(day), "status": status, "started_at": f"{day.isoformat()}T02:00:00+00:00", "duration_s": 12.5,
            "data_dir": "/srv/sdcrawl/data", "new_items": sum(s["new_items"] for s in sites),
            "run_file": f"/srv/sdcrawl/data/runs/{run_id(day)}.jsonl", "sites": sites, "recovered_runs": list(recovered)}


def history_reports(last: date, nights: int, sites: dict[str, list[tuple[int, int]]], last_sites: list[dict] | None = None) -> list[dict]:
    """`nights` nightly reports ending on `last`; sites[site][i] = (new_items, errors) of night i
    (missing nights count as (0, 0)); `last_sites` replaces the last night's per-site parts."""
    out = []
    for i in range(nights):
        day = last - timedelta(days=nights - 1 - i)
        parts = []
        for site, values in sites.items():
            new, errors = values[i] if i < len(values) else (0, 0)
            parts.append(site_part(site, new_items=new, errors=errors))
        out.append(report(day, parts))
    if last_sites is not None:
        out[-1] = report(last, last_sites)
    return out


def write_reports(runs_dir: Path, reports: list[dict]) -> None:
    runs_dir.mkdir(parents=True, exist_ok=True)
    for r in reports:
        (runs_dir / f"{r['run_id']}.report.json").write_text(json.dumps(r, ensure_ascii=False, indent=2), encoding="utf-8")
