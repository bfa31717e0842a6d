"""Spiders for the many-sites benchmark: stopini's spider under the ids bench_s01 .. bench_s40.

Loaded by adding this module to SPIDER_MODULES (`-s SPIDER_MODULES=sdcrawl.spiders,bench.benchspiders`)
with SDCRAWL_SEEDS_DIR pointing at a registry the benchmark writes (one entry per site, each on
its own host under .invalid, routed to the bench server by SDCRAWL_LOOPBACK_HOSTS).
"""

from sdcrawl.spiders.stopini import StopiniSpider

MAX_SITES = 40

for _i in range(1, MAX_SITES + 1):
    _name = f"bench_s{_i:02d}"
    globals()[f"BenchS{_i:02d}Spider"] = type(f"BenchS{_i:02d}Spider", (StopiniSpider,), {"name": _name, "__module__": __name__})
del _i, _name
