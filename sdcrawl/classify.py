"""Topics, programmes, project numbers and relevance of an article.

INTERFACE (implemented by the classification work):

    classify(title: str, body: str) -> Classification

    @dataclass(frozen=True)
    class Classification:
        topics: list[str]        # subset of ["training", "project"], in that order
        programmes: list[str]    # names from PROGRAMMES, in that order
        project_ids: list[str]   # in order of first appearance
        social: bool             # about social services / social work
        relevant: bool           # social and at least one topic
        reasons: list[str]       # one-line human reasons, e.g. "training: 'mācību kursu' (title)"
        evidence: dict[str, list[str]]  # keys: training, project, social, programmes, project_ids;
                                        # values: matched surface forms as they stand in the text

HOW IT DECIDES

Text units.  The title is one unit.  The body is split into lines, and each line into sentences
(at ``. ! ? …`` followed by white space and a capital letter or an opening quote; not after a
single letter such as the initial in ``A. Bērziņa`` or after ``Nr.``, ``g.``, ``piem.`` …).

Terms.  Units are tokenized (``\\w+``) and every token is lowercased and lemmatized: first by the
small lexicon ``_FORMS`` (see there why it exists), then by ``simplemma`` (Latvian).  Terms are
sequences of lemmas that must follow each other separated only by spaces or dashes; at every
position the longest term wins, and an exclusion wins a tie.  Each kind is matched on its own:

* training: mācības, mācību kurss / vizīte / programma, mācīties, apmācība, apmācīt, kursi,
  seminārs, vebinārs, supervīzija, supervizors/-e, vasaras skola, pieredzes apmaiņa, apmaiņas
  brauciens, (profesionālās) kompetences pilnveide, profesionālā pilnveide, kvalifikācijas
  celšana/paaugstināšana, izglītot(ies), tālākizglītība, konference, metodikas aprobēšana,
  labās prakses (piemēri) and dalīties pieredzē (a study visit), the typo ``Māčibu``.
  Not training (personal studies or school vocabulary, cheap lemma bigrams only):
  ``turpina (savas) mācības``, ``turpina mācīties``, ``mācību gads / iestāde / priekšmets /
  līdzekļi / stunda``, ``valūtas kurss``.  Other biography phrasing (``mācījās vidusskolā``,
  ``uzsāka mācības universitātē``) is NOT recognised: it is an ordinary training hit and
  only the weighting below keeps a single such sentence out.
* project: projekts, pilotprojekts (all forms; ``Projekti`` as a category line is a body hit).
  Not a project (draft documents and plans): ``lēmuma / noteikumu / nolikuma / likuma /
  budžeta / līguma / grozījumu / plāna / stratēģijas projekts``, ``tehniskais projekts``,
  ``attīstības programmas projekts``, ``Investīciju un projektu plāns``.  Compounds
  (lēmumprojekts, likumprojekts, būvprojekts) are other lemmas and never match.
* social: sociāls + (dienests | darbinieks | darbiniece | darbs | pakalpojums | aprūpe |
  palīdzība | rehabilitācija | risks) as adjacent lemmas (covers ``Sociālais dienests`` names,
  ``sociālā darba speciālisti``, ``sociālā riska ģimenes``), and labklājība + (ministrija |
  departaments | pārvalde).  ``sociālie projekti``, ``sociālie tīkli``, ``sociālās kampaņas``
  are recorded as ignored; ``sociālo jautājumu komiteja``, ``sociālā attīstība`` etc. are simply
  not social terms.

Weighting.  A topic (training, project) counts when it has a hit in the title, or hits in at
least TWO DIFFERENT body sentences (several hits in one sentence count once).  ``social`` is
True as soon as there is one social term anywhere (title or body).  The article is relevant
when ``social`` is True, at least one topic counts, and some unit (the title or one body
sentence) holds both a hit of a counted topic and a social term.  ``topics`` lists the
counted topics even when the article is not relevant.

Programmes are found by regular expressions on the raw text (``_PROGRAMME_SCAN``);
overlapping matches keep the earliest, then longest.  Project codes imply a programme:
``LLI-nnn`` / ``LLIV-nnn`` → Interreg Latvia–Lithuania, Erasmus+ numbers
(``2023-1-LV01-KA210-ADU-000164014``) → Erasmus+.  ESF-style numbers (``9.2.1.1/15/I/001``)
imply nothing: ERAF uses the same scheme.  A measure number without slashes (``4.3.5.4.``) is
not a project id.

Evidence lists, per kind, the matched text slices (title first, then body), deduplicated in
order of appearance.  Reasons are one line per finding, in this order: each topic with hits
(``training: 'mācību kursu', … (title, body ×3)``, with ``— too weak, not counted`` when it
does not reach the weight), ``social: …`` or ``not social: no social-service term``, one
``ignored: '<phrase>' (<why>)`` per excluded phrase, ``programmes: ESF ('ESF'), …``,
``project ids: …``, and last the verdict (``relevant: …`` or ``not relevant: <why>``).

Input is NFC-normalized first (decomposed letters from some pages would split words), so
evidence shows the composed forms.  The module is pure: no I/O at call time and no global
mutable state except the lemma cache (``functools.lru_cache``); simplemma is imported on first
use (about 0.25 s once).  A warm call on a 3–5 KB article takes about 1–2 ms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

__all__ = ["Classification", "classify", "PROGRAMMES", "TOPICS"]

TOPICS = ("training", "project")
PROGRAMMES = (
    "ESF",
    "ESF+",
    "ERAF",
    "Erasmus+",
    "Interreg Latvia–Lithuania",
    "ENI",
    "Daphne III",
    "EEA and Norway Grants",
)


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
# Lemmas
# --------------------------------------------------------------------------------------------
# Why a lexicon of our own: simplemma 2.0's Latvian dictionary lacks many inflected forms of
# exactly the words this classifier depends on and returns them unchanged (or wrongly), e.g.
#   seminārā, semināru, semināri -> unchanged      supervīziju, supervīzijā(s) -> unchanged
#   vizīti, vizītē, vizīšu -> unchanged             pilnveidē, pilnveides -> unchanged
#   konferenču, kompetenču, aprūpju -> unchanged    profesionālā, profesionālajā -> unchanged
#   sociālajās -> "sociālais"                       darbinieces -> "darbiniece" (but darbiniece
#   metodikas -> unchanged, metodika -> "metode"    -> "darbinieks")
#   aprobēšana -> "aprobēst", izglītojas -> unchanged, tehniskais -> unchanged,
#   and the typo "Māčibu" of "Mācību".
# For these words (and the few needed by the exclusions) the regular paradigms are generated
# below and looked up BEFORE simplemma; simplemma handles every other word.

_NOUN_S = ("s", "a", "am", "u", "ā", "i", "iem", "us", "os")  # 1st declension: projekt-s
_NOUN_A = ("a", "as", "ai", "u", "ā", "ām", "ās")  # 4th declension: mācīb-a
_NOUN_E = ("e", "es", "ei", "i", "ē", "ēm", "ēs")  # 5th declension: konferenc-e (+ gen. pl.)
_ADJ = (  # indefinite and definite adjective endings, both genders
    "s", "a", "am", "u", "ā", "i", "iem", "us", "os", "as", "ai", "ām", "ās",
    "ais", "ajam", "o", "ajā", "ie", "ajiem", "ajos", "ajai", "ajām", "ajās",
)

# stem, endings, lemma, irregular extra forms
_PARADIGMS: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    # training
    ("mācīb", _NOUN_A, "mācība", ("māčibu", "māčības")),  # typo seen on stopini.lv
    ("apmācīb", _NOUN_A, "apmācība", ()),
    ("seminār", _NOUN_S, "seminārs", ()),
    ("vebinār", _NOUN_S, "vebinārs", ()),
    ("kurs", _NOUN_S, "kurss", ()),
    ("supervīzij", _NOUN_A, "supervīzija", ()),
    ("supervizor", _NOUN_S, "supervizors", ()),
    ("supervizor", _NOUN_E, "supervizors", ("supervizoru",)),  # supervizore -> one lemma
    ("vizīt", _NOUN_E, "vizīte", ("vizīšu",)),
    ("konferenc", _NOUN_E, "konference", ("konferenču",)),
    ("pilnveid", _NOUN_E, "pilnveide", ("pilnveižu",)),
    ("kompetenc", _NOUN_E, "kompetence", ("kompetenču",)),
    ("praks", _NOUN_E, "prakse", ("prakšu",)),
    ("pieredz", _NOUN_E, "pieredze", ("pieredžu",)),
    ("apmaiņ", _NOUN_A, "apmaiņa", ()),
    ("braucien", _NOUN_S, "brauciens", ()),
    ("skol", _NOUN_A, "skola", ()),
    ("vasar", _NOUN_A, "vasara", ()),
    ("metodik", _NOUN_A, "metodika", ()),
    ("aprobēšan", _NOUN_A, "aprobēšana", ()),
    ("kvalifikācij", _NOUN_A, "kvalifikācija", ()),
    ("celšan", _NOUN_A, "celšana", ()),
    ("paaugstināšan", _NOUN_A, "paaugstināšana", ()),
    ("tālākizglītīb", _NOUN_A, "tālākizglītība", ()),
    ("izglītošan", _NOUN_A, "izglītošana", ()),
    ("programm", _NOUN_A, "programma", ()),
    ("attīstīb", _NOUN_A, "attīstība", ()),
    ("profesionāl", _ADJ, "profesionāls", ()),
    ("lab", _ADJ, "labs", ()),
    # project
    ("projekt", _NOUN_S, "projekts", ()),
    ("pilotprojekt", _NOUN_S, "pilotprojekts", ()),
    # social
    ("sociāl", _ADJ, "sociāls", ()),
    ("dienest", _NOUN_S, "dienests", ()),
    ("darbiniek", _NOUN_S, "darbinieks", ()),
    ("darbiniec", _NOUN_E, "darbinieks", ("darbinieču",)),  # feminine -> one lemma
    ("darb", _NOUN_S, "darbs", ()),
    ("pakalpojum", _NOUN_S, "pakalpojums", ()),
    ("aprūp", _NOUN_E, "aprūpe", ("aprūpju",)),
    ("palīdzīb", _NOUN_A, "palīdzība", ()),
    ("rehabilitācij", _NOUN_A, "rehabilitācija", ()),
    ("risk", _NOUN_S, "risks", ()),
    ("labklājīb", _NOUN_A, "labklājība", ()),
    ("ministrij", _NOUN_A, "ministrija", ()),
    ("departament", _NOUN_S, "departaments", ()),
    ("pārvald", _NOUN_E, "pārvalde", ("pārvalžu",)),
    # exclusion contexts
    ("lēmum", _NOUN_S, "lēmums", ()),
    ("noteikum", _NOUN_S, "noteikums", ()),
    ("nolikum", _NOUN_S, "nolikums", ()),
    ("likum", _NOUN_S, "likums", ()),
    ("budžet", _NOUN_S, "budžets", ()),
    ("līgum", _NOUN_S, "līgums", ()),
    ("grozījum", _NOUN_S, "grozījums", ()),
    ("plān", _NOUN_S, "plāns", ()),
    ("stratēģij", _NOUN_A, "stratēģija", ()),
    ("investīcij", _NOUN_A, "investīcija", ()),
    ("tehnisk", _ADJ, "tehnisks", ()),
    ("valūt", _NOUN_A, "valūta", ()),
    ("gad", _NOUN_S, "gads", ()),
    ("iestād", _NOUN_E, "iestāde", ("iestāžu",)),
    ("priekšmet", _NOUN_S, "priekšmets", ()),
    ("stund", _NOUN_A, "stunda", ()),
    ("sav", _ADJ, "savs", ()),
)

# Verbs (irregular enough to list): only forms simplemma misses or gets wrong, plus the
# infinitives for clarity.
_VERB_FORMS: dict[str, str] = {
    **dict.fromkeys(
        ("izglītot", "izglīto", "izglītoju", "izglītoja", "izglītos", "izglītojot",
         "izglītots", "izglītoti", "izglītota", "izglītotas"),
        "izglītot",
    ),
    **dict.fromkeys(
        ("izglītoties", "izglītojas", "izglītojos", "izglītojās", "izglītosies",
         "izglītojamies", "izglītojāmies", "izglītojoties"),
        "izglītoties",
    ),
    **dict.fromkeys(
        ("apmācīt", "apmāca", "apmācīja", "apmācīs", "apmācīti", "apmācīts", "apmācīta",
         "apmācītas", "apmācot"),
        "apmācīt",
    ),
    **dict.fromkeys(
        ("mācīties", "mācās", "mācījās", "mācīsies", "mācoties", "mācāmies", "mācījāmies",
         "mācījušies", "mācījusies", "mācījies"),
        "mācīties",
    ),
    **dict.fromkeys(("dalīties", "dalās", "dalījās", "dalīsies", "dalītos", "daloties"),
                    "dalīties"),
    **dict.fromkeys(("turpināt", "turpina", "turpināja", "turpinās", "turpinājusi",
                     "turpinājis", "turpinot"), "turpināt"),
}


def _build_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for stem, endings, lemma, extra in _PARADIGMS:
        for form in (*(stem + e for e in endings), *extra):
            forms.setdefault(form, lemma)
    forms.update(_VERB_FORMS)
    return forms


_FORMS: dict[str, str] = _build_forms()


@lru_cache(maxsize=1)
def _simplemma():
    import simplemma  # imported lazily: it costs ~0.1 s, its dictionary ~0.2 s on first use

    return simplemma


@lru_cache(maxsize=65536)
def _lemma(token: str) -> str:
    """Lowercase lemma of one token (cached: a news text repeats most of its words)."""
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
# A pattern is a tuple of lemma sets; "ignore" patterns carry the reason why they are ignored.
_P = frozenset


def _seq(*items: str | Iterable[str]) -> tuple[frozenset[str], ...]:
    return tuple(_P([i]) if isinstance(i, str) else _P(i) for i in items)


_TRAINING = [
    _seq("mācība"),
    _seq("mācība", "kurss"),
    _seq("mācība", "vizīte"),
    _seq("mācība", "programma"),
    _seq("mācīties"),
    _seq("apmācība"),
    _seq("apmācība", "kurss"),
    _seq("apmācīt"),
    _seq("kurss"),
    _seq("profesionāls", "attīstība", "kurss"),
    _seq("seminārs"),
    _seq("vebinārs"),
    _seq("supervīzija"),
    _seq("supervizors"),
    _seq("vasara", "skola"),
    _seq("pieredze", "apmaiņa"),
    _seq("apmaiņa", "brauciens"),
    _seq("pieredze", "apmaiņa", "brauciens"),
    _seq("profesionāls", "kompetence", "pilnveide"),
    _seq("kompetence", "pilnveide"),
    _seq("profesionāls", "pilnveide"),
    _seq("kvalifikācija", ("celšana", "paaugstināšana")),
    _seq("izglītot"),
    _seq("izglītoties"),
    _seq("izglītošana"),
    _seq("tālākizglītība"),
    _seq("konference"),
    _seq("metodika", "aprobēšana"),
    _seq("labs", "prakse"),
    _seq("dalīties", "pieredze"),
]
_TRAINING_IGNORE = [
    (_seq("turpināt", ("mācība", "mācīties")), "personal studies"),
    (_seq("turpināt", "savs", "mācība"), "personal studies"),
    (_seq("mācība", ("gads", "iestāde", "priekšmets", "līdzeklis", "stunda")),
     "school vocabulary"),
    (_seq("valūta", "kurss"), "exchange rate"),
]
_PROJECT = [_seq("projekts"), _seq("pilotprojekts")]
_PROJECT_IGNORE = [
    (_seq(("lēmums", "noteikums", "nolikums", "likums", "budžets", "līgums", "grozījums",
           "plāns", "stratēģija"), "projekts"), "draft document, not a project"),
    (_seq("tehnisks", "projekts"), "technical design, not a project"),
    (_seq("attīstība", "programma", "projekts"), "draft document, not a project"),
    (_seq("investīcija", "un", "projekts", "plāns"), "investment plan, not a project"),
]
_SOCIAL_HEADS = ("dienests", "darbinieks", "darbs", "pakalpojums", "aprūpe", "palīdzība",
                 "rehabilitācija", "risks")
_SOCIAL = [
    _seq("sociāls", _SOCIAL_HEADS),
    _seq("labklājība", ("ministrija", "departaments", "pārvalde")),
]
_SOCIAL_IGNORE = [
    (_seq("sociāls", ("projekts", "tīkls", "kampaņa")), "not social-service context"),
]

# sentence-final abbreviations that do not end a sentence
_ABBREVIATIONS = frozenset(
    "nr g gs plkst piem pag nov tel utt t.i sk t.sk izm resp pers st dz prof doc mg".split()
)

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
        """Yield (kind, surface, why) per match; why is None for a real hit."""
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
                    yield kind, text[spans[i][0]:spans[i + length - 1][1]], why


_MATCHER = _Matcher({
    "training": (_TRAINING, _TRAINING_IGNORE),
    "project": (_PROJECT, _PROJECT_IGNORE),
    "social": (_SOCIAL, _SOCIAL_IGNORE),
})

# --------------------------------------------------------------------------------------------
# Programmes and project ids
# --------------------------------------------------------------------------------------------
_I = re.IGNORECASE
_ERASMUS_ID = r"20\d{2}-\d-[A-Z]{2}\d{2}-KA\d{3}(?:-[A-Z]{2,5})?-\d{5,9}"
_DASH = r"\s*[-–—‑]\s*"
# (programme, keys, pattern): the pattern runs only when one of its keys occurs in the lowercased
# text -- a substring test is ~100x cheaper than a regex scan of a 5 KB article.
_PROGRAMME_SCAN: list[tuple[str, tuple[str, ...], re.Pattern[str]]] = [
    ("ESF+", ("esf",), re.compile(r"\bESF\s?\+")),
    ("ESF+", ("plus",), re.compile(r"\bEiropas\s+Sociāl\w*\s+fond\w*\s+Plus\b", _I)),
    ("ESF", ("esf",), re.compile(r"\bESF\b(?!\s*\+)")),
    ("ESF", ("fond",), re.compile(r"\bEiropas\s+Sociāl\w*\s+fond\w*\b(?!\s*\+|\s+Plus\b)", _I)),
    ("ERAF", ("eraf",), re.compile(r"\bERAF\b")),
    ("ERAF", ("fond",), re.compile(r"\bEiropas\s+Reģionāl\w*\s+attīstības\s+fond\w*", _I)),
    ("Erasmus+", ("erasmus",), re.compile(r"\bErasmus\s*\+")),
    ("Erasmus+", ("erasmus",), re.compile(r"\bErasmus\s+plus\b", _I)),
    ("Erasmus+", ("-ka",), re.compile(r"\b" + _ERASMUS_ID + r"\b")),  # a project number implies it
    ("Interreg Latvia–Lithuania", ("interreg",),
     re.compile(r"\bInterreg\b[^.\n]{0,30}?\bLatvij\w*" + _DASH + r"Lietuv\w*", _I)),
    ("Interreg Latvia–Lithuania", ("lietuv",),
     re.compile(r"\bLatvij(?:as|a)" + _DASH + r"Lietuv(?:as|a)\b(?!" + _DASH + r"Baltkriev)")),
    ("Interreg Latvia–Lithuania", ("pārrobežu",),
     re.compile(r"\bLatvijas\s+un\s+Lietuvas\s+pārrobežu\s+sadarbības\s+programm\w*", _I)),
    ("Interreg Latvia–Lithuania", ("lithuania",),
     re.compile(r"\bLatvia" + _DASH + r"Lithuania\b(?!" + _DASH + r"Belarus)")),
    ("Interreg Latvia–Lithuania", ("latlit",), re.compile(r"\bLATLIT\b", _I)),
    ("Interreg Latvia–Lithuania", ("lli",), re.compile(r"\bLLIV?-\d{1,4}\b")),
    ("ENI", ("eni",), re.compile(r"\bENI\b")),
    ("Daphne III", ("daphne",), re.compile(r"\bDaphne\s+(?:III|3)\b")),
    ("EEA and Norway Grants", ("norvēģ",),
     re.compile(r"\b(?:EEZ\s+un\s+)?Norvēģijas\s+finanšu\s+instrument\w*", _I)),
    ("EEA and Norway Grants", ("grant",), re.compile(r"\b(?:Norvēģijas|EEZ)\s+grant\w*", _I)),
    ("EEA and Norway Grants", ("grants",), re.compile(r"\bEEA\s+and\s+Norway\s+Grants\b", _I)),
]


def _find_programmes(text: str) -> list[tuple[str, str]]:
    """(programme, surface) in text order; overlapping matches keep the earliest, then longest."""
    low = text.lower()
    found = []
    for name, keys, rx in _PROGRAMME_SCAN:
        if not any(k in low for k in keys):
            continue
        for m in rx.finditer(text):
            found.append((m.start(), -(m.end() - m.start()), name, m.group(0)))
    found.sort()
    kept: list[tuple[str, str]] = []
    last_end = -1
    for start, neg_len, name, surface in found:
        if start < last_end:
            continue
        last_end = start - neg_len
        kept.append((name, surface))
    return kept


_PROJECT_ID_RE = re.compile(
    r"(?<![\w/])(?<!\d\.)(?:"
    # ESF/ERAF/ESF+ style: 9.2.1.1/15/I/001, 4.3.5.4/1/24/I/001, 1DP/1.4.1.2.4/09/IPIA/NVA/001
    r"(?:\d{4}/\d{4}/)?(?:\d[A-Z]{2,3}/)?\d{1,2}(?:\.\d{1,2}){1,5}(?:/\d{1,2})?/\d{2}"
    r"/[A-Z]{1,5}(?:/[A-Z]{2,6})?/\d{2,4}"
    # Erasmus+: 2023-1-LV01-KA210-ADU-000164014
    r"|" + _ERASMUS_ID +
    # Interreg Latvia–Lithuania codes: LLI-317 (2014–2020), LLIV-215 (2007–2013)
    r"|LLIV?-\d{1,4}"
    r")(?![\w/])"
)


def _find_project_ids(text: str) -> list[str]:
    ids: list[str] = []
    for m in _PROJECT_ID_RE.finditer(text):
        pid = m.group(0).rstrip(".,;:)")
        if pid not in ids:
            ids.append(pid)
    return ids


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------
def _sentences(line: str) -> list[str]:
    out = []
    start = 0
    for m in _SENT_END_RE.finditer(line):
        before = _LAST_WORD_RE.search(line, max(start, m.start() - 24), m.start())
        word = before.group(1).lower() if before else ""
        if len(word) == 1 or word in _ABBREVIATIONS:
            continue
        out.append(line[start:m.end()].rstrip())
        start = m.end()
    out.append(line[start:])
    return [s for s in out if s.strip()]


def _units(title: str, body: str) -> list[str]:
    units = [title.strip()]  # unit 0 is the title (may be empty)
    for line in (body or "").splitlines():
        if line.strip():
            units.extend(_sentences(line))
    return units


# --------------------------------------------------------------------------------------------
# classify
# --------------------------------------------------------------------------------------------
def _quote(forms: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"'{f}'" for f in forms[:limit])
    return shown + (", …" if len(forms) > limit else "")


def _where(in_title: bool, body_count: int) -> str:
    parts = (["title"] if in_title else []) + ([f"body ×{body_count}"] if body_count else [])
    return ", ".join(parts)


def _dedup(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def classify(title: str, body: str) -> Classification:
    """Classify one article (see the module docstring for the rules)."""
    title, body = _nfc(title or ""), _nfc(body or "")
    units = _units(title, body)
    kinds = ("training", "project", "social")
    surfaces: dict[str, list[str]] = {k: [] for k in kinds}
    ignored: list[tuple[str, str]] = []
    # per kind: set of unit indexes with a real hit
    hit_units: dict[str, set[int]] = {k: set() for k in kinds}

    for idx, unit in enumerate(units):
        if not unit:
            continue
        tokens = list(_TOKEN_RE.finditer(unit))
        spans = [m.span() for m in tokens]
        lemmas = [_lemma(m.group()) for m in tokens]
        for kind, surface, why in _MATCHER.scan(unit, spans, lemmas):
            if why is None:
                surfaces[kind].append(surface)
                hit_units[kind].add(idx)
            else:
                ignored.append((surface, why))

    reasons: list[str] = []
    topics: list[str] = []
    for kind in TOPICS:
        if not hit_units[kind]:
            continue
        in_title = 0 in hit_units[kind]
        body_count = len(hit_units[kind] - {0})
        where = _where(in_title, body_count)
        forms = _dedup(surfaces[kind])
        if in_title or body_count >= 2:
            topics.append(kind)
            reasons.append(f"{kind}: {_quote(forms)} ({where})")
        else:
            reasons.append(f"{kind}: {_quote(forms)} ({where}) — too weak, not counted")

    social = bool(hit_units["social"])
    if social:
        where = _where(0 in hit_units["social"], len(hit_units["social"] - {0}))
        reasons.append(f"social: {_quote(_dedup(surfaces['social']))} ({where})")
    else:
        reasons.append("not social: no social-service term")

    for surface, why in _dedup_pairs(ignored):
        reasons.append(f"ignored: '{surface}' ({why})")

    full_text = title + "\n" + body
    prog_hits = _find_programmes(full_text)
    programmes = [p for p in PROGRAMMES if any(name == p for name, _ in prog_hits)]
    project_ids = _find_project_ids(full_text)
    if programmes:
        reasons.append("programmes: " + ", ".join(
            f"{p} ({_quote(_dedup(s for n, s in prog_hits if n == p))})" for p in programmes))
    if project_ids:
        reasons.append("project ids: " + ", ".join(project_ids))

    together = [
        idx for idx in hit_units["social"]
        if any(idx in hit_units[t] for t in topics)
    ]
    relevant = social and bool(topics) and bool(together)
    if relevant:
        first = min(together)
        place = "title" if first == 0 else "a body sentence"
        reasons.append(
            f"relevant: {'+'.join(topics)} with social-service context "
            f"(together in {place}; {len(together)} unit(s))"
        )
    elif not social:
        reasons.append("not relevant: no social-service context")
    elif not topics:
        reasons.append("not relevant: no training or project with enough weight")
    else:
        reasons.append("not relevant: topic and social-service terms never in the same sentence")

    evidence = {
        "training": _dedup(surfaces["training"]),
        "project": _dedup(surfaces["project"]),
        "social": _dedup(surfaces["social"]),
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


def _nfc(text: str) -> str:
    # Pages may carry decomposed letters ('a' + U+0304); \w and the lexicon need composed ones.
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _dedup_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for p in pairs:
        if p not in out:
            out.append(p)
    return out
