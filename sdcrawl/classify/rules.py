"""The rule engine: text units, term matching, the senses of "projekts", and the decision.

The rule itself is described in the package docstring (``sdcrawl/classify/__init__.py``); the
words are in ``lexicon.py``.  Everything here is pure: no I/O, no global mutable state except
the lemma cache.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable

from sdcrawl.classify import lexicon as lx
from sdcrawl.classify.lexicon import PROGRAMMES, TOPICS
from sdcrawl.classify.text import (  # the text side: lemmas, matching, units
    _lemma,
    _TOKEN_RE,
    _GAP_RE,
    _MATCHER,
    _find_programmes_at,
    _funding,
    _units,
    _cues,
)

__all__ = ["Classification", "classify", "PROGRAMMES", "TOPICS"]


@dataclass(frozen=True)
class Classification:
    topics: list[str]
    programmes: list[str]
    project_ids: list[str]
    social: bool
    relevant: bool
    reasons: list[str]
    evidence: dict[str, list[str]]



# --------------------------------------------------------------------------------------------
# classify
# --------------------------------------------------------------------------------------------
def _quote(forms: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"'{f}'" for f in forms[:limit])
    return shown + (", …" if len(forms) > limit else "")


def _where(in_title: bool, body_count: int) -> str:
    parts = (["title"] if in_title else []) + ([f"body ×{body_count}"] if body_count else [])
    return ", ".join(parts)


def _where_units(units: set[int]) -> str:
    return _where(0 in units, len(units - {0}))


def _dedup(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


_LEAD = (1, 2)  # the lead: the first two body sentences
_AND_RE = re.compile(r"\sun\s")


def _lemmas_of(surface: str) -> str:
    return " ".join(_lemma(w) for w in _TOKEN_RE.findall(surface))


def classify(title: str, body: str) -> Classification:
    """Classify one article (see the package docstring for the rules)."""
    title, body = _nfc(title or ""), _nfc(body or "")
    units, paragraph, starts = _units(title, body)
    full_text = title + "\n" + body
    prog_at = _find_programmes_at(full_text)
    funding_at = _funding(full_text, prog_at)
    cues = _cues(full_text, starts)
    funding_by_unit: dict[int, list[tuple[str, bool]]] = {}
    for at, surface, precise in funding_at:
        funding_by_unit.setdefault(bisect_right(starts, at) - 1, []).append((surface, precise))
    programme_units = {bisect_right(starts, at) - 1 for at, _, _ in prog_at}
    n_body = len(units) - 1
    kinds = ("training", "training_title", "project", "social", "social_weak")
    surfaces: dict[str, list[tuple[int, str]]] = {k: [] for k in kinds}
    hit_units: dict[str, set[int]] = {k: set() for k in kinds}
    ignored: list[tuple[str, str]] = []
    funding: dict[int, list[str]] = {}
    draft_context: set[int] = set()
    weak_draft_context: set[int] = set()
    infra: dict[int, int] = {}
    strong_funding: set[int] = set()
    unambiguous: dict[int, str] = {}
    social_project: dict[int, str] = {}
    listy: set[int] = set()

    for idx, unit in enumerate(units):
        if not unit:
            continue
        tokens = list(_TOKEN_RE.finditer(unit))
        spans = [m.span() for m in tokens]
        lemmas = [_lemma(m.group()) for m in tokens]
        cue = cues.get(idx, {})
        social_ends: list[int] = []
        for kind, surface, why, start, end in _MATCHER.scan(unit, spans, lemmas):
            if why is None:
                if kind == "training_title" and idx != 0:
                    continue
                surfaces[kind].append((idx, surface))
                hit_units[kind].add(idx)
                if kind == "training" and _lemmas_of(surface) in lx.TRAINING_UNAMBIGUOUS:
                    unambiguous.setdefault(idx, surface)
                if kind == "social":
                    social_ends.append(end)
                elif kind == "project" and any(
                        _GAP_RE.fullmatch(unit, e, start) for e in social_ends if e <= start):
                    social_project.setdefault(idx, surface)
            else:
                ignored.append((surface, why))
                if why == lx.DRAFT_WHY:
                    draft_context.add(idx)
        if idx in hit_units["training"] and "biography" in cue:
            for i, surface in [x for x in surfaces["training"] if x[0] == idx]:
                ignored.append((surface, "personal studies (a biography)"))
            surfaces["training"] = [x for x in surfaces["training"] if x[0] != idx]
            hit_units["training"].discard(idx)
            unambiguous.pop(idx, None)
        found = funding_by_unit.get(idx)
        if found:
            funding[idx] = [surface for surface, _ in found]
            if any(precise for _, precise in found) or (
                    idx in programme_units and lx.PROGRAMME_MEASURE_RE.search(unit)):
                strong_funding.add(idx)
        if "draft" in cue:
            draft_context.add(idx)
        elif "draft_weak" in cue:
            weak_draft_context.add(idx)
        count = len(cue.get("infra", ()))
        if count:
            infra[idx] = count
            if unit.count(",") + unit.count(";") + len(_AND_RE.findall(unit)) >= 2 or ":" in unit:
                listy.add(idx)

    # -- senses of "projekts" -----------------------------------------------------------
    # A bare "projekts" in a sentence about a draft is the draft; and in an article about a
    # draft document that names no funding, every bare "projekts" refers back to it.
    funded = bool(funding) or any(s.lower().startswith("pilot") for _, s in surfaces["project"])
    names_draft = any(why == lx.DRAFT_WHY for _, why in ignored)
    if names_draft:
        draft_context |= weak_draft_context
    draft_article = names_draft and not funded
    if surfaces["project"]:
        kept = []
        for idx, surface in surfaces["project"]:
            if surface.lower().startswith("pilot"):
                kept.append((idx, surface))
            elif draft_article:
                ignored.append((surface, "refers to the draft document"))
            elif idx in draft_context and idx not in funding:
                ignored.append((surface, "a draft under discussion, not a project"))
            else:
                kept.append((idx, surface))
        surfaces["project"] = kept
        hit_units["project"] = {idx for idx, _ in kept}
        social_project = {i: f for i, f in social_project.items() if i in hit_units["project"]}
    if draft_article:
        funding, strong_funding = {}, set()

    # -- topics --------------------------------------------------------------------------
    need = min(2, n_body) if n_body else 2  # a title and a one-sentence lead: that sentence counts
    social_units = hit_units["social"]
    heading = bool(title.strip()) and not lx.GENERIC_TITLE_RE.search(title)
    title_subject = heading and 0 in social_units  # the title is about the social service

    def building(idx: int) -> bool:  # a sentence about a building that names no social service
        return infra.get(idx, 0) >= 2 and idx not in social_units

    reasons: list[str] = []
    topics: list[str] = []
    support: dict[str, set[int]] = {}
    title_linked: set[int] = set()  # units whose topic counted on account of a social title
    for kind in TOPICS:
        units_hit = set(hit_units[kind])
        forms = _dedup(s for _, s in surfaces[kind])
        if kind == "training" and hit_units["training_title"]:
            units_hit |= hit_units["training_title"]
            forms = _dedup([s for _, s in surfaces["training_title"]] + forms)
        extra: set[int] = set(funding) - units_hit if kind == "project" else set()
        counted = (0 in units_hit) or len(units_hit - {0}) >= need
        with_funding = units_hit | extra
        counted_funding = (0 in with_funding) or len(with_funding - {0}) >= need
        if not units_hit and not extra:
            continue
        if kind == "project" and "training" in topics and not counted:
            # In a training article a project named once (or funding named without
            # "projekts") is how the training is paid for, not a second topic.
            reasons.append(f"{kind}: {_quote(forms) if forms else 'funding named'} "
                           f"({_where_units(units_hit or extra)}) — too weak, not counted")
            continue
        short = n_body == 1 and 0 not in units_hit
        precise = kind == "project" and (strong_funding & with_funding)
        social_named = kind == "project" and social_project
        if counted:
            topics.append(kind)
            support[kind] = with_funding
            note = " — title and one-sentence lead" if short else ""
            reasons.append(f"{kind}: {_quote(forms)} ({_where_units(units_hit)}){note}")
        elif social_named:
            topics.append(kind)
            support[kind] = with_funding
            named = _quote(_dedup(social_project.values()))
            reasons.append(f"{kind}: {_quote(forms)} ({_where_units(units_hit)}) — a social "
                           f"project: {named}")
        elif precise and not counted_funding:
            topics.append(kind)
            support[kind] = with_funding
            named = _quote(_dedup(s for i in sorted(strong_funding & with_funding)
                                  for s in funding[i]))
            reasons.append(f"{kind}: {_quote(forms) + ' ' if forms else ''}"
                           f"({_where_units(with_funding)}) — a named EU measure or project "
                           f"number: {named}")
        elif counted_funding:
            topics.append(kind)
            support[kind] = with_funding
            named = _quote(_dedup(s for i in sorted(extra) for s in funding[i]))
            if units_hit:
                reasons.append(f"{kind}: {_quote(forms)} ({_where_units(units_hit)}) and funding "
                               f"named: {named} ({_where_units(extra)})")
            else:
                reasons.append(f"{kind}: funding named without 'projekts': {named} "
                               f"({_where_units(extra)})")
        elif why := _single_unit_counts(kind, units_hit, social_units, heading, title_subject,
                                        funding, unambiguous, building):
            topics.append(kind)
            support[kind] = with_funding
            if why != "in the lead":
                title_linked |= units_hit - {0}
            reasons.append(f"{kind}: {_quote(forms)} ({_where_units(units_hit)}) — {why}")
        elif units_hit:
            reasons.append(f"{kind}: {_quote(forms)} ({_where_units(units_hit)}) "
                           "— too weak, not counted")
    topics = [t for t in TOPICS if t in topics]

    social = bool(social_units)
    if social:
        reasons.append(f"social: {_quote(_dedup(s for _, s in surfaces['social']))} "
                       f"({_where_units(social_units)})")
    else:
        reasons.append("not social: no social-service term")

    for surface, why in _dedup_pairs(ignored):
        reasons.append(f"ignored: '{surface}' ({why})")

    prog_hits = [(name, surface) for _, name, surface in prog_at]
    programmes = [p for p in PROGRAMMES if any(name == p for name, _ in prog_hits)]
    project_ids = _dedup(surface for _, surface, precise in funding_at
                         if precise and lx.PROJECT_ID_RE.fullmatch(surface))
    if programmes:
        reasons.append("programmes: " + ", ".join(
            f"{p} ({_quote(_dedup(s for n, s in prog_hits if n == p))})" for p in programmes))
    if project_ids:
        reasons.append("project ids: " + ", ".join(project_ids))

    # -- relevance -----------------------------------------------------------------------
    relevant, verdict, weak_used = _decide(
        social, topics, hit_units, support, social_units, hit_units["social_weak"],
        paragraph, infra, listy, title, title_linked)
    reasons.append(verdict)

    social_forms = [s for _, s in surfaces["social"]]
    if weak_used:
        social_forms += [s for i, s in surfaces["social_weak"] if i in weak_used]
    evidence = {
        "training": _dedup([s for _, s in surfaces["training_title"]]
                           + [s for _, s in surfaces["training"]]),
        "project": _dedup(s for _, s in surfaces["project"]),
        "social": _dedup(social_forms),
        "programmes": _dedup(surface for _, surface in prog_hits),
        "project_ids": list(project_ids),
    }
    return Classification(
        topics=topics,
        programmes=programmes,
        project_ids=project_ids,
        social=social,
        relevant=relevant,
        reasons=reasons,
        evidence=evidence,
    )


def _single_unit_counts(kind, units_hit, social_units, heading, title_subject, funding,
                        unambiguous, building) -> str | None:
    """Why one body sentence is enough for a topic in this article, or None."""
    if not social_units:
        return None
    if heading:
        for i in sorted(units_hit):
            if i in _LEAD and not (kind == "project" and building(i)):
                return "in the lead"
    if kind == "project" and title_subject:
        for i in sorted(units_hit):
            if i in funding and not building(i):
                return "a funded project under a social-service title"
    if kind == "training":
        for i in sorted(units_hit):
            if i in unambiguous and (title_subject or i in social_units):
                return f"'{unambiguous[i]}' names professional training"
    return None


def _decide(social, topics, hit_units, support, social_units, weak_units, paragraph, infra,
            listy, title, title_linked) -> tuple[bool, str, set[int]]:
    """(relevant, verdict line, weak social units that the verdict used)."""
    if not social:
        return False, "not relevant: no social-service context", set()
    if not topics:
        return False, "not relevant: no training or project with enough weight", set()
    label = "+".join(topics)

    def building_only(idx: int, kind: str | None = None) -> bool:
        # a sentence that lists building works, or (for a project) is about a building
        if idx == 0:
            return False
        if idx in listy and infra.get(idx, 0) >= 3:
            return True
        return kind == "project" and infra.get(idx, 0) >= 2 and idx not in social_units

    # 1. a topic and the social service in one unit (the title or one sentence)
    term_units = {t: hit_units[t] | (hit_units["training_title"] if t == "training" else set())
                  for t in topics}
    together = [i for i in social_units if any(i in term_units[t] for t in topics)]
    if not together:
        together = [i for i in social_units if any(i in support[t] for t in topics)]
    listed = [i for i in together if building_only(i)]
    together = [i for i in together if i not in listed]
    aside = (len(social_units) == 1 and 0 not in social_units and not set(_LEAD) & social_units
             and any(0 in term_units[t] for t in topics))
    if together and aside:
        return False, ("not relevant: the social service is mentioned once, aside from the "
                       "topic of the title"), set()
    if together:
        place = "title" if min(together) == 0 else "a body sentence"
        return True, (f"relevant: {label} with social-service context "
                      f"(together in {place}; {len(together)} unit(s))"), set()
    if listed:
        return False, ("not relevant: the social service is one item in a list of building "
                       "works"), set()

    topic_units = {i: t for t in topics for i in support[t]}
    many_social = len(social_units) >= 2
    partners = social_units | (weak_units if social else set())
    weak_used: set[int] = set()

    # 2. neighbouring sentences of one paragraph (or a weak social term in the same sentence)
    for i, kind in sorted(topic_units.items()):
        if building_only(i, kind):
            continue
        if i in weak_units:
            return True, (f"relevant: {label} with social-service context "
                          "(an orphan's court or disability term in the same sentence)"), {i}
        if not many_social or i == 0:
            continue
        for j in (i - 1, i + 1):
            if j in social_units and j > 0 and paragraph[j] == paragraph[i]:
                return True, (f"relevant: {label} with social-service context "
                              "(in neighbouring sentences)"), weak_used

    # 3. a topic in the title, the social service in the lead
    if 0 in topic_units:
        lead = [j for j in _LEAD if j in partners and not building_only(j)]
        if not lead and len(social_units - {0}) < 2 and any(
                j in partners and building_only(j) for j in _LEAD):
            return False, ("not relevant: the social service is one item in a list of building "
                           "works"), set()
        if lead or len(social_units - {0}) >= 2:
            used = {j for j in lead if j in weak_units and j not in social_units}
            return True, (f"relevant: {label} in the title, social-service context in the "
                          "lead"), used

    # 4. the social service in the title (not a section heading), a topic in the lead
    if 0 in social_units and not lx.GENERIC_TITLE_RE.search(title):
        for j in (*_LEAD, *sorted(title_linked)):
            kind = topic_units.get(j)
            if kind and not building_only(j, kind):
                return True, (f"relevant: {label} in the lead of a social-service "
                              "title"), weak_used

    return False, "not relevant: topic and social-service terms never in the same sentence", set()


def _nfc(text: str) -> str:
    # Pages may carry decomposed letters ('a' + U+0304); \w and the lexicon need composed ones.
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _dedup_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for p in pairs:
        if p not in out:
            out.append(p)
    return out
