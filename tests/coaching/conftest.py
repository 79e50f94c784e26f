import datetime as dt

import pytest
from django.utils import timezone

from coaching import tasks
from feedback import qa_services
from tests.factories import InteractionFactory, PublishedVersionFactory

CRITERIA = [
    {"code": "greeting", "label": "Greeting", "weight": 1, "position": 1},
    {"code": "solving", "label": "Problem solving", "weight": 2, "position": 2},
]


@pytest.fixture
def version(team):
    return PublishedVersionFactory(
        scorecard=team.scorecard,
        metrics=[{"code": "fcr"}, {"code": "csat", "target": 90, "floor": 50}, {"code": "qa"}],
        criteria=CRITERIA,
    )


@pytest.fixture
def criteria(version):
    return {criterion.code: criterion for criterion in version.qa_criteria.all()}


@pytest.fixture
def review(agent, manager, criteria):
    """A published review of one of the agent's interactions, weak on problem solving."""
    opened = timezone.now() - dt.timedelta(hours=3)
    interaction = InteractionFactory(
        employee=agent, opened_at=opened, resolved_at=opened + dt.timedelta(hours=1)
    )
    draft = qa_services.qa_review_start(interaction=interaction, reviewer=manager)
    ratings = {criteria["greeting"].pk: (4, ""), criteria["solving"].pk: (1, "Guessed")}
    return qa_services.qa_review_save_and_publish(review=draft, actor=manager, ratings=ratings)


@pytest.fixture
def send_tasks_eagerly(monkeypatch):
    """Run the e-mail task in-process when a commit publishes it (no broker in these tests)."""
    monkeypatch.setattr(
        tasks.coaching_session_email_send,
        "apply_async",
        lambda args, retry: tasks.coaching_session_email_send.apply(args=args),
    )
