"""Calibration sessions of the demo organisation (docs/QA.md).

Riga Support's manager, the administrator and a QA lead rate the same interactions: one session
from two weeks ago is revealed with the lead's reference ratings, one is open with a deadline in
a few days, so the blind progress and the spread can both be shown. The QA lead is an
administrator because reviewers are the agent's team managers or administrators.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from customers.models import Interaction
from feedback.calibration_services import calibration_reference_set, calibration_session_create
from feedback.models import CalibrationSession, QAReview
from feedback.qa_services import interaction_review_version, qa_review_save
from feedback.services import qa_review_publish
from scorecards.demo.organisation import demo_organisation_zone
from staff.choices import Role
from staff.models import Employee, TeamMembership

TEAM = "riga-support"
QA_LEAD = ("qa.lead", "Laura", "Ozola")
# How far each reviewer tends to stray from the agreed rating: the QA lead is the strictest.
LEANINGS = (0.0, 0.3, -0.6)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=demo_organisation_zone())


def _candidates(*, team_managers: list[Employee], since: dt.date, until: dt.date, count: int):
    """Return resolved Riga Support interactions nobody has reviewed, of different agents first."""
    members = TeamMembership.objects.filter(team__slug=TEAM, ends_on__isnull=True)
    interactions = [
        interaction
        for interaction in Interaction.objects.filter(
            employee__in=members.values("employee_id"),
            resolved_at__gte=_at(since, 0),
            resolved_at__lt=_at(until, 0),
        )
        .exclude(Exists(QAReview.objects.filter(interaction=OuterRef("pk"))))
        .exclude(employee__in=team_managers)
        .order_by("resolved_at", "pk")[:200]
        if interaction_review_version(interaction=interaction) is not None
    ]
    found, agents = [], set()
    for interaction in interactions:
        if interaction.employee_id not in agents:
            agents.add(interaction.employee_id)
            found.append(interaction)
    found += [interaction for interaction in interactions if interaction not in found]
    return found[:count]


def _rate(*, session, reviewers, rng: random.Random, agreed: dict, publish_all: bool, day):
    """Rate the session's drafts near the agreed ratings; the last reviewer leaves some."""
    for position, reviewer in enumerate(reviewers):
        drafts = QAReview.objects.filter(calibration_session=session, reviewer=reviewer).order_by(
            "interaction_id"
        )
        for index, review in enumerate(drafts.select_related("version")):
            if not publish_all and index >= position:
                continue
            ratings = {}
            for criterion in review.version.qa_criteria.all():
                base = agreed[(review.interaction_id, criterion.pk)]
                drift = round(LEANINGS[position % len(LEANINGS)] + rng.choice((-1, 0, 0, 0, 1)))
                ratings[criterion.pk] = (min(4, max(0, base + drift)), "")
            review = qa_review_save(review=review, actor=reviewer, ratings=ratings, record=False)
            # Anchored on the demo's day, so a seed and a day give the same demo.
            qa_review_publish(review=review, actor=reviewer, now=_at(day, 10 + position))


def demo_calibration_create(*, today: dt.date, now: dt.datetime, rng: random.Random) -> dict:
    """Write a revealed calibration session with references and an open one; return counts."""
    manager = Employee.objects.filter(managed_teams__slug=TEAM).order_by("pk").first()
    admin = Employee.objects.filter(role=Role.ADMIN).order_by("pk").first()
    if manager is None or admin is None:
        return {}
    user = get_user_model().objects.create_user(
        username=QA_LEAD[0],
        first_name=QA_LEAD[1],
        last_name=QA_LEAD[2],
        email=f"{QA_LEAD[0]}@crs.example",
    )
    lead = Employee.objects.create(
        user=user, role=Role.ADMIN, language="en", hire_date=today - dt.timedelta(days=700)
    )
    reviewers = [manager, admin, lead]
    past = _candidates(
        team_managers=reviewers,
        since=today - dt.timedelta(days=30),
        until=today - dt.timedelta(days=16),
        count=3,
    )
    recent = _candidates(
        team_managers=reviewers,
        since=today - dt.timedelta(days=10),
        until=today,
        count=3,
    )
    sessions = 0
    if len(past) == 3:
        _revealed_session_create(
            past=past, reviewers=reviewers, admin=admin, today=today, now=now, rng=rng
        )
        sessions += 1
    if len(recent) == 3:
        _open_session_create(
            recent=recent, reviewers=reviewers, manager=manager, today=today, now=now, rng=rng
        )
        sessions += 1
    return {"calibration_sessions": sessions}


def _agreed(*, interactions: list, choices: tuple[int, ...], rng: random.Random) -> dict:
    """The rating the reviewers lean to on each criterion of each interaction."""
    return {
        (interaction.pk, criterion.pk): rng.choice(choices)
        for interaction in interactions
        for criterion in interaction_review_version(interaction=interaction).qa_criteria.all()
    }


def _revealed_session_create(
    *,
    past: list,
    reviewers: list[Employee],
    admin: Employee,
    today: dt.date,
    now: dt.datetime,
    rng: random.Random,
) -> None:
    """A session whose deadline has passed: everyone rated, the lead set the references."""
    started = _at(today - dt.timedelta(days=15), 9)
    session = calibration_session_create(
        title="Riga Support: greeting and problem solving",
        deadline=now + dt.timedelta(days=1),
        interactions=past,
        reviewers=reviewers,
        actor=admin,
        now=started,
    )
    agreed = _agreed(interactions=past, choices=(2, 3, 3, 4), rng=rng)
    _rate(
        session=session,
        reviewers=reviewers,
        rng=rng,
        agreed=agreed,
        publish_all=True,
        day=today - dt.timedelta(days=12),
    )
    CalibrationSession.objects.filter(pk=session.pk).update(
        created_at=started, deadline=_at(today - dt.timedelta(days=8), 18)
    )
    for interaction in past:
        calibration_reference_set(
            session=session,
            interaction=interaction,
            references={
                criterion_id: (rating, "")
                for (interaction_id, criterion_id), rating in agreed.items()
                if interaction_id == interaction.pk
            },
            actor=admin,
        )


def _open_session_create(
    *,
    recent: list,
    reviewers: list[Employee],
    manager: Employee,
    today: dt.date,
    now: dt.datetime,
    rng: random.Random,
) -> None:
    """A session still open: some ratings in, blind until the deadline."""
    session = calibration_session_create(
        title="Riga Support: this week's calls",
        deadline=now + dt.timedelta(days=4),
        interactions=recent,
        reviewers=reviewers,
        actor=manager,
        now=now,
    )
    agreed = _agreed(interactions=recent, choices=(1, 2, 3), rng=rng)
    # Ilze has rated nothing yet, Marta one interaction, Laura two: blind until the deadline.
    _rate(
        session=session,
        reviewers=reviewers,
        rng=rng,
        agreed=agreed,
        publish_all=False,
        day=today,
    )
