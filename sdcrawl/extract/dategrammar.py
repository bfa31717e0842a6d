"""The Latvian (and English) date grammar of sdcrawl.extract.dates: the regular expressions for
numeric dates, inflected month names with `gada`, `š.g.`, and the words around ranges."""

from __future__ import annotations
import re


# --------------------------------------------------------------------------------------------
# Grammar
# --------------------------------------------------------------------------------------------

_L = r"[^\W\d_]"  # one letter (any script)
_NL_WS = r"[^\S\n]"  # whitespace other than a newline
_NOT_IN_NUMBER = r"(?<!\d)(?<!\d\.)"  # not the tail of a longer dotted number such as 4.3.5.4

# Latvian month stems (diacritics optional, for pages that lost them) with the case endings of
# their declension: -is/-a/-im/-i/-ī (janvāris ... decembris; aprīlis has the genitive aprīļa),
# -s/-a/-am/-u/-ā (marts, maijs, jūnijs, jūlijs, augusts).
_LV_STEMS = (
    r"janv[aā]r|febru[aā]r|mart|apr[iī][lļ]|maij|j[uū]nij|j[uū]lij|august|septembr|oktobr|novembr|decembr"
)
_LV_MONTH = rf"(?:{_LV_STEMS})(?:is|im|am|a|ā|i|ī|s|u)(?!{_L})"
# Nominative only: the form used in 'Svētdiena, 17. Decembris, 2017.' (day, month, year).
_LV_NOM = (
    rf"(?:(?:janv[aā]r|febru[aā]r|apr[iī]l|septembr|oktobr|novembr|decembr)is"
    rf"|(?:mart|maij|j[uū]nij|j[uū]lij|august)s)(?!{_L})"
)
_EN_MONTH = (
    rf"(?:january|february|march|april|may|june|july|august|september|october|november|december)(?!{_L})"
)
# 3-letter abbreviations, Latvian and English ('sept' too), with an optional dot.
_ABBR = rf"(?:jan|feb|mar|apr|mai|may|j[uū]n|j[uū]l|aug|sept?|okt|oct|nov|dec)(?!{_L})\.?"
_WORD_MONTH = rf"(?:{_LV_NOM}|{_EN_MONTH}|{_ABBR})"

_TIME = rf"(?:{_NL_WS}*(?:[-–—,]{_NL_WS}*)?\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?!\d))?"
_DAY = r"\d{1,2}\.(?!\d)"  # a Latvian ordinal day: '1.', '17.'
_GADA = rf"(?:gada(?!{_L})|g\.)"


def _lv_date(name: str, context: str, optional: bool) -> str:
    """A Latvian worded date: a year context, then days and a month, or one or two months.
    ``name`` prefixes the group names (lvd_, lvr_).  Where the context is optional, a month alone
    cannot match, because the pattern is only tried at a digit."""
    days = rf"{_DAY}(?:\s*(?:[-–—]|līdz)\s*{_DAY}|(?:\s*(?:,|un)\s*{_DAY})*)"
    return (
        rf"(?:{context}\s*){'?' if optional else ''}"
        rf"(?:(?P<{name}_days>{days})\s*(?P<{name}_m>{_LV_MONTH})"
        rf"|(?P<{name}_m1>{_LV_MONTH})(?:\s*(?:,|un|līdz|[-–—])\s*(?P<{name}_m2>{_LV_MONTH}))?)"
    )


_LV_FROM_DIGIT = _lv_date("lvd", rf"(?P<lvd_y>\d{{4}})\.?{_NL_WS}*{_GADA}", True)
_LV_FROM_WORD = _lv_date(
    "lvr",
    rf"(?P<lvr_rel>š\.{_NL_WS}?g\.|š[īā]\s+gada|šogad|pagājušā\s+gada|nākamā\s+gada)(?!{_L})",
    False,
)

# One pass over the text finds every date.  Forms that begin with a digit are only tried at a
# digit, forms that begin with a word only at the start of a word: this keeps a scan of a long
# article body fast, and means a bare month name ('februārī') is never matched.
_MASTER = re.compile(
    rf"""
    (?=\d)(?:
     (?P<iso>(?<![\d-])(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{2}})-(?P<iso_d>\d{{2}})
        (?:[T\ ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?(?![\d-]))
    |(?P<dot>{_NOT_IN_NUMBER}(?P<dot_d>\d{{1,2}})\.(?P<dot_m>\d{{1,2}})\.(?P<dot_y>\d{{4}})(?!\d)(?!\.\d)
        \.?{_TIME})
    |(?P<part>{_NOT_IN_NUMBER}(?P<part_d>\d{{1,2}})\.(?P<part_m>\d{{1,2}})\.
        (?=\s*(?:[-–—]|līdz)\s*\d{{1,2}}\.\d{{1,2}}\.\d{{4}}))
    |(?P<slash>(?<![\d/])(?<!\d\.)(?P<slash_d>\d{{1,2}})/(?P<slash_m>\d{{1,2}})/(?P<slash_y>\d{{4}})
        (?![\d/]){_TIME})
    |(?P<hyph>(?<![\d-])(?<!\d\.)(?P<hyph_d>\d{{1,2}})-(?P<hyph_m>\d{{1,2}})-(?P<hyph_y>\d{{4}})
        (?!\d)(?!-\d){_TIME})
    |(?P<dmyw>{_NOT_IN_NUMBER}(?P<dmyw_d>\d{{1,2}})(?!\d)\.?{_NL_WS}*(?P<dmyw_m>{_WORD_MONTH})
        {_NL_WS}*,?{_NL_WS}*(?P<dmyw_y>\d{{4}})(?!\d))
    |(?P<lvd>{_NOT_IN_NUMBER}{_LV_FROM_DIGIT})
    )
    |(?<!{_L})(?=[šŠpPnNjJfFmMaAsSoOdD])(?:
     (?P<lvr>{_LV_FROM_WORD})
    |(?P<mdyw>(?P<mdyw_m>{_EN_MONTH}|{_ABBR}){_NL_WS}+(?P<mdyw_d>\d{{1,2}})(?:st|nd|rd|th)?
        ,?{_NL_WS}+(?P<mdyw_y>\d{{4}})(?!\d))
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

_DAY_NUMBER = re.compile(r"\d{1,2}")
_DAY_RANGE_SEP = re.compile(r"[-–—]|līdz", re.IGNORECASE)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "mai": 5, "may": 5, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}
_FOLD = str.maketrans("āīūĀĪŪ", "aiuaiu")

_REL_YEARS = {"pag": -1, "nāk": 1}  # pagājušā gada, nākamā gada; all other forms: this year

# Words before a date that make it the start or the end of a period.
_FROM_RE = re.compile(r"(?<!\w)(?:no|kopš|sākot\s+(?:no|ar))\s*\Z", re.IGNORECASE)
_SINCE_GAP_RE = re.compile(rf"(?<!\w)kopš(?:\s+{_L}+){{1,3}}\s+\Z", re.IGNORECASE)
_UNTIL_RE = re.compile(r"(?<!\w)līdz(?:\s+pat)?\s*\Z", re.IGNORECASE)
_CONNECT_RE = re.compile(r"\s*(?:līdz(?:\s+pat)?|[-–—]{1,2})\s*", re.IGNORECASE)
# What may stand beside a date on a publication-date line.
_LINE_BEFORE_RE = re.compile(r"[^\S\n]*(?:(?:Publicēts|Publicēta|Datums):?|\|)?[^\S\n]*", re.IGNORECASE)
_LINE_AFTER_RE = re.compile(r"[^\S\n]*(?:\d+[^\S\n]*)?", re.IGNORECASE)

UPDATED_MARKER: re.Pattern[str] = re.compile(
    r"(?<!\w)(?:Lapas\s+informācija\s+atjaunota|Pēdējo\s+reizi\s+informācija\s+atjaunota"
    r"|Pēdējās\s+izmaiņas(?:\s+veiktas)?|Informācija\s+atjaunota)(?!\w)[^\S\n]*:?",
    re.IGNORECASE,
)

_WINDOW = 80  # characters before a date searched for 'no', 'kopš', 'līdz'
