"""Helpers for tests/test_try.py, loaded by the child `sdcrawl` process (tests/ on PYTHONPATH)."""


class DropFeedProbe:
    """A spider middleware that silently drops the request for /feed/ (no errback), as a buggy or
    strict middleware might: the generic spider's discovery must go on without its answer."""

    def process_spider_output(self, response, result):
        for out in result:
            if getattr(out, "url", "").endswith("/feed/"):
                continue
            yield out

    async def process_spider_output_async(self, response, result):
        async for out in result:
            if getattr(out, "url", "").endswith("/feed/"):
                continue
            yield out
