"""The fault middlewares' decisions one by one, without a crawl (the crawls are in test_faults.py)."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from email.utils import formatdate

import brotli
import pytest
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.utils.test import get_crawler

import sdcrawl.settings as project_settings
from sdcrawl.extract.decode import looks_baltic
from sdcrawl.faults.addresses import address_kind
from sdcrawl.faults.charset import CharsetMiddleware
from sdcrawl.faults.compression import StreamProblem, check_compressed
from sdcrawl.faults.markup import MarkupRepairMiddleware
from sdcrawl.faults.redirect import SafeRedirectMiddleware
from sdcrawl.faults.retry_after import retry_after_seconds
from sdcrawl.faults.xml import XmlDoctypeMiddleware

LATVIAN = "Sociālā dienesta darbinieki piedalījās seminārā par darbu ar ģimenēm ar bērniem krīzes situācijās."
RUSSIAN = "Сотрудники социальной службы приняли участие в семинаре о работе с семьями в кризисных ситуациях."


def crawler(**settings):
    base = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    return get_crawler(settings_dict={**base, **settings})


@pytest.mark.parametrize(("value", "expected"), [
    ("5", 5.0), (" 120 ", 120.0), ("0", 0.0), ("soon", None), ("-3", None),
    (formatdate(1_000_000_030, usegmt=True), 30.0), (formatdate(999_999_000, usegmt=True), 0.0),
])
def test_retry_after_header_in_seconds_or_as_an_http_date(value, expected):
    response = Response("https://a.lv/", status=429, headers={"Retry-After": value})
    assert retry_after_seconds(response, now=1_000_000_000) == expected


def test_no_retry_after_header_means_no_wait():
    assert retry_after_seconds(Response("https://a.lv/", status=503)) is None


def test_windows_1257_reads_as_baltic_but_cyrillic_bytes_do_not():
    assert looks_baltic(LATVIAN.encode("cp1257").decode("cp1257"))
    assert not looks_baltic(RUSSIAN.encode("cp1251").decode("cp1257"))  # whole words of Baltic letters
    assert not looks_baltic("Plain ASCII text without any accented letter.")


@pytest.mark.parametrize(("body", "header", "fixed"), [
    (f"<html><body><p>{LATVIAN}</p></body></html>".encode("cp1257"), "text/html; charset=utf-8", True),
    (f"<html><body><p>{LATVIAN}</p></body></html>".encode("cp1257"), "text/html", True),
    (f"<html><body><p>{LATVIAN}</p></body></html>".encode("utf-8"), "text/html; charset=utf-8", False),  # valid utf-8
    (f"<html><body><p>{LATVIAN}</p></body></html>".encode("cp1257"), "text/html; charset=iso-8859-13", False),  # as declared
    (f"<html><body><p>{RUSSIAN}</p></body></html>".encode("cp1251"), "text/html; charset=utf-8", False),
])
def test_charset_middleware_decodes_windows_1257_only_where_utf8_was_wrong(body, header, fixed):
    c = crawler()
    c.stats.open_spider()
    response = HtmlResponse("https://a.lv/", body=body, headers={"Content-Type": header})
    out = CharsetMiddleware(c).process_response(None, response)
    assert (out.encoding == "cp1257") is fixed
    assert (c.stats.get_value("sdcrawl/fault/charset_fixed") == 1) is fixed
    if fixed:
        assert LATVIAN in out.text


def _zeros_gzip(size: int) -> bytes:
    z = zlib.compressobj(6, zlib.DEFLATED, 31)
    return z.compress(b"\0" * size) + z.flush()


def test_complete_compressed_bodies_pass():
    page = b"<html>" + b"x" * 100_000 + b"</html>"
    check_compressed(gzip.compress(page), b"gzip", 1 << 20)
    check_compressed(gzip.compress(page[:500]) + gzip.compress(page[500:]), b"gzip", 1 << 20)  # two members
    check_compressed(zlib.compress(page), b"deflate", 1 << 20)
    check_compressed(zlib.compress(page)[2:-4], b"deflate", 1 << 20)  # raw deflate, as some servers send
    check_compressed(brotli.compress(page), b"br", 1 << 20)


@pytest.mark.parametrize("encoding", [b"gzip", b"deflate", b"br"])
def test_a_truncated_compressed_body_is_refused(encoding):
    page = ("<html><body>" + LATVIAN * 200 + "</body></html>").encode()
    packed = {b"gzip": gzip.compress, b"deflate": zlib.compress, b"br": brotli.compress}[encoding](page)
    with pytest.raises(StreamProblem) as problem:
        check_compressed(packed[: len(packed) // 2], encoding, 1 << 20)
    assert problem.value.kind == "truncated"


def test_a_bomb_is_refused_once_past_the_limit():
    with pytest.raises(StreamProblem) as problem:
        check_compressed(_zeros_gzip(8 << 20), b"gzip", 1 << 20)
    assert problem.value.kind == "too_large"


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"), ("10.1.2.3", "private"),
    ("192.168.0.10", "private"), ("172.16.5.4", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"), ("93.184.216.34", None), ("2a00:1450:4001::1", None),
])
def test_address_kinds(address, kind):
    assert address_kind(address) == kind


def test_a_host_name_is_not_an_address():
    with pytest.raises(ValueError):
        address_kind("example.lv")


@pytest.mark.parametrize(("settings", "url", "blocked"), [
    ({}, "http://127.0.0.1:8080/x", True),
    ({}, "http://[::1]/x", True),
    ({}, "http://10.0.0.5/", True),
    ({}, "http://93.184.216.34/", False),
    ({"SDCRAWL_ALLOW_PRIVATE_HOSTS": ["10.0.0.5"]}, "http://10.0.0.5/", False),
    ({"SDCRAWL_LOOPBACK_HOSTS": {"faulty.lv": "127.0.0.1:1234"}}, "https://faulty.lv/a", False),
])
def test_redirect_address_check_and_its_allow_lists(settings, url, blocked):
    mw = SafeRedirectMiddleware.from_crawler(crawler(**settings))
    assert (asyncio.run(mw.hosts.problem(url)) is not None) is blocked


def test_xml_doctype_with_entities_is_removed_and_html_doctype_kept():
    c = crawler()
    c.stats.open_spider()
    mw = XmlDoctypeMiddleware(c)
    xml = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x]y"><!ENTITY b SYSTEM "file:///etc/passwd">]><r>&a;&b;</r>'
    out = mw.process_response(None, XmlResponse("https://a.lv/s.xml", body=xml))
    assert out.body == b'<?xml version="1.0"?><r>&a;&b;</r>'
    html = b"<!DOCTYPE html><html><body><p>x</p></body></html>"
    assert mw.process_response(None, HtmlResponse("https://a.lv/", body=html)).body == html
    assert c.stats.get_value("sdcrawl/fault/xml_doctype") == 1


def test_only_stray_end_tags_are_removed():
    c = crawler()
    c.stats.open_spider()
    mw = MarkupRepairMiddleware(c)
    whole = b"<html><body><p>a</p></body></html>\n<!-- cache 3 ms -->\n"
    assert mw.process_response(None, HtmlResponse("https://a.lv/", body=whole)).body == whole
    stray = b"<html><body><p>a</p></body></html><p>b</p></body></html>"
    assert mw.process_response(None, HtmlResponse("https://a.lv/", body=stray)).body == b"<html><body><p>a</p><p>b</p>"
    assert c.stats.get_value("sdcrawl/fault/stray_end_tag") == 1


# --- the public decisions of sdcrawl.faults, one by one ------------------------------------------------
@pytest.mark.parametrize(("status", "body", "headers", "problem"), [
    (200, b"User-agent: *\nDisallow: /admin/\n", {}, None),
    (200, b"<html><body>Not found</body></html>", {}, None),  # a soft 404: parsed, no rules in it
    (404, b"", {}, None),  # no robots.txt: no rules (RFC 9309)
    (410, b"", {}, None),
    (503, b"", {}, "answered 503"),
    (500, b"", {}, "answered 500"),
    (429, b"", {"Retry-After": "120"}, "answered 429 and asks to wait 120 s (Retry-After)"),
    (302, b"", {}, "answered 302"),  # a redirect that was not followed
    (200, gzip.compress(b"User-agent: *\nDisallow: /\n"), {}, "is not text (binary bytes)"),
])
def test_which_robots_txt_answers_can_be_read(status, body, headers, problem):
    from sdcrawl.faults.robots import robots_problem

    assert robots_problem(Response("https://a.lv/robots.txt", status=status, body=body, headers=headers)) == problem


def test_robots_txt_fetch_errors_that_leave_the_rules_unknown():
    from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest

    from sdcrawl.faults import Refused
    from sdcrawl.faults.robots import robots_error_problem

    refused = Refused("truncated", "https://a.lv/robots.txt: gzip stream cut short after 40 B (60 B received)",
                      "gzip stream cut short after 40 B")
    assert robots_error_problem(refused) == "could not be read (gzip stream cut short after 40 B)"
    assert robots_error_problem(DownloadTimeoutError("took longer than 3 seconds")) == "not reachable (timed out)"
    assert robots_error_problem(IgnoreRequest("Filtered offsite request")) is None  # no fault: no rules


@pytest.mark.parametrize(("path", "status", "after", "wait"), [
    ("/a", 503, None, 0.0), ("/a", 503, "5", 5.0), ("/a", 429, "3600", 300.0), ("/a", 500, "5", 0.0),
    ("/robots.txt", 503, "5", 5.0), ("/robots.txt", 503, "31536000", None), ("/robots.txt", 429, "31", None),
])
def test_how_long_a_retry_waits(path, status, after, wait):
    from scrapy import Request

    from sdcrawl.faults.retry_after import retry_wait

    meta = {"dont_obey_robotstxt": True} if path == "/robots.txt" else {}
    response = Response(f"https://a.lv{path}", status=status, headers={"Retry-After": after} if after else {})
    assert retry_wait(Request(f"https://a.lv{path}", meta=meta), response, page_max=300.0, robots_max=30.0) == wait


def test_the_user_agent_names_the_contact():
    from sdcrawl.faults.useragent import user_agent_with_contact

    assert user_agent_with_contact("sdcrawl/0.1 (+https://x)", "ops@a.lv") == "sdcrawl/0.1 (+https://x; ops@a.lv)"
    assert user_agent_with_contact("sdcrawl/0.1", "ops@a.lv") == "sdcrawl/0.1 (ops@a.lv)"
    assert user_agent_with_contact("sdcrawl/0.1", "") == "sdcrawl/0.1"


def test_final_outcomes_and_the_site_failing_as_a_whole():
    from scrapy import Request

    from sdcrawl.faults.report import response_fault, site_failure

    retried = Request("https://a.lv/x", meta={"retry_times": 2})
    assert response_fault(retried, Response("https://a.lv/x", status=503)) == (
        "server_error", "https://a.lv/x: 503 Service Unavailable after 3 tries")
    assert response_fault(Request("https://a.lv/x"), Response("https://a.lv/x", status=404)) == (None, "https://a.lv/x: 404 Not Found")
    assert response_fault(Request("https://a.lv/x"), Response("https://a.lv/x", status=200)) is None
    assert site_failure(False, 2, "https://a.lv/x: timed out") == "no page of the site could be fetched (2 failed; last: https://a.lv/x: timed out)"
    assert site_failure(True, 2, "x") is None and site_failure(False, 0, "") is None


@pytest.mark.parametrize(("page", "repaired"), [
    ("<p>a&#xFFFF;b&#65534;c</p>", "<p>abc</p>"), ("<p>a&#27;b&#x1B;c&#0;d</p>", "<p>abcd</p>"),
    ("<p>a&#9;b&#10;c&#x101;d&amp;e</p>", None), ("<p>plain</p>", None),
])
def test_references_to_characters_xml_cannot_hold_are_removed(page, repaired):
    from sdcrawl.extract.decode import remove_invalid_references

    assert remove_invalid_references(page) == repaired
    assert remove_invalid_references(page.encode()) == (repaired.encode() if repaired else None)
