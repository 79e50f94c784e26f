"""The demo's Zendesk connection: healthy, its recorded tickets scored, never polled."""

import pytest

from customers.models import Interaction
from feedback.models import SurveyResponse
from integrations.choices import EventStatus
from integrations.zendesk.demo import TICKETS, zendesk_demo_create
from integrations.zendesk.poller import connections_to_poll, zendesk_poll

pytestmark = pytest.mark.django_db


def test_the_demo_connection_is_healthy_and_left_alone_by_the_poller(agent):
    connection = zendesk_demo_create(agents=[agent])
    assert connection.events.count() == TICKETS
    assert set(connection.events.values_list("status", flat=True)) == {EventStatus.ACCEPTED}
    assert connection.events_accepted == TICKETS
    assert connection.events_refused == 0
    assert connection.state["error"] == ""
    assert connection.state["end_of_stream"] is True
    assert Interaction.objects.filter(source=connection.source, employee=agent).count() == TICKETS
    assert SurveyResponse.objects.filter(source=connection.source).exists()
    assert connection.pk not in connections_to_poll()
    assert zendesk_poll(connection_id=connection.pk).stopped == "recorded"
