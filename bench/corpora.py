"""sdcrawl's generic extraction on two public benchmarks, beside the bare libraries, in one run.

    .venv/bin/python bench/corpora.py [--limit N] [--corpora DIR] [--json] [--wrong] [--profile]

What is measured (issue 14, "Dates on unknown sites"): the path a site that is not in the
registry takes, which is what `sdcrawl extract PAGE` does for it: the page's bytes through
`sdcrawl.extract.decode.decode_html` (the "not HTML" check and decoding), then
`sdcrawl.extract.extract_article(html, url)` with no site selectors. Beside it, in the same
process and on the same bytes:

- bare trafilatura: `trafilatura.extract(page, url=url)` with its defaults (body);
- bare htmldate: `htmldate.find_date(page, url=url)` with its defaults (date), and
  `find_date(..., original_date=True)`, htmldate's setting for the publication date rather than the
  last change (the one sdcrawl uses).

The corpora (read from ../shared/corpora, see its README; unpacked into a temporary folder that
is removed at the end, never into the repository):

- Zyte's article-extraction benchmark (181 article pages, many languages): body token F1 against
  `articleBody`. Tokens are `\\w+` lower-cased; precision and recall count tokens as a multiset
  (a token the page repeats counts as often as it is in both); an empty extraction of a non-empty
  body scores 0. The figure is the mean F1 over the pages.
- htmldate's evaluation set (tests/eval_default.json: 800 URLs, of which the pages of 745 are in
  the archive; the others are counted and left out): date accuracy, the share of pages whose
  `YYYY-MM-DD` equals the gold date (no date counts as wrong).

"not HTML" counts the pages sdcrawl's check refused: each is also scored as an empty body / no
date. Time: median milliseconds per page of each system's call, each call timed alone
(time.perf_counter), after one untimed warm-up call on the first page of each corpus. On this
shared 2-core machine timings move by about ±15 % from run to run; compare columns of one run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import statistics
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
ZYTE = "zyte-article-extraction-benchmark"
HTMLDATE = "htmldate-eval-default"
_TOKEN = re.compile(r"\w+")


def tokens(text: str | None) -> Counter:
    return Counter(_TOKEN.findall((text or "").lower()))


def token_f1(predicted: str | None, truth: str) -> float:
    pred, gold = tokens(predicted), tokens(truth)
    if not gold:
        return 1.0 if not pred else 0.0
    common = sum((pred & gold).values())
    if not common:
        return 0.0
    precision, recall = common / sum(pred.values()), common / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def unpack(corpora: Path, into: Path) -> None:
    for name in (ZYTE, HTMLDATE):
        archive = corpora / f"{name}.tar.gz"
        if not archive.is_file():
            raise SystemExit(f"corpus not found: {archive}")
        with tarfile.open(archive) as tar:
            tar.extractall(into, filter="data")


def zyte_pages(root: Path):
    """(url, bytes, articleBody) of each page of the Zyte benchmark, in a stable order."""
    truth = json.loads((root / ZYTE / "ground-truth.json").read_text(encoding="utf-8"))
    for sha in sorted(truth):
        page = gzip.decompress((root / ZYTE / "html" / f"{sha}.html.gz").read_bytes())
        yield truth[sha]["url"], page, truth[sha]["articleBody"]


def htmldate_pages(root: Path, missing: list[str]):
    """(url, bytes, gold date) of each page of htmldate's evaluation set that the archive holds."""
    gold = json.loads((root / HTMLDATE / "eval_default.json").read_text(encoding="utf-8"))
    for url in sorted(gold):
        path = root / HTMLDATE / "eval" / gold[url]["file"]
        if not path.is_file():
            missing.append(url)
            continue
        yield url, path.read_bytes(), gold[url]["date"]


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    try:
        value = fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a crash on one page is that page's result
        value = exc
    return value, (time.perf_counter() - start) * 1000


class Sdcrawl:
    """The generic path of `sdcrawl extract`: decode (or refuse as "not HTML"), then extract."""

    def __init__(self) -> None:
        from sdcrawl.extract import extract_article
        from sdcrawl.extract.decode import NotHTML, decode_html

        self.extract_article, self.decode_html, self.NotHTML = extract_article, decode_html, NotHTML
        self.refused: dict[str, list[str]] = {}
        self.errors: list[str] = []

    def __call__(self, page: bytes, url: str, corpus: str) -> dict | None:
        try:
            html = self.decode_html(page)
        except self.NotHTML:
            self.refused.setdefault(corpus, []).append(url)
            return None
        return self.extract_article(html, url)


def run(limit: int | None, corpora: Path) -> dict:
    import trafilatura
    from htmldate import find_date

    logging.disable(logging.WARNING)  # the libraries warn about every odd page
    sd = Sdcrawl()
    result: dict = {}
    with tempfile.TemporaryDirectory(prefix="sdcrawl-corpora-") as tmp:
        root = Path(tmp)
        unpack(corpora, root)

        # --- body: Zyte -------------------------------------------------------------------
        rows = {"sdcrawl": ([], []), "trafilatura": ([], [])}  # (f1s, ms)
        pages = list(zyte_pages(root))[:limit]
        if pages:  # warm-up: imports, caches, first-call costs
            sd(pages[0][1], pages[0][0], "warmup")
            trafilatura.extract(pages[0][1], url=pages[0][0])
        for url, page, body in pages:
            item, ms = timed(sd, page, url, ZYTE)
            if isinstance(item, Exception):
                sd.errors.append(f"{url}: {item!r}")
                item = None
            rows["sdcrawl"][0].append(token_f1((item or {}).get("body"), body))
            rows["sdcrawl"][1].append(ms)
            text, ms = timed(trafilatura.extract, page, url=url)
            rows["trafilatura"][0].append(token_f1(text if isinstance(text, str) else None, body))
            rows["trafilatura"][1].append(ms)
        result["body"] = {
            "pages": len(pages),
            **{name: {"f1": statistics.fmean(f1s) if f1s else 0.0, "median_ms": statistics.median(ms) if ms else 0.0}
               for name, (f1s, ms) in rows.items()},
        }

        # --- dates: htmldate's evaluation set ---------------------------------------------
        missing: list[str] = []
        pages = list(htmldate_pages(root, missing))[:limit]
        systems = {
            "sdcrawl": lambda page, url: ((sd(page, url, HTMLDATE) or {}).get("published")),
            "htmldate": lambda page, url: find_date(page, url=url),
            "htmldate original_date": lambda page, url: find_date(page, url=url, original_date=True),
        }
        drows = {name: ([], []) for name in systems}
        wrong: dict[str, list] = {name: [] for name in systems}
        if pages:
            for fn in systems.values():
                timed(fn, pages[0][1], pages[0][0])
        for url, page, gold in pages:
            for name, fn in systems.items():
                found, ms = timed(fn, page, url)
                if isinstance(found, Exception):
                    if name == "sdcrawl":
                        sd.errors.append(f"{url}: {found!r}")
                    found = None
                ok = found is not None and str(found)[:10] == gold
                drows[name][0].append(ok)
                drows[name][1].append(ms)
                if not ok:
                    wrong[name].append((url, gold, found))
        result["dates"] = {
            "pages": len(pages),
            "missing_from_archive": len(missing),
            **{name: {"accuracy": (sum(oks) / len(oks)) if oks else 0.0, "correct": sum(oks),
                      "median_ms": statistics.median(ms) if ms else 0.0}
               for name, (oks, ms) in drows.items()},
        }
        result["sdcrawl_wrong_dates"] = wrong["sdcrawl"]
    result["not_html"] = {c: len(sd.refused.get(c, [])) for c in (ZYTE, HTMLDATE)}
    result["not_html_urls"] = sd.refused
    result["sdcrawl_errors"] = sd.errors
    return result


# Where the generic path's time goes: these functions' cumulative time, as a share of the whole.
PROFILED = {
    "trafilatura (body_text)": ("sdcrawl/extract/generic.py", "body_text"),
    "classify": ("sdcrawl/classify/", "classify"),
    "parse_html (the one parse of the page)": ("sdcrawl/extract/html.py", "parse_html"),
    "metadata layer": ("sdcrawl/extract/metadata.py", "extract_metadata"),
    "date line by the title": ("sdcrawl/extract/generic.py", "date_near_title"),
    "htmldate on the markup": ("sdcrawl/extract/generic.py", "date_from_markup"),
    "htmldate text search": ("sdcrawl/extract/generic.py", "date_from_text"),
    "dating tree (copy without chrome)": ("sdcrawl/extract/generic.py", "dating_tree"),
    "periods in the body": ("sdcrawl/extract/dates.py", "find_periods"),
}


def profile(limit: int | None, corpora: Path) -> str:
    """cProfile of sdcrawl's generic path over both corpora's pages (decoded beforehand)."""
    import cProfile
    import pstats

    from sdcrawl.extract import extract_article
    from sdcrawl.extract.decode import NotHTML, decode_html

    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="sdcrawl-corpora-") as tmp:
        root = Path(tmp)
        unpack(corpora, root)
        pages = [(u, p) for u, p, _ in list(zyte_pages(root))[:limit]]
        pages += [(u, p) for u, p, _ in list(htmldate_pages(root, []))[:limit]]
    docs = []
    for url, page in pages:
        try:
            docs.append((url, decode_html(page)))
        except NotHTML:
            pass
    extract_article(docs[0][1], docs[0][0])
    prof = cProfile.Profile()
    prof.enable()
    for url, html in docs:
        extract_article(html, url)
    prof.disable()
    stats = pstats.Stats(prof).stats
    total = max(ct for (_f, _l, name), (_cc, _nc, _tt, ct, _callers) in stats.items() if name == "extract_article")
    lines = [f"### Where sdcrawl's generic path spends its time ({len(docs)} pages of both corpora, cProfile)", "",
             "| part | share of extract_article | ms per page |", "|---|---|---|",
             f"| extract_article, all | 100% | {total / len(docs) * 1000:.1f} |"]
    for label, (path, func) in PROFILED.items():
        cum = sum(ct for (f, _l, name), (_cc, _nc, _tt, ct, _callers) in stats.items() if name == func and f.endswith(path))
        lines.append(f"| {label} | {cum / total:.0%} | {cum / len(docs) * 1000:.1f} |")
    return "\n".join(lines)


def table(r: dict) -> str:
    b, d, n = r["body"], r["dates"], r["not_html"]
    lines = [
        f"### Body: Zyte article-extraction benchmark ({b['pages']} pages), mean token F1",
        "",
        "| system | body F1 | median ms/page | refused as not HTML |",
        "|---|---|---|---|",
        f"| sdcrawl generic path | {b['sdcrawl']['f1']:.3f} | {b['sdcrawl']['median_ms']:.1f} | {n[ZYTE]} |",
        f"| bare trafilatura | {b['trafilatura']['f1']:.3f} | {b['trafilatura']['median_ms']:.1f} | - |",
        "",
        f"### Dates: htmldate evaluation set ({d['pages']} pages; {d['missing_from_archive']} URLs of the"
        " set have no page in the archive), share of exact YYYY-MM-DD",
        "",
        "| system | date accuracy | correct | median ms/page | refused as not HTML |",
        "|---|---|---|---|---|",
        f"| sdcrawl generic path | {d['sdcrawl']['accuracy']:.3f} | {d['sdcrawl']['correct']} | {d['sdcrawl']['median_ms']:.1f} | {n[HTMLDATE]} |",
        f"| bare htmldate (defaults) | {d['htmldate']['accuracy']:.3f} | {d['htmldate']['correct']} | {d['htmldate']['median_ms']:.1f} | - |",
        f"| bare htmldate (original_date=True) | {d['htmldate original_date']['accuracy']:.3f} | {d['htmldate original_date']['correct']} | {d['htmldate original_date']['median_ms']:.1f} | - |",
    ]
    if r["sdcrawl_errors"]:
        lines += ["", f"sdcrawl raised on {len(r['sdcrawl_errors'])} page(s):"] + [f"- {e}" for e in r["sdcrawl_errors"][:10]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages of each corpus")
    ap.add_argument("--corpora", type=Path, default=CORPORA, help=f"folder of the tarballs (default {CORPORA})")
    ap.add_argument("--json", action="store_true", help="print the full result (with sdcrawl's wrong dates) as JSON")
    ap.add_argument("--wrong", action="store_true", help="also list the pages whose date sdcrawl got wrong")
    ap.add_argument("--profile", action="store_true", help="instead: where sdcrawl's time goes (cProfile)")
    args = ap.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be at least 1")
    if args.profile:
        print(profile(args.limit, args.corpora))
        return 0
    result = run(args.limit, args.corpora)
    if args.json:
        json.dump(result, sys.stdout, indent=1, default=str)
        print()
        return 0
    print(table(result))
    if args.wrong:
        print()
        for url, gold, found in result["sdcrawl_wrong_dates"]:
            print(f"{gold}  {found}  {url}")
        for corpus, urls in result["not_html_urls"].items():
            for url in urls:
                print(f"not HTML ({corpus}): {url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
