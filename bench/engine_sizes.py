"""The scoring engine's growth with the organisation: `python -m bench engine --sizes A,B,C`.

One data set per size (agents), each in a database of its own; at each size the whole range
is backfilled by (1) `compute_scores` and (2) the SQL floor of `bench.engine`, alternating,
after checking that they agree on every num/den. The figure is the time per million
interactions of (1), and the goal its spread from the fastest size to the slowest.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, replace

from django.utils import timezone

from bench.dataset import GOAL_RATE, size_database
from bench.engine import (
    ROUNDS,
    agents_with_team,
    agreement_assert,
    baseline_compute,
    baseline_table_create,
    baseline_table_drop,
    interactions_in,
    log,
    measured_days,
    ours_compute,
    scores_clear,
    seconds_text,
    timed,
    warm_up,
)
from bench.report import machine, table, write_section
from bench.report import today as report_day

GOAL_SIZE_SPREAD = 1.3


@dataclass(frozen=True)
class SizeResult:
    agents: int
    first_day: dt.date
    last_day: dt.date
    interactions: int
    employee_days: int
    ours: float  # median seconds of (1)
    floor: float  # median seconds of (2)
    rounds: tuple[tuple[float, float], ...]
    # Interactions per second of the data set's generator, when it ran in this run.
    generated_rate: float | None = None

    @property
    def per_million(self) -> float:
        """Seconds of (1) per million interactions."""
        return self.ours / self.interactions * 1_000_000


def size_measure(*, rounds: int = ROUNDS) -> SizeResult:
    """Backfill the current database's whole data set, (1) against (2); return the medians.

    (1) and (2) alternate `rounds` times, and must agree on every num/den of every
    employee-day before the figures are returned.
    """
    first_day, last_day = measured_days()
    agents = agents_with_team()
    interactions = interactions_in(first_day, last_day)
    log(
        f"{agents:,} agents, {first_day}..{last_day} ({interactions:,} interactions), "
        f"{rounds} rounds of each…"
    )
    baseline_table_create()
    warm_up()
    ours_times, floor_times = [], []
    try:
        for _round in range(rounds):
            scores_clear()
            ours_times.append(timed(ours_compute, date_from=first_day, date_to=last_day))
            floor_times.append(
                timed(baseline_compute, date_from=first_day, date_to=last_day, now=timezone.now())
            )
            log(f"  ours {ours_times[-1]:.1f} s, baseline {floor_times[-1]:.1f} s")
        compared = agreement_assert(date_from=first_day, date_to=last_day)
        log(f"  {compared:,} employee-days agree on every num/den")
    finally:
        baseline_table_drop()
    return SizeResult(
        agents=agents,
        first_day=first_day,
        last_day=last_day,
        interactions=interactions,
        employee_days=compared,
        ours=statistics.median(ours_times),
        floor=statistics.median(floor_times),
        rounds=tuple(zip(ours_times, floor_times, strict=True)),
    )


def sizes_run(
    *, sizes, days: int, per_day: int, seed: int, rounds: int = ROUNDS, data_use=None
) -> list[SizeResult]:
    """Measure the backfill on one data set per organisation size (agents).

    `data_use(agents=, days=, per_day=, seed=)` is a context manager that points the default
    connection at a data set of that size while it is open; by default each size has its
    own database next to the benchmark one, generated the first time and reused after.
    """
    data_use = data_use or size_database
    results = []
    for agents in sizes:
        with data_use(agents=agents, days=days, per_day=per_day, seed=seed) as generated:
            result = size_measure(rounds=rounds)
        if generated:
            counts, seconds = generated
            result = replace(result, generated_rate=counts["interactions"] / seconds)
        results.append(result)
    return results


def sizes_markdown(*, results: list[SizeResult], per_day: int, days: int) -> str:
    """Render the sizes' figures and their spread in time per million interactions."""
    when, where = report_day(), machine()
    rows = [
        {
            "organisation": f"{result.agents:,} agents, {result.interactions:,} interactions "
            f"({result.employee_days:,} employee-days)",
            "our backfill": seconds_text(result.ours),
            "per million interactions": f"{result.per_million:.2f} s",
            "SQL floor": seconds_text(result.floor),
            "x floor": f"{result.ours / result.floor:.2f}×",
            "data generated at": (
                f"{result.generated_rate:,.0f} interactions/s"
                if result.generated_rate
                else "(generated earlier)"
            ),
            "date": when,
            "machine": where,
        }
        for result in results
    ]
    rates = [result.per_million for result in results]
    spread = max(rates) / min(rates)
    verdict = "met" if spread <= GOAL_SIZE_SPREAD else "not met"
    rounds = "; ".join(
        f"{result.agents:,} agents: "
        + ", ".join(f"{ours:.1f}/{floor:.1f} s" for ours, floor in result.rounds)
        for result in results
    )
    return (
        "## Scoring engine: growth with the organisation\n\n"
        + table(rows)
        + f"\nTime per million interactions varies by **{spread:.2f}×** from the fastest size "
        f"to the slowest (goal ≤ {GOAL_SIZE_SPREAD}×: {verdict}; 1.00× would be perfectly "
        "linear in the interactions). Each size is its own data set from `python -m bench "
        f"data` (~{per_day} interactions per agent and day over {days} days), in a database "
        "of its own; (1) backfills all of it on empty score tables and (2) is the SQL floor, "
        f"alternating; the figures are medians (the rounds, ours/floor: {rounds}). Every "
        "employee-day of every size is checked to agree on every num/den first. A data set "
        "generated in the run shows its generator's rate (streamed into PostgreSQL by COPY; "
        f"goal at least {GOAL_RATE:,} interactions/s). Regenerate "
        f"with `python -m bench engine --sizes "
        f"{','.join(str(result.agents) for result in results)} --days {days} "
        f"--per-day {per_day}`.\n"
    )


def sizes_run_and_report(args) -> list[SizeResult]:
    results = sizes_run(sizes=args.sizes, days=args.days, per_day=args.per_day, seed=args.seed)
    markdown = sizes_markdown(results=results, per_day=args.per_day, days=args.days)
    print(markdown)
    if not args.no_write:
        write_section("engine-sizes", markdown)
        log("figures written to BENCHMARKS.md")
    return results
