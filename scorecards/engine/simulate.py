"""Score a draft version over past days without writing anything: the editor's preview."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from scorecards.choices import MetricCode
from scorecards.engine.sources import response_sla_day_stats
from scorecards.models import EmployeeDailyScore, ScorecardVersion
from scorecards.scoring import pool, quantize
from scorecards.selectors.stats import STAT_COLUMNS, Stats, stats_of_row
from scorecards.selectors.versions import version_in_force, version_score


@dataclass(frozen=True)
class SimulatedTotal:
    """A subject's pooled total over the period under the version in force and under a draft."""

    subject_id: int
    days: int
    current_total: Decimal | None
    current_band: str
    draft_total: Decimal | None
    draft_band: str

    @property
    def change(self) -> Decimal | None:
        """Return the draft total minus the current total, when both exist."""
        if self.current_total is None or self.draft_total is None:
            return None
        return self.draft_total - self.current_total


@dataclass(frozen=True)
class SimulationResult:
    """A draft version scored over stored history, next to the version in force."""

    version: ScorecardVersion
    current_version: ScorecardVersion | None
    date_from: dt.date
    date_to: dt.date
    employees: list[SimulatedTotal]
    teams: list[SimulatedTotal]


def _simulated_totals(
    *,
    groups: Mapping[int, list[tuple[Stats, Stats]]],
    draft: ScorecardVersion,
    current: ScorecardVersion | None,
) -> list[SimulatedTotal]:
    results = []
    for subject_id, days in sorted(groups.items()):
        draft_score = version_score(version=draft, stats=pool(d for _c, d in days))
        current_score = (
            version_score(version=current, stats=pool(c for c, _d in days)) if current else None
        )
        results.append(
            SimulatedTotal(
                subject_id=subject_id,
                days=len(days),
                current_total=quantize(current_score.total) if current_score else None,
                current_band=current_score.band if current_score else "",
                draft_total=quantize(draft_score.total),
                draft_band=draft_score.band,
            )
        )
    return results


def scores_simulate(
    *,
    version: ScorecardVersion,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime | None = None,
) -> SimulationResult:
    """Score a (draft) version over the stored days of its scorecard's teams; write nothing.

    The stored num/den columns are pooled per employee and per team and scored under the draft
    and under the version in force on date_to. response_sla depends on the SLA length, so when
    the draft's differs from the one a day was scored with, that metric is counted again from
    the interactions.
    """
    rows = list(
        EmployeeDailyScore.objects.filter(
            team__scorecard_id=version.scorecard_id, day__gte=date_from, day__lte=date_to
        ).values("employee_id", "team_id", "day", "version__sla_minutes", *STAT_COLUMNS)
    )
    recounted = None
    if any(row["version__sla_minutes"] != version.sla_minutes for row in rows):
        recounted = response_sla_day_stats(
            employee_ids={row["employee_id"] for row in rows},
            date_from=date_from,
            date_to=date_to,
            sla_minutes=version.sla_minutes,
            now=now or timezone.now(),
        )
    by_employee: dict[int, list[tuple[Stats, Stats]]] = {}
    by_team: dict[int, list[tuple[Stats, Stats]]] = {}
    for row in rows:
        current = stats_of_row(row)
        draft = dict(current)
        if recounted is not None:
            draft[MetricCode.RESPONSE_SLA] = recounted.get(
                (row["employee_id"], row["day"]), (Decimal(0), Decimal(0))
            )
        by_employee.setdefault(row["employee_id"], []).append((current, draft))
        by_team.setdefault(row["team_id"], []).append((current, draft))
    current_version = version_in_force(scorecard=version.scorecard_id, day=date_to)
    return SimulationResult(
        version=version,
        current_version=current_version,
        date_from=date_from,
        date_to=date_to,
        employees=_simulated_totals(groups=by_employee, draft=version, current=current_version),
        teams=_simulated_totals(groups=by_team, draft=version, current=current_version),
    )
