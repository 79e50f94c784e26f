"""Survey answers upserted in bulk on (source, external_id) (feedback.survey_bulk)."""

import datetime as dt

import pytest
from django.utils import timezone

from feedback.models import SurveyResponse
from feedback.survey_bulk import survey_responses_upsert
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
    written, errors = survey_responses_upsert(
        rows=[_row(interaction, csat=1, comment="Worse", submitted_at=later)]
    )
    assert errors == {}
    stored = SurveyResponse.objects.get()
    assert (stored.csat, stored.comment, stored.submitted_at) == (1, "Worse", later)
    marked = set(DirtyDay.objects.values_list("employee_id", "day"))
    assert marked == {
        (interaction.employee_id, local_day(interaction.opened_at + dt.timedelta(hours=1))),
        (interaction.employee_id, local_day(later)),
    }
    assert [r.pk for r in written] == [stored.pk]


def test_a_bad_row_is_refused_alone():
    interaction = InteractionFactory()
    written, errors = survey_responses_upsert(
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
    assert set(errors) == {0, 1, 3}
    assert "csat" in errors[0]
    assert "submitted_at" in errors[1]
    assert list(SurveyResponse.objects.values_list("external_id", flat=True)) == ["c"]
    assert len(written) == 1
