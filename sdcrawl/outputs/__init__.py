"""What sdcrawl gives the people at both ends, read from what a crawl already wrote.

Every module takes plain data (the feed's lines as dicts, run report dicts, paths) and never
touches the crawl itself; `commands` holds the functions the CLI calls.

    inputs       read the feed, the run reports and the run history (tolerant of a partial last line)
    neardup      near-duplicate stories across sites (MinHash LSH, datasketch): the `related` links
    atom         an Atom feed of the relevant articles, one entry per story
    tabular      Parquet with proper types; JSON Lines with schema.org / Zyte article names
    report_html  a static HTML page of the last run and the history
    alerts       one message a night (SMTP, a JSON webhook, Discord) when a site failed or went silent
    commands     write_report, export, send_alerts: the entry points for `sdcrawl report|export|nightly`

See docs/outputs.md.
"""
