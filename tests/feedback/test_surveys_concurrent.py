"""Two submissions of one survey at the same moment store exactly one response (PostgreSQL)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from feedback.models import SurveyResponse
from feedback.services import survey_response_submit
from feedback.survey_selectors import SurveyAlreadyAnswered, survey_token
from tests.factories import SurveyInvitationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls):
    """Run each call in its own thread and database connection, released at one barrier."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_two_simultaneous_submissions_store_one_response():
    invitation = SurveyInvitationFactory()
    results = run_together(
        lambda: survey_response_submit(invitation=invitation, csat=5, comment="first"),
        lambda: survey_response_submit(invitation=invitation, csat=1, comment="second"),
    )
    stored = [result for result in results if isinstance(result, SurveyResponse)]
    refused = [result for result in results if isinstance(result, SurveyAlreadyAnswered)]
    assert (len(stored), len(refused)) == (1, 1), results
    assert SurveyResponse.objects.filter(invitation=invitation).count() == 1
    assert SurveyResponse.objects.get().comment == stored[0].comment


def test_two_simultaneous_posts_of_the_page_store_one_response():
    invitation = SurveyInvitationFactory()
    url = f"/s/{survey_token(invitation=invitation)}/"
    statuses = run_together(
        lambda: Client().post(url, {"csat": "4"}).status_code,
        lambda: Client().post(url, {"csat": "2"}).status_code,
    )
    assert sorted(statuses) == [302, 409]
    assert SurveyResponse.objects.count() == 1


def test_the_database_refuses_a_second_response_to_one_invitation():
    # The last line of defence, should a write ever skip the service's lock.
    invitation = SurveyInvitationFactory()
    SurveyResponse.objects.create(
        interaction=invitation.interaction,
        invitation=invitation,
        csat=5,
        submitted_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(
            interaction=invitation.interaction,
            invitation=invitation,
            csat=1,
            submitted_at=timezone.now(),
        )
    assert SurveyResponse.objects.count() == 1
