"""Alerts: one message a night to a local SMTP server and local HTTP endpoints (loopback) when a
site failed or went silent; nothing on a clean night; never twice for the same run."""

import email
import email.policy
import json
import socket
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from test_outputs_data import history_reports, site_part, write_reports

from sdcrawl.outputs import commands
from sdcrawl.outputs.alerts import AlertSettings, silent_sites
from sdcrawl.outputs.inputs import InputError, history_from_reports

LAST = date(2026, 11, 30)
SITES = ("socd", "lm", "stopini")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "subject": message["Subject"], "data": message.get_content()})
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks it is up by connecting to the port it was given)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def http():
    posts = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            posts.append({"path": self.path, "type": self.headers["Content-Type"], "json": json.loads(body)})
            self.send_response(204 if self.path == "/discord" else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield posts, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def env(smtp_port, base_url):
    return {"SDCRAWL_ALERT_SMTP_HOST": "127.0.0.1", "SDCRAWL_ALERT_SMTP_PORT": str(smtp_port),
            "SDCRAWL_ALERT_SMTP_FROM": "sdcrawl@example.lv", "SDCRAWL_ALERT_SMTP_TO": "ops@example.lv, vadiba@example.lv",
            "SDCRAWL_ALERT_WEBHOOK_URL": f"{base_url}/hook", "SDCRAWL_ALERT_DISCORD_WEBHOOK_URL": f"{base_url}/discord"}


def regular_history():
    """40 nights: socd and lm give something every 3 to 5 nights, stopini every 2 nights until it
    stops after 2026-11-05 (its longest gap before that: 2 days)."""
    nights = 40
    sites = {"socd": [(1 if i % 4 == 0 else 0, 0) for i in range(nights)],
             "lm": [(2 if i % 3 == 1 else 0, 0) for i in range(nights)],
             "stopini": [(1 if i % 2 == 0 and i <= 14 else 0, 0) for i in range(nights)]}
    return history_reports(LAST, nights, sites), sites


def test_a_failed_site_and_a_silent_site_make_one_message_per_channel_once(tmp_path, smtp, http):
    inbox, smtp_port = smtp
    posts, base = http
    reports, sites = regular_history()
    last = [site_part("socd", status="failed", site_error="robots.txt and the listing could not be fetched (DNS lookup failed)"),
            site_part("lm", new_items=2), site_part("stopini")]
    reports = history_reports(LAST, 40, sites, last_sites=last)
    write_reports(tmp_path / "runs", reports)

    result = commands.send_alerts(tmp_path, env(smtp_port, base))
    assert result["errors"] == {} and result["sent"] == ["email", "webhook", "discord"]
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["from"] == "sdcrawl@example.lv" and mail["to"] == ["ops@example.lv", "vadiba@example.lv"]
    assert mail["subject"] == "sdcrawl 20261130: 2 problem(s) on socd, stopini"
    assert "socd: the crawl failed: robots.txt and the listing could not be fetched" in mail["data"]
    assert "stopini: silent: no new article since 2026-11-05 (25 days); its longest gap so far was 2 days" in mail["data"]
    assert "lm:" not in mail["data"]

    assert [p["path"] for p in posts] == ["/hook", "/discord"]
    hook = posts[0]["json"]
    assert posts[0]["type"].startswith("application/json")
    assert hook["run_id"] == reports[-1]["run_id"]
    assert [(p["site"], p["kind"]) for p in hook["problems"]] == [("socd", "failed"), ("stopini", "silent")]
    assert "stopini: silent" in hook["text"]
    assert "socd: the crawl failed" in posts[1]["json"]["content"]

    # the same night again (a rerun of the hook): nothing more is sent
    again = commands.send_alerts(tmp_path, env(smtp_port, base))
    assert again["already"] is True
    assert len(inbox.messages) == 1 and len(posts) == 2


def test_a_clean_night_sends_nothing(tmp_path, smtp, http):
    inbox, smtp_port = smtp
    posts, base = http
    _, sites = regular_history()
    sites["stopini"] = [(1 if i % 2 == 0 else 0, 0) for i in range(40)]  # stopini keeps going
    write_reports(tmp_path / "runs", history_reports(LAST, 40, sites))
    result = commands.send_alerts(tmp_path, env(smtp_port, base))
    assert result["problems"] == [] and result["sent"] == []
    assert inbox.messages == [] and posts == []
    assert json.loads((tmp_path / "runs" / "20261130T020000000000Z.alerts.json").read_text())["problems"] == []


def test_a_fired_check_and_a_killed_run_are_problems_too(tmp_path, smtp, http):
    inbox, smtp_port = smtp
    posts, base = http
    _, sites = regular_history()
    sites["stopini"] = [(1, 0)] * 40
    last = [site_part("socd", status="alert", alerts=["the listing led to no article link (it gave 4 new articles in its last 5 runs)"]),
            site_part("lm", new_items=1), site_part("stopini", new_items=1)]
    reports = history_reports(LAST, 40, sites, last_sites=last)
    reports[-1]["recovered_runs"] = [{"run_id": "20261129T020000000000Z", "lines": 3, "file": "runs/20261129T020000000000Z.jsonl"}]
    write_reports(tmp_path / "runs", reports)
    result = commands.send_alerts(tmp_path, env(smtp_port, base))
    assert [p["kind"] for p in result["problems"]] == ["check", "killed"]
    assert len(inbox.messages) == 1 and "the listing led to no article link" in inbox.messages[0]["data"]
    assert "was killed before it ended" in inbox.messages[0]["data"]


def test_a_channel_that_fails_does_not_stop_the_others(tmp_path, http):
    posts, base = http
    reports = history_reports(LAST, 3, {"socd": [(1, 0)] * 3}, last_sites=[site_part("socd", status="failed", site_error="timeout")])
    write_reports(tmp_path / "runs", reports)
    settings = {"SDCRAWL_ALERT_SMTP_HOST": "127.0.0.1", "SDCRAWL_ALERT_SMTP_PORT": "9",  # nothing listens there
                "SDCRAWL_ALERT_SMTP_FROM": "a@example.lv", "SDCRAWL_ALERT_SMTP_TO": "b@example.lv",
                "SDCRAWL_ALERT_WEBHOOK_URL": f"{base}/hook"}
    result = commands.send_alerts(tmp_path, settings)
    assert result["sent"] == ["webhook"] and set(result["errors"]) == {"email"}
    assert len(posts) == 1


def test_silence_is_judged_from_the_sites_own_rhythm():
    day = date(2026, 1, 1)

    def nights(new_days, total):
        return [{"date": (day + timedelta(days=i)).isoformat(), "new_items": int(i in new_days)} for i in range(total)]

    history = {
        "weekly": nights({0, 7, 14, 21}, 60),        # every 7 days, then nothing for 38 days: silent
        "monthly": nights({0, 30}, 60),               # a 30-day rhythm: 29 days quiet is usual
        "young": nights({45}, 60),                    # no gap known yet: the bar is 2 x 14 days
        "never": nights(set(), 40),                   # nothing in 40 nights
    }
    today = day + timedelta(days=59)
    found = {s["site"]: s for s in silent_sites(history, today)}
    assert set(found) == {"weekly", "never"}
    assert found["weekly"]["since"] == "2026-01-22" and found["weekly"]["days"] == 38
    assert (found["weekly"]["longest_gap"], found["weekly"]["gap_from"], found["weekly"]["gap_to"]) == (7, "2026-01-01", "2026-01-08")
    assert found["never"]["had_new"] is False and found["never"]["since"] == "2026-01-01"
    # 35 days in: weekly has been quiet 14 days, exactly 2 x its gap: not yet silent; young has
    # given nothing in its 35 days of history (over 2 x 14): silent
    early = {site: n[:36] for site, n in history.items()}
    assert [s["site"] for s in silent_sites(early, day + timedelta(days=35))] == ["never", "young"]


def test_bad_settings_and_inputs_are_one_line_errors(tmp_path):
    with pytest.raises(ValueError, match="SDCRAWL_ALERT_SMTP_PORT='twenty-five' is not a number"):
        AlertSettings.from_mapping({"SDCRAWL_ALERT_SMTP_PORT": "twenty-five"})
    with pytest.raises(ValueError, match="SDCRAWL_ALERT_SMTP_FROM or SDCRAWL_ALERT_SMTP_TO is not"):
        AlertSettings.from_mapping({"SDCRAWL_ALERT_SMTP_HOST": "127.0.0.1"})
    with pytest.raises(InputError, match="no finished run"):
        commands.send_alerts(tmp_path, {})
    with pytest.raises(InputError, match="no such data folder"):
        commands.send_alerts(tmp_path / "nope", {})
    assert history_from_reports([]) == {}
