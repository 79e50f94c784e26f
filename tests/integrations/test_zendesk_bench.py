"""The Zendesk benchmark's page is processed whole: what it times is the real work."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from bench import zendesk as bench
from customers.models import Customer, Interaction
from feedback.models import SurveyResponse
from integrations.choices import EventStatus
from integrations.models import InboundEvent
from integrations.zendesk.client import ExportPage
from integrations.zendesk.poller import _page_write

pytestmark = pytest.mark.django_db


def test_the_benchmark_page_writes_every_ticket():
    connection, _employees, customers = bench._setup()
    start = (timezone.now() - dt.timedelta(days=6)).replace(microsecond=0)
    body = json.loads(bench.page_body(first_id=1, start=start))
    page = ExportPage(
        tickets=body["tickets"],
        after_cursor=body["after_cursor"],
        end_of_stream=False,
        metric_sets=body["metric_sets"],
        users=body["users"],
    )
    assert _page_write(connection_id=connection.pk, cursor=None, page=page)
    assert Interaction.objects.filter(source=connection.source).count() == bench.TICKETS
    assert set(InboundEvent.objects.values_list("status", flat=True)) == {EventStatus.ACCEPTED}
    assert SurveyResponse.objects.filter(source=connection.source).exists()
    # The requesters were known: no customer was added.
    assert Interaction.objects.values("customer").distinct().count() == len(customers)
    assert Customer.objects.count() == len(customers)
