"""Alerts that reach a person: ONE message a night with that night's problems, none when all is
well. A problem is a site that failed, a spidermon check that fired (the run report's `alerts`),
a run that had been killed, or a site that went silent.

"Went silent": no new article for longer than the site usually goes, judged from its run history.
Its gaps are the days between consecutive nights on which it gave new articles; it is silent
when the days since the last such night exceed `factor` (2) times its longest gap and at least
`min_days` (14). With fewer than two such nights no gap is known, and the bar is factor × min_days.

Where it goes (settings: environment variables or a Scrapy-style settings mapping):

    SDCRAWL_ALERT_SMTP_HOST, _PORT (25), _FROM, _TO (comma-separated), _USER, _PASSWORD, _STARTTLS (0/1)
    SDCRAWL_ALERT_WEBHOOK_URL          a JSON POST {"text", "subject", "run_id", "problems"}
                                       ("text" is what Slack and Mattermost incoming webhooks show)
    SDCRAWL_ALERT_DISCORD_WEBHOOK_URL  a Discord webhook: a JSON POST {"content"}, at most 2000 characters
    SDCRAWL_ALERT_SILENT_FACTOR (2), SDCRAWL_ALERT_SILENT_MIN_DAYS (14)

Why not spidermon's actions as they are: they run inside one spider's monitor suite, when that
site's crawl closes — one message per site, not one per night — and its SMTP action sends through
Scrapy's MailSender, which needs the Twisted reactor that has stopped when the night's report is
known (and it refuses to work without an SMTP user and password, which a local relay does not
have). Its Discord message manager would fit (one POST of {"content": text}), but its module
cannot be imported without jinja2, which spidermon declares only in its `monitoring` extra; that
one POST is made here the same way. So: e-mail with the standard library's smtplib, the webhooks
with urllib. Telegram (spidermon puts the text into the URL unencoded, so a '&' or '#' cuts the
message) and Slack's bot API (needs slack_sdk and a bot token) are left out; a Slack or Mattermost
incoming webhook works as the generic webhook.
"""

from __future__ import annotations

import json
import smtplib
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

SILENT_FACTOR = 2.0
SILENT_MIN_DAYS = 14
DISCORD_LIMIT = 2000


@dataclass
class AlertSettings:
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str | None = None
    smtp_to: list[str] = field(default_factory=list)
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    webhook_url: str | None = None
    discord_webhook_url: str | None = None
    silent_factor: float = SILENT_FACTOR
    silent_min_days: int = SILENT_MIN_DAYS
    timeout: float = 30

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "AlertSettings":
        """From SDCRAWL_ALERT_* keys (os.environ, or a settings dict); a bad value is a ValueError
        whose message names the setting."""
        def get(name: str) -> str | None:
            value = values.get(f"SDCRAWL_ALERT_{name}")
            return str(value).strip() or None if value is not None else None

        def number(name: str, default, kind):
            raw = get(name)
            try:
                return kind(raw) if raw is not None else default
            except ValueError:
                raise ValueError(f"SDCRAWL_ALERT_{name}={raw!r} is not a number") from None

        settings = cls(
            smtp_host=get("SMTP_HOST"), smtp_port=number("SMTP_PORT", 25, int), smtp_from=get("SMTP_FROM"),
            smtp_to=[a.strip() for a in (get("SMTP_TO") or "").split(",") if a.strip()],
            smtp_user=get("SMTP_USER"), smtp_password=get("SMTP_PASSWORD"),
            smtp_starttls=(get("SMTP_STARTTLS") or "0").lower() in ("1", "true", "yes"),
            webhook_url=get("WEBHOOK_URL"), discord_webhook_url=get("DISCORD_WEBHOOK_URL"),
            silent_factor=number("SILENT_FACTOR", SILENT_FACTOR, float),
            silent_min_days=number("SILENT_MIN_DAYS", SILENT_MIN_DAYS, int),
        )
        if settings.smtp_host and not (settings.smtp_from and settings.smtp_to):
            raise ValueError("SDCRAWL_ALERT_SMTP_HOST is set but SDCRAWL_ALERT_SMTP_FROM or SDCRAWL_ALERT_SMTP_TO is not")
        return settings

    @property
    def channels(self) -> list[str]:
        return [name for name, on in (("email", self.smtp_host), ("webhook", self.webhook_url),
                                      ("discord", self.discord_webhook_url)) if on]


# --- what is wrong tonight (pure) -----------------------------------------------------------
def silent_sites(history: Mapping[str, Sequence[Mapping[str, Any]]], today: date, *,
                 factor: float = SILENT_FACTOR, min_days: int = SILENT_MIN_DAYS) -> list[dict[str, Any]]:
    """Sites with no new article for longer than they usually go. `history`: per site its nights
    oldest first ({"date": "YYYY-MM-DD", "new_items": n, ...}), as inputs.history_from_* give."""
    out = []
    for site, nights in sorted(history.items()):
        if not nights:
            continue
        new_days = sorted({date.fromisoformat(n["date"]) for n in nights if n.get("new_items")})
        gaps = [((b - a).days, a, b) for a, b in zip(new_days, new_days[1:])]
        longest = max(gaps, default=None, key=lambda g: g[0])
        bar = max(factor * longest[0], min_days) if longest else factor * min_days
        since = new_days[-1] if new_days else date.fromisoformat(nights[0]["date"])
        days = (today - since).days
        if days > bar:
            out.append({
                "site": site, "since": since.isoformat(), "days": days, "had_new": bool(new_days),
                "longest_gap": longest[0] if longest else None,
                "gap_from": longest[1].isoformat() if longest else None, "gap_to": longest[2].isoformat() if longest else None,
                "bar_days": bar,
            })
    return out


def night_problems(report: Mapping[str, Any], history: Mapping[str, Sequence[Mapping[str, Any]]], *,
                   today: date | None = None, factor: float = SILENT_FACTOR, min_days: int = SILENT_MIN_DAYS) -> list[dict[str, Any]]:
    """Every problem of the night, one dict each: {"site", "kind", "text"}; [] when all is well.
    `today` defaults to the run's date."""
    today = today or date.fromisoformat(f"{report['run_id'][:4]}-{report['run_id'][4:6]}-{report['run_id'][6:8]}")
    problems = []
    for s in report.get("sites") or ():
        if s.get("status") == "unverified":  # never checked against the live site: shown in the report, no alarm
            continue
        if s.get("status") == "failed" or s.get("site_error"):
            problems.append({"site": s["site"], "kind": "failed",
                             "text": f"the crawl failed: {s.get('site_error') or s.get('finish_reason') or 'unknown reason'}"})
        for alert in s.get("alerts") or ():
            problems.append({"site": s["site"], "kind": "check", "text": str(alert)})
    for killed in report.get("recovered_runs") or ():
        problems.append({"site": None, "kind": "killed",
                         "text": f"run {killed.get('run_id')} was killed before it ended; its {killed.get('lines')} line(s) were recovered"})
    for s in silent_sites(history, today, factor=factor, min_days=min_days):
        if s["had_new"]:
            usual = (f"its longest gap so far was {s['longest_gap']} days ({s['gap_from']} to {s['gap_to']})"
                     if s["longest_gap"] is not None else "no gap between new articles is known yet")
            text = f"silent: no new article since {s['since']} ({s['days']} days); {usual}"
        else:
            text = f"silent: no new article in any run since its history began on {s['since']} ({s['days']} days)"
        problems.append({"site": s["site"], "kind": "silent", "text": text})
    return problems


def compose(report: Mapping[str, Any], problems: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """(subject, plain text) of the night's one message."""
    sites = sorted({p["site"] for p in problems if p["site"]})
    subject = (f"sdcrawl {report['run_id'][:8]}: {len(problems)} problem(s)"
               + (f" on {', '.join(sites)}" if sites else ""))
    lines = [f"sdcrawl nightly run {report['run_id']}: {report.get('new_items', 0)} new article(s), "
             f"{len(report.get('sites') or ())} site(s).", ""]
    lines += [f"- {p['site'] + ': ' if p['site'] else ''}{p['text']}" for p in problems]
    lines += ["", f"Run report: {report.get('data_dir', '<data dir>')}/runs/{report['run_id']}.report.json"]
    return subject, "\n".join(lines) + "\n"


# --- sending -------------------------------------------------------------------------------
def send_email(settings: AlertSettings, subject: str, text: str) -> None:
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, settings.smtp_from, ", ".join(settings.smtp_to)
    message["Date"], message["Message-ID"] = formatdate(localtime=False), make_msgid(domain="sdcrawl")
    message.set_content(text)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message)


def post_json(url: str, payload: Mapping[str, Any], timeout: float = 30) -> int:
    request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode(),
                                     headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the operator's URL)
        return response.status


def send_discord(url: str, text: str, timeout: float = 30) -> None:
    if len(text) > DISCORD_LIMIT:
        text = text[:DISCORD_LIMIT - 1] + "…"
    post_json(url, {"content": text}, timeout)


def send_night_alerts(report: Mapping[str, Any], history: Mapping[str, Sequence[Mapping[str, Any]]],
                      settings: AlertSettings, *, today: date | None = None) -> dict[str, Any]:
    """Send the night's one message to every configured channel, if there is a problem.
    Returns {"problems", "subject", "sent": [channels], "errors": {channel: message}}; a channel
    that fails does not stop the others."""
    problems = night_problems(report, history, today=today, factor=settings.silent_factor, min_days=settings.silent_min_days)
    result: dict[str, Any] = {"run_id": report["run_id"], "problems": problems, "subject": None, "sent": [], "errors": {},
                              "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    if not problems:
        return result
    subject, text = compose(report, problems)
    result["subject"] = subject
    senders = {
        "email": lambda: send_email(settings, subject, text),
        "webhook": lambda: post_json(settings.webhook_url, {"text": f"{subject}\n\n{text}", "subject": subject,
                                                            "run_id": report["run_id"], "problems": problems}, settings.timeout),
        "discord": lambda: send_discord(settings.discord_webhook_url, f"**{subject}**\n{text}", settings.timeout),
    }
    for channel in settings.channels:
        try:
            senders[channel]()
        except Exception as exc:  # smtplib's and urllib's errors: reported, never fatal to the run
            result["errors"][channel] = f"{type(exc).__name__}: {exc}"
        else:
            result["sent"].append(channel)
    return result
