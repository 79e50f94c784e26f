"""The rules page: a version's metrics, criteria and history; acknowledging it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scorecards.choices import MetricCode, VersionStatus
from scorecards.models import RuleAcknowledgement, ScorecardVersion
from scorecards.selectors.rules import version_changes
from scorecards.services.rules import rule_acknowledge
from tests.factories import PublishedVersionFactory, ScorecardFactory, ScorecardVersionFactory
from tests.scorecards.rules.helpers import CRITERIA, METRICS, TODAY, count_queries, signed_in

pytestmark = pytest.mark.django_db


# ---- rules page ----------------------------------------------------------------------------


def test_rules_page_explains_each_metric_criterion_and_band_of_the_version_in_force(
    client, agent, version
):
    response = signed_in(client, agent).get(reverse("scorecards:rules_detail", args=["support"]))

    assert response.status_code == 200
    rules = response.context["rules"]
    assert rules.version == version
    assert [metric.code for metric in rules.metrics] == [MetricCode.FCR, MetricCode.CSAT]
    fcr = rules.metrics[0]
    assert (fcr.target, fcr.floor, fcr.weight, fcr.min_sample) == (80, 40, 3, 2)
    assert fcr.weight_share == 75
    assert fcr.how == "Ask one more question before you close."
    page = response.content.decode()
    assert "Welcome to the support team." in page
    assert "Of the interactions resolved that day, the share resolved on the first contact." in page
    assert "Share of contacts solved the first time." in page
    assert "Counts on days with at least 2 cases." in page
    assert "Good morning, Acme support, this is Anna." in page
    assert 'data-criterion="courtesy"' in page
    assert "Critical" in page
    assert "a total of 80 or more" in page
    assert "a total below 60" in page


def test_rules_page_speaks_the_readers_language(client, agent):
    agent.language = "lv"
    agent.save()

    response = signed_in(client, agent).get(reverse("scorecards:rules_detail", args=["support"]))

    assert response.context["rules"].metrics[0].label == "Atrisināts pirmajā kontaktā"
    assert response.context["rules"].metrics[1].label == "Customer satisfaction"
    assert 'lang="lv"' in response.content.decode()


def test_agent_reads_only_the_rules_of_their_own_team(client, agent, other_scorecard):
    client = signed_in(client, agent)

    assert client.get(reverse("scorecards:rules_detail", args=["sales"])).status_code == 404
    listed = client.get(reverse("scorecards:rules_list")).context["scorecards"]
    assert [scorecard.slug for scorecard in listed] == ["support"]


@pytest.mark.parametrize("role", ["manager", "onboarding_staff", "admin"])
def test_managers_onboarding_staff_and_admins_read_every_scorecard(
    client, request, role, version, other_scorecard
):
    client = signed_in(client, request.getfixturevalue(role))

    assert client.get(reverse("scorecards:rules_detail", args=["sales"])).status_code == 200
    listed = client.get(reverse("scorecards:rules_list")).context["scorecards"]
    assert [scorecard.slug for scorecard in listed] == ["sales", "support"]


def test_rules_pages_need_a_sign_in(client, version):
    response = client.get(reverse("scorecards:rules_detail", args=["support"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_acknowledging_records_the_version_once_and_shows_the_date(client, agent, version):
    client = signed_in(client, agent)
    url = reverse("scorecards:rules_acknowledge", args=["support"])

    client.post(url, {"version": version.pk})
    first = RuleAcknowledgement.objects.get(employee=agent, version=version).acknowledged_at
    response = client.post(url, {"version": version.pk}, follow=True)

    assert RuleAcknowledgement.objects.get(employee=agent, version=version).acknowledged_at == first
    assert response.context["rules"].acknowledged_at == first
    assert 'data-testid="acknowledged"' in response.content.decode()
    assert 'data-testid="acknowledge"' not in response.content.decode()
    assert client.get(reverse("scorecards:rules_list")).context["scorecards"][0].acknowledged_at


def test_acknowledging_rules_that_changed_meanwhile_records_nothing(client, agent, version):
    response = signed_in(client, agent).post(
        reverse("scorecards:rules_acknowledge", args=["support"]),
        {"version": version.pk + 1000},
        follow=True,
    )

    assert not RuleAcknowledgement.objects.exists()
    assert "The rules changed while you were reading" in response.content.decode()


def test_acknowledging_another_teams_rules_is_not_found(client, agent, other_scorecard):
    version = other_scorecard.versions.get()
    response = signed_in(client, agent).post(
        reverse("scorecards:rules_acknowledge", args=["sales"]), {"version": version.pk}
    )

    assert response.status_code == 404
    assert not RuleAcknowledgement.objects.exists()


def test_only_published_rules_can_be_acknowledged(agent, version):
    draft = ScorecardVersionFactory(scorecard=version.scorecard, number=2)

    with pytest.raises(Exception, match="Only published rules"):
        rule_acknowledge(employee=agent, version=draft)


def _second_version(version, **changes) -> ScorecardVersion:
    second = PublishedVersionFactory(
        scorecard=version.scorecard,
        number=2,
        effective_from=TODAY - dt.timedelta(days=10),
        sla_minutes=30,
        change_summary="Faster answers, QA counts.",
        metrics=[
            {**METRICS[0], "weight": 2, "rule_how": "Summarise the fix before closing."},
            {"code": MetricCode.QA, "label": "Quality review", "target": 85, "floor": 50},
        ],
        criteria=[{**CRITERIA[1], "is_critical": False}],
        publish=False,
        **changes,
    )
    ScorecardVersion.objects.filter(pk=second.pk).update(
        status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    return ScorecardVersion.objects.prefetch_related("metrics", "qa_criteria").get(pk=second.pk)


def test_version_history_says_what_changed_between_versions(client, agent, version):
    _second_version(version)

    response = signed_in(client, agent).get(reverse("scorecards:rules_detail", args=["support"]))

    history = response.context["rules"].history
    assert [entry.version.number for entry in history] == [2, 1]
    assert history[0].is_in_force
    assert not history[1].is_in_force
    changes = {(c.part, c.kind, c.subject, c.field, c.before, c.after) for c in history[0].changes}
    assert changes == {
        ("version", "changed", "Support v2", "response SLA (minutes)", 60, 30),
        ("metric", "changed", "First contact resolution", "weight", Decimal(3), Decimal(2)),
        ("metric", "reworded", "First contact resolution", "how to do well", None, None),
        ("metric", "added", "Quality review", "", None, None),
        ("metric", "removed", "Customer satisfaction", "", None, None),
        ("criterion", "changed", "Courtesy", "critical", True, False),
        ("criterion", "removed", "Greeting", "", None, None),
    }
    page = response.content.decode()
    assert "Faster answers, QA counts." in page
    assert "Metric added: Quality review" in page
    assert "First contact resolution, weight:" in page


def test_version_changes_are_empty_between_identical_versions(version):
    loaded = ScorecardVersion.objects.prefetch_related("metrics", "qa_criteria").get(pk=version.pk)

    assert version_changes(before=loaded, after=loaded, language="en") == []


def test_an_upcoming_version_is_in_the_history_but_not_in_force(client, agent, version):
    upcoming = PublishedVersionFactory(
        scorecard=version.scorecard, number=2, effective_from=TODAY + dt.timedelta(days=7)
    )

    rules = (
        signed_in(client, agent)
        .get(reverse("scorecards:rules_detail", args=["support"]))
        .context["rules"]
    )

    assert rules.version == version
    assert rules.history[0].version == upcoming
    assert rules.history[0].is_upcoming


def test_a_scorecard_without_rules_in_force_says_so(client, manager):
    ScorecardFactory(name="New", slug="new")

    response = signed_in(client, manager).get(reverse("scorecards:rules_detail", args=["new"]))

    assert response.status_code == 200
    assert "has no rules in force yet" in response.content.decode()


def test_rules_page_query_count_does_not_grow_with_versions(
    client, agent, version, django_assert_max_num_queries
):
    client = signed_in(client, agent)
    url = reverse("scorecards:rules_detail", args=["support"])
    few = count_queries(client, url)
    for number in range(2, 10):
        PublishedVersionFactory(
            scorecard=version.scorecard,
            number=number,
            effective_from=TODAY - dt.timedelta(days=100 - number),
            metrics=METRICS,
            criteria=CRITERIA,
        )

    with django_assert_max_num_queries(9):
        response = client.get(url)

    assert len(response.context["rules"].history) == 9
    assert count_queries(client, url) == few


def test_rules_list_query_count_does_not_grow_with_scorecards(
    client, manager, django_assert_max_num_queries
):
    client = signed_in(client, manager)
    url = reverse("scorecards:rules_list")
    few = count_queries(client, url)
    for _number in range(8):
        PublishedVersionFactory(scorecard=ScorecardFactory(), effective_from=dt.date(2020, 1, 1))

    with django_assert_max_num_queries(6):
        response = client.get(url)

    assert len(response.context["scorecards"]) == 9
    assert count_queries(client, url) == few
