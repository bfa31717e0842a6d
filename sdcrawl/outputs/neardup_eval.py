"""Measure near-duplicate detection on built Latvian pairs: precision and recall for "same story".

    python -m sdcrawl.outputs.neardup_eval                 # the pairs, at the chosen threshold
    python -m sdcrawl.outputs.neardup_eval --sweep         # the same at other thresholds / shingles
    python -m sdcrawl.outputs.neardup_eval --rebuild 5000  # seconds to rebuild the index of N articles

Pairs (from sdcrawl/outputs/neardup_stories.py):
- same story: each story and a copy a republishing site lightly edited (a lead sentence added,
  a closing line added, words changed, a sentence dropped, the paragraphs in another order), and
  two such copies of one story from two sites;
- different story, same topic: every pair of two different stories (all are news of social
  services about trainings and projects, several share the ESF funding line and a contact line),
  and every pair of a site's monthly supervision notices (same words, another date and theme).
Each pair is judged by the real NearDupIndex: the first article indexed, the second queried.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from itertools import combinations

from sdcrawl import stories as neardup
from sdcrawl.outputs.neardup_stories import LEADS, STORIES, SUBSTITUTIONS, TAILS, TEMPLATE_SERIES

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def edited(title: str, body: str, seed: int) -> tuple[str, str]:
    """A light edit of a story, as a site that republishes it makes: deterministic per seed."""
    rng = random.Random(seed)
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    if len(paragraphs) > 1 and rng.random() < 0.25:
        paragraphs = paragraphs[1:] + paragraphs[:1]
    sentences = [s for p in paragraphs for s in _SENTENCE_END.split(p)]
    if len(sentences) >= 4 and rng.random() < 0.35:  # one sentence left out (not the first)
        drop = sentences[rng.randrange(1, len(sentences))]
        paragraphs = [p.replace(drop, "").strip() for p in paragraphs]
        paragraphs = [p for p in paragraphs if p]
    text = "\n\n".join(paragraphs)
    present = [(a, b) for a, b in SUBSTITUTIONS if a in text and a != b]
    for a, b in rng.sample(present, min(len(present), rng.randint(1, 3))):
        text = text.replace(a, b, 1)
    if rng.random() < 0.6:
        text = rng.choice(LEADS) + "\n\n" + text
    if rng.random() < 0.6:
        text = text + "\n\n" + rng.choice(TAILS)
    if rng.random() < 0.3:
        title = rng.choice(["Novadā: ", "Ziņas: ", ""]) + title
    return title, text


def article(site: str, number: int, title: str, body: str) -> dict:
    return {"id": f"{site}-{number:020x}", "site": site, "title": title, "body": body}


def build_pairs() -> tuple[list[tuple[dict, dict]], list[tuple[dict, dict]]]:
    same, different = [], []
    originals = [article("ministrija", i, t, b) for i, (t, b) in enumerate(STORIES)]
    for i, (t, b) in enumerate(STORIES):
        first = article("novads_a", i, *edited(t, b, seed=2 * i))
        second = article("novads_b", i, *edited(t, b, seed=2 * i + 1))
        same += [(originals[i], first), (first, second)]
    for a, b in combinations(range(len(STORIES)), 2):
        different.append((originals[a], {**originals[b], "id": f"novads_a-{b:020x}", "site": "novads_a"}))
    series = [article(f"novads_{chr(ord('c') + i)}", 100 + i, t, b) for i, (t, b) in enumerate(TEMPLATE_SERIES)]
    different += list(combinations(series, 2))
    return same, different


def judge(a: dict, b: dict, **options) -> tuple[bool, float]:
    index = neardup.NearDupIndex(**options)
    index.add(a)
    return a["id"] in index.query(b), index.similarity(a, b)


def measure(**options) -> dict:
    same, different = build_pairs()
    tp = fn = fp = tn = 0
    same_sims, diff_sims, misses, false_links = [], [], [], []
    for a, b in same:
        linked, sim = judge(a, b, **options)
        same_sims.append(sim)
        tp, fn = tp + linked, fn + (not linked)
        if not linked:
            misses.append((sim, a["title"]))
    for a, b in different:
        linked, sim = judge(a, b, **options)
        diff_sims.append(sim)
        fp, tn = fp + linked, tn + (not linked)
        if linked:
            false_links.append((sim, a["title"], b["title"]))
    return {
        "same_pairs": len(same), "different_pairs": len(different), "tp": tp, "fn": fn, "fp": fp, "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
        "same_min": min(same_sims), "different_max": max(diff_sims),
        "different_over": sum(sim >= options.get("threshold", neardup.THRESHOLD) for sim in diff_sims), "misses": misses, "false_links": false_links,
    }


def print_measure(result: dict, label: str) -> None:
    print(f"{label}: {result['same_pairs']} same-story pairs, {result['different_pairs']} different-story pairs; "
          f"precision {result['precision']:.3f} recall {result['recall']:.3f} "
          f"(tp {result['tp']} fn {result['fn']} fp {result['fp']} tn {result['tn']}); "
          f"lowest same-story similarity {result['same_min']:.2f}, highest different-story {result['different_max']:.2f}; "
          f"{result['different_over']} different-story pair(s) at or over the threshold similarity (linked only if their event days agree)")


def rebuild_seconds(n: int) -> float:
    articles = []
    for i in range(n):
        t, b = STORIES[i % len(STORIES)]
        articles.append(article(f"site{i % 40}", i, *edited(t, b, seed=i)))
    started = time.perf_counter()
    index = neardup.NearDupIndex.from_articles(articles)
    elapsed = time.perf_counter() - started
    assert len(index) == n
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sdcrawl.outputs.neardup_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="also other thresholds and shingle sizes")
    parser.add_argument("--rebuild", type=int, metavar="N", help="time rebuilding the index of N articles")
    args = parser.parse_args(argv)
    if args.rebuild:
        print(f"rebuilding the index of {args.rebuild} articles: {rebuild_seconds(args.rebuild):.2f} s")
        return 0
    result = measure()
    print_measure(result, f"threshold {neardup.THRESHOLD}, word {neardup.SHINGLE_WORDS}-grams, {neardup.NUM_PERM} permutations")
    for sim, title in result["misses"]:
        print(f"  missed (similarity {sim:.2f}): {title}")
    for sim, a, b in result["false_links"]:
        print(f"  false link (similarity {sim:.2f}): {a} / {b}")
    if args.sweep:
        for k in (2, 3, 4):
            for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
                print_measure(measure(threshold=threshold, k=k), f"  threshold {threshold}, word {k}-grams")
    return 0 if result["precision"] >= 0.95 and result["recall"] >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
