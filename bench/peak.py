"""Run a Python module or script and write its own peak RSS (VmHWM) and its own CPU seconds (not
its children's: sdcrawl's extraction workers) to $BENCH_PEAK_FILE at exit.

    python bench/peak.py -m sdcrawl.cli crawl ...

Why not wait4()'s ru_maxrss: Linux carries the high-water mark across fork and exec, so a child
of the benchmark (which holds the synthetic sites in memory, 300 MB at 20,000 articles) starts with
the benchmark's own peak. VmHWM belongs to the address space that exec created: only the child's.
"""

from __future__ import annotations

import atexit
import os
import re
import runpy
import sys


def _reap_fork_server() -> None:
    """Stop and wait for multiprocessing's fork server (sdcrawl's extraction workers are its
    children), so that its CPU time and its workers' count in this process's children, and so in
    the benchmark's wait4(); left alone it would outlive this process and its CPU go uncounted."""
    forkserver = sys.modules.get("multiprocessing.forkserver")
    server = getattr(forkserver, "_forkserver", None)
    if server is not None and getattr(server, "_forkserver_pid", None):
        try:
            server._stop()
        except (OSError, ChildProcessError):
            pass


def _write_peak() -> None:
    _reap_fork_server()
    path = os.environ.get("BENCH_PEAK_FILE")
    if not path:
        return
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            match = re.search(r"^VmHWM:\s+(\d+) kB", f.read(), re.MULTILINE)
    except OSError:
        return
    if match:
        import resource

        own = resource.getrusage(resource.RUSAGE_SELF)
        with open(path, "w", encoding="ascii") as f:  # peak kB, then this process's own CPU seconds
            f.write(f"{match.group(1)} {own.ru_utime + own.ru_stime:.3f}")


def main() -> None:
    atexit.register(_write_peak)
    args = sys.argv[1:]
    if args[:1] == ["-m"]:  # as `python -m`: the current folder first on the path, not bench/
        sys.argv = [args[1], *args[2:]]
        sys.path[0] = os.getcwd()
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:  # as `python SCRIPT`: the script's folder first
        sys.argv = args
        sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
        runpy.run_path(args[0], run_name="__main__")


if __name__ == "__main__":
    main()
