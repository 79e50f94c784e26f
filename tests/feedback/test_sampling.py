"""The weekly sampling's rules, reviewers' quotas and the page where managers set both."""

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from feedback import qa_services
from feedback.choices import ReviewReason, ReviewStatus, SamplingRuleKind
from feedback.models import QAReview, ReviewerQuota, SamplingRule
from feedback.sampling_selectors import reviewer_week_progress, sampling_rules_for_teams
from feedback.sampling_services import RuleSetting, reviewer_quotas_set, sampling_rules_set
from staff.choices import Role
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    PublishedQAReviewFactory,
    PublishedVersionFactory,
    QAReviewFactory,
    ReviewerQuotaFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
)

ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
WEEK = dt.date(2026, 11, 9)  # a Monday
CRITERIA = [{"code": "greeting", "label": "Greeting", "weight": 1, "position": 1}]


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), ZONE)


@pytest.fixture
def version(team):
    return PublishedVersionFactory(scorecard=team.scorecard, criteria=CRITERIA)


def _interaction(agent, day: int = 0, **extra):
    return InteractionFactory(
        employee=agent,
        opened_at=at(WEEK + dt.timedelta(days=day), 9),
        resolved_at=at(WEEK + dt.timedelta(days=day), 11),
        **extra,
    )


def _rules(team, **enabled):
    """Save the team's rules: only the kinds named are on, with their numbers."""
    for kind in SamplingRuleKind.values:
        values = enabled.get(kind)
        SamplingRule.objects.update_or_create(
            team=team,
            kind=kind,
            defaults={"is_enabled": values is not None, **(values or {})},
        )


def _sampled() -> dict[int, str]:
    return dict(
        QAReview.objects.filter(reason=ReviewReason.SAMPLE).values_list(
            "interaction_id", "sampled_by"
        )
    )


# ---- the rules -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_team_without_saved_rules_samples_at_random_at_the_default_size(team):
    rules = sampling_rules_for_teams(teams=[team])[team.pk]

    assert list(rules) == [
        SamplingRuleKind.LOW_CSAT,
        SamplingRuleKind.ESCALATED,
        SamplingRuleKind.NEW_HIRE,
        SamplingRuleKind.RANDOM,
    ]
    assert [kind for kind, rule in rules.items() if rule.is_enabled] == [SamplingRuleKind.RANDOM]
    assert rules[SamplingRuleKind.RANDOM].per_agent == 3
    assert not SamplingRule.objects.exists()


@pytest.mark.django_db
def test_low_csat_rule_picks_every_answer_of_two_or_less_and_labels_it(
    team, manager, version, agent
):
    _rules(team, low_csat={})
    poor = _interaction(agent, 0)
    SurveyResponseFactory(interaction=poor, csat=2)
    awful = _interaction(agent, 1)
    SurveyResponseFactory(interaction=awful, csat=1)
    fair = _interaction(agent, 2)
    SurveyResponseFactory(interaction=fair, csat=3)
    _interaction(agent, 3)

    result = qa_services.qa_sample_week(week_start=WEEK)

    assert result.created == 2
    assert _sampled() == {poor.pk: "low_csat", awful.pk: "low_csat"}
    assert set(QAReview.objects.values_list("reviewer_id", flat=True)) == {manager.pk}


@pytest.mark.django_db
def test_escalated_rule_picks_escalated_interactions_and_the_first_rule_labels(
    team, manager, version, agent
):
    _rules(team, low_csat={}, escalated={})
    escalated = _interaction(agent, 0, is_escalated=True)
    both = _interaction(agent, 1, is_escalated=True)
    SurveyResponseFactory(interaction=both, csat=1)
    _interaction(agent, 2)

    qa_services.qa_sample_week(week_start=WEEK)

    assert _sampled() == {escalated.pk: "escalated", both.pk: "low_csat"}


@pytest.mark.django_db
def test_new_hire_rule_replaces_the_random_draw_in_the_first_weeks(team, manager, version):
    _rules(
        team,
        new_hire={"per_agent": 5, "new_hire_weeks": 2},
        random={"per_agent": 1},
    )
    new_hire = EmployeeFactory(role=Role.AGENT, hire_date=WEEK - dt.timedelta(days=10))
    veteran = EmployeeFactory(role=Role.AGENT, hire_date=WEEK - dt.timedelta(days=400))
    for person in (new_hire, veteran):
        TeamMembershipFactory(employee=person, team=team, starts_on=person.hire_date)
        for day in range(7):
            _interaction(person, day)

    qa_services.qa_sample_week(week_start=WEEK)

    reviews = QAReview.objects.select_related("interaction")
    by_agent = {
        person.pk: sorted(r.sampled_by for r in reviews if r.interaction.employee_id == person.pk)
        for person in (new_hire, veteran)
    }
    assert by_agent == {new_hire.pk: ["new_hire"] * 5, veteran.pk: ["random"]}

    # Two weeks after the hire date, the new hire is sampled like everyone else.
    later = WEEK + dt.timedelta(weeks=1)
    for day in range(7):
        InteractionFactory(
            employee=new_hire,
            opened_at=at(later + dt.timedelta(days=day), 9),
            resolved_at=at(later + dt.timedelta(days=day), 11),
        )
    assert qa_services.qa_sample_week(week_start=later).created == 1
    assert QAReview.objects.filter(interaction__opened_at__gte=at(later, 0)).get().sampled_by == (
        "random"
    )


@pytest.mark.django_db
def test_rules_switched_off_pick_nothing(team, manager, version, agent):
    _rules(team)
    SurveyResponseFactory(interaction=_interaction(agent, 0, is_escalated=True), csat=1)
    _interaction(agent, 1)

    result = qa_services.qa_sample_week(week_start=WEEK)

    assert result.created == 0
    assert not QAReview.objects.exists()


@pytest.mark.django_db
def test_rerun_creates_nothing_and_a_late_answer_only_adds_its_own_interaction(
    team, manager, version, agent
):
    _rules(team, low_csat={}, random={"per_agent": 2})
    interactions = [_interaction(agent, day % 7) for day in range(10)]
    SurveyResponseFactory(interaction=interactions[0], csat=1)
    qa_services.qa_sample_week(week_start=WEEK)
    first = _sampled()
    assert qa_services.qa_sample_week(week_start=WEEK).created == 0
    assert _sampled() == first

    unsampled = next(i for i in interactions if i.pk not in first)
    SurveyResponseFactory(interaction=unsampled, csat=2)
    assert qa_services.qa_sample_week(week_start=WEEK).created == 1
    assert _sampled() == {**first, unsampled.pk: "low_csat"}


@pytest.mark.django_db
def test_rules_are_saved_together_and_refused_at_the_field(team, manager):
    settings_ok = {
        "low_csat": RuleSetting(is_enabled=True),
        "escalated": RuleSetting(is_enabled=False),
        "new_hire": RuleSetting(is_enabled=True, per_agent=6, new_hire_weeks=3),
        "random": RuleSetting(is_enabled=True, per_agent=3),
    }
    sampling_rules_set(team=team, actor=manager, settings=settings_ok)
    stored = {rule.kind: rule for rule in SamplingRule.objects.filter(team=team)}
    assert {kind for kind, rule in stored.items() if rule.is_enabled} == {
        "low_csat",
        "new_hire",
        "random",
    }
    assert (stored["new_hire"].per_agent, stored["new_hire"].new_hire_weeks) == (6, 3)

    with pytest.raises(ValidationError) as refused:
        sampling_rules_set(
            team=team,
            actor=manager,
            settings={
                **settings_ok,
                "new_hire": RuleSetting(is_enabled=True, per_agent=2, new_hire_weeks=None),
            },
        )
    assert set(refused.value.message_dict) == {"new_hire_per_agent", "new_hire_new_hire_weeks"}
    assert SamplingRule.objects.get(team=team, kind="new_hire").per_agent == 6

    outsider = EmployeeFactory(role=Role.MANAGER)
    with pytest.raises(ValidationError):
        sampling_rules_set(team=team, actor=outsider, settings=settings_ok)


# ---- quotas ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_week_progress_counts_published_reviews_and_sampled_drafts_due_and_overdue(
    team, manager, time_machine
):
    time_machine.move_to(at(WEEK + dt.timedelta(days=2), 12))
    ReviewerQuotaFactory(reviewer=manager, reviews_per_week=10)
    for _ in range(7):
        PublishedQAReviewFactory(reviewer=manager, published_at=at(WEEK + dt.timedelta(days=1)))
    PublishedQAReviewFactory(reviewer=manager, published_at=at(WEEK - dt.timedelta(days=1)))
    PublishedQAReviewFactory(
        reviewer=manager, reason=ReviewReason.CALIBRATION, published_at=at(WEEK)
    )
    QAReviewFactory(reviewer=manager, sampled_by="random")
    QAReviewFactory(reviewer=manager, sampled_by="low_csat")
    overdue = QAReviewFactory(reviewer=manager, sampled_by="random")
    QAReview.objects.filter(pk=overdue.pk).update(created_at=at(WEEK - dt.timedelta(days=3)))
    QAReviewFactory(reviewer=manager, reason=ReviewReason.FLAGGED)
    QAReviewFactory(sampled_by="random")  # someone else's

    progress = reviewer_week_progress(reviewer=manager, today=WEEK + dt.timedelta(days=2))

    assert (progress.quota, progress.published, progress.due, progress.overdue) == (10, 7, 2, 1)
    assert progress.percent == 70


@pytest.mark.django_db
def test_queue_shows_the_week_against_the_quota_and_which_rule_picked_each_draft(
    client, team, manager, version, agent, time_machine
):
    time_machine.move_to(at(WEEK + dt.timedelta(days=7), 9))
    ReviewerQuotaFactory(reviewer=manager, reviews_per_week=10)
    _rules(team, low_csat={})
    SurveyResponseFactory(interaction=_interaction(agent, 0), csat=1)
    qa_services.qa_sample_week(week_start=WEEK)
    client.force_login(manager.user)

    page = client.get(reverse("qa:queue")).content.decode()

    assert "0 of 10 reviews published" in page
    assert "1 sampled draft due this week" in page
    assert "Picked by: CSAT ≤ 2" in page
    review = QAReview.objects.get()
    assert (
        "Picked by: CSAT ≤ 2"
        in client.get(reverse("qa:review_edit", args=[review.pk])).content.decode()
    )


@pytest.mark.django_db
def test_quotas_are_set_only_for_the_reviewers_of_ones_teams(team, manager):
    colleague = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(colleague)
    stranger = EmployeeFactory(role=Role.MANAGER)
    TeamFactory().managers.add(stranger)

    assert reviewer_quotas_set(actor=manager, quotas={manager.pk: 5, colleague.pk: 8}) == 2
    assert reviewer_quotas_set(actor=manager, quotas={colleague.pk: None}) == 1
    assert dict(ReviewerQuota.objects.values_list("reviewer_id", "reviews_per_week")) == {
        manager.pk: 5
    }

    with pytest.raises(ValidationError):
        reviewer_quotas_set(actor=manager, quotas={stranger.pk: 5, colleague.pk: 3})
    assert not ReviewerQuota.objects.filter(reviewer__in=[stranger, colleague]).exists()


# ---- the managers' page ----------------------------------------------------------------------


def _rules_post(team, **fields):
    data = {
        "form": "rules",
        "team": str(team.pk),
        f"team-{team.pk}-random_is_enabled": "on",
        f"team-{team.pk}-random_per_agent": "3",
        f"team-{team.pk}-new_hire_per_agent": "6",
        f"team-{team.pk}-new_hire_new_hire_weeks": "4",
    }
    data.update({f"team-{team.pk}-{name}": value for name, value in fields.items()})
    return data


@pytest.mark.django_db
def test_manager_switches_their_teams_rules_on_the_page(client, team, manager):
    other = TeamFactory(name="Other team")
    client.force_login(manager.user)

    page = client.get(reverse("qa:sampling"))
    assert page.status_code == 200
    assert [team for team, _form in page.context["team_forms"]] == [team]
    assert "Other team" not in page.content.decode()

    response = client.post(reverse("qa:sampling"), _rules_post(team, low_csat_is_enabled="on"))
    assert response.status_code == 302
    enabled = set(
        SamplingRule.objects.filter(team=team, is_enabled=True).values_list("kind", flat=True)
    )
    assert enabled == {"low_csat", "random"}

    # Another manager's team is not on the page: it cannot be posted either.
    assert client.post(reverse("qa:sampling"), _rules_post(other)).status_code == 404
    assert not SamplingRule.objects.filter(team=other).exists()


@pytest.mark.django_db
def test_page_shows_bad_numbers_at_their_fields(client, team, manager):
    client.force_login(manager.user)

    response = client.post(
        reverse("qa:sampling"),
        _rules_post(team, new_hire_is_enabled="on", new_hire_per_agent="2", random_per_agent="x"),
    )

    assert response.status_code == 400
    form = dict(response.context["team_forms"])[team]
    assert set(form.errors) == {"random_per_agent"}
    response = client.post(
        reverse("qa:sampling"),
        _rules_post(team, new_hire_is_enabled="on", new_hire_per_agent="2"),
    )
    assert response.status_code == 400
    form = dict(response.context["team_forms"])[team]
    assert "should be larger than 3" in form.errors["new_hire_per_agent"][0]
    assert not SamplingRule.objects.exists()

    response = client.post(
        reverse("qa:sampling"),
        {"form": "quotas", f"quotas-quota_{manager.pk}": "0"},
    )
    assert response.status_code == 400
    assert f"quota_{manager.pk}" in response.context["quota_form"].errors
    response = client.post(
        reverse("qa:sampling"),
        {"form": "quotas", f"quotas-quota_{manager.pk}": "12"},
    )
    assert response.status_code == 302
    assert ReviewerQuota.objects.get().reviews_per_week == 12


@pytest.mark.django_db
def test_agents_and_onboarding_cannot_open_the_page(client, agent):
    client.force_login(agent.user)
    assert client.get(reverse("qa:sampling")).status_code == 403
    assert client.post(reverse("qa:sampling"), {"form": "quotas"}).status_code == 403
    client.force_login(EmployeeFactory(role=Role.ONBOARDING).user)
    assert client.get(reverse("qa:sampling")).status_code == 403


@pytest.mark.django_db
def test_page_reads_a_fixed_number_of_queries(client, manager, django_assert_max_num_queries):
    for _ in range(5):
        colleague = EmployeeFactory(role=Role.MANAGER)
        team = TeamFactory()
        team.managers.add(manager, colleague)
        ReviewerQuotaFactory(reviewer=colleague)
    client.force_login(manager.user)

    with django_assert_max_num_queries(16):
        assert client.get(reverse("qa:sampling")).status_code == 200
    assert QAReview.objects.filter(status=ReviewStatus.DRAFT).count() == 0
