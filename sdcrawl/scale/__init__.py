"""Past one machine (docs/scale-out.md): the nightly run spread over workers on a job queue.

    sdcrawl worker --queue redis://HOST:6379/0          # on each crawling machine (systemd unit)
    sdcrawl nightly --queue redis://HOST:6379/0 ...     # on the machine that keeps the feed

One job per site per night on an RQ queue (Redis); the crawl state in PostgreSQL
(SDCRAWL_STATE_URL); the feed written by one process, the coordinator, from the articles' sequence
numbers. Modules:

    servers      one-line checks that Redis and PostgreSQL answer
    locks        PostgreSQL advisory locks: one per host (politeness across machines), one coordinator
    pipeline     DatabaseFeedPipeline: the crawl's feed stage in queue mode (rows, not file lines)
    jobs         the job a worker runs: lock the site's hosts, crawl it in a child process
    worker       `sdcrawl worker`: an RQ worker that notices a dead colleague quickly
    coordinator  `sdcrawl nightly --queue`: enqueue, wait, write the feed and the run files, report
"""

EXIT_UNAVAILABLE = 4  # Redis or PostgreSQL did not answer at start: nothing was written
