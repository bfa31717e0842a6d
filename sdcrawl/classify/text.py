"""The text side of classification: lemmas (simplemma plus the lexicon's forms, cached by word
form), term matching, programmes and project numbers, funding, sentences and units, cues. The
decision that uses them is in rules.py."""

from __future__ import annotations
import re
from bisect import bisect_right
from functools import lru_cache
from typing import Iterable
from sdcrawl.classify import lexicon as lx


# --------------------------------------------------------------------------------------------
# Lemmas
# --------------------------------------------------------------------------------------------
_FORMS: dict[str, str] = lx.build_forms()


@lru_cache(maxsize=1)
def _simplemma():
    import simplemma  # imported lazily: it costs ~0.1 s, its dictionary ~0.2 s on first use

    return simplemma


@lru_cache(maxsize=65536)
def _lemma(token: str) -> str:
    """Lowercase lemma of one token (cached by word form: a news text repeats its words)."""
    token = token.lower()
    lemma = _FORMS.get(token)
    if lemma is not None:
        return lemma
    if not token.isalpha():
        return token
    return _simplemma().lemmatize(token, lang="lv").lower()


# --------------------------------------------------------------------------------------------
# Terms
# --------------------------------------------------------------------------------------------
_TOKEN_RE = re.compile(r"\w+")
_GAP_RE = re.compile(r"[\s\-–—]*")
_LAST_WORD_RE = re.compile(r"(\w+(?:\.\w+)*)$")
_SENT_END_RE = re.compile(r"[.!?…]+[\"”»')]*\s+(?=[\"„“«]?[A-ZĀČĒĢĪĶĻŅŠŪŽ])")


class _Matcher:
    """Longest-match scanner for all kinds of term in one pass over the tokens.

    Kinds are matched independently: a match of one kind consumes tokens for that kind only
    (``sociālajos projektos`` is an ignored social term and still a project hit)."""

    def __init__(self, kinds: dict[str, tuple[list, list]]):
        self.kinds = tuple(kinds)
        # first lemma -> [(kind, length, pattern, why)], longest first, ignore first on ties
        self._index: dict[str, list[tuple[str, int, tuple, str | None]]] = {}
        for kind, (positive, ignore) in kinds.items():
            for pattern, why in [(p, None) for p in positive] + list(ignore):
                for first in pattern[0]:
                    self._index.setdefault(first, []).append((kind, len(pattern), pattern, why))
        for lst in self._index.values():
            lst.sort(key=lambda e: (-e[1], e[3] is None))

    def scan(self, text: str, spans: list[tuple[int, int]], lemmas: list[str]):
        """Yield (kind, surface, why, start, end) per match; why is None for a real hit."""
        n = len(lemmas)
        index_get = self._index.get
        free_from = dict.fromkeys(self.kinds, 0)  # per kind: first token not yet consumed
        for i, lemma in enumerate(lemmas):
            cands = index_get(lemma)
            if not cands:
                continue
            done: set[str] = set()
            for kind, length, pattern, why in cands:
                if kind in done or i < free_from[kind] or i + length > n:
                    continue
                for k in range(1, length):
                    if lemmas[i + k] not in pattern[k] or not _GAP_RE.fullmatch(
                        text, spans[i + k - 1][1], spans[i + k][0]
                    ):
                        break
                else:
                    done.add(kind)
                    free_from[kind] = i + length
                    start, end = spans[i][0], spans[i + length - 1][1]
                    yield kind, text[start:end], why, start, end


_MATCHER = _Matcher({
    "training": (lx.TRAINING, lx.TRAINING_IGNORE),
    "training_title": (lx.TRAINING_TITLE_ONLY, []),
    "project": (lx.PROJECT, lx.PROJECT_IGNORE),
    "social": (lx.SOCIAL, lx.SOCIAL_IGNORE),
    "social_weak": (lx.SOCIAL_WEAK, []),
})


# --------------------------------------------------------------------------------------------
# Programmes, project ids, funding
# --------------------------------------------------------------------------------------------
def _find_programmes(text: str) -> list[tuple[str, str]]:
    """(programme, surface) in text order; overlapping matches keep the earliest, then longest."""
    return [(name, surface) for _, name, surface in _find_programmes_at(text)]


def _find_programmes_at(text: str) -> list[tuple[int, str, str]]:
    """(start, programme, surface), as _find_programmes."""
    low = text.lower()
    found = []
    for name, keys, rx in lx.PROGRAMME_SCAN:
        if not any(k in low for k in keys):
            continue
        for m in rx.finditer(text):
            found.append((m.start(), -(m.end() - m.start()), name, m.group(0)))
    found.sort()
    kept: list[tuple[int, str, str]] = []
    last_end = -1
    for start, neg_len, name, surface in found:
        if start < last_end:
            continue
        last_end = start - neg_len
        kept.append((start, name, surface))
    return kept


def _find_project_ids(text: str) -> list[str]:
    ids: list[str] = []
    for m in lx.PROJECT_ID_RE.finditer(text):
        pid = m.group(0).rstrip(".,;:)")
        if pid not in ids:
            ids.append(pid)
    return ids


def _keys_re(keys: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(k) for k in sorted(set(keys))))


_PROGRAMME_KEYS_RE = _keys_re(k for _, keys, _ in lx.PROGRAMME_SCAN for k in keys)
_FUNDING_KEYS_RE = _keys_re(lx.FUNDING_KEYS)
_DIGIT_RE = re.compile(r"\d")


def _funding(text: str, programme_hits: list[tuple[int, str, str]]
             ) -> list[tuple[int, str, bool]]:
    """(start, surface, precise) of every naming of funding in the text: the programmes, the
    funding phrases, the project numbers; precise when it is a project number or a funding
    phrase of STRONG_FUNDING_RE."""
    out = [(start, surface, False) for start, _, surface in programme_hits]
    if _FUNDING_KEYS_RE.search(text.lower()):
        out.extend((m.start(), m.group(0), bool(lx.STRONG_FUNDING_RE.match(m.group(0))))
                   for m in lx.FUNDING_RE.finditer(text))
    if _DIGIT_RE.search(text):
        out.extend((m.start(), m.group(0).rstrip(".,;:)"), True)
                   for m in lx.PROJECT_ID_RE.finditer(text))
    return sorted(out)


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------
def _sentences(line: str) -> list[str]:
    out = []
    start = 0
    for m in _SENT_END_RE.finditer(line):
        before = _LAST_WORD_RE.search(line, max(start, m.start() - 24), m.start())
        word = before.group(1).lower() if before else ""
        if len(word) == 1 or word in lx.ABBREVIATIONS:
            continue
        out.append(line[start:m.end()].rstrip())
        start = m.end()
    out.append(line[start:])
    return [s for s in out if s.strip()]


def _units(title: str, body: str) -> tuple[list[str], list[int], list[int]]:
    """Unit 0 is the title (may be empty); then each body sentence, with its line's number and
    where it starts in ``title + "\\n" + body``."""
    units = [title.strip()]
    paragraph = [-1]
    starts = [0]
    offset = len(title) + 1
    for number, line in enumerate((body or "").splitlines(keepends=True)):
        if line.strip():
            cursor = 0
            for sentence in _sentences(line.splitlines()[0]):
                at = line.find(sentence, cursor)
                cursor = at + len(sentence)
                units.append(sentence)
                paragraph.append(number)
                starts.append(offset + at)
        offset += len(line)
    return units, paragraph, starts


def _stems_re(stems: Iterable[str]) -> re.Pattern[str]:
    # longest first, so that each word start is counted under its most specific stem
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in sorted(stems, key=len,
                                                                      reverse=True)) + ")")


# every cue stem in one pattern, run once over the lowercased text: stem -> its kind
_CUE_KIND = {**dict.fromkeys(lx.INFRA_STEMS, "infra"), **dict.fromkeys(lx.DRAFT_CUES, "draft"),
             **dict.fromkeys(lx.DRAFT_CUES_WEAK, "draft_weak"),
             **dict.fromkeys(lx.BIOGRAPHY_CUES, "biography")}
_CUES_RE = _stems_re(_CUE_KIND)


def _cues(text: str, starts: list[int]) -> dict[int, dict[str, set[str]]]:
    """unit index -> cue kind -> the different stems found at word starts in that unit."""
    out: dict[int, dict[str, set[str]]] = {}
    for m in _CUES_RE.finditer(text.lower()):
        idx = bisect_right(starts, m.start()) - 1
        out.setdefault(idx, {}).setdefault(_CUE_KIND[m.group(0)], set()).add(m.group(0))
    return out
