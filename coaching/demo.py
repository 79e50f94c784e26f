"""Coaching sessions of the demo organisation (a step the demo builder calls, see apps.py).

Vilnius Support's agents were coached on first-contact resolution and escalations around the
team's training 30 days ago, so their sessions show a before/after; the demo's agent login (Riga
Support) has a recent session not yet acknowledged, with an action overdue.
"""

import datetime as dt
import random

from django.utils import timezone

from coaching.models import CoachingAction, CoachingSession
from feedback.choices import ReviewStatus
from feedback.models import QAReview
from scorecards.choices import MetricCode
from staff.choices import Role
from staff.models import Employee, Team

TRAINED_TEAM = "vilnius-support"
RECENT_TEAM = "riga-support"
SESSION_DAYS_AGO = 29
RECENT_DAYS_AGO = 6
DEMO_AGENT = "agent"

NOTES = (
    "We listened to two calls together. On both the customer's second question was not "
    "asked, and one ended in an escalation that the knowledge base article would have "
    "avoided. Agreed to try the 'one more question' habit for two weeks."
)
RECENT_NOTES = (
    "Looked at last week's reviews: greeting and tone are strong, the follow-up promise "
    "was not kept twice. We set reminders together."
)
COMMENTS = (
    "Thanks, the call examples helped. I will try the checklist.",
    "Agreed. Could we look at a chat transcript next time as well?",
)


def _agents(slug: str, day: dt.date) -> list[Employee]:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        return []
    return list(
        Employee.objects.filter(
            role=Role.AGENT,
            is_active=True,
            memberships__team=team,
            memberships__starts_on__lte=day,
        )
        .exclude(memberships__team=team, memberships__ends_on__lt=day)
        .select_related("user")
        .distinct()
        .order_by("pk")
    )


def _coach(slug: str) -> Employee | None:
    return Employee.objects.filter(managed_teams__slug=slug).order_by("pk").first()


def _session(*, agent, coach, held_on, metrics, notes, follow_up_on) -> CoachingSession:
    session = CoachingSession.objects.create(
        agent=agent,
        coach=coach,
        held_on=held_on,
        metrics=metrics,
        notes=notes,
        follow_up_on=follow_up_on,
    )
    review = (
        QAReview.objects.filter(interaction__employee=agent, published_at__date__lte=held_on)
        .exclude(status=ReviewStatus.DRAFT)
        .prefetch_related("ratings")
        .order_by("-published_at")
        .first()
    )
    if review is not None:
        session.reviews.add(review)
        session.interactions.add(review.interaction_id)
        weakest = sorted(
            (rating for rating in review.ratings.all() if rating.rating is not None),
            key=lambda rating: rating.rating,
        )[:1]
        session.criteria.set([rating.criterion_id for rating in weakest])
    goal = agent.goals.filter(starts_on__lte=held_on).order_by("-starts_on").first()
    if goal is not None:
        session.goals.add(goal)
    return session


def demo_coaching_create(*, today: dt.date, now: dt.datetime, rng: random.Random) -> dict:
    """Write the demo's coaching sessions and actions; return how many of each."""
    sessions = []
    actions = []
    coach = _coach(TRAINED_TEAM)
    held_on = today - dt.timedelta(days=SESSION_DAYS_AGO)
    for index, agent in enumerate(_agents(TRAINED_TEAM, held_on)[:4] if coach else []):
        session = _session(
            agent=agent,
            coach=coach,
            held_on=held_on + dt.timedelta(days=index % 2),
            metrics=[MetricCode.FCR, MetricCode.ESCALATION],
            notes=NOTES,
            follow_up_on=held_on + dt.timedelta(days=14),
        )
        if index < 3:
            session.acknowledged_at = timezone.make_aware(
                dt.datetime.combine(session.held_on, dt.time(16, rng.randrange(60)))
            )
            session.agent_comment = COMMENTS[index] if index < len(COMMENTS) else ""
            session.save(update_fields=["acknowledged_at", "agent_comment"])
        sessions.append(session)
        actions += [
            CoachingAction(
                session=session,
                description="Ask one more question before closing every contact",
                owner=agent,
                due_on=session.held_on + dt.timedelta(days=7),
                done_at=now - dt.timedelta(days=SESSION_DAYS_AGO - 8),
            ),
            CoachingAction(
                session=session,
                description="Review two escalated tickets together",
                owner=coach,
                due_on=session.held_on + dt.timedelta(days=14),
                done_at=None if index == 0 else now - dt.timedelta(days=SESSION_DAYS_AGO - 14),
            ),
        ]
    coach = _coach(RECENT_TEAM)
    recent = today - dt.timedelta(days=RECENT_DAYS_AGO)
    recent_agents = _agents(RECENT_TEAM, recent) if coach else []
    if recent_agents:
        # The demo's agent login sees a session waiting for acknowledgement.
        agent = next(
            (person for person in recent_agents if person.user.username == DEMO_AGENT),
            recent_agents[rng.randrange(len(recent_agents))],
        )
        session = _session(
            agent=agent,
            coach=coach,
            held_on=recent,
            metrics=[MetricCode.FOLLOW_UP, MetricCode.QA],
            notes=RECENT_NOTES,
            follow_up_on=today + dt.timedelta(days=8),
        )
        sessions.append(session)
        actions += [
            CoachingAction(
                session=session,
                description="Set a helpdesk reminder for every follow-up you promise",
                owner=agent,
                due_on=recent + dt.timedelta(days=3),
            ),
            CoachingAction(
                session=session,
                description="Share the follow-up checklist with the team",
                owner=coach,
                due_on=today + dt.timedelta(days=5),
            ),
        ]
    CoachingAction.objects.bulk_create(actions)
    return {"coaching_sessions": len(sessions), "coaching_actions": len(actions)}
