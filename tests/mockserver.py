"""A misbehaving web site on loopback, for the fault tests (tests/test_faults*.py).

Run as a separate process, like Scrapy's own tests/mockserver: ``python tests/mockserver.py``
listens on 127.0.0.1, port 0, and prints its port on the first line of stdout. `MockServer` (used
by the session fixture in tests/conftest.py) starts and stops it and reads its request log.

The path decides the behaviour; the host only matters for robots.txt, by its first label:
  (any other)     "Allow: /"
  robots503       503 every time
  robotsretry     503 with Retry-After: a year (31536000 s)
  robotsbusy      503 with Retry-After: 1 the first time (per host), then "Allow: /"
  robotsdeny      a readable "Disallow: /" (the control for the broken ones below)
  robotsgzcut     the "Disallow: /" robots.txt gzip-compressed and cut at 60 % (Content-Encoding: gzip)
  robotsgzfake    the "Disallow: /" robots.txt as plain text, labelled Content-Encoding: gzip
  robotsgzbig     the "Disallow: /" robots.txt padded to 2 MiB of comments, gzip-compressed
  robotsbinary    the gzip-compressed robots.txt sent without a Content-Encoding (binary bytes)
Every request is logged (time, host, path), and
``/_log?prefix=P`` returns the log entries whose path starts with P, so a test asserts on what the
crawler fetched, and when, from the server's side. ``/_reset`` clears the log and every counter.
Stateful routes are keyed by a path segment chosen by the test, so tests do not interfere.

Pages (generic markup, the base NewsSpider's default selectors and generic extraction):
  /list?a=PATH&a=PATH[&next=PATH]     a listing linking to each PATH (in order), with a next link
  /article/SLUG                       a relevant article (title, date line, paragraphs) named SLUG
  /?p=SLUG                            the same article as /article/SLUG under a `?p=` address
  /endless?key=K&page=N               a listing page with one article and a link to page N+1, forever
  /nodate/SLUG, /malformed/SLUG, /emptybody/SLUG
  /cp1257/SLUG, /cp1257-nocharset/SLUG, /bom/SLUG      charset faults
  /feed/SLUG.rss, /sitemap/SLUG.xml   entity-expansion payloads (billion laughs + external entities)
Faults (SLUG is the article served when the fault lets one through):
  /flaky/KEY/SLUG        503, 503, then the article
  /down/SLUG             503 every time
  /ratelimit/KEY/SLUG?after=S[&form=date]   429 with Retry-After: S (or an HTTP date S s ahead), then the article
  /stall/SLUG            headers and half the body, then nothing (until the client gives up)
  /noanswer/SLUG         the request is read and never answered
  /reset/SLUG            half the body, then a TCP reset
  /short/SLUG            a body shorter than its Content-Length, then close
  /badchunk/SLUG         chunked encoding with an invalid chunk size halfway
  /gzip/SLUG             the article gzip-compressed (a control)
  /truncgzip/SLUG        the article gzip-compressed, cut at 60 % (Content-Length matches the cut body)
  /gzipbomb/SLUG, /brbomb/SLUG      256 MiB of zeros, gzip- or brotli-compressed
  /big/SLUG              a 2 MiB page with its Content-Length; /bigchunked/SLUG the same, chunked
  /redirect/chain/N/SLUG  N redirects, then the article
  /redirect/loop/a/SLUG   -> /redirect/loop/b/SLUG -> /redirect/loop/a/SLUG ...
  /redirect/to?url=URL    a 302 to URL (file:, ftp:, a private address ...)
  /redirect/private/KEY   a 302 to http://127.0.0.1:<this port>/secret/KEY
  /secret/KEY            a page that must never be fetched through a redirect
  /slow/SLUG?ms=M        the article after M milliseconds
  /oddtitle/esc/SLUG      the article, its title holding an ESC byte (\x1b)
  /oddtitle/ffff/SLUG     the article, its title holding the character reference &#xFFFF;
"""

from __future__ import annotations

import gzip
import json
import select
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit
from urllib.request import urlopen

import brotli

BOMB_SIZE = 256 * 1024 * 1024
BIG_SIZE = 2 * 1024 * 1024
STALL_MAX = 30.0  # a stalled or unanswered connection is dropped after this long at the latest
LATVIAN_TEXT = ("Sociālā dienesta darbinieki piedalījās seminārā par darbu ar ģimenēm ar bērniem krīzes situācijās; "
                "mācības vadīja supervizore no Rīgas.")


# A robots.txt that forbids everything, its rules after a few comment lines (so that a reader
# that keeps what it could decode of a cut stream finds no rule at all).
DENY_ROBOTS = ("# robots.txt of a municipal test site on loopback\n"
               "# nothing on this host may be crawled: every request after this file is a failure\n"
               "# of the crawler that asked for it\n\n"
               "User-agent: *\nDisallow: /\n")
ODD_TITLE_MARKS = {"esc": "\x1b", "ffff": "&#xFFFF;"}


def article_html(slug: str, *, date: str | None = "15.05.2024", charset: str | None = "utf-8", body: bool = True) -> str:
    """A relevant article page in generic markup: <h1>, a date line under it, paragraphs."""
    title = f"Sociālā dienesta darbinieki apmeklē semināru {slug}"
    meta = f'<meta charset="{charset}">' if charset else ""
    date_line = f'<p class="date">{date}</p>' if date else ""
    text = (f"<p>{LATVIAN_TEXT} Ziņa {escape(slug)}.</p>"
            "<p>Sociālie darbinieki mācību laikā apguva jaunas metodes darbam ar klientiem, "
            "un mācības turpināsies arī nākamajā mēnesī.</p><p>Informāciju sagatavoja: Līga Kalniņa</p>") if body else ""
    return (f'<!DOCTYPE html><html lang="lv"><head>{meta}<title>{escape(title)} | Novads</title></head>'
            f'<body><header><a href="/">Novads</a></header><main><article><h1>{escape(title)}</h1>{date_line}'
            f'{text}</article></main><footer>Novada dome</footer></body></html>')


def malformed_html(slug: str) -> str:
    """Unclosed tags, nested forms, a stray </html> and </body> halfway through the article."""
    title = f"Sociālā dienesta darbinieki apmeklē semināru {slug}"
    return (f'<html><head><meta charset="utf-8"><title>{title}</title><body><div class="page"><form action="/s"><form>'
            f'<input name=q></form><main><article><h1>{title}</h1><p class="date">15.05.2024<div><p>{LATVIAN_TEXT} '
            f"Ziņa {slug}.</html></body><p>Sociālie darbinieki mācību laikā apguva jaunas metodes darbam ar "
            "klientiem, un mācības turpināsies arī nākamajā mēnesī.<p>Teksts pēc </html> turpinās <b>treknrakstā"
            "<i>un slīprakstā</b></i><table><tr><td>Informāciju sagatavoja: Līga Kalniņa</article>")


def listing_html(links: list[str], next_url: str | None = None) -> str:
    items = "".join(f'<div class="news-item"><h2><a href="{escape(a)}">Ziņa {i}</a></h2></div>' for i, a in enumerate(links))
    nxt = f'<div class="pagination"><a class="next" href="{escape(next_url)}">Nākamā</a></div>' if next_url else ""
    return (f'<!DOCTYPE html><html lang="lv"><head><meta charset="utf-8"><title>Jaunumi</title></head><body>'
            f'<main><h1>Jaunumi</h1><div class="news-list">{items}</div>{nxt}</main></body></html>')


def entity_payload(port: int, key: str) -> str:
    """A DOCTYPE with billion laughs and two external entities (one on this server, so a
    resolution shows in the request log)."""
    lol = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10))
    return (f'<!DOCTYPE x [<!ENTITY lol0 "lol">{lol}'
            f'<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/xxe/{key}">'
            f'<!ENTITY file SYSTEM "file:///etc/passwd">]>')


def _zeros(compressor, finish) -> bytes:
    chunk = b"\0" * (1 << 20)
    parts = [compressor(chunk) for _ in range(BOMB_SIZE >> 20)]
    parts.append(finish())
    return b"".join(parts)


class Bombs:
    """Compression bombs, made once in the background when the server starts."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.gzip = b""
        self.br = b""
        threading.Thread(target=self._make, daemon=True).start()

    def _make(self) -> None:
        z = zlib.compressobj(6, zlib.DEFLATED, 31)
        self.gzip = _zeros(z.compress, z.flush)
        b = brotli.Compressor(quality=5)
        self.br = _zeros(b.process, b.finish)
        self.ready.set()


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.lock = threading.Lock()
        self.log: list[dict] = []
        self.counters: dict[str, int] = {}
        self.bombs = Bombs()

    def count(self, key: str) -> int:
        """How many times `key` was asked for before (0 the first time)."""
        with self.lock:
            n = self.counters.get(key, 0)
            self.counters[key] = n + 1
            return n


class Handler(BaseHTTPRequestHandler):
    server: FaultServer
    protocol_version = "HTTP/1.1"
    server_version = "sdcrawl-faults"

    def log_message(self, fmt, *args):  # the request log is kept in memory and read via /_log
        pass

    # --- plumbing ----------------------------------------------------------------------------
    def send(self, status: int, body: bytes | str = b"", ctype: str = "text/html; charset=utf-8", headers: dict | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def raw(self, data: bytes) -> None:
        """Write bytes as they are, and close the connection afterwards."""
        self.close_connection = True
        self.wfile.write(data)

    def wait_for_client_to_leave(self) -> None:
        """Hold the connection open, sending nothing, until the client closes it (or STALL_MAX)."""
        self.close_connection = True
        deadline = time.monotonic() + STALL_MAX
        while time.monotonic() < deadline:
            readable, _, _ = select.select([self.connection], [], [], 0.2)
            if readable:
                try:
                    if not self.connection.recv(4096):
                        return
                except OSError:
                    return

    def reset(self) -> None:
        """Close with a TCP RST instead of a FIN."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    @staticmethod
    def head(status: str, headers: dict[str, str]) -> bytes:
        lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
        return "\r\n".join(lines).encode("latin-1")

    # --- routing -----------------------------------------------------------------------------
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        with self.server.lock:
            self.server.log.append({"t": time.time(), "host": host, "path": self.path})
        segs = [s for s in path.split("/") if s]
        route = segs[0] if segs else ""
        handler = getattr(self, "r_" + route.replace("-", "_").replace(".", "_"), None)
        if path == "/" and "p" in query:
            return self.send(200, article_html(query["p"][0]))
        if handler is None:
            return self.send(404, "<html><body><h1>404</h1></body></html>")
        return handler(segs[1:], query, host)

    do_HEAD = do_GET

    # control
    def r__log(self, segs, query, host):
        prefix = query.get("prefix", [""])[0]
        with self.server.lock:
            entries = [e for e in self.server.log if e["path"].startswith(prefix)]
        self.send(200, json.dumps(entries), "application/json")

    def r__reset(self, segs, query, host):
        with self.server.lock:
            self.server.log.clear()
            self.server.counters.clear()
        self.send(200, "ok", "text/plain")

    def r__ready(self, segs, query, host):
        self.send(200 if self.server.bombs.ready.wait(60) else 503, "ready", "text/plain")

    def r_robots_txt(self, segs, query, host):
        label = host.split(".")[0]
        if label == "robots503":
            return self.send(503, "<html><body>Service Unavailable</body></html>")
        if label == "robotsretry":
            return self.send(503, "<html><body>Service Unavailable</body></html>", headers={"Retry-After": str(365 * 24 * 3600)})
        if label == "robotsbusy" and self.server.count(f"robots/{host}") == 0:
            return self.send(503, "<html><body>Service Unavailable</body></html>", headers={"Retry-After": "1"})
        deny = DENY_ROBOTS.encode()
        if label == "robotsdeny":
            return self.send(200, deny, "text/plain")
        if label == "robotsgzcut":
            packed = gzip.compress(deny)
            return self.send(200, packed[: len(packed) * 6 // 10], "text/plain", headers={"Content-Encoding": "gzip"})
        if label == "robotsgzfake":
            return self.send(200, deny, "text/plain", headers={"Content-Encoding": "gzip"})
        if label == "robotsgzbig":
            padding = b"# " + b"-" * 78 + b"\n"
            return self.send(200, gzip.compress(deny + padding * (BIG_SIZE // len(padding) + 1)), "text/plain",
                             headers={"Content-Encoding": "gzip"})
        if label == "robotsbinary":
            return self.send(200, gzip.compress(deny), "text/plain")
        self.send(200, "User-agent: *\nAllow: /\n", "text/plain")

    # pages
    def r_list(self, segs, query, host):
        self.send(200, listing_html(query.get("a", []), query.get("next", [None])[0]))

    def r_article(self, segs, query, host):
        self.send(200, article_html("/".join(segs)))

    def r_endless(self, segs, query, host):
        key, page = query.get("key", ["endless"])[0], int(query.get("page", ["1"])[0])
        self.send(200, listing_html([f"/article/{key}-{page}"], f"/endless?key={quote(key)}&page={page + 1}"))

    def r_nodate(self, segs, query, host):
        self.send(200, article_html("/".join(segs), date=None))

    def r_emptybody(self, segs, query, host):
        self.send(200, article_html("/".join(segs), body=False))

    def r_malformed(self, segs, query, host):
        self.send(200, malformed_html("/".join(segs)))

    def r_cp1257(self, segs, query, host):
        self.send(200, article_html("/".join(segs)).encode("cp1257"))  # declared utf-8, header and <meta>

    def r_cp1257_nocharset(self, segs, query, host):
        self.send(200, article_html("/".join(segs), charset=None).encode("cp1257"), "text/html")

    def r_bom(self, segs, query, host):
        body = b"\xef\xbb\xbf" + article_html("/".join(segs), charset=None).encode("utf-8")
        self.send(200, body, "text/html; charset=windows-1257")

    def r_feed(self, segs, query, host):
        """RSS whose title and description reference the entities, and two items whose whole link is one."""
        key = segs[0].removesuffix(".rss")
        item = "<item><title>{t}</title><link>{link}</link><pubDate>Wed, 15 May 2024 10:00:00 GMT</pubDate><description>{d}</description></item>"
        items = "".join([item.format(t="&lol9;", link=f"https://{host}/article/{key}-feed-ok", d="&xxe;&file;"),
                         item.format(t="x", link="&lol9;", d="x"), item.format(t="x", link="&xxe;", d="x")])
        body = (f'<?xml version="1.0" encoding="utf-8"?>{entity_payload(self.server.server_address[1], key)}'
                f'<rss version="2.0"><channel><title>&lol9;</title>{items}</channel></rss>')
        self.send(200, body, "application/rss+xml; charset=utf-8")

    def r_sitemap(self, segs, query, host):
        key = segs[0].removesuffix(".xml")
        urls = "".join(f"<url><loc>{loc}</loc><lastmod>2024-05-15</lastmod></url>"
                       for loc in (f"https://{host}/article/{key}-sitemap-ok", "&lol9;", "&xxe;", "&file;"))
        body = (f'<?xml version="1.0" encoding="utf-8"?>{entity_payload(self.server.server_address[1], key)}'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
        self.send(200, body, "application/xml; charset=utf-8")

    def r_xxe(self, segs, query, host):
        self.send(200, "RESOLVED-EXTERNAL-ENTITY", "text/plain")

    def r_secret(self, segs, query, host):
        self.send(200, article_html("secret-" + "/".join(segs)))

    def r_oddtitle(self, segs, query, host):
        mark, slug = ODD_TITLE_MARKS[segs[0]], "/".join(segs[1:])
        plain = f"Sociālā dienesta darbinieki apmeklē semināru {slug}"
        self.send(200, article_html(slug).replace(plain, plain.replace("semināru", f"semi{mark}nāru")))

    def r_slow(self, segs, query, host):
        time.sleep(int(query.get("ms", ["200"])[0]) / 1000)
        self.send(200, article_html("/".join(segs)))

    # faults: status codes
    def r_flaky(self, segs, query, host):
        key, slug = segs[0], "/".join(segs[1:])
        if self.server.count(f"flaky/{key}") < 2:
            return self.send(503, "<html><body>Service Unavailable</body></html>")
        self.send(200, article_html(slug))

    def r_down(self, segs, query, host):
        self.send(503, "<html><body>Service Unavailable</body></html>")

    def r_ratelimit(self, segs, query, host):
        key, slug = segs[0], "/".join(segs[1:])
        if self.server.count(f"ratelimit/{key}") == 0:
            after = int(query.get("after", ["2"])[0])
            value = formatdate(time.time() + after + 1, usegmt=True) if query.get("form") == ["date"] else str(after)
            return self.send(429, "<html><body>Too Many Requests</body></html>", headers={"Retry-After": value})
        self.send(200, article_html(slug))

    # faults: the connection
    def r_stall(self, segs, query, host):
        body = article_html("/".join(segs)).encode()
        self.raw(self.head("200 OK", {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))}) + body[: len(body) // 2])
        self.wait_for_client_to_leave()

    def r_noanswer(self, segs, query, host):
        self.wait_for_client_to_leave()

    def r_reset(self, segs, query, host):
        body = article_html("/".join(segs)).encode()
        self.raw(self.head("200 OK", {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))}) + body[: len(body) * 2 // 3])
        time.sleep(0.05)  # let the partial body reach the client before the reset
        self.reset()

    def r_short(self, segs, query, host):
        body = article_html("/".join(segs)).encode()
        self.raw(self.head("200 OK", {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body) + 500)}) + body)

    def r_badchunk(self, segs, query, host):
        body = article_html("/".join(segs)).encode()
        half = len(body) * 2 // 3
        self.raw(self.head("200 OK", {"Content-Type": "text/html; charset=utf-8", "Transfer-Encoding": "chunked"})
                 + b"%x\r\n%s\r\nzz-not-a-size\r\n%s\r\n0\r\n\r\n" % (half, body[:half], body[half:]))

    # faults: bodies
    def r_gzip(self, segs, query, host):
        self.send(200, gzip.compress(article_html("/".join(segs)).encode()), headers={"Content-Encoding": "gzip"})

    def r_truncgzip(self, segs, query, host):
        body = gzip.compress(article_html("/".join(segs)).encode())
        self.send(200, body[: len(body) * 6 // 10], headers={"Content-Encoding": "gzip"})

    def r_gzipbomb(self, segs, query, host):
        self.server.bombs.ready.wait(60)
        self.send(200, self.server.bombs.gzip, headers={"Content-Encoding": "gzip"})

    def r_brbomb(self, segs, query, host):
        self.server.bombs.ready.wait(60)
        self.send(200, self.server.bombs.br, headers={"Content-Encoding": "br"})

    def r_big(self, segs, query, host):
        page = article_html("/".join(segs)).encode()
        self.send(200, page.replace(b"</main>", b"<!--" + b"x" * (BIG_SIZE - len(page)) + b"--></main>"))

    def r_bigchunked(self, segs, query, host):
        page = article_html("/".join(segs)).encode()
        self.raw(self.head("200 OK", {"Content-Type": "text/html; charset=utf-8", "Transfer-Encoding": "chunked"}))
        chunk = b"<!--" + b"x" * 65536 + b"-->"
        try:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(page), page))
            for _ in range(BIG_SIZE // len(chunk) + 1):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client gave up at its size limit

    # faults: redirects
    def r_redirect(self, segs, query, host):
        kind = segs[0] if segs else ""
        if kind == "chain":
            n, slug = int(segs[1]), "/".join(segs[2:])
            location = f"/redirect/chain/{n - 1}/{slug}" if n > 1 else f"/article/{slug}"
        elif kind == "loop":
            other = "b" if segs[1] == "a" else "a"
            location = f"/redirect/loop/{other}/{'/'.join(segs[2:])}"
        elif kind == "to":
            location = query["url"][0]
        elif kind == "private":
            location = f"http://127.0.0.1:{self.server.server_address[1]}/secret/{segs[1]}"
        else:
            return self.send(404, "no such redirect")
        self.send(302, "", headers={"Location": location})


def main() -> None:
    server = FaultServer(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(server.server_address[1], flush=True)
    server.serve_forever()


# --- the client side, for the tests ------------------------------------------------------------
class MockServer:
    """Runs this file in a child process: ``with MockServer() as srv: srv.port, srv.log("/flaky/k")``."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def __enter__(self) -> MockServer:
        self.proc = subprocess.Popen([sys.executable, "-u", str(Path(__file__).resolve())], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline().strip())
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def get(self, path: str) -> bytes:
        with urlopen(f"http://{self.address}{path}", timeout=70) as resp:
            return resp.read()

    def log(self, prefix: str = "/") -> list[dict]:
        """Requests the server received whose path starts with `prefix`: {"t", "host", "path"}."""
        return json.loads(self.get(f"/_log?prefix={quote(prefix)}"))

    def wait_until_ready(self) -> None:
        """Block until the compression bombs are made (a few seconds after start, once)."""
        self.get("/_ready")

    def reset(self) -> None:
        self.get("/_reset")


if __name__ == "__main__":
    main()
