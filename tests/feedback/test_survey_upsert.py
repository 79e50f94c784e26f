"""Survey answers keyed by (source, external_id): one rule for one answer and for a batch."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback.models import SurveyResponse
from feedback.services import survey_response_upsert, survey_responses_upsert
from scorecards.dirty import local_day
from scorecards.models import DirtyDay
from tests.factories import InteractionFactory

pytestmark = pytest.mark.django_db


def _row(interaction, **fields):
    return {
        "interaction_id": interaction.pk,
        "csat": 5,
        "source": "zendesk:1",
        "external_id": "31",
        "submitted_at": interaction.opened_at + dt.timedelta(hours=1),
        **fields,
    }


def test_a_second_delivery_updates_the_answer_and_marks_both_days():
    interaction = InteractionFactory(opened_at=timezone.now() - dt.timedelta(days=3))
    survey_responses_upsert(rows=[_row(interaction)])
    DirtyDay.objects.all().delete()
    later = interaction.opened_at + dt.timedelta(days=2)
    written = survey_responses_upsert(
        rows=[_row(interaction, csat=1, comment="Worse", submitted_at=later)]
    )
    assert written.errors == {}
    assert (written.created, written.updated) == (0, 1)
    stored = SurveyResponse.objects.get()
    assert (stored.csat, stored.comment, stored.submitted_at) == (1, "Worse", later)
    marked = set(DirtyDay.objects.values_list("employee_id", "day"))
    assert marked == {
        (interaction.employee_id, local_day(interaction.opened_at + dt.timedelta(hours=1))),
        (interaction.employee_id, local_day(later)),
    }
    assert [r.pk for r in written.responses] == [stored.pk]


def test_a_bad_row_is_refused_alone():
    interaction = InteractionFactory()
    written = survey_responses_upsert(
        rows=[
            _row(interaction, csat=9, external_id="a"),
            _row(
                interaction,
                external_id="b",
                submitted_at=interaction.opened_at - dt.timedelta(days=1),
            ),
            _row(interaction, external_id="c"),
            {**_row(interaction, external_id="d"), "interaction_id": 0},
        ]
    )
    assert set(written.errors) == {0, 1, 3}
    assert "csat" in written.errors[0]
    assert "submitted_at" in written.errors[1]
    assert list(SurveyResponse.objects.values_list("external_id", flat=True)) == ["c"]
    assert len(written.responses) == 1


def test_a_row_is_checked_as_a_single_answer_is():
    interaction = InteractionFactory()

    written = survey_responses_upsert(
        rows=[_row(interaction, nps=11), _row(interaction, external_id="x" * 101, language="xx")]
    )

    assert "nps" in written.errors[0]
    assert {"external_id", "language"} <= set(written.errors[1])
    assert not SurveyResponse.objects.exists()


def test_one_answer_in_steps_keeps_its_first_time_and_comment():
    interaction = InteractionFactory(opened_at=timezone.now() - dt.timedelta(days=3))
    first = interaction.opened_at + dt.timedelta(hours=1)
    survey_response_upsert(
        interaction=interaction,
        source="chatwoot:1",
        external_id="7:1",
        csat=2,
        comment="Slow",
        submitted_at=first,
    )

    survey_response_upsert(
        interaction=interaction,
        source="chatwoot:1",
        external_id="7:1",
        csat=4,
        submitted_at=first + dt.timedelta(days=1),
    )

    stored = SurveyResponse.objects.get()
    assert (stored.csat, stored.comment, stored.submitted_at) == (4, "Slow", first)
    assert stored.language == interaction.customer.language


def test_one_refused_answer_raises_at_its_field():
    interaction = InteractionFactory()

    with pytest.raises(ValidationError) as raised:
        survey_response_upsert(
            interaction=interaction,
            source="chatwoot:1",
            external_id="7:1",
            csat=6,
            submitted_at=interaction.opened_at,
        )

    assert "csat" in raised.value.message_dict
