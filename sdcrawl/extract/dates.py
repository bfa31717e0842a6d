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
"""
