import datetime as dt
import hashlib
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from crs_site.lib.numbers import quantize
from customers.models import Interaction
from feedback.choices import ReviewReason, ReviewStatus
from feedback.models import QAReview, ReviewerQuota, SamplingRule, SurveyResponse
from feedback.qa_scoring import qa_review_total
from feedback.qa_selectors import criterion_rating
from scorecards.choices import MetricCode, VersionStatus
from scorecards.models import (
    ChangeEvent,
    EmployeeDailyScore,
    Goal,
    ScorecardVersion,
    ScoreFillState,
)
from staff.choices import Role
from staff.models import Employee, Team, TeamMembership

TODAY = dt.date(2025, 10, 15)
SMALL = ("--agents", "10", "--days", "12", "--customers", "40", "--today", TODAY.isoformat())
LANGUAGES = ("ru", "lv", "lt")


def seed(*options: str) -> str:
    out = StringIO()
    call_command("seed_demo", *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def digest() -> str:
    """Hash every interaction, survey answer and review by content, not by id or creation time.

    The demo helpdesk connections' rows are left out: their source names the connection's id,
    which the database numbers.
    """
    interactions = (
        Interaction.objects.exclude(source__startswith="chatwoot:")
        .order_by("opened_at", "employee__user__username")
        .values_list(
            "employee__user__username",
            "customer__external_id",
            "channel",
            "subject",
            "opened_at",
            "first_response_at",
            "resolved_at",
            "is_first_contact_resolution",
            "is_escalated",
            "follow_up_due",
            "follow_up_done_at",
            "source",
            "external_id",
        )
    )
    responses = (
        SurveyResponse.objects.exclude(source__startswith="chatwoot:")
        .order_by("submitted_at", "csat")
        .values_list("interaction__opened_at", "csat", "nps", "comment", "submitted_at")
    )
    reviews = QAReview.objects.order_by("interaction__opened_at", "status").values_list(
        "interaction__opened_at", "reviewer__user__username", "status", "total", "published_at"
    )
    # A connector's source names its connection by id ("zendesk:3"): content, not identity.
    interactions = [(*row[:11], re.sub(r":\d+$", ":#", row[11]), row[12]) for row in interactions]
    # Sorted by content: rows that tie on the queries' order come back in any order.
    rows = sorted(map(repr, [*interactions, *responses, *reviews]))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.django_db
def test_seed_demo_loads_the_demo_organisation():
    output = seed(*SMALL)

    assert "interactions" in output
    users = {
        employee.user.username: employee for employee in Employee.objects.select_related("user")
    }
    assert users["admin"].role == Role.ADMIN
    assert users["admin"].user.is_superuser
    assert users["admin"].user.is_staff
    assert users["onboarding"].role == Role.ONBOARDING
    riga = Team.objects.get(slug="riga-support")
    assert users["manager"].role == Role.MANAGER
    assert list(riga.managers.all()) == [users["manager"]]
    assert users["agent"].role == Role.AGENT
    assert users["agent"].memberships.get(ends_on__isnull=True).team == riga
    assert set(Team.objects.values_list("name", flat=True)) == {
        "Riga Support",
        "Vilnius Support",
        "Tallinn Sales",
        "Key Accounts",
    }
    assert all(team.managers.count() == 1 for team in Team.objects.all())
    assert Employee.objects.filter(role=Role.AGENT).count() == 10
    assert {"en", "ru", "lv", "lt"} >= set(Employee.objects.values_list("language", flat=True))
    assert Interaction.objects.exists()
    assert SurveyResponse.objects.exists()
    assert ChangeEvent.objects.count() == 2
    # One healthy and one failing helpdesk connection, with their recorded deliveries.
    assert "Helpdesk connections: 2" in output
    assert Interaction.objects.filter(source__startswith="chatwoot:").count() == 3
    assert Goal.objects.filter(employee=users["agent"]).exists()
    # Scored as a scheduled run would record it: beat has nothing to catch up.
    assert EmployeeDailyScore.objects.exists()
    assert ScoreFillState.objects.filter(is_final=True, computed_at__isnull=False).count() == 12
    # Riga Support samples bad answers and new hires too; every manager has a weekly quota.
    assert set(
        SamplingRule.objects.filter(team=riga, is_enabled=True).values_list("kind", flat=True)
    ) == {"low_csat", "new_hire", "random"}
    # Every team's weekly sample size is its random rule (key accounts sample more).
    assert dict(
        SamplingRule.objects.filter(kind="random", is_enabled=True).values_list(
            "team__slug", "per_agent"
        )
    ) == {team.slug: 4 if team.slug == "key-accounts" else 3 for team in Team.objects.all()}
    assert set(ReviewerQuota.objects.values_list("reviewer__role", flat=True)) == {Role.MANAGER}
    assert ReviewerQuota.objects.count() == Team.objects.count()
    assert not QAReview.objects.filter(reason="sample", sampled_by="").exists()


@pytest.mark.django_db
def test_seed_demo_publishes_version_one_with_every_metric_and_criterion_translated():
    seed(*SMALL, "--skip-scores")

    published = ScorecardVersion.objects.get(scorecard__slug="customer-service", number=1)
    assert published.status == VersionStatus.PUBLISHED
    assert published.effective_from == TODAY - dt.timedelta(days=120)
    assert published.sla_minutes == 30
    metrics = {metric.code: metric for metric in published.metrics.all()}
    assert set(metrics) == set(MetricCode.values)
    assert metrics["first_response_minutes"].target < metrics["first_response_minutes"].floor
    assert (metrics["nps"].target, metrics["nps"].floor) == (50, -20)
    for metric in metrics.values():
        assert metric.rule_what
        assert metric.rule_why
        assert metric.rule_how
        for language in LANGUAGES:
            text = metric.translations[language]
            assert all(text[key] for key in ("label", "rule_what", "rule_why", "rule_how"))
            assert text["rule_how"] != metric.rule_how
    criteria = list(published.qa_criteria.all())
    assert len(criteria) == 7
    assert [c.code for c in criteria if c.is_critical] == ["correct-escalation"]
    for criterion in criteria:
        assert criterion.description
        assert criterion.examples
        for language in LANGUAGES:
            assert all(criterion.translations[language][key] for key in ("label", "examples"))
    assert all(published.translations[language]["intro"] for language in LANGUAGES)

    draft = ScorecardVersion.objects.get(scorecard__slug="customer-service", number=2)
    assert draft.status == VersionStatus.DRAFT
    assert draft.metrics.count() == 10
    assert draft.qa_criteria.count() == 7
    weights = dict(published.metrics.values_list("code", "weight"))
    assert dict(draft.metrics.values_list("code", "weight")) != weights


@pytest.mark.django_db
def test_seed_demo_moves_one_agent_between_teams_without_overlap():
    seed(*SMALL, "--skip-scores")

    moved = Employee.objects.filter(memberships__ends_on__isnull=False).distinct().get()
    ended, current = moved.memberships.order_by("starts_on")
    assert current.starts_on == TODAY - dt.timedelta(days=20)
    assert ended.ends_on == current.starts_on - dt.timedelta(days=1)
    assert ended.team != current.team
    assert TeamMembership.objects.filter(ends_on__isnull=True).count() == 10


@pytest.mark.django_db
def test_published_review_totals_follow_the_qa_formula_with_the_demo_sections():
    seed(*SMALL, "--skip-scores")

    # Both demo versions group their criteria in Opening, Resolution and Compliance; a wrong
    # escalation (critical, in Compliance) fails the whole review.
    for version in ScorecardVersion.objects.all():
        sections = list(version.qa_sections.values_list("code", "weight", "auto_fail"))
        assert sections == [
            ("opening", Decimal(25), "none"),
            ("resolution", Decimal(45), "none"),
            ("compliance", Decimal(30), "review"),
        ]
        assert not version.qa_criteria.filter(section=None).exists()
        assert version.qa_criteria.get(is_critical=True).section.code == "compliance"
        assert version.qa_sections.get(code="compliance").translations["lv"]["label"]

    reviews = QAReview.objects.filter(status=ReviewStatus.PUBLISHED).prefetch_related(
        "ratings__criterion__section"
    )
    assert reviews.exists()
    for review in reviews:
        expected = qa_review_total(
            ratings=[
                criterion_rating(criterion=rating.criterion, rating=rating.rating)
                for rating in review.ratings.all()
            ]
        )
        assert review.total == quantize(expected)
        # Calibration reviews never count in a score.
        counts = review.reason != ReviewReason.CALIBRATION
        assert review.scored_at == (review.published_at if counts else None)


# Transactional: each run commits and `flush` empties the database between runs, as on a
# fresh install.
@pytest.mark.django_db(transaction=True)
def test_seed_demo_is_deterministic_for_a_seed_and_day():
    seed(*SMALL, "--skip-scores")
    first = digest()
    call_command("flush", interactive=False, verbosity=0)
    seed(*SMALL, "--skip-scores")
    second = digest()
    call_command("flush", interactive=False, verbosity=0)
    seed(*SMALL, "--skip-scores", "--seed", "7")

    assert Interaction.objects.exists()
    assert first == second
    assert digest() != first


@pytest.mark.django_db
def test_if_empty_leaves_a_seeded_database_alone():
    seed(*SMALL, "--skip-scores")
    interactions = Interaction.objects.count()

    output = seed(*SMALL, "--if-empty")

    assert "no demo data loaded" in output
    assert Interaction.objects.count() == interactions
    assert Team.objects.count() == 4
    with pytest.raises(CommandError):
        seed(*SMALL)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin", "manager", "agent", "onboarding"])
def test_demo_users_sign_in_with_the_demo_password(client, username):
    seed(*SMALL, "--skip-scores")

    response = client.post(
        reverse("login"), {"username": username, "password": settings.CRS_DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert (
        int(client.session["_auth_user_id"])
        == Employee.objects.get(user__username=username).user_id
    )


@pytest.mark.django_db
def test_seed_demo_refuses_too_few_agents():
    with pytest.raises(CommandError):
        seed("--agents", "3", "--days", "2", "--today", TODAY.isoformat())
    assert not Team.objects.exists()


def test_demo_logins_prints_the_four_logins_and_the_password():
    out = StringIO()
    call_command("demo_logins", stdout=out)

    lines = out.getvalue().splitlines()
    for username in ("admin", "manager", "agent", "onboarding"):
        assert any(line.split()[:1] == [username] for line in lines)
    assert out.getvalue().count(settings.CRS_DEMO_PASSWORD) == 4


@pytest.mark.django_db
def test_seed_demo_has_a_revealed_and_an_open_calibration_session():
    from django.utils import timezone

    from feedback.calibration_selectors import SessionStatus, calibration_session_view
    from feedback.models import CalibrationSession

    seed("--agents", "10", "--days", "35", "--customers", "40", "--today", TODAY.isoformat())

    admin = Employee.objects.get(user__username="admin")
    revealed, current = CalibrationSession.objects.order_by("created_at")
    view = calibration_session_view(
        session=revealed, employee=admin, now=timezone.now(), language="en"
    )
    assert view.status == SessionStatus.REVEALED
    assert (len(view.columns), len(view.interactions)) == (3, 3)
    assert revealed.references.count() == sum(len(spread.rows) for spread in view.spreads) > 0
    assert all(row.mean is not None for row in view.distances)
    manager = Employee.objects.get(user__username="manager")
    view = calibration_session_view(
        session=current, employee=manager, now=timezone.now(), language="en"
    )
    assert view.status == SessionStatus.OPEN
    rated = {row.reviewer.user.username: row.rated for row in view.progress}
    assert rated == {"manager": 0, "admin": 1, "qa.lead": 2}
