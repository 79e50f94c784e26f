import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from coaching import selectors
from coaching.models import CoachingAction, CoachingSession
from feedback.choices import ReviewStatus
from feedback.models import QADisputeItem, QAReview
from staff.models import Employee

TODAY = dt.date(2025, 10, 15)


@pytest.mark.django_db
def test_demo_has_sessions_with_actions_acknowledgements_a_before_and_after_and_read_reviews():
    out = StringIO()
    call_command(
        "seed_demo",
        *("--agents", "10", "--days", "50", "--customers", "40", "--today", TODAY.isoformat()),
        stdout=out,
        stderr=StringIO(),
    )
    assert "coaching sessions" in out.getvalue()
    sessions = list(CoachingSession.objects.select_related("agent__user", "coach__user"))
    assert len(sessions) >= 3
    assert any(session.acknowledged_at for session in sessions)
    assert any(session.acknowledged_at is None for session in sessions)
    assert CoachingAction.objects.filter(done_at__isnull=True, due_on__lt=TODAY).exists()
    demo_agent = Employee.objects.get(user__username="agent")
    assert CoachingSession.objects.filter(agent=demo_agent, acknowledged_at__isnull=True).exists()
    trained = next(s for s in sessions if s.agent.memberships.filter(team__slug="vilnius-support"))
    effect = selectors.session_effect(session=trained, user=trained.coach.user)
    assert effect.pooled.metrics
    assert all(m.before.den > 0 and m.after.den > 0 for m in effect.pooled.metrics)
    # Most published reviews have been read by their agents, not all.
    published = QAReview.objects.exclude(status=ReviewStatus.DRAFT)
    assert published.filter(seen_at__isnull=False).count() > published.count() / 2
    assert published.filter(seen_at__isnull=True).exists()
    # Each dispute names the criterion it is about; resolutions are not by the review's author.
    disputed = QAReview.objects.filter(disputed_at__isnull=False)
    assert disputed.exists()
    assert QADisputeItem.objects.count() == disputed.count()
    assert not disputed.filter(resolved_by=F("reviewer")).exists()
