"""`sdcrawl extract` reads a page as the crawl does (issue 11: one page decoding), and refuses input
it cannot read with one line and exit status 2 (issue 13, item 8: bounds).

The real command, in a child process (sdcrawl.tools.testing.run_sdcrawl), against the fault
server on loopback (tests/mockserver.py) or files made here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest
from mockserver import BIG_SIZE, LATVIAN_TEXT

from sdcrawl.cli import main
from sdcrawl.errors import UsageError
from sdcrawl.extract.decode import check_charset, decode_page
from sdcrawl.pipelines.normalize import normalize_body, normalize_text
from sdcrawl.settings import DOWNLOAD_MAXSIZE
from sdcrawl.tools.extract import read_page
from sdcrawl.tools.testing import REPO, run_sdcrawl


def title(slug: str) -> str:
    return f"Sociālā dienesta darbinieki apmeklē semināru {slug}"


# --- issue 11: one decoding for the crawl and `sdcrawl extract` --------------------------------------
def test_extract_of_windows_1257_behind_a_utf8_header_keeps_its_latvian_letters(mockserver):
    url = f"http://{mockserver.address}/cp1257/x-extract"
    with urllib.request.urlopen(url, timeout=30) as resp:  # what the server sends: utf-8 declared, other bytes
        assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
        body = resp.read()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    proc = run_sdcrawl("extract", url)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Sociālā dienesta" in proc.stdout and "\ufffd" not in proc.stdout
    item = json.loads(proc.stdout)["item"]
    assert item["title"] == title("x-extract")
    assert LATVIAN_TEXT in item["body"]


def test_the_crawl_and_extract_share_one_decoding():
    """decode_page is what the crawl's middlewares make of the same bytes (check_charset decides
    for both); a BOM and a declared charset other than utf-8 are left as they are."""
    page = f"<html><body><p>{LATVIAN_TEXT}</p></body></html>"
    assert check_charset(page.encode("cp1257"), "text/html; charset=utf-8").windows_1257
    assert decode_page(page.encode("cp1257"), "text/html; charset=utf-8") == page
    assert decode_page(page.encode("cp1257"), None) == page
    assert decode_page(b"\xef\xbb\xbf" + page.encode("utf-8"), "text/html; charset=windows-1257") == page
    assert decode_page(page.encode("iso-8859-13"), "text/html; charset=iso-8859-13") == page
    broken = b"<html><body><p>a</p></body></html><p>b &#xFFFF;c</p></body></html>"
    assert decode_page(broken, "text/html; charset=utf-8") == "<html><body><p>a</p><p>b c</p>"


# --- issue 13, item 8: bounds on `sdcrawl extract` --------------------------------------------------
def run_measured(*args: str, timeout: float = 20) -> tuple[subprocess.CompletedProcess, float, int]:
    """`sdcrawl ARGS` in a child: (process, its CPU seconds, its peak memory in bytes). The peak is
    the child's own VmHWM (ru_maxrss would count the forking test process's memory: Linux keeps
    it across exec)."""
    code = ("import re, resource, sys\nfrom sdcrawl.cli import main\ntry:\n    status = main(sys.argv[1:])\nfinally:\n"
            "    u = resource.getrusage(resource.RUSAGE_SELF)\n"
            "    hwm = re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)\n"
            "    print('USAGE', u.ru_utime + u.ru_stime, hwm, file=sys.stderr)\nsys.exit(status)")
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "SDCRAWL_LOG_LEVEL": "WARNING"})
    usage = next(line for line in proc.stderr.splitlines() if line.startswith("USAGE ")).split()
    return proc, float(usage[1]), int(usage[2]) * 1024


def test_extract_refuses_a_page_over_the_size_limit_in_under_a_second(tmp_path, capsys):
    big = tmp_path / "big.html"
    with big.open("wb") as f:  # 113 MiB, sparse: a page of markup, then holes
        f.write(b"<!DOCTYPE html><html><body><p>" + LATVIAN_TEXT.encode() * 100 + b"</p>")
        f.truncate(113 * 1024 * 1024)
    start = time.perf_counter()
    assert main(["extract", str(big)]) == 2  # the command itself, in this process
    assert time.perf_counter() - start < 1.0
    assert capsys.readouterr().err == f"sdcrawl: page over the size limit (10 MiB, DOWNLOAD_MAXSIZE): {big} has 113 MiB\n"
    proc, cpu, rss = run_measured("extract", str(big))  # and as a command of its own
    assert proc.returncode == 2
    assert [line for line in proc.stderr.splitlines() if not line.startswith("USAGE ")] == [
        f"sdcrawl: page over the size limit (10 MiB, DOWNLOAD_MAXSIZE): {big} has 113 MiB"]
    assert cpu < 1.0
    assert rss < 100 * 1024 * 1024  # the 113 MiB were never read


def test_at_most_the_limit_is_read_from_a_file_or_a_url(tmp_path, mockserver):
    page = tmp_path / "page.html"
    page.write_bytes(b"<html><body>" + b"x" * 1000 + b"</body></html>")
    size = page.stat().st_size
    assert read_page(str(page), limit=size).body == page.read_bytes()
    with pytest.raises(UsageError, match=r"page over the size limit \(1 MiB, DOWNLOAD_MAXSIZE\): .* has 2 MiB"):
        read_page(f"http://{mockserver.address}/big/x-extract-big", limit=1024 * 1024)  # by its Content-Length
    with pytest.raises(UsageError, match=r"page over the size limit \(1 MiB, DOWNLOAD_MAXSIZE\): .* is larger"):
        read_page(f"http://{mockserver.address}/bigchunked/x-extract-chunked", limit=1024 * 1024)  # none: read limit+1
    fits = read_page(f"http://{mockserver.address}/big/x-extract-fits", limit=2 * BIG_SIZE).body
    assert BIG_SIZE <= len(fits) < 2 * BIG_SIZE and fits.endswith(b"</html>")
    assert DOWNLOAD_MAXSIZE == 10 * 1024 * 1024  # the limit `sdcrawl extract` applies by default


@pytest.mark.parametrize(("make", "what"), [
    (lambda tmp: "/dev/zero", "a character device"),
    (lambda tmp: (os.mkfifo(tmp / "pipe"), str(tmp / "pipe"))[1], "a FIFO (named pipe)"),
    (lambda tmp: str(tmp), "a directory"),
])
def test_extract_says_what_a_path_that_is_not_a_regular_file_is(tmp_path, make, what):
    path = make(tmp_path)
    start = time.monotonic()
    proc = run_sdcrawl("extract", path, timeout=20)  # a FIFO without a writer would block a plain open()
    assert time.monotonic() - start < 20
    assert (proc.returncode, proc.stderr) == (2, f"sdcrawl: not a regular file: {path} is {what}\n")


def test_a_missing_file_is_still_no_such_file(tmp_path):
    proc = run_sdcrawl("extract", str(tmp_path / "nothing.html"))
    assert (proc.returncode, proc.stderr) == (2, f"sdcrawl: no such file: {tmp_path / 'nothing.html'}\n")


# --- issue 13, item 8: invisible characters are cleaned, not a reason to drop -------------------------------
@pytest.mark.parametrize(("raw", "clean"), [
    ("Semi\x1bnāru", "Semināru"), ("Semi\uffffnāru", "Semināru"), ("a\x00b\x7fc", "abc"), ("a\ufdd0b\U0010fffec", "abc"),
    ("a\x85b", "a b"), ("a\ud800b", "ab"), ("Sociālā\u00a0dienesta", "Sociālā dienesta"), ("a\ufffdb", "a\ufffdb"),
])
def test_normalisation_removes_control_characters_and_noncharacters(raw, clean):
    assert normalize_text(raw) == clean
    assert normalize_body(f"{raw}\n\n\x1b{raw}") == f"{clean}\n\n{clean}"
