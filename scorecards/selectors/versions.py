"""Which scorecard version scores a day or a period, and which days are final."""

import bisect
import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from scorecards.choices import VersionStatus
from scorecards.dirty import local_day
from scorecards.models import Scorecard, ScorecardVersion
from scorecards.scoring import DayScore, MetricRule, score_stats
from scorecards.selectors.memberships import memberships_overlapping
from scorecards.selectors.stats import day_range, local_midnight
from staff.models import Team, TeamMembership


def version_rules(version: ScorecardVersion) -> list[MetricRule]:
    """Return the version's metrics as scoring rules (uses prefetched metrics when present)."""
    return [
        MetricRule(
            code=metric.code,
            weight=metric.weight,
            target=metric.target,
            floor=metric.floor,
            min_sample=metric.min_sample,
        )
        for metric in version.metrics.all()
    ]


def version_score(
    *, version: ScorecardVersion, stats: Mapping, rules: Sequence[MetricRule] | None = None
) -> DayScore:
    """Score per-metric (num, den) under a version's rules and bands.

    `rules` are the version's own (`version_rules`), passed by a caller that scores many rows
    under one version and reads them once.
    """
    return score_stats(
        stats=stats,
        rules=version_rules(version) if rules is None else rules,
        green_from=version.green_from,
        amber_from=version.amber_from,
    )


def version_in_force(*, scorecard: Scorecard | int, day: dt.date) -> ScorecardVersion | None:
    """Return the scorecard's latest published version effective on or before the day."""
    return (
        ScorecardVersion.objects.filter(
            scorecard=scorecard, status=VersionStatus.PUBLISHED, effective_from__lte=day
        )
        .prefetch_related("metrics")
        .order_by("-effective_from")
        .first()
    )


@dataclass(frozen=True)
class VersionTimeline:
    """The published versions of some scorecards up to a day, to pick the one in force by day."""

    by_scorecard: Mapping[int, Sequence[ScorecardVersion]]

    def in_force(self, *, scorecard_id: int | None, day: dt.date) -> ScorecardVersion | None:
        """Return the version of the scorecard in force on the day, or None."""
        if scorecard_id is None:
            return None
        versions = self.by_scorecard.get(scorecard_id, ())
        index = bisect.bisect_right([v.effective_from for v in versions], day)
        return versions[index - 1] if index else None

    @property
    def versions(self) -> list[ScorecardVersion]:
        """Return every loaded version."""
        return [v for versions in self.by_scorecard.values() for v in versions]


def version_timeline(*, scorecard_ids: Iterable[int] | None, until: dt.date) -> VersionTimeline:
    """Load, with their metrics, the published versions effective by `until` (two queries)."""
    versions = ScorecardVersion.objects.filter(
        status=VersionStatus.PUBLISHED, effective_from__lte=until
    )
    if scorecard_ids is not None:
        versions = versions.filter(scorecard_id__in=set(scorecard_ids))
    by_scorecard: dict[int, list[ScorecardVersion]] = {}
    for version in versions.prefetch_related("metrics").order_by("effective_from"):
        by_scorecard.setdefault(version.scorecard_id, []).append(version)
    return VersionTimeline(by_scorecard=by_scorecard)


def employees_scorecards_on(
    *, employee_ids: Collection[int], day: dt.date
) -> dict[int, int | None]:
    """Return each employee's scorecard on the day: their team's then, else their last team's.

    The membership started latest on or before the day wins, as when a day is scored.
    """
    scorecards: dict[int, int | None] = {}
    for employee_id, scorecard_id in (
        TeamMembership.objects.filter(employee_id__in=list(employee_ids), starts_on__lte=day)
        .order_by("employee_id", "starts_on", "pk")
        .values_list("employee_id", "team__scorecard_id")
    ):
        scorecards[employee_id] = scorecard_id
    return scorecards


def period_versions(
    *, scorecard_of: Mapping, date_to: dt.date, today: dt.date | None = None
) -> dict:
    """Return, per subject, the version that scores its period (the one rule, docs/SCORING.md).

    A period (a week, a goal, a dashboard range, an export, an API summary, a digest) is
    scored with its subject's scorecard version in force on the period's last day, or today
    if the period runs past today. `scorecard_of` maps each subject key to its scorecard id.
    Every page, e-mail and endpoint that shows a period's total picks its version here, so
    a manager never sees two totals for one period.
    """
    day = min(date_to, today or timezone.localdate())
    timeline = version_timeline(scorecard_ids={pk for pk in scorecard_of.values() if pk}, until=day)
    return {
        key: timeline.in_force(scorecard_id=scorecard_id, day=day) if scorecard_id else None
        for key, scorecard_id in scorecard_of.items()
    }


def period_version(
    *, scorecard_id: int | None, date_to: dt.date, today: dt.date | None = None
) -> ScorecardVersion | None:
    """Return the version that scores one subject's period ending on `date_to` (the rule of
    `period_versions`)."""
    return period_versions(scorecard_of={0: scorecard_id}, date_to=date_to, today=today)[0]


def days_final_at(
    *, date_from: dt.date, date_to: dt.date, timeline: VersionTimeline | None = None
) -> dict[dt.date, dt.datetime]:
    """Return, per day, the moment it becomes final: its end plus the longest SLA in force.

    Until then an interaction opened on the day may still turn into an SLA miss, so the day
    is scored "so far": no band, no alert, `volume` left out (docs/SCORING.md). `timeline`, when
    given, must hold every scorecard's versions up to `date_to`.
    """
    if timeline is None:
        # The SLA lengths alone, in one query: no metrics needed here.
        by_scorecard: dict[int, list] = {}
        for version in (
            ScorecardVersion.objects.filter(
                status=VersionStatus.PUBLISHED, effective_from__lte=date_to
            )
            .only("scorecard_id", "effective_from", "sla_minutes")
            .order_by("effective_from")
        ):
            by_scorecard.setdefault(version.scorecard_id, []).append(version)
        timeline = VersionTimeline(by_scorecard=by_scorecard)
    final_at = {}
    for day in day_range(date_from=date_from, date_to=date_to):
        longest = max(
            (
                in_force.sla_minutes
                for scorecard_id in timeline.by_scorecard
                if (in_force := timeline.in_force(scorecard_id=scorecard_id, day=day))
            ),
            default=0,
        )
        final_at[day] = local_midnight(day + dt.timedelta(days=1)) + dt.timedelta(minutes=longest)
    return final_at


def last_final_day(*, now: dt.datetime) -> dt.date:
    """Return the latest day that is final at `now` (yesterday once its deadlines passed)."""
    yesterday = local_day(now) - dt.timedelta(days=1)
    # The longest SLA would have to exceed a week for the answer to lie further back.
    final_at = days_final_at(date_from=yesterday - dt.timedelta(days=7), date_to=yesterday)
    return max(
        (day for day, at in final_at.items() if now >= at), default=yesterday - dt.timedelta(days=8)
    )


def day_outcome(*, score: DayScore, is_worked: bool, is_final: bool) -> tuple[Decimal | None, str]:
    """Return the (total, band) a day shows: a total on worked days only, a band once final."""
    if not is_worked:
        return None, ""
    return score.total, score.band if is_final else ""


def version_rescored_days(
    *, version: ScorecardVersion, today: dt.date, effective_from: dt.date | None = None
) -> list[tuple[int, dt.date]]:
    """Return the (employee id, day) pairs that publishing the version makes score anew.

    They are the days from its effective date (or `effective_from`, the date a publication
    proposes), up to today or the day before the next published version takes effect, of the
    members of the teams that use its scorecard.
    """
    first = effective_from or version.effective_from
    later = (
        ScorecardVersion.objects.filter(
            scorecard_id=version.scorecard_id,
            status=VersionStatus.PUBLISHED,
            effective_from__gt=first,
        )
        .exclude(pk=version.pk)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    last = min(today, later - dt.timedelta(days=1)) if later else today
    if last < first:
        return []
    team_ids = Team.objects.filter(scorecard_id=version.scorecard_id).values_list("pk", flat=True)
    pairs: list[tuple[int, dt.date]] = []
    for span in memberships_overlapping(date_from=first, date_to=last, team_ids=list(team_ids)):
        start = max(span.starts_on, first)
        end = min(span.ends_on or last, last)
        pairs.extend((span.employee_id, day) for day in day_range(date_from=start, date_to=end))
    return pairs
