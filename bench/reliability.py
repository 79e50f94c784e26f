"""The reliability section of BENCHMARKS.md: the fault tests (tests/faults) run and their
outcomes written out (`python -m bench.load reliability`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

from bench.report import machine, table, today, write_section

# What each fault test shows, in the words of the issue it answers.
FAULTS = {
    "test_broker_timeouts_are_short_enough_for_a_request": (
        "Redis hung: the broker's connect and socket timeouts are 1 s each, no second attempt"
    ),
    "test_logging_and_dashboards_answer_while_redis_is_down_and_the_next_run_catches_up": (
        "Redis hung (a port that accepts and never answers) or stopped: interactions logged "
        "through the API and the page, 11 pages and 2 API pulls all answer 200, none "
        "able to wait more than 2 s on Redis (the timeouts of every socket it opened); the day "
        "stays on the dirty list; with Redis back, `scores_refresh` on a real worker "
        "drains it and the rows equal a fresh computation, no interaction lost"
    ),
    "test_api_answers_when_the_redis_cache_is_down_too": (
        "Redis hung or stopped *as the cache* of production settings: the cache gives up within "
        "its 1 s timeouts and the API throttle, which counts requests there, lets the request "
        "through: the API POST answers 200 and the interaction is stored"
    ),
    "test_logging_an_interaction_that_invites_a_survey_answers_while_redis_is_down": (
        "Redis hung or stopped while an agent resolves an interaction of a surveyed team (API "
        "and page): the write succeeds and the survey invitation waits unsent for the pending "
        "sweep; neither request can wait more than 2 s on Redis (one connection, 1 s connect "
        "and 1 s read timeout)"
    ),
    "test_backfill_survives_a_worker_killed_mid_chunk_with_rows_of_an_uninterrupted_run": (
        "`compute_scores --async` in 3 chunks, the worker SIGKILLed inside a chunk's write: a "
        "second worker runs the two waiting chunks and the redelivered one (late acknowledgement); "
        "every employee and team row equals an uninterrupted synchronous backfill"
    ),
    "test_production_reuses_connections_and_checks_them_first": (
        "Production keeps database connections (CONN_MAX_AGE > 0) and checks them before reuse "
        "(CONN_HEALTH_CHECKS)"
    ),
    "test_requests_answer_through_dropped_and_refused_connections_and_recover": (
        "PostgreSQL drops the app's connections under a running gunicorn: the next dashboard, "
        "API pull and API POST all succeed (health check reconnects); while it refuses "
        "connections every request gets a clean 500 within the 10 s bound, none hangs; once it "
        "accepts again the same server process answers 200 and no committed interaction is lost"
    ),
}


def reliability(*, database: str, write: bool = True) -> None:
    """Run the fault tests and write their outcomes into the `reliability` section."""
    import xml.etree.ElementTree as ElementTree

    from django.conf import settings

    with tempfile.NamedTemporaryFile(suffix=".xml") as report:
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "-q",
                f"--junitxml={report.name}",
                "tests/faults",
            ],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "crs_site.settings.test",
                "TEST_DATABASE_NAME": database,
            },
            check=False,
        )
        elapsed = time.monotonic() - started
        outcomes: dict[str, list[str]] = defaultdict(list)
        seconds: dict[str, float] = defaultdict(float)
        for case in ElementTree.parse(report.name).getroot().iter("testcase"):
            name, _, variant = case.get("name").partition("[")
            skipped = case.find("skipped")
            if case.find("failure") is not None or case.find("error") is not None:
                outcome = "**failed**"
            elif skipped is not None and skipped.get("type") == "pytest.xfail":
                outcome = "expected failure (known gap)"
            elif skipped is not None:
                outcome = "skipped"
            else:
                outcome = "passed"
            variant = variant.rstrip("]").replace("_port", "")
            outcomes[name].append(f"{variant}: {outcome}" if variant else outcome)
            seconds[name] += float(case.get("time", 0))
    order = [*FAULTS, *(name for name in outcomes if name not in FAULTS)]
    rows = [
        {
            "fault and what must hold": FAULTS.get(name, name),
            "outcome": "; ".join(outcomes[name]),
            "seconds": f"{seconds[name]:.0f}",
        }
        for name in order
        if name in outcomes
    ]
    markdown = f"""## Reliability: fault tests

`tests/faults/` (marked `faults`, part of `make test`) breaks Redis, a worker and PostgreSQL on
purpose against the real services of the test machine.
Measured {today()} on {machine()}; the whole run took {elapsed:.0f} s.
Regenerate with `python -m bench.load reliability`.

{table(rows)}
How long a request can wait on a dead Redis is bounded, not timed: the tests record every socket
a request opens and add up the timeouts set on it (connect, then read). A publish from a request
makes one connection attempt with 1 s timeouts; a lost publish only logs a warning, and the work
is caught up from the database (the dirty list; unsent survey invitations, every 15 minutes). The
API throttle counts requests in the same Redis and lets a request through when it cannot.
"""
    print(markdown)
    if write:
        write_section("reliability", markdown)
