"""The extraction pool (sdcrawl.extract.offload) on its own: a worker that dies or runs past the
time bound is replaced and the pool goes on; an exception in a worker reaches the caller."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from sdcrawl.extract.offload import ExtractionPool, PageSkipped, WorkerError


def _run(coro_fn):
    async def main():
        pool = ExtractionPool(workers=1, timeout=1.0)
        try:
            return await coro_fn(pool)
        finally:
            pool.close()

    return asyncio.run(main())


def test_a_worker_past_the_time_bound_is_killed_and_replaced():
    async def scenario(pool):
        pid_before = await pool.run(os.getpid)
        started = time.monotonic()
        with pytest.raises(PageSkipped) as skipped:
            await pool.run(time.sleep, 30)
        took = time.monotonic() - started
        pid_after = await pool.run(os.getpid)
        return skipped.value, took, pid_before, pid_after

    skipped, took, pid_before, pid_after = _run(scenario)
    assert skipped.reason == "timeout"
    assert took < 10  # bounded by the 1 s limit, not the 30 s sleep
    assert pid_after != pid_before  # the sleeping worker was killed; a new one answered
    with pytest.raises(ProcessLookupError):
        os.kill(pid_before, 0)


def test_a_worker_that_dies_is_replaced():
    async def scenario(pool):
        first = await pool.run(os.getpid)
        with pytest.raises(PageSkipped) as skipped:
            await pool.run(os._exit, 3)
        second = await pool.run(os.getpid)
        return first, skipped.value, second

    first, skipped, second = _run(scenario)
    assert skipped.reason == "crashed"
    assert first != second


def test_an_exception_in_the_worker_reaches_the_caller_and_the_worker_stays():
    async def scenario(pool):
        with pytest.raises(WorkerError, match="ValueError"):
            await pool.run(int, "not a number")
        return await pool.run(pow, 2, 10)

    assert _run(scenario) == 1024
