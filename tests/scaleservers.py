"""A real redis-server and a real PostgreSQL for the scale-out tests, each a process on a free
loopback port with its data in a temporary folder, stopped (and the folder removed) after.

Debian's packages: redis-server, and postgresql (binaries in /usr/lib/postgresql/<version>/bin).
PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (setpriv) on
a folder that user owns. `.ci/run` installs both when the machine lacks them.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port} within {timeout} s")


class RedisServer:
    def __init__(self) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            pytest.fail("redis-server is not installed: apt-get install redis-server (.ci/run does it)")
        self.dir = tempfile.mkdtemp(prefix="sdcrawl-redis-")
        self.port = free_port()
        self.proc = subprocess.Popen([exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", self.dir, "--loglevel", "warning"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_port(self.port, self.proc, "redis-server")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
    if not found:
        pytest.fail("PostgreSQL is not installed: apt-get install postgresql (.ci/run does it)")
    return Path(found[-1]).parent


class PostgresServer:
    def __init__(self) -> None:
        bin_dir = postgres_bin()
        self.root = tempfile.mkdtemp(prefix="sdcrawl-pg-")
        self.data = os.path.join(self.root, "data")
        as_user: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse root
            import pwd

            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            as_user = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--init-groups"]
        self.user = "postgres" if as_user else os.environ.get("USER", "postgres")
        subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", self.data, "-A", "trust", "-U", self.user,
                        "-E", "UTF8", "--no-sync"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       cwd=self.root)
        self.port = free_port()
        # setpriv execs postgres itself, so self.proc is the postmaster and terminate() stops it
        self.proc = subprocess.Popen([*as_user, str(bin_dir / "postgres"), "-D", self.data, "-p", str(self.port),
                                      "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.root}",
                                      "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=60"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.root)
        _wait_port(self.port, self.proc, "postgres")
        self._count = 0
        self._wait_ready()

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:  # "the database system is starting up"
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def url(self, db: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{db}"

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        self._count += 1
        name = f"sdcrawl_{os.getpid()}_{self._count}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        self.proc.terminate()  # "smart" shutdown would wait for clients; SIGTERM is a fast one
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)
