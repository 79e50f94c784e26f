import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from scorecards.choices import ChangeKind, MetricCode, VersionStatus
from scorecards.models import ChangeEvent, ScorecardVersion
from scorecards.services.versions import scorecard_version_draft_from, scorecard_version_publish
from tests.factories import (
    MetricFactory,
    PublishedVersionFactory,
    QACriterionFactory,
    ScorecardFactory,
    ScorecardVersionFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def _draft_with_metric(**kwargs) -> ScorecardVersion:
    version = ScorecardVersionFactory(**kwargs)
    MetricFactory(version=version)
    return version


def test_publishing_freezes_the_version_with_its_date():
    version = _draft_with_metric(number=3, effective_from=dt.date(2025, 1, 1))
    now = timezone.now()

    published = scorecard_version_publish(
        version=version, effective_from=dt.date(2025, 2, 1), now=now
    )

    version.refresh_from_db()
    assert published.pk == version.pk
    assert version.status == VersionStatus.PUBLISHED
    assert version.published_at == now
    assert version.effective_from == dt.date(2025, 2, 1)


def test_publishing_records_one_automatic_change_event_per_team_of_the_scorecard():
    scorecard = ScorecardFactory(name="Support")
    first, second = TeamFactory(scorecard=scorecard), TeamFactory(scorecard=scorecard)
    TeamFactory()
    version = _draft_with_metric(
        scorecard=scorecard, number=3, effective_from=dt.date(2025, 3, 1), change_summary="QA up"
    )

    scorecard_version_publish(version=version)

    events = ChangeEvent.objects.order_by("team_id")
    assert [event.team for event in events] == [first, second]
    assert {(e.day, e.kind, e.is_automatic, e.title, e.notes) for e in events} == {
        (dt.date(2025, 3, 1), ChangeKind.SCORECARD, True, "Support v3 takes effect", "QA up")
    }


def test_publishing_a_published_version_is_refused_at_its_status():
    version = PublishedVersionFactory()

    with pytest.raises(ValidationError) as refused:
        scorecard_version_publish(version=version)

    assert refused.value.message_dict == {
        "status": [f"Version {version.number} is already published."]
    }


def test_publishing_a_version_without_metrics_is_refused_and_writes_nothing():
    version = ScorecardVersionFactory()
    TeamFactory(scorecard=version.scorecard)

    with pytest.raises(ValidationError, match="has no metrics"):
        scorecard_version_publish(version=version)

    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert not ChangeEvent.objects.exists()


def test_publishing_on_a_date_another_published_version_holds_is_refused_at_the_date():
    in_force = PublishedVersionFactory(effective_from=dt.date(2025, 1, 1))
    draft = _draft_with_metric(scorecard=in_force.scorecard, effective_from=dt.date(2025, 6, 1))

    with pytest.raises(ValidationError) as refused:
        scorecard_version_publish(version=draft, effective_from=dt.date(2025, 1, 1))

    assert refused.value.message_dict == {
        "effective_from": [
            f"Version {in_force.number} of this scorecard already takes effect on 2025-01-01."
        ]
    }
    draft.refresh_from_db()
    assert (draft.status, draft.effective_from) == (VersionStatus.DRAFT, dt.date(2025, 6, 1))


def test_another_scorecard_may_publish_on_the_same_date():
    PublishedVersionFactory(effective_from=dt.date(2025, 1, 1))
    draft = _draft_with_metric(effective_from=dt.date(2025, 1, 1))

    assert scorecard_version_publish(version=draft).is_published


def test_new_draft_copies_rules_metrics_and_criteria_with_the_next_number():
    source = PublishedVersionFactory(
        number=2,
        effective_from=dt.date(2025, 1, 1),
        intro="Be kind.",
        sla_minutes=30,
        green_from=Decimal("85"),
        metrics=[
            {"code": MetricCode.FCR, "weight": Decimal("2"), "rule_how": "Ask twice."},
            {"code": MetricCode.CSAT, "target": Decimal("90"), "floor": Decimal("50")},
        ],
        criteria=[{"code": "greeting", "label": "Greeting", "is_critical": True}],
    )
    ScorecardVersionFactory(scorecard=source.scorecard, number=4)

    draft = scorecard_version_draft_from(version=source)

    assert draft.pk != source.pk
    assert (draft.number, draft.status, draft.published_at) == (5, VersionStatus.DRAFT, None)
    assert (draft.intro, draft.sla_minutes, draft.green_from) == ("Be kind.", 30, Decimal("85"))
    assert draft.effective_from > timezone.localdate()
    copied = draft.metrics.order_by("code").values_list("code", "weight", "target", "rule_how")
    assert list(copied) == [
        ("csat", Decimal("1"), Decimal("90"), ""),
        ("fcr", Decimal("2"), Decimal("80"), "Ask twice."),
    ]
    assert list(draft.qa_criteria.values_list("code", "is_critical")) == [("greeting", True)]
    assert source.metrics.count() == 2


def test_new_draft_starts_after_the_latest_published_version_so_it_can_be_published():
    future = timezone.localdate() + dt.timedelta(days=30)
    source = PublishedVersionFactory(effective_from=future, criteria=[{}])

    draft = scorecard_version_draft_from(version=source)
    QACriterionFactory(version=draft)

    assert draft.effective_from == future + dt.timedelta(days=1)
    assert scorecard_version_publish(version=draft).is_published
