"""Latvian dates: parse one date string, find dates and periods in running text.

INTERFACE (implemented by the dates work; do not change signatures without updating callers):

    parse_date(text: str, *, default_year: int | None = None) -> datetime.date | None
        One date as a page shows it: '06/12/2012', '22.04.2013 0', '02.01.2024',
        'Publicēts 26.03.2019', 'Publicēts:\n31.05.2019 - 14:30', '09.11.2021.', '31-03-2017',
        '16.06.2017 13:28', '26.Apr, 2019', '| 11.06.2019', '2019-05-16', '2019-05-16T10:00:00+03:00',
        '2012. gada 1. februārī', '2012.gada 1.februārī', 'Šī gada 18. aprīlī' (needs default_year).
        Returns None when the string holds no unambiguous date. Must not accept impossible dates.

    find_dates(text: str, *, default_year: int | None = None) -> list[DateMatch]
        Every date in running text, in order.

    find_periods(text: str, *, default_year: int | None = None) -> list[Period]
        Event or project periods in running text, in order, each as ISO strings
        ('YYYY-MM-DD', or 'YYYY-MM' where only a month is named); single dates give start == end;
        'līdz X' alone gives start None; 'no X' alone (or 'kopš X') gives end None.

    find_updated(text: str) -> datetime.date | None
        The last-changed date of a page footer: 'Lapas informācija atjaunota: 19.11.2020',
        'Pēdējās izmaiņas: 20.05.2022.', 'Pēdējās izmaiņas veiktas: 11.11.2020 07:06',
        'Pēdējo reizi informācija atjaunota 10.01.2023, 10:21'.  None when there is none.

    UPDATED_MARKER: re.Pattern  matching those footer labels (so callers can skip such dates).

Details of this implementation (all part of the contract callers may rely on):

- ``DateMatch(start, end, text, date, precision)``: ``text == source[start:end]``; ``precision`` is
  'day' or 'month' (a month-precision match has ``date`` = the first day of that month). A numeric
  date's span includes an attached time ('11.11.2020 07:06') and a trailing dot ('09.11.2021.').
  In a Latvian day list or range ('2019.gada 16. un 17.maijā') each day is its own match: the first
  spans from the year to its day number ('2019.gada 16.'), the last from its day number to the
  month word ('17.maijā').
- ``Period(start, end, text)`` with ``as_dict()``; ``text`` is the source text of the period,
  including a leading 'no'/'kopš'/'līdz'.
- parse_date returns a date only when the string holds exactly one distinct day-precision date
  (a range such as '01.03.2018 – 29.02.2020' is two dates, so None; a month alone is not a day).
- Years must be 1990..2100; two-digit years are never read.  'š.g.', 'šī gada', 'šā gada', 'šogad'
  mean default_year, 'pagājušā gada' default_year - 1, 'nākamā gada' default_year + 1.  A date with
  no year is completed from the other end of its range, else from default_year, else skipped.
- 'kopš X' gives a start-only period, also with up to three words between 'kopš' and the date
  ('Kopš projekta uzsākšanas 2012.gada 1.februārī' -> start 2012-02-01, end None).
- Day lists ('16. un 17. maijā') give one period when the days are consecutive, else one
  single-day period per day; the same for month lists ('augustā un septembrī').
- find_periods skips: the date right after an UPDATED_MARKER label; a non-Latvian-worded date
  standing alone on its line (a publication-date line such as '22.04.2013 0', '02.01.2024',
  '| 11.06.2019', 'Publicēts 26.03.2019'); bare month names without a year ('februārī').
- Abbreviated or English month names ('26.Apr, 2019', 'April 26, 2019') need a year in the text:
  '14 nov' in a Twitter widget is nobody's date.
"""

# Why not dateparser: dateparser 1.5 (languages ['lv'], DATE_ORDER 'DMY') returns None for every
# inflected Latvian form ('2012. gada 1. februārī', '2012.gada 1.februārī', 'Šī gada 18. aprīlī')
# and for the iecava date line '22.04.2013 0'; it also costs ~200 ms on its first call and 1-3 ms
# per call after that.  The formats these sites use are few and regular, so a small grammar of
# precompiled regular expressions parses all of them (numeric, ISO, abbreviated month names and
# Latvian inflected month names) in a few microseconds, with no surprises from a liberal parser.

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Literal
from sdcrawl.extract.dategrammar import (  # the grammar, kept apart
    _MASTER,
    _DAY_NUMBER,
    _DAY_RANGE_SEP,
    _MONTHS,
    _FOLD,
    _REL_YEARS,
    _FROM_RE,
    _SINCE_GAP_RE,
    _UNTIL_RE,
    _CONNECT_RE,
    _LINE_BEFORE_RE,
    _LINE_AFTER_RE,
    UPDATED_MARKER,
    _WINDOW,
)

__all__ = [
    "DateMatch",
    "Period",
    "UPDATED_MARKER",
    "find_dates",
    "find_periods",
    "find_updated",
    "parse_date",
]

Precision = Literal["day", "month"]

MIN_YEAR = 1990
MAX_YEAR = 2100


@dataclasses.dataclass(frozen=True)
class DateMatch:
    """One date found in text: ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    date: datetime.date
    precision: Precision


@dataclasses.dataclass(frozen=True)
class Period:
    """An event or project period: ISO 'YYYY-MM-DD' or 'YYYY-MM' strings; None for an open end."""

    start: str | None
    end: str | None
    text: str

    def as_dict(self) -> dict[str, str | None]:
        return {"start": self.start, "end": self.end, "text": self.text}



# --------------------------------------------------------------------------------------------
# Scanning: atoms (one regex match) -> groups (periods) -> resolved dates
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Item:
    """One date of an atom while its year is being resolved (private, never shared)."""

    start: int
    end: int
    year: int | None
    month: int
    day: int | None  # None: month precision
    value: datetime.date | None = None


@dataclasses.dataclass
class _Atom:
    start: int
    end: int
    form: str  # the regex alternative: iso, dot, part, slash, hyph, dmyw, lv, mdyw
    shape: str  # 'one', 'range' (first..last), 'list' (each item, or first..last if consecutive)
    items: list[_Item]


def _month_number(word: str) -> int:
    return _MONTHS[word.lower().translate(_FOLD)[:3]]


def _explicit_year(value: str) -> int | None:
    year = int(value)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _atom(m: re.Match[str], default_year: int | None) -> _Atom | None:
    """Turn one match of _MASTER into an atom; None when it cannot be a date."""
    kind = m.lastgroup
    s, e = m.span()
    if kind in ("iso", "dot", "slash", "hyph", "dmyw", "mdyw"):
        year = _explicit_year(m.group(kind + "_y"))
        if year is None:
            return None
        raw_month = m.group(kind + "_m")
        month = int(raw_month) if kind in ("iso", "dot", "slash", "hyph") else _month_number(raw_month)
        return _Atom(s, e, kind, "one", [_Item(s, e, year, month, int(m.group(kind + "_d")))])
    if kind == "part":
        return _Atom(s, e, kind, "one", [_Item(s, e, None, int(m.group("part_m")), int(m.group("part_d")))])
    # Latvian worded date: lvd (begins with a year or a day) or lvr (begins with 'šī gada' etc.).
    year: int | None = None
    if kind == "lvd" and m.group("lvd_y"):
        year = _explicit_year(m.group("lvd_y"))
        if year is None:
            return None
    elif kind == "lvr":
        if default_year is None:
            return None
        year = default_year + _REL_YEARS.get(m.group("lvr_rel")[:3].lower(), 0)
    days = m.group(kind + "_days")
    if days:
        month = _month_number(m.group(kind + "_m"))
        numbers = list(_DAY_NUMBER.finditer(days))
        base = m.start(kind + "_days")
        items = []
        for i, n in enumerate(numbers):
            i_start = s if i == 0 else base + n.start()
            i_end = e if i == len(numbers) - 1 else base + n.end() + 1  # include the ordinal dot
            items.append(_Item(i_start, i_end, year, month, int(n.group())))
        if len(items) == 1:
            shape = "one"
        else:
            shape = "range" if _DAY_RANGE_SEP.search(days) else "list"
        return _Atom(s, e, "lv", shape, items)
    if year is None:  # unreachable by the grammar: a month alone needs a year context
        return None
    m1 = _month_number(m.group(kind + "_m1"))
    if not m.group(kind + "_m2"):
        return _Atom(s, e, "lv", "one", [_Item(s, e, year, m1, None)])
    m2 = _month_number(m.group(kind + "_m2"))
    between = m.string[m.end(kind + "_m1"):m.start(kind + "_m2")]
    year2 = year + 1 if m2 < m1 else year  # 'decembra līdz februārim' crosses the new year
    items = [
        _Item(s, m.end(kind + "_m1"), year, m1, None),
        _Item(m.start(kind + "_m2"), e, year2, m2, None),
    ]
    return _Atom(s, e, "lv", "range" if _DAY_RANGE_SEP.search(between) else "list", items)


def _atoms(text: str, default_year: int | None) -> list[_Atom]:
    atoms = []
    for m in _MASTER.finditer(text):
        atom = _atom(m, default_year)
        if atom is not None:
            atoms.append(atom)
    return atoms


def _key(item: _Item) -> tuple[int, int]:
    return (item.month, item.day or 1)


def _resolve_pair(a: _Item, b: _Item, default_year: int | None) -> None:
    """Complete missing years of a range a..b from its other end, else from default_year."""
    if a.year is None and b.year is not None:
        a.year = b.year - 1 if _key(a) > _key(b) else b.year
    elif b.year is None:
        if a.year is None:
            if default_year is None:
                return
            a.year = default_year
        b.year = a.year + 1 if _key(b) < _key(a) else a.year


def _finish(items: list[_Item], default_year: int | None) -> bool:
    """Fill remaining years from default_year and build the dates; False if any is impossible."""
    ok = True
    for item in items:
        if item.year is None:
            item.year = default_year
        if item.year is None:
            ok = False
            continue
        try:
            item.value = datetime.date(item.year, item.month, item.day or 1)
        except ValueError:
            ok = False
    return ok


@dataclasses.dataclass
class _Group:
    start: int  # start of the period's text (including 'no', 'kopš', 'līdz')
    end: int
    kind: str  # 'range' (first..last), 'list', 'from', 'until', 'single'
    items: list[_Item]
    ok: bool
    skip: bool  # a publication-date line or a footer date: not a period


def _iso(item: _Item) -> str:
    assert item.value is not None
    if item.day is None:
        return item.value.strftime("%Y-%m")
    return item.value.isoformat()


def _footer_starts(text: str) -> set[int]:
    """Positions where a date directly after an UPDATED_MARKER label would start."""
    starts = set()
    for m in UPDATED_MARKER.finditer(text):
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
        starts.add(pos)
    return starts


def _is_date_line(text: str, atom: _Atom) -> bool:
    line_start = text.rfind("\n", 0, atom.start) + 1
    line_end = text.find("\n", atom.end)
    if line_end < 0:
        line_end = len(text)
    return bool(
        _LINE_BEFORE_RE.fullmatch(text, line_start, atom.start)
        and _LINE_AFTER_RE.fullmatch(text, atom.end, line_end)
    )


def _groups(text: str, default_year: int | None) -> list[_Group]:
    atoms = _atoms(text, default_year)
    footer = _footer_starts(text) if atoms else set()
    groups: list[_Group] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        window = text[max(0, a.start - _WINDOW):a.start]
        g_start = a.start
        prefix = None
        pm = _FROM_RE.search(window) or _SINCE_GAP_RE.search(window)
        if pm:
            prefix, g_start = "from", a.start - len(window) + pm.start()
        else:
            pm = _UNTIL_RE.search(window)
            if pm:
                prefix, g_start = "until", a.start - len(window) + pm.start()
        skip = a.start in footer
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if (
            a.shape == "one"
            and nxt is not None
            and nxt.shape == "one"
            and _CONNECT_RE.fullmatch(text, a.end, nxt.start)
        ):
            first, last = a.items[0], nxt.items[0]
            _resolve_pair(first, last, default_year)
            ok = _finish([first, last], default_year)
            start = g_start if prefix == "from" else a.start
            groups.append(_Group(start, nxt.end, "range", [first, last], ok, skip))
            i += 2
            continue
        if a.shape == "one":
            kind = prefix or "single"
            if kind == "single" and a.form != "lv" and _is_date_line(text, a):
                skip = True
        else:  # a day or month list/range carries its own start and end; keep a leading 'no'
            kind = a.shape
            if prefix != "from":
                g_start = a.start
        ok = _finish(a.items, default_year)
        groups.append(_Group(g_start, a.end, kind, a.items, ok, skip))
        i += 1
    return groups


def _consecutive(items: list[_Item]) -> bool:
    for x, y in zip(items, items[1:]):
        assert x.value is not None and y.value is not None
        if x.day is None or y.day is None:
            if x.day is not None or y.day is not None:
                return False
            if (y.value.year * 12 + y.value.month) - (x.value.year * 12 + x.value.month) != 1:
                return False
        elif (y.value - x.value).days != 1:
            return False
    return True


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def find_dates(text: str, *, default_year: int | None = None) -> list[DateMatch]:
    """Every date in ``text``, in order, with its span; impossible and year-less dates are left out."""
    out = []
    for g in _groups(text, default_year):
        for item in g.items:
            if item.value is not None:
                out.append(
                    DateMatch(
                        item.start,
                        item.end,
                        text[item.start:item.end],
                        item.value,
                        "month" if item.day is None else "day",
                    )
                )
    return out


def parse_date(text: str, *, default_year: int | None = None) -> datetime.date | None:
    """The one day-precision date ``text`` holds; None when it holds none or several."""
    found = {d.date for d in find_dates(text, default_year=default_year) if d.precision == "day"}
    return found.pop() if len(found) == 1 else None


def find_periods(text: str, *, default_year: int | None = None) -> list[Period]:
    """Event or project periods in ``text``, in order (see the module docstring for the rules)."""
    out = []
    for g in _groups(text, default_year):
        if g.skip or not g.ok:
            continue
        source = text[g.start:g.end]
        first, last = g.items[0], g.items[-1]
        if g.kind == "from":
            out.append(Period(_iso(first), None, source))
        elif g.kind == "until":
            out.append(Period(None, _iso(first), source))
        elif g.kind == "single":
            out.append(Period(_iso(first), _iso(first), source))
        elif g.kind == "range" or _consecutive(g.items):
            out.append(Period(_iso(first), _iso(last), source))
        else:  # a list of separate days or months
            out.extend(Period(_iso(item), _iso(item), source) for item in g.items)
    return out


def find_updated(text: str) -> datetime.date | None:
    """The date right after the last footer label (UPDATED_MARKER) that has one; else None."""
    found = None
    for m in UPDATED_MARKER.finditer(text):
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
        dm = _MASTER.match(text, pos)
        if dm is None:
            continue
        atom = _atom(dm, None)
        if atom is None or atom.shape != "one" or atom.items[0].day is None or atom.items[0].year is None:
            continue
        item = atom.items[0]
        try:
            found = datetime.date(item.year, item.month, item.day)
        except ValueError:
            continue
    return found
