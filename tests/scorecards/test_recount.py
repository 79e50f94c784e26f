"""The engine against an independent recount (docs/SCORING.md), on generated organisations.

Hypothesis builds a few employees' interactions, survey answers and QA reviews over a week,
with a scorecard version taking effect mid-week and an employee moving teams mid-week, and
picks a moment to score at (mid-day, so today and yesterday may not be final). The recount
below is written from the rules of docs/SCORING.md alone, record by record in plain Python: it
calls none of the engine's helpers, so a wrong grouped query, rounding or day rule cannot hide
in both.
"""

import datetime as dt
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.models import Interaction
from feedback.choices import ReviewReason, ReviewStatus
from feedback.models import QAReview, SurveyResponse
from scorecards.engine.rows import scores_compute
from scorecards.models import EmployeeDailyScore, ScorecardVersion, TeamDailyScore
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    PublishedQAReviewFactory,
    PublishedVersionFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
)

RIGA = zoneinfo.ZoneInfo("Europe/Riga")
FIRST = dt.date(2025, 6, 2)
DAYS = 6
LAST = FIRST + dt.timedelta(days=DAYS - 1)
CODES = (
    "response_sla",
    "first_response_minutes",
    "fcr",
    "resolution_hours",
    "follow_up",
    "escalation",
    "csat",
    "nps",
    "qa",
    "volume",
)
PERCENT = {"response_sla", "fcr", "follow_up", "escalation", "csat", "nps"}
CENT = Decimal("0.01")
PLACES = Decimal("0.0001")


def _metrics(*, shift: int) -> list[dict]:
    """Every metric, with targets, floors, weights and minimum samples varied by `shift`."""
    bounds = {
        "response_sla": (90, 40),
        "first_response_minutes": (10, 120),
        "fcr": (80, 30),
        "resolution_hours": (4, 48),
        "follow_up": (95, 50),
        "escalation": (5, 40),
        "csat": (90, 50),
        "nps": (50, -50),
        "qa": (90, 40),
        "volume": (6, 0),
    }
    return [
        {
            "code": code,
            "target": target,
            "floor": floor,
            "weight": 1 + (index + shift) % 3,
            "min_sample": 1 + (index * shift) % 2,
        }
        for index, (code, (target, floor)) in enumerate(bounds.items())
    ]


def local(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(RIGA).date()


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=RIGA)


interactions = st.lists(
    st.fixed_dictionaries(
        {
            "employee": st.integers(0, 2),
            "day": st.integers(0, DAYS - 1),
            "minute": st.integers(0, 24 * 60 - 1),
            "response": st.one_of(st.none(), st.integers(0, 180)),
            "resolution": st.one_of(st.none(), st.integers(1, 3 * 24 * 60)),
            "first_contact": st.booleans(),
            "escalated": st.booleans(),
            "follow_up": st.one_of(st.none(), st.integers(0, DAYS)),
            "follow_up_done": st.one_of(st.none(), st.integers(0, 3 * 24 * 60)),
        }
    ),
    max_size=14,
)
surveys = st.lists(
    st.fixed_dictionaries(
        {
            "interaction": st.integers(0, 13),
            "minutes_later": st.integers(0, 4 * 24 * 60),
            "csat": st.integers(1, 5),
            "nps": st.one_of(st.none(), st.integers(0, 10)),
        }
    ),
    max_size=6,
)
reviews = st.lists(
    st.fixed_dictionaries(
        {
            "interaction": st.integers(0, 13),
            "minutes_later": st.integers(0, 3 * 24 * 60),
            "total": st.integers(0, 100),
            "status": st.sampled_from(
                [ReviewStatus.PUBLISHED, ReviewStatus.DISPUTED, ReviewStatus.RESOLVED]
            ),
            "calibration": st.booleans(),
        }
    ),
    max_size=4,
)


def _interaction(*, spec, employees):
    """One interaction of the drawn data, its times counted from the first day."""
    opened = midnight(FIRST + dt.timedelta(days=spec["day"])) + dt.timedelta(minutes=spec["minute"])
    resolved = opened + dt.timedelta(minutes=spec["resolution"]) if spec["resolution"] else None
    due = FIRST + dt.timedelta(days=spec["follow_up"]) if spec["follow_up"] is not None else None
    done = (
        midnight(due) + dt.timedelta(minutes=spec["follow_up_done"])
        if due is not None and spec["follow_up_done"] is not None
        else None
    )
    return InteractionFactory(
        employee=employees[spec["employee"]],
        opened_at=opened,
        first_response_at=(
            opened + dt.timedelta(minutes=spec["response"])
            if spec["response"] is not None
            else None
        ),
        resolved_at=resolved,
        is_first_contact_resolution=spec["first_contact"] and resolved is not None,
        is_escalated=spec["escalated"] and resolved is not None,
        follow_up_due=due,
        follow_up_done_at=done,
    )


def _build(*, data_interactions, data_surveys, data_reviews, shift):
    """Two teams on two scorecards; team A's gets a new version mid-week; one agent moves."""
    version_a1 = PublishedVersionFactory(
        effective_from=dt.date(2025, 1, 1), sla_minutes=30, metrics=_metrics(shift=shift)
    )
    PublishedVersionFactory(
        scorecard=version_a1.scorecard,
        effective_from=FIRST + dt.timedelta(days=2),
        sla_minutes=90,
        metrics=_metrics(shift=shift + 1),
    )
    version_b = PublishedVersionFactory(
        effective_from=dt.date(2025, 1, 1), sla_minutes=45, metrics=_metrics(shift=shift + 2)
    )
    team_a = TeamFactory(scorecard=version_a1.scorecard)
    team_b = TeamFactory(scorecard=version_b.scorecard)
    employees = [EmployeeFactory() for _ in range(3)]
    TeamMembershipFactory(employee=employees[0], team=team_a, starts_on=dt.date(2025, 1, 1))
    move = FIRST + dt.timedelta(days=3)
    TeamMembershipFactory(
        employee=employees[1],
        team=team_a,
        starts_on=dt.date(2025, 1, 1),
        ends_on=move - dt.timedelta(days=1),
    )
    TeamMembershipFactory(employee=employees[1], team=team_b, starts_on=move)
    # The third joins team B on the second day: before that, nothing of theirs is scored.
    TeamMembershipFactory(employee=employees[2], team=team_b, starts_on=FIRST + dt.timedelta(1))

    made = [_interaction(spec=spec, employees=employees) for spec in data_interactions]
    for spec in data_surveys:
        if spec["interaction"] < len(made):
            interaction = made[spec["interaction"]]
            SurveyResponseFactory(
                interaction=interaction,
                csat=spec["csat"],
                nps=spec["nps"],
                submitted_at=interaction.opened_at + dt.timedelta(minutes=spec["minutes_later"]),
            )
    reviewed = set()
    for spec in data_reviews:
        if spec["interaction"] < len(made) and spec["interaction"] not in reviewed:
            reviewed.add(spec["interaction"])
            interaction = made[spec["interaction"]]
            moment = interaction.opened_at + dt.timedelta(minutes=spec["minutes_later"])
            PublishedQAReviewFactory(
                interaction=interaction,
                version=version_a1,
                status=spec["status"],
                reason=ReviewReason.CALIBRATION if spec["calibration"] else ReviewReason.SAMPLE,
                total=Decimal(spec["total"]),
                published_at=moment,
                scored_at=moment,
            )
    return employees, [team_a, team_b]


# ---- the recount, from docs/SCORING.md alone -------------------------------------------------


def _in_force(scorecard_id, day):
    versions = [
        v
        for v in ScorecardVersion.objects.filter(scorecard_id=scorecard_id, status="published")
        if v.effective_from <= day
    ]
    return max(versions, key=lambda v: v.effective_from) if versions else None


def _final_at(day):
    longest = 0
    for scorecard_id in {v.scorecard_id for v in ScorecardVersion.objects.all()}:
        version = _in_force(scorecard_id, day)
        if version is not None:
            longest = max(longest, version.sla_minutes)
    return midnight(day + dt.timedelta(days=1)) + dt.timedelta(minutes=longest)


def _recount_stats(*, employee, day, sla_minutes, now) -> tuple[dict, bool]:
    mine = [i for i in Interaction.objects.all() if i.employee_id == employee.pk]
    opened = [i for i in mine if local(i.opened_at) == day]
    resolved = [i for i in mine if local(i.resolved_at) == day]
    limit = dt.timedelta(minutes=sla_minutes)
    stats = {}
    answered = [i for i in opened if i.first_response_at is not None]
    stats["response_sla"] = (
        sum(1 for i in answered if i.first_response_at - i.opened_at <= limit),
        sum(1 for i in opened if i.first_response_at is not None or i.opened_at + limit <= now),
    )
    waited = sum((i.first_response_at - i.opened_at for i in answered), dt.timedelta())
    stats["first_response_minutes"] = (
        (Decimal(waited.total_seconds()) / 60).quantize(PLACES, ROUND_HALF_UP),
        len(answered),
    )
    stats["fcr"] = (sum(i.is_first_contact_resolution for i in resolved), len(resolved))
    took = sum((i.resolved_at - i.opened_at for i in resolved), dt.timedelta())
    stats["resolution_hours"] = (
        (Decimal(took.total_seconds()) / 3600).quantize(PLACES, ROUND_HALF_UP),
        len(resolved),
    )
    due = [i for i in mine if i.follow_up_due == day]
    in_time = [i for i in due if i.follow_up_done_at and local(i.follow_up_done_at) <= day]
    done = [i for i in due if i.follow_up_done_at is not None]
    # A follow-up due today is not late before the day ends: it counts once it is done.
    stats["follow_up"] = (len(in_time), len(due) if day < local(now) else len(done))
    stats["escalation"] = (sum(i.is_escalated for i in resolved), len(resolved))
    answers = [
        r
        for r in SurveyResponse.objects.select_related("interaction")
        if r.interaction.employee_id == employee.pk and local(r.submitted_at) == day
    ]
    stats["csat"] = (sum(1 for r in answers if r.csat >= 4), len(answers))
    rated = [r for r in answers if r.nps is not None]
    stats["nps"] = (
        sum(1 for r in rated if r.nps >= 9) - sum(1 for r in rated if r.nps <= 6),
        len(rated),
    )
    counted = [
        q
        for q in QAReview.objects.select_related("interaction")
        if q.interaction.employee_id == employee.pk
        and q.status in ("published", "disputed", "resolved")
        and q.reason != ReviewReason.CALIBRATION
        and local(q.scored_at) == day
    ]
    stats["qa"] = (sum(q.total for q in counted), len(counted))
    worked = bool(opened or resolved)
    is_final = now >= _final_at(day)
    stats["volume"] = (len(resolved), 1 if worked and is_final else 0)
    return {code: (Decimal(num), Decimal(den)) for code, (num, den) in stats.items()}, worked


def _recount_score(*, version, stats, worked, is_final):
    weighted, weights = Decimal(0), Decimal(0)
    for metric in version.metrics.all():
        num, den = stats[metric.code]
        if den == 0 or den < metric.min_sample:
            continue
        value = num / den * (100 if metric.code in PERCENT else 1)
        ratio = (value - metric.floor) / (metric.target - metric.floor)
        weighted += metric.weight * min(max(ratio, Decimal(0)), Decimal(1)) * 100
        weights += metric.weight
    if not worked or not weights:
        return None, ""
    total = (weighted / weights).quantize(CENT, ROUND_HALF_UP)
    if not is_final:
        return total, ""
    if total >= version.green_from:
        return total, "green"
    return total, "amber" if total >= version.amber_from else "red"


def _member_team(employee, day):
    for membership in employee.memberships.select_related("team").order_by("-starts_on"):
        if membership.starts_on <= day and (
            membership.ends_on is None or day <= membership.ends_on
        ):
            return membership.team
    return None


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data_interactions=interactions,
    data_surveys=surveys,
    data_reviews=reviews,
    now_minutes=st.integers(0, 3 * 24 * 60),
    shift=st.integers(0, 5),
)
def test_every_stored_figure_matches_an_independent_recount(
    data_interactions, data_surveys, data_reviews, now_minutes, shift
):
    with transaction.atomic():
        employees, teams = _build(
            data_interactions=data_interactions,
            data_surveys=data_surveys,
            data_reviews=data_reviews,
            shift=shift,
        )
        # Scored at a moment from the last day to two days later: today, yesterday so far.
        now = midnight(LAST) + dt.timedelta(minutes=now_minutes)
        scores_compute(date_from=FIRST, date_to=LAST, now=now)

        expected_team = {}
        for employee in employees:
            for offset in range(DAYS):
                day = FIRST + dt.timedelta(days=offset)
                team = _member_team(employee, day)
                stored = EmployeeDailyScore.objects.filter(employee=employee, day=day).first()
                if team is None:
                    assert stored is None, (employee, day)
                    continue
                version = _in_force(team.scorecard_id, day)
                stats, worked = _recount_stats(
                    employee=employee, day=day, sla_minutes=version.sla_minutes, now=now
                )
                is_final = now >= _final_at(day)
                total, band = _recount_score(
                    version=version, stats=stats, worked=worked, is_final=is_final
                )
                assert stored is not None, (employee, day)
                got = {
                    code: (getattr(stored, f"{code}_num"), getattr(stored, f"{code}_den"))
                    for code in CODES
                }
                assert got == stats, (employee, day)
                assert (stored.version_id, stored.team_id) == (version.pk, team.pk)
                assert (stored.total, stored.band) == (total, band), (employee, day, stats)
                assert (stored.is_worked, stored.is_final) == (worked, is_final)
                pooled = expected_team.setdefault(
                    (team.pk, day), {"stats": dict.fromkeys(CODES, (0, 0)), "worked": False}
                )
                pooled["stats"] = {
                    code: (pooled["stats"][code][0] + num, pooled["stats"][code][1] + den)
                    for code, (num, den) in stats.items()
                }
                pooled["worked"] |= worked

        for (team_id, day), pooled in expected_team.items():
            stored = TeamDailyScore.objects.get(team_id=team_id, day=day)
            team = next(t for t in teams if t.pk == team_id)
            version = _in_force(team.scorecard_id, day)
            total, band = _recount_score(
                version=version,
                stats=pooled["stats"],
                worked=pooled["worked"],
                is_final=now >= _final_at(day),
            )
            got = {
                code: (getattr(stored, f"{code}_num"), getattr(stored, f"{code}_den"))
                for code in CODES
            }
            assert got == pooled["stats"], (team_id, day)
            assert (stored.total, stored.band) == (total, band), (team_id, day)
        assert TeamDailyScore.objects.count() == len(expected_team)
        transaction.set_rollback(True)
