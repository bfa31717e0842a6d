"""Table-driven tests of sdcrawl.extract.dates.

Sentences marked "seed" are copied verbatim from the reference texts in /work/shared/seeds/.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from sdcrawl.extract.dates import (
    UPDATED_MARKER,
    DateMatch,
    Period,
    find_dates,
    find_periods,
    find_updated,
    parse_date,
)

# --------------------------------------------------------------------------------------------
# parse_date: (text, default_year, expected)
# --------------------------------------------------------------------------------------------

PARSE_OK = [
    # date lines as the sites show them (sites.md, "Date formats seen on these sites")
    ("06/12/2012", None, date(2012, 12, 6)),  # stopini: day first
    ("26/03/2020", None, date(2020, 3, 26)),
    ("22.04.2013 0", None, date(2013, 4, 22)),  # iecava: date, then a counter
    ("02.01.2024", None, date(2024, 1, 2)),
    ("Publicēts 26.03.2019", None, date(2019, 3, 26)),
    ("Publicēts:\n31.05.2019 - 14:30", None, date(2019, 5, 31)),
    ("09.11.2021.", None, date(2021, 11, 9)),
    ("03.10.2018.", None, date(2018, 10, 3)),
    ("31-03-2017", None, date(2017, 3, 31)),
    ("16.06.2017 13:28", None, date(2017, 6, 16)),
    ("10.01.2023, 10:21", None, date(2023, 1, 10)),
    ("26.Apr, 2019", None, date(2019, 4, 26)),
    ("26 Apr 2019", None, date(2019, 4, 26)),
    ("5. okt. 2019", None, date(2019, 10, 5)),
    ("April 26, 2019", None, date(2019, 4, 26)),
    ("Svētdiena, 17. Decembris, 2017.", None, date(2017, 12, 17)),
    ("| 11.06.2019", None, date(2019, 6, 11)),
    ("2019-05-16", None, date(2019, 5, 16)),
    ("2019-05-16T10:00:00+03:00", None, date(2019, 5, 16)),
    ("2019-05-16T23:30:00Z", None, date(2019, 5, 16)),
    ("2019-05-16 10:00", None, date(2019, 5, 16)),
    ("  1.2.2019 ", None, date(2019, 2, 1)),
    ("29.02.2020", None, date(2020, 2, 29)),  # leap year
    # Latvian inflected forms
    ("2012. gada 1. februārī", None, date(2012, 2, 1)),
    ("2012.gada 1.februārī", None, date(2012, 2, 1)),
    ("2012.g. 1.februārī", None, date(2012, 2, 1)),
    ("2012. GADA 1. FEBRUĀRĪ", None, date(2012, 2, 1)),
    ("2013.gada 31.jūlijam", None, date(2013, 7, 31)),
    ("2012.gada 17.oktobra", None, date(2012, 10, 17)),
    ("2020. gada 1. marts", None, date(2020, 3, 1)),
    ("2019. gada 3. maija", None, date(2019, 5, 3)),
    ("2019. gada 3. maijam", None, date(2019, 5, 3)),
    ("2019. gada 3. augustā", None, date(2019, 8, 3)),
    ("2019. gada 3. februāris", None, date(2019, 2, 3)),
    ("2019. gada 3. februarim", None, date(2019, 2, 3)),  # diacritics lost
    ("Šī gada 18. aprīlī", 2019, date(2019, 4, 18)),
    ("šā gada 5. maijā", 2019, date(2019, 5, 5)),
    ("š.g. 28.novembrī", 2019, date(2019, 11, 28)),
    ("pagājušā gada 3. jūnijā", 2019, date(2018, 6, 3)),
    ("19.aprīlī", 2013, date(2013, 4, 19)),  # seed iecava: no year, default_year
    ("Lapas informācija atjaunota: 19.11.2020", None, date(2020, 11, 19)),
]

PARSE_NONE = [
    ("31.02.2019", None),  # impossible
    ("29.02.2019", None),  # not a leap year
    ("32.01.2019", None),
    ("15.13.2019", None),
    ("31/04/2019", None),
    ("2019-02-30", None),
    ("2019. gada 31. aprīlī", None),
    ("12.03.19", None),  # two-digit year
    ("12.03.1750", None),  # implausible year
    ("01.01.2101", None),
    ("1750 pārtikas pakas", 2012),  # seed stopini
    ("214 553 eiro (150 787,84 lati)", 2013),  # seed iecava
    ("programmas 2021.-2027. gadam", 2023),  # seed lm
    ("4.3.5.4.", 2023),  # seed lm: a measure number
    ("Nr.9.2.1.1/15/I/001", 2019),  # seed socd: a project number
    ("2023-1-LV01-KA210-ADU-000164014", 2024),  # seed rezeknesnovads
    ("programmas 2007 - 2013 ietvaros", 2013),  # seed iecava: years only
    ("14 nov", 2014),  # seed iecava: Twitter widget, nobody's date
    ("Šī gada 18. aprīlī", None),  # needs default_year
    ("19.aprīlī", None),
    ("2023. gada decembra", None),  # a month, not a day
    ("Projekta pirmās aktivitātes notiks jau februārī", 2024),  # seed rezeknesnovads
    ("01.03.2018 – 29.02.2020", None),  # two dates: not one date
    ("", None),
    ("Projekti", None),
]


@pytest.mark.parametrize(("text", "default_year", "expected"), PARSE_OK)
def test_parse_date(text: str, default_year: int | None, expected: date) -> None:
    assert parse_date(text, default_year=default_year) == expected


@pytest.mark.parametrize(("text", "default_year"), PARSE_NONE)
def test_parse_date_none(text: str, default_year: int | None) -> None:
    assert parse_date(text, default_year=default_year) is None


# --------------------------------------------------------------------------------------------
# find_periods: (text, default_year, [(start, end, text), ...])
# --------------------------------------------------------------------------------------------

PERIODS = [
    # seed stopini
    (
        "Divas sociālās darbinieces no 2012.gada 17.oktobra līdz 2013.gada 16. janvārim mācās centrā “Dardedze,”",
        2012,
        [("2012-10-17", "2013-01-16", "no 2012.gada 17.oktobra līdz 2013.gada 16. janvārim")],
    ),
    (
        "Sociālā dienesta darbiniece darbam ar ģimenēm un bērniem no 2011. gada septembra piedalās projektā",
        2012,
        [("2011-09", None, "no 2011. gada septembra")],
    ),
    (
        "Līdz 2012. gada decembrim ir izsniegtas 1750 pārtikas pakas. Arī 2013. gadā ir plānots piedalīties",
        2012,
        [(None, "2012-12", "Līdz 2012. gada decembrim")],
    ),
    (
        "Četri sociālie darbinieki šā gada vasarā piedalījās ESF projektā.",
        2012,
        [],
    ),
    # seed socd
    (
        "2019.gada 16. un 17.maijā pilotprojektā iesaistītie sociāla darba speciālisti piedalījās klātienes apmācībās",
        2019,
        [("2019-05-16", "2019-05-17", "2019.gada 16. un 17.maijā")],
    ),
    (
        "No16.05.2019. Dienesta Sociālo pakalpojumu nodaļas Sociālo pakalpojumu organizēšanas",
        2019,
        [("2019-05-16", None, "No16.05.2019.")],
    ),
    (
        "Pilotprojekts ilgst 6 mēnešus līdz 2019.gada 31.oktobrim.",
        2019,
        [(None, "2019-10-31", "līdz 2019.gada 31.oktobrim")],
    ),
    (
        "ESF projekta “Profesionāla sociālā darba attīstība pašvaldībās” Nr.9.2.1.1/15/I/001 ietvaros",
        2019,
        [],
    ),
    (
        "klātienes apmācībās vidēji 88 – 100 (iespējama 15% novirze) akadēmisko stundu apjomā",
        2019,
        [],
    ),
    # seed iecava
    (
        "Kopš projekta uzsākšanas 2012.gada 1.februārī, līdz šim projekta partneru Sociālo dienestu darbinieki",
        2013,
        [("2012-02-01", None, "Kopš projekta uzsākšanas 2012.gada 1.februārī")],
    ),
    ("kopš 2012.gada 1.februārī", 2013, [("2012-02-01", None, "kopš 2012.gada 1.februārī")]),
    (
        "19.aprīlī, Saulaines Sociālā centra telpās, Saulainē, Rundāles pagastā",
        2013,
        [("2013-04-19", "2013-04-19", "19.aprīlī")],
    ),
    ("19.aprīlī, Saulaines Sociālā centra telpās", None, []),
    (
        "Šā gada jūlijā projekta dalībnieku pieredzi apkopos",
        2013,
        [("2013-07", "2013-07", "Šā gada jūlijā")],
    ),
    (
        "Pagājušā gada augustā un septembrī projektā iesaistītie organizējuši vasaras skolu",
        2013,
        [("2012-08", "2012-09", "Pagājušā gada augustā un septembrī")],
    ),
    (
        "Kopumā projekta ietvaros līdz 2013.gada 31.jūlijam vēl tiks aprīkotas telpas",
        2013,
        [(None, "2013-07-31", "līdz 2013.gada 31.jūlijam")],
    ),
    ("22.04.2013 0", 2013, []),  # the date line with its counter is not a period
    ("Ineta Bramane\nprojektu vadītāja\nLapas informācija atjaunota:    12.12.2014\nTWITTER\nIecavas novads\n14 nov", 2013, []),
    (
        "Latvijas - Lietuvas pārrobežu sadarbības programmas 2007 - 2013 ietvaros apstiprinātu projektu",
        2013,
        [],
    ),
    # seed lm
    (
        "Labklājības ministrijas projekta “Profesionāla un mūsdienīga sociālā darba attīstība” ietvaros no 27. līdz 29. septembrim Talsu rajona Strazdē notika vasaras skola",
        2023,
        [("2023-09-27", "2023-09-29", "no 27. līdz 29. septembrim")],
    ),
    ("no 27. līdz 29. septembrim", None, []),  # no year anywhere: skipped
    (
        "Eiropas Savienības kohēzijas politikas programmas 2021.-2027. gadam Eiropas Sociālā fonda Plus 4.3.5.4. pasākuma projekta",
        2023,
        [],
    ),
    # seed rezeknesnovads
    (
        "Projekta norises laiks ir no 2023. gada decembra līdz 2024. gada oktobrim.",
        2024,
        [("2023-12", "2024-10", "no 2023. gada decembra līdz 2024. gada oktobrim")],
    ),
    ("02.01.2024\n\nProjekti\n\nBailes, stress, nedrošība", 2024, []),
    ("Projekta pirmās aktivitātes notiks jau februārī, kad", 2024, []),
    # forms from sites.md
    ("2019. gada 2. un 3. oktobrī", None, [("2019-10-02", "2019-10-03", "2019. gada 2. un 3. oktobrī")]),
    ("no 2023.gada 6. līdz 10.februārim", None, [("2023-02-06", "2023-02-10", "no 2023.gada 6. līdz 10.februārim")]),
    ("š.g. 28.-29.novembrī", 2019, [("2019-11-28", "2019-11-29", "š.g. 28.-29.novembrī")]),
    ("š.g. 28.–29.novembrī", None, []),
    ("Šī gada 18. aprīlī", 2019, [("2019-04-18", "2019-04-18", "Šī gada 18. aprīlī")]),
    ("2012.gada 1.februārī", None, [("2012-02-01", "2012-02-01", "2012.gada 1.februārī")]),
    ("2012. gada 1. februārī", None, [("2012-02-01", "2012-02-01", "2012. gada 1. februārī")]),
    ("Projekts 01.03.2018 – 29.02.2020.", None, [("2018-03-01", "2020-02-29", "01.03.2018 – 29.02.2020.")]),
    ("01.03.2018-29.02.2020", None, [("2018-03-01", "2020-02-29", "01.03.2018-29.02.2020")]),
    ("01.03.2018 — 29.02.2020", None, [("2018-03-01", "2020-02-29", "01.03.2018 — 29.02.2020")]),
    ("no 01.03.2018 līdz 29.02.2020", None, [("2018-03-01", "2020-02-29", "no 01.03.2018 līdz 29.02.2020")]),
    ("Apmācības (04.04.-27.04.2017.)", None, [("2017-04-04", "2017-04-27", "04.04.-27.04.2017.")]),
    # year completed across the range, including over the new year
    ("no 28. decembra līdz 3. janvārim", 2023, [("2023-12-28", "2024-01-03", "no 28. decembra līdz 3. janvārim")]),
    ("no 2023. gada 28. decembra līdz 3. janvārim", None, [("2023-12-28", "2024-01-03", "no 2023. gada 28. decembra līdz 3. janvārim")]),
    ("no 28. decembra līdz 2024. gada 3. janvārim", None, [("2023-12-28", "2024-01-03", "no 28. decembra līdz 2024. gada 3. janvārim")]),
    # a list of days that are not consecutive gives one period per day
    (
        "2019. gada 2. un 9. oktobrī",
        None,
        [("2019-10-02", "2019-10-02", "2019. gada 2. un 9. oktobrī"), ("2019-10-09", "2019-10-09", "2019. gada 2. un 9. oktobrī")],
    ),
    # a numeric date inside a sentence is a single day; several periods keep their order
    (
        "Sēde notiks 12.03.2019 domē, bet mācības no 2019. gada 1. aprīļa līdz 2019. gada 5. aprīlim.",
        None,
        [("2019-03-12", "2019-03-12", "12.03.2019"), ("2019-04-01", "2019-04-05", "no 2019. gada 1. aprīļa līdz 2019. gada 5. aprīlim")],
    ),
    # impossible dates give no period
    ("no 30.02.2019 līdz 05.03.2019", None, []),
    ("2019. gada 31. aprīlī", None, []),
]


@pytest.mark.parametrize(("text", "default_year", "expected"), PERIODS)
def test_find_periods(text: str, default_year: int | None, expected: list[tuple]) -> None:
    got = [(p.start, p.end, p.text) for p in find_periods(text, default_year=default_year)]
    assert got == expected


def test_period_as_dict_and_frozen() -> None:
    (p,) = find_periods("no 2011. gada septembra", default_year=2012)
    assert p == Period("2011-09", None, "no 2011. gada septembra")
    assert p.as_dict() == {"start": "2011-09", "end": None, "text": "no 2011. gada septembra"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.start = "2011-10"  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# find_dates: (text, default_year, [(text, date, precision), ...])
# --------------------------------------------------------------------------------------------

DATES = [
    ("2023. gada decembra", None, [("2023. gada decembra", date(2023, 12, 1), "month")]),
    (
        "Projekta norises laiks ir no 2023. gada decembra līdz 2024. gada oktobrim.",
        None,
        [("2023. gada decembra", date(2023, 12, 1), "month"), ("2024. gada oktobrim", date(2024, 10, 1), "month")],
    ),
    (
        "2019.gada 16. un 17.maijā pilotprojektā",
        None,
        [("2019.gada 16.", date(2019, 5, 16), "day"), ("17.maijā", date(2019, 5, 17), "day")],
    ),
    (
        "Lapas informācija atjaunota:    12.12.2014",
        None,
        [("12.12.2014", date(2014, 12, 12), "day")],
    ),
    (
        "Pēdējās izmaiņas veiktas: 11.11.2020 07:06",
        None,
        [("11.11.2020 07:06", date(2020, 11, 11), "day")],
    ),
    (
        "Apmācības (04.04.-27.04.2017.)",
        None,
        [("04.04.", date(2017, 4, 4), "day"), ("27.04.2017.", date(2017, 4, 27), "day")],
    ),
    (
        "22.04.2013 0\n\n19.aprīlī, Saulaines Sociālā centra telpās",
        2013,
        [("22.04.2013", date(2013, 4, 22), "day"), ("19.aprīlī", date(2013, 4, 19), "day")],
    ),
    ("19.aprīlī, Saulaines Sociālā centra telpās", None, []),
    ("31.02.2019 un 01.03.2019", None, [("01.03.2019", date(2019, 3, 1), "day")]),
    ("Līdz 2012. gada decembrim ir izsniegtas 1750 pārtikas pakas.", 2012, [("2012. gada decembrim", date(2012, 12, 1), "month")]),
    # negatives: numbers, versions and project numbers are not dates, even with a default year
    ("1750 pārtikas pakas", 2012, []),
    ("214 553 eiro (150 787,84 lati), kur 85 % finansējumu nodrošina ERAF", 2013, []),
    ("programmas 2021.-2027. gadam Eiropas Sociālā fonda Plus 4.3.5.4. pasākuma", 2023, []),
    ("Nr.9.2.1.1/15/I/001 ietvaros", 2019, []),
    ("Erasmus+projektu (Nr. 2023-1-LV01-KA210-ADU-000164014)", 2024, []),
    ("Tādas apmācības tiks organizētas 1x mēnesī pa divām dienām pēc kārtas.", 2019, []),
    ("Cieceres iela 3a, Rīga. 16 pašvaldību sociālo dienestu 28 sociālajiem darbiniekiem", 2019, []),
    ("TWITTER\nIecavas novads\n14 nov\nVakara iesākumā", 2014, []),
    ("version 1.2.2019.5", None, []),
]


@pytest.mark.parametrize(("text", "default_year", "expected"), DATES)
def test_find_dates(text: str, default_year: int | None, expected: list[tuple]) -> None:
    found = find_dates(text, default_year=default_year)
    assert [(d.text, d.date, d.precision) for d in found] == expected
    for d in found:
        assert text[d.start : d.end] == d.text


def test_date_match_is_frozen() -> None:
    (d,) = find_dates("Publicēts 26.03.2019")
    assert d == DateMatch(10, 20, "26.03.2019", date(2019, 3, 26), "day")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.start = 0  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# find_updated and UPDATED_MARKER
# --------------------------------------------------------------------------------------------

UPDATED = [
    ("Lapas informācija atjaunota: 19.11.2020", date(2020, 11, 19)),
    ("Pēdējās izmaiņas: 20.05.2022.", date(2022, 5, 20)),
    ("Pēdējās izmaiņas veiktas: 11.11.2020 07:06", date(2020, 11, 11)),
    ("Pēdējo reizi informācija atjaunota 10.01.2023, 10:21", date(2023, 1, 10)),
    # seed iecava: the article date and the widget must not be taken
    (
        "22.04.2013 0\n\nIneta Bramane\nprojektu vadītāja\nLapas informācija atjaunota:    12.12.2014\nTWITTER\nIecavas novads\n14 nov",
        date(2014, 12, 12),
    ),
    ("06/12/2012\n\nStopiņu novada Sociālā dienesta darbinieki", None),
    ("Pēdējās izmaiņas: 31.02.2022.", None),
    ("Pēdējās izmaiņas:", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), UPDATED)
def test_find_updated(text: str, expected: date | None) -> None:
    assert find_updated(text) == expected


MARKERS = [
    ("Lapas informācija atjaunota:    12.12.2014", "Lapas informācija atjaunota:"),
    ("Pēdējās izmaiņas: 20.05.2022.", "Pēdējās izmaiņas:"),
    ("Pēdējās izmaiņas veiktas: 11.11.2020 07:06", "Pēdējās izmaiņas veiktas:"),
    ("Pēdējo reizi informācija atjaunota 10.01.2023, 10:21", "Pēdējo reizi informācija atjaunota"),
    ("Publicēts 26.03.2019", None),
]


@pytest.mark.parametrize(("text", "label"), MARKERS)
def test_updated_marker(text: str, label: str | None) -> None:
    m = UPDATED_MARKER.search(text)
    assert (m.group().strip() if m else None) == label
