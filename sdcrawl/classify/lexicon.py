"""The words the classifier knows: lemma paradigms, terms, programmes and project numbers.

Data only (plus the small builders that expand it); the rules that use it are in ``rules.py``.
Every term is a sequence of lemmas; see ``sdcrawl/classify/__init__.py`` for how they weigh.

Why a lexicon of our own: simplemma 2.0's Latvian dictionary lacks many inflected forms of
exactly the words this classifier depends on and returns them unchanged (or wrongly), e.g.
  seminārā, semināru, semināri -> unchanged      supervīziju, supervīzijā(s) -> unchanged
  vizīti, vizītē, vizīšu -> unchanged             pilnveidē, pilnveides -> unchanged
  konferenču, kompetenču, aprūpju -> unchanged    profesionālā, profesionālajā -> unchanged
  sociālajās -> "sociālais"                       darbinieces -> "darbiniece" (but darbiniece
  metodikas -> unchanged, metodika -> "metode"    -> "darbinieks")
  aprūpētāji, asistenta, invaliditāti, kompetenci, metodiskajā, pilnveido -> unchanged,
  cēla -> "cēls", balstītu -> "balstīt", and the typo "Māčibu" of "Mācību".
For these words (and the few needed by the exclusions) the regular paradigms are generated
below and looked up BEFORE simplemma; simplemma handles every other word.
"""

from __future__ import annotations

import re
from typing import Iterable

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

# --------------------------------------------------------------------------------------------
# Paradigms
# --------------------------------------------------------------------------------------------
_NOUN_S = ("s", "a", "am", "u", "ā", "i", "iem", "us", "os")  # 1st declension: projekt-s
_NOUN_IS = ("is", "a", "im", "i", "ī", "i", "u", "iem", "us", "os")  # 2nd (regular stems)
_NOUN_JS = ("s", "a", "am", "u", "ā", "i", "iem", "us", "os")  # aprūpētāj-s
_NOUN_A = ("a", "as", "ai", "u", "ā", "ām", "ās")  # 4th declension: mācīb-a
_NOUN_E = ("e", "es", "ei", "i", "ē", "ēm", "ēs")  # 5th declension: konferenc-e (+ gen. pl.)
_ADJ = (  # indefinite and definite adjective endings, both genders
    "s", "a", "am", "u", "ā", "i", "iem", "us", "os", "as", "ai", "ām", "ās",
    "ais", "ajam", "o", "ajā", "ie", "ajiem", "ajos", "ajai", "ajām", "ajās",
)

# stem, endings, lemma, irregular extra forms
PARADIGMS: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
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
    ("metodisk", _ADJ, "metodisks", ()),
    ("informatīv", _ADJ, "informatīvs", ()),
    ("sanāksm", _NOUN_E, "sanāksme", ("sanāksmju",)),
    ("mobilitāt", _NOUN_E, "mobilitāte", ("mobilitāšu",)),
    ("ēnošan", _NOUN_A, "ēnošana", ()),
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
    ("centr", _NOUN_S, "centrs", ()),
    ("dien", _NOUN_A, "diena", ()),
    ("krīz", _NOUN_E, "krīze", ("krīžu",)),
    ("grup", _NOUN_A, "grupa", ()),
    ("māj", _NOUN_A, "māja", ()),
    ("dzīvokl", ("is", "im", "i", "ī"), "dzīvoklis", ("dzīvokļa", "dzīvokļi", "dzīvokļu",
                                                        "dzīvokļiem", "dzīvokļus", "dzīvokļos")),
    ("traucējum", _NOUN_S, "traucējums", ()),
    ("rakstur", _NOUN_S, "raksturs", ()),
    ("garīg", _ADJ, "garīgs", ()),
    ("funkcionāl", _ADJ, "funkcionāls", ()),
    ("psihisk", _ADJ, "psihisks", ()),
    ("veselīb", _NOUN_A, "veselība", ()),
    ("invaliditāt", _NOUN_E, "invaliditāte", ("invaliditāšu",)),
    ("iekļaušan", _NOUN_A, "iekļaušana", ()),
    ("integrācij", _NOUN_A, "integrācija", ()),
    ("atstumtīb", _NOUN_A, "atstumtība", ()),
    ("asistent", _NOUN_S, "asistents", ()),
    ("asistent", _NOUN_E, "asistents", ()),  # asistente -> one lemma
    ("ģimen", _NOUN_E, "ģimene", ("ģimeņu",)),
    ("atbalst", _NOUN_S, "atbalsts", ()),
    ("person", _NOUN_A, "persona", ()),
    ("sabiedrīb", _NOUN_A, "sabiedrība", ()),
    ("kopien", _NOUN_A, "kopiena", ()),
    ("balstīt", _ADJ, "balstīts", ()),
    ("deinstitucionalizācij", _NOUN_A, "deinstitucionalizācija", ()),
    ("bāriņties", _NOUN_A, "bāriņtiesa", ()),
    ("aprūpētāj", _NOUN_JS + _NOUN_A, "aprūpētājs", ()),  # aprūpētājs / aprūpētāja
    ("rehabilitētāj", _NOUN_JS + _NOUN_A, "rehabilitētājs", ()),
    ("mentor", _NOUN_S, "mentors", ()),
    ("mentor", _NOUN_E, "mentors", ()),
    ("atelp", _NOUN_A, "atelpa", ()),
    ("brīd", ("is", "im", "i", "ī"), "brīdis", ("brīža", "brīži", "brīžu", "brīžiem")),
    ("darbnīc", _NOUN_A, "darbnīca", ()),
    ("specializēt", _ADJ, "specializēts", ()),
    ("patversm", _NOUN_E, "patversme", ("patversmju",)),
    ("naktspatversm", _NOUN_E, "naktspatversme", ("naktspatversmju",)),
    ("ārpusģimen", _NOUN_E, "ārpusģimene", ()),
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
    ("koncepcij", _NOUN_A, "koncepcija", ()),
    ("ziņojum", _NOUN_S, "ziņojums", ()),
    ("rīkojum", _NOUN_S, "rīkojums", ()),
    ("akt", _NOUN_S, "akts", ()),
    ("saistoš", _ADJ, "saistošs", ()),
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
VERB_FORMS: dict[str, str] = {
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
    **dict.fromkeys(("pilnveidot", "pilnveido", "pilnveidoja", "pilnveidos", "pilnveidojot",
                     "pilnveidojuši", "pilnveidojusi", "pilnveidojām", "pilnveidojam"),
                    "pilnveidot"),
    **dict.fromkeys(("celt", "ceļ", "cēla", "cels", "ceļot", "cēluši", "cēlusi", "cēlām"),
                    "celt"),
    **dict.fromkeys(("apmainīties", "apmainās", "apmainījās", "apmainīsies", "apmainoties",
                     "apmainījāmies", "apmaināmies"), "apmainīties"),
    **dict.fromkeys(("ēnot", "ēno", "ēnoja", "ēnos", "ēnojot", "ēnojām", "ēnojuši", "ēnojusi"),
                    "ēnot"),
    **dict.fromkeys(("apgūt", "apgūst", "apguva", "apgūs", "apguvuši", "apguvusi", "apgūstot",
                     "apgūstam", "apguvām", "apgūsim"), "apgūt"),
    "ar": "ar",
    "un": "un",
}


def build_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for stem, endings, lemma, extra in PARADIGMS:
        for form in (*(stem + e for e in endings), *extra):
            forms.setdefault(form, lemma)
    forms.update(VERB_FORMS)
    return forms


# --------------------------------------------------------------------------------------------
# Terms
# --------------------------------------------------------------------------------------------
# A pattern is a tuple of lemma sets; "ignore" patterns carry the reason why they are ignored.
_P = frozenset


def seq(*items: str | Iterable[str]) -> tuple[frozenset[str], ...]:
    return tuple(_P([i]) if isinstance(i, str) else _P(i) for i in items)


TRAINING = [
    seq("mācība"),
    seq("mācība", "kurss"),
    seq("mācība", "vizīte"),
    seq("mācība", "programma"),
    seq("mācīties"),
    seq("apmācība"),
    seq("apmācība", "kurss"),
    seq("apmācīt"),
    seq("kurss"),
    seq("profesionāls", "attīstība", "kurss"),
    seq("seminārs"),
    seq("vebinārs"),
    seq("supervīzija"),
    seq("supervizors"),
    seq("vasara", "skola"),
    seq("pieredze", "apmaiņa"),
    seq("apmaiņa", "brauciens"),
    seq("pieredze", "apmaiņa", "brauciens"),
    seq("profesionāls", "kompetence", "pilnveide"),
    seq("kompetence", "pilnveide"),
    seq("profesionāls", "pilnveide"),
    seq("kvalifikācija", ("celšana", "paaugstināšana")),
    seq("izglītot"),
    seq("izglītoties"),
    seq("izglītošana"),
    seq("tālākizglītība"),
    seq("konference"),
    seq("metodika", "aprobēšana"),
    seq("labs", "prakse"),
    seq("dalīties", "pieredze"),
    # added for issue 14 (real pages name them and the old lexicon missed them)
    seq("metodisks", "sanāksme"),
    seq("metodisks", "informatīvs", "sanāksme"),
    seq("pilnveidot", "kompetence"),
    seq("pilnveidot", ("savs", "profesionāls"), "kompetence"),
    seq("celt", "kvalifikācija"),
    seq("apmainīties", "ar", "pieredze"),
    seq("mobilitāte"),
    seq("ēnošana"),  # job shadowing, the usual staff mobility of Erasmus+
    seq("ēnot"),
]
# Training terms with no biographical or client sense: one sentence with one of them counts
# in an article whose title is about the social service (or in a sentence that names it).
TRAINING_UNAMBIGUOUS = frozenset({
    "supervīzija", "supervizors", "pieredze apmaiņa", "apmaiņa brauciens",
    "pieredze apmaiņa brauciens", "mācība vizīte", "vasara skola", "metodisks sanāksme",
    "metodisks informatīvs sanāksme", "profesionāls kompetence pilnveide",
    "kompetence pilnveide", "tālākizglītība", "ēnošana", "ēnot",
})
# Terms that would weigh only in a title (none at present: "apgūt" was tried and bought
# nothing the other terms did not already find).
TRAINING_TITLE_ONLY: list = []
TRAINING_IGNORE = [
    (seq("turpināt", ("mācība", "mācīties")), "personal studies"),
    (seq("turpināt", "savs", "mācība"), "personal studies"),
    (seq("mācība", ("gads", "iestāde", "priekšmets", "līdzeklis", "stunda")),
     "school vocabulary"),
    (seq("valūta", "kurss"), "exchange rate"),
]
PROJECT = [seq("projekts"), seq("pilotprojekts")]
_DRAFT_HEADS = ("lēmums", "noteikums", "nolikums", "likums", "budžets", "līgums", "grozījums",
                "plāns", "stratēģija", "koncepcija", "ziņojums", "rīkojums", "akts")
DRAFT_WHY = "draft document, not a project"
PROJECT_IGNORE = [
    (seq(_DRAFT_HEADS, "projekts"), DRAFT_WHY),
    (seq("projekts", ("saistošs", "noteikums", "lēmums", "likums", "nolikums")), DRAFT_WHY),
    (seq("tehnisks", "projekts"), "technical design, not a project"),
    (seq("attīstība", "programma", "projekts"), DRAFT_WHY),
    (seq("investīcija", "un", "projekts", "plāns"), "investment plan, not a project"),
]
SOCIAL_HEADS = ("dienests", "darbinieks", "darbs", "pakalpojums", "aprūpe", "palīdzība",
                "rehabilitācija", "risks",
                # added for issue 14
                "iekļaušana", "integrācija", "atstumtība", "aprūpētājs", "rehabilitētājs",
                "mentors")
_DISORDER = seq(("garīgs", "psihisks"), ("raksturs", "attīstība", "veselība"), "traucējums")
SOCIAL = [
    seq("sociāls", SOCIAL_HEADS),
    seq("labklājība", ("ministrija", "departaments", "pārvalde")),
    # issue 14: the services and people of social care that do not say "sociāls"
    seq("diena", "aprūpe", "centrs"),
    seq("diena", "centrs"),
    seq("krīze", "centrs"),
    seq("grupa", ("dzīvoklis", "māja")),
    _DISORDER,
    seq(("funkcionāls", "psihisks"), "traucējums"),
    seq("ģimene", "asistents"),
    seq("atbalsts", "persona"),
    seq(("sabiedrība", "kopiena"), "balstīts"),
    seq("deinstitucionalizācija"),
    seq("aprūpe", "māja"),  # aprūpe mājās, aprūpes mājās pakalpojums
    seq("atelpa", "brīdis"),
    seq("specializēts", "darbnīca"),
    seq(("patversme", "naktspatversme")),
]
# Weak social terms: they place the social context in a sentence only in an article that has
# a (strong) social term somewhere; alone they do not make an article social (an orphan's
# court seminar, a transport benefit for persons with disability).
SOCIAL_WEAK = [
    seq("aprūpētājs"),  # also a private carer; "sociālais aprūpētājs" is a strong term
    seq("bāriņtiesa"),
    seq("invaliditāte"),
    seq("ārpusģimene", "aprūpe"),
]
SOCIAL_IGNORE = [
    (seq("sociāls", ("projekts", "tīkls", "kampaņa")), "not social-service context"),
]

# --------------------------------------------------------------------------------------------
# Senses of "projekts" and infrastructure: stems looked up on lowercased tokens
# --------------------------------------------------------------------------------------------
# A sentence with one of these is about a draft (to discuss, to adopt, to comment on); a bare
# "projekts" in it is that draft.  The weak ones only in an article that names a draft document
# (deputies and committees also debate funded projects).
DRAFT_CUES = ("apspried", "apspriešan", "paskaidrojuma", "lēmumprojekt", "likumprojekt",
              "saskaņošan", "lasījum", "saistoš")
DRAFT_CUES_WEAK = ("priekšlikum", "atzinum", "deputāt", "komitej", "viedokl")
# A sentence of a biography: its training words are personal studies, not a training.
BIOGRAPHY_CUES = ("vidusskol", "maģistr", "bakalaur", "grādu", "grāds", "dzimusi", "dzimis",
                  "absolvē", "diplom")
# Building works.  A sentence with three of them and list punctuation lists works; a sentence
# with two is about a building, not about a service.
INFRA_STEMS = ("pārbūv", "būvdarb", "būvniec", "izbūv", "remont", "izremont", "renovā",
               "siltin", "nosiltin", "energoefektiv", "apgaismoj", "autoceļ", "ceļu", "ceļa",
               "ietve", "ietvju", "stāvlaukum", "jumt", "fasād", "ūdensvad", "ūdenssaimniec",
               "kanalizāc", "labiekārt", "asfalt", "segum", "veloceliņ", "ēka", "ēkas", "ēkā",
               "ēku", "atjaunot", "atjaunoš", "sporta hall", "saules panel")
# Funding named without the word "projekts" (an ESF measure, an operational programme, a
# specific support objective, EU funds).  Programmes and project numbers (below) count the same
# way.  Deinstitutionalisation counts only beside a programme (below): alone it is as often a
# policy debate as a project.
FUNDING_RE = re.compile(
    r"\bdarbības\s+programm\w*"
    r"|\bspecifisk\w*\s+atbalsta\s+mērķ\w*|\bSAM\b"
    r"|\b\d+(?:\.\d+){2,}\.?\s+pasākum\w*"
    r"|\b(?:ESF\+?|ERAF|Eiropas\s+Sociālā\s+fonda(?:\s+Plus)?)\s+pasākum\w*"
    r"|\b(?:ES|Eiropas\s+Savienības)\s+(?:struktūr)?fond\w*"
    r"|\bEiropas\s+Savienības\s+finans\w*"
    r"|\bdeinstitucionalizācijas\s+plān\w*\s+īstenošan\w*",
    re.IGNORECASE,
)
FUNDING_KEYS = ("programm", "atbalsta", "sam", "pasākum", "fond", "finans", "deinstitucion")
# Funding named so precisely that one sentence makes a project article: an operational
# programme, a specific support objective, a numbered measure, a project number -- or a
# programme together with its measure or with deinstitutionalisation.
STRONG_FUNDING_RE = re.compile(
    r"\bdarbības\s+programm|\bspecifisk\w*\s+atbalsta\s+mērķ|\bSAM\b"
    r"|\b\d+(?:\.\d+){2,}\.?\s+pasākum",
    re.IGNORECASE,
)
PROGRAMME_MEASURE_RE = re.compile(r"\bpasākum|\bdeinstitucionalizācij", re.IGNORECASE)
# Headings that name a section, not a subject ("Sociālā dienesta jaunumi").
GENERIC_TITLE_RE = re.compile(r"\b(?:jaunumi|aktualitātes|ziņas|informācija|paziņojums)\b",
                              re.IGNORECASE)

# --------------------------------------------------------------------------------------------
# Programmes and project ids
# --------------------------------------------------------------------------------------------
_I = re.IGNORECASE
_ERASMUS_ID = r"20\d{2}-\d-[A-Z]{2}\d{2}-KA\d{3}(?:-[A-Z]{2,5})?-\d{5,9}"
_DASH = r"\s*[-–—‑]\s*"
# (programme, keys, pattern): the pattern runs only when one of its keys occurs in the lowercased
# text -- a substring test is ~100x cheaper than a regex scan of a 5 KB article.
PROGRAMME_SCAN: list[tuple[str, tuple[str, ...], re.Pattern[str]]] = [
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

PROJECT_ID_RE = re.compile(
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

# sentence-final abbreviations that do not end a sentence
ABBREVIATIONS = frozenset(
    "nr g gs plkst piem pag nov tel utt t.i sk t.sk izm resp pers st dz prof doc mg".split()
)
