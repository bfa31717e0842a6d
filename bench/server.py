"""A fast loopback HTTP/1.1 server for the benchmark, and a bounded load generator to measure it.

`sdcrawl.replay.ReplayServer` starts a thread per connection and parses each request with
http.server; this one is a single asyncio loop (in a background thread of the benchmark process)
that answers from responses encoded once, keeps connections alive, and counts what it answered.
It chooses the site by the Host header (sdcrawl.loopback sends the real host); a request for a
host it does not serve (e.g. "127.0.0.1:PORT", as the bare Scrapy spider sends) gets the default
site. A site may answer every request after a fixed latency (asyncio.sleep: the loop never
blocks, so 20 slow sites are served in parallel).

    with BenchServer() as srv:
        srv.set_site("stopini.lv", pages, aliases=["www.stopini.lv"], latency=0.0)
        srv.port, srv.hits(), srv.reset()

    python bench/server.py --load PORT [--seconds 3] [--max-requests 60000] [--connections 8]
        the load generator: GETs /robots.txt on keep-alive connections until either bound is
        reached; prints one JSON line {"requests": .., "seconds": .., "rps": ..}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
import time
from collections import Counter

NOT_FOUND = b"<html><body><h1>404</h1></body></html>"
REASONS = {200: b"OK", 301: b"Moved Permanently", 404: b"Not Found"}


def encode_response(status: int, content_type: str, body: bytes) -> bytes:
    head = (b"HTTP/1.1 %d %s\r\nServer: sdcrawl-bench\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (status, REASONS.get(status, b"OK"), content_type.encode(), len(body)))
    return head + body


class Site:
    def __init__(self, pages: dict[str, tuple[int, str, bytes]], latency: float):
        self.responses = {path: encode_response(*page) for path, page in pages.items()}
        self.latency = latency


class BenchServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self._addr = (host, port)
        self.sites: dict[str, Site] = {}
        self.default: Site | None = None
        self._hits: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="bench-server", daemon=True)
        self._not_found = encode_response(404, "text/html", NOT_FOUND)
        self.port = 0

    # --- content ---------------------------------------------------------------------
    def set_site(self, host: str, pages: dict[str, tuple[int, str, bytes]], *, aliases: list[str] = (),
                 latency: float = 0.0, default: bool = False) -> None:
        site = Site(pages, latency)
        for name in (host, *aliases):
            self.sites[name.lower()] = site
        if default or self.default is None:
            self.default = site

    def clear_sites(self) -> None:
        self.sites = {}
        self.default = None

    def hits(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._hits)

    def reset(self) -> None:
        with self._lock:
            self._hits = []

    def count(self) -> int:
        with self._lock:
            return len(self._hits)

    # --- serving -----------------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.split(b"\r\n")
                parts = lines[0].split(b" ")
                if len(parts) < 3:
                    return
                method, target = parts[0], parts[1].decode("latin-1")
                host = ""
                close = parts[2] == b"HTTP/1.0"
                length = 0
                for line in lines[1:]:
                    name, _, value = line.partition(b":")
                    name = name.strip().lower()
                    if name == b"host":
                        host = value.strip().decode("latin-1").split(":")[0].lower()
                    elif name == b"connection":
                        close = value.strip().lower() == b"close"
                    elif name == b"content-length":
                        length = int(value.strip() or 0)
                if length:
                    await reader.readexactly(length)
                site = self.sites.get(host) or self.default
                path = target.split("#")[0]
                with self._lock:
                    self._hits.append((host, path))
                response = site.responses.get(path) if site else None
                if response is None:
                    response = self._not_found
                if site is not None and site.latency:
                    await asyncio.sleep(site.latency)
                if method == b"HEAD":
                    response = response[: response.index(b"\r\n\r\n") + 4]
                writer.write(response)
                if writer.transport.get_write_buffer_size() > 256 * 1024:
                    await writer.drain()
                if close:
                    await writer.drain()
                    return
        except ConnectionError:
            return
        finally:
            writer.close()

    def start(self) -> "BenchServer":
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, *self._addr, backlog=1024, limit=64 * 1024), self._loop)
        self._server = fut.result(timeout=10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        async def _close():
            self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        if self._server is not None:
            asyncio.run_coroutine_threadsafe(_close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def __enter__(self) -> "BenchServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @staticmethod
    def kind(path: str) -> str:
        if path == "/robots.txt":
            return "robots.txt"
        if "/zina-" in path:
            return "article"
        if path.startswith("/lv/jaunumi/socialie-pakalpojumi"):
            return "listing"
        return "other"

    def hits_by_kind(self) -> Counter:
        return Counter(self.kind(p) for _, p in self.hits())


# --- the load generator (run in its own process, so that it does not share the server's GIL) ---
async def _client(port: int, path: str, deadline: float, budget: list[int], done: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: bench.invalid\r\nUser-Agent: bench-load\r\n\r\n".encode()
    try:
        while budget[0] > 0 and time.monotonic() < deadline:
            budget[0] -= 1
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            done[0] += 1
    finally:
        writer.close()


async def _load(port: int, seconds: float, max_requests: int, connections: int, path: str) -> dict:
    budget, done = [max_requests], [0]
    start = time.monotonic()
    await asyncio.gather(*(_client(port, path, start + seconds, budget, done) for _ in range(connections)))
    elapsed = time.monotonic() - start
    return {"requests": done[0], "seconds": round(elapsed, 3), "rps": round(done[0] / elapsed, 1), "connections": connections}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--load", type=int, metavar="PORT", required=True, help="a port on 127.0.0.1")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--max-requests", type=int, default=60_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--path", default="/lv/jaunumi/socialie-pakalpojumi")
    args = parser.parse_args(argv)
    result = asyncio.run(_load(args.load, min(args.seconds, 30.0), min(args.max_requests, 1_000_000), args.connections, args.path))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
