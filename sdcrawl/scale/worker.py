"""`sdcrawl worker --queue redis://HOST:PORT/DB`: runs the queue's site jobs, one at a time.

An RQ worker (it forks a work horse per job, which starts the crawl's own process,
sdcrawl.scale.jobs). Two things differ from `rq worker`:

- the start-up checks that Redis and PostgreSQL answer (one line and exit status 4 otherwise);
- a shorter heartbeat: RQ marks a job as abandoned when its worker's heartbeat is older than the
  job monitoring interval plus 60 s. Here the margin is `--heartbeat` x 2 (default 30 s -> 90 s in
  all, as RQ's), so tests and impatient operators can make a dead worker's job come back in
  seconds. The job is then retried by RQ's own machinery (StartedJobRegistry.cleanup, which
  every worker and the coordinator run; the job was enqueued with Retry).
"""

from __future__ import annotations

import logging
import os
import socket
import sys

from sdcrawl.scale import EXIT_UNAVAILABLE
from sdcrawl.scale.servers import Unavailable, check_postgres, check_redis

__all__ = ["QUEUE_NAME", "add_worker_parser", "cmd_worker", "site_worker_class"]

QUEUE_NAME = "sdcrawl-sites"


def site_worker_class():
    """RQ's forking Worker with the heartbeat margin of its own (imported only when a worker runs:
    the CLI must start without rq for commands that do not need it)."""
    from rq import Worker

    class SiteWorker(Worker):
        heartbeat_margin = 60

        def main_work_horse(self, job, queue):
            from sdcrawl.scale import jobs

            jobs.IN_FRESH_HORSE = True  # this process was forked for this job: the crawl may run here
            jobs._die_with_parent()
            if os.getppid() == 1:  # the worker died before the kernel was asked
                os._exit(1)
            return super().main_work_horse(job, queue)

        def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
            if job.timeout and job.timeout > 0:
                return int(min(job.timeout - working_time, self.job_monitoring_interval)) + self.heartbeat_margin
            return self.job_monitoring_interval + self.heartbeat_margin

    return SiteWorker


def add_worker_parser(sub) -> None:
    """`sdcrawl worker`: the subcommand's arguments (called from sdcrawl.cli.build_parser)."""
    p = sub.add_parser("worker", help="run the site jobs of a queue (sdcrawl nightly --queue) on this machine")
    p.add_argument("--queue", required=True, metavar="URL", help="the Redis queue, redis://HOST:PORT/DB")
    p.add_argument("--name", help="this worker's name (default: HOST-PID)")
    p.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    p.add_argument("--heartbeat", type=int, default=30, metavar="SECONDS",
                   help="how often the worker says it is alive; a job is taken back 3x this after its worker died (default 30)")
    p.set_defaults(func=cmd_worker)


def cmd_worker(args) -> int:
    try:
        redis = check_redis(args.queue)
        check_postgres(os.environ.get("SDCRAWL_STATE_URL"))
    except Unavailable as exc:
        print(f"sdcrawl worker: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    from rq import Queue

    from sdcrawl.scale.jobs import warm_up

    warm_up()
    level = os.environ.get("SDCRAWL_LOG_LEVEL", "INFO")
    logging.basicConfig(level=level, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    heartbeat = max(1, args.heartbeat)
    worker = site_worker_class()([Queue(QUEUE_NAME, connection=redis)], connection=redis,
                        name=args.name or f"{socket.gethostname()}-{os.getpid()}",
                        job_monitoring_interval=heartbeat, maintenance_interval=max(heartbeat * 2, 2))
    worker.heartbeat_margin = heartbeat * 2
    worker.work(burst=args.burst, logging_level=level, with_scheduler=False)
    return 0
