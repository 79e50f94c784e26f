"""Every named database constraint refuses a row that breaks it, even past Python validation.

Each case builds valid rows, then returns the write that breaks one rule; the write goes
through `update()`, `bulk_create()` or a queryset delete so that only the database judges it.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.choices import ReviewStatus
from feedback.models import QADisputeItem
from scorecards.choices import MetricCode, VersionStatus
from scorecards.models import QACriterion, ScorecardVersion
from staff.models import Team, WorkingCalendar
from tests import factories as f

# Constraints created by migrations rather than declared in a model's Meta.
MIGRATION_CONSTRAINTS = {"excl_membership_overlap", "scorecard_version_immutable"}

Case = Callable[[], Callable[[], object]]
CASES: list[tuple[str, str, Case]] = []


def refuses(constraint: str, situation: str):
    """Register a case: the constraint refuses the write the decorated function returns."""

    def register(build: Case) -> Case:
        CASES.append((constraint, situation, build))
        return build

    return register


def _update(row, **values) -> Callable[[], int]:
    return lambda: type(row).objects.filter(pk=row.pk).update(**values)


def _duplicate(row, **values) -> Callable[[], list]:
    """Return a write inserting a copy of the row (with a new id) changed by `values`."""
    fields = {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not field.primary_key
    }
    return lambda: type(row).objects.bulk_create([type(row)(**{**fields, **values})])


# staff


@refuses("working_calendar_hours_in_pairs", "a weekday with a start and no end")
def _():
    calendar = WorkingCalendar.objects.create(team=f.TeamFactory(), country="LV")
    return _update(calendar, monday_start=dt.time(9), monday_end=None)


@refuses("team_survey_rate_percent_range", "a sampling rate over 100 %")
def _():
    return _update(f.TeamFactory(), survey_rate_percent=101)


@refuses("uniq_employee_external_id", "two employees with one external id")
def _():
    f.EmployeeFactory(external_id="HR-1")
    return _update(f.EmployeeFactory(), external_id="HR-1")


@refuses("membership_ends_after_start", "a membership ending before it starts")
def _():
    membership = f.TeamMembershipFactory(starts_on=dt.date(2025, 5, 1))
    return _update(membership, ends_on=dt.date(2025, 4, 30))


@refuses("uniq_membership_one_open_per_employee", "two open memberships of one employee")
def _():
    membership = f.TeamMembershipFactory(starts_on=dt.date(2025, 1, 1))
    closed = f.TeamMembershipFactory(
        employee=membership.employee, starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 12, 31)
    )
    return _update(closed, ends_on=None)


@refuses("excl_membership_overlap", "overlapping memberships of one employee")
def _():
    membership = f.TeamMembershipFactory(
        starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 6, 30)
    )
    return _duplicate(
        membership, team_id=f.TeamFactory().pk, starts_on=dt.date(2025, 6, 30), ends_on=None
    )


@refuses("employee_hire_date_in_range", "a hire date in year 1")
def _():
    return _update(f.EmployeeFactory(), hire_date=dt.date(1, 1, 1))


@refuses("membership_starts_in_range", "a membership starting in year 1")
def _():
    return _update(f.TeamMembershipFactory(), starts_on=dt.date(1, 1, 1))


@refuses("membership_ends_in_range", "a membership ending in year 9999")
def _():
    return _update(f.TeamMembershipFactory(), ends_on=dt.date(9999, 12, 31))


# customers


@refuses("uniq_customer_external_id", "two customers with one external id")
def _():
    f.CustomerFactory(external_id="CRM-1")
    return _update(f.CustomerFactory(), external_id="CRM-1")


@refuses("uniq_interaction_source_external_id", "one source sending one id twice")
def _():
    return _duplicate(f.InteractionFactory(source="helpdesk", external_id="T-1"))


@refuses("interaction_response_not_before_open", "a response before the interaction opened")
def _():
    interaction = f.InteractionFactory()
    return _update(interaction, first_response_at=interaction.opened_at - dt.timedelta(minutes=1))


@refuses("interaction_resolution_not_before_open", "a resolution before the interaction opened")
def _():
    interaction = f.InteractionFactory()
    return _update(interaction, resolved_at=interaction.opened_at - dt.timedelta(minutes=1))


@refuses("interaction_fcr_requires_resolution", "first-contact resolution without a resolution")
def _():
    return _update(f.InteractionFactory(resolved_at=None), is_first_contact_resolution=True)


@refuses("interaction_follow_up_done_requires_due", "a follow-up done that was never due")
def _():
    return _update(f.InteractionFactory(follow_up_due=None), follow_up_done_at=timezone.now())


# A local time in year 1 east of UTC: stored as 1 BC, which Python cannot read back.
YEAR_ONE = dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@refuses("interaction_opened_in_range", "an interaction opened in year 1")
def _():
    return _update(
        f.InteractionFactory(first_response_at=None, resolved_at=None), opened_at=YEAR_ONE
    )


@refuses("interaction_response_in_range", "a first response in year 9999")
def _():
    return _update(f.InteractionFactory(), first_response_at=dt.datetime(9999, 1, 1, tzinfo=dt.UTC))


@refuses("interaction_resolution_in_range", "a resolution in year 9999")
def _():
    return _update(f.InteractionFactory(), resolved_at=dt.datetime(9999, 1, 1, tzinfo=dt.UTC))


@refuses("interaction_follow_up_done_in_range", "a follow-up done in year 9999")
def _():
    return _update(
        f.InteractionFactory(follow_up_due=timezone.localdate()),
        follow_up_done_at=dt.datetime(9999, 1, 1, tzinfo=dt.UTC),
    )


@refuses("interaction_follow_up_due_in_range", "a follow-up due in year 1")
def _():
    return _update(f.InteractionFactory(), follow_up_due=dt.date(1, 1, 1))


# feedback


@refuses("survey_response_csat_range", "a satisfaction of 0")
def _():
    return _update(f.SurveyResponseFactory(), csat=0)


@refuses("survey_response_csat_range", "a satisfaction of 6")
def _():
    return _update(f.SurveyResponseFactory(), csat=6)


@refuses("survey_response_nps_range", "a recommendation of 11")
def _():
    return _update(f.SurveyResponseFactory(), nps=11)


@refuses("uniq_survey_response_source_external_id", "one source sending one answer twice")
def _():
    return _duplicate(f.SurveyResponseFactory(source="helpdesk", external_id="S-1"))


@refuses("uniq_qa_review_interaction_reviewer", "one reviewer reviewing one interaction twice")
def _():
    return _duplicate(f.QAReviewFactory())


@refuses("qa_review_total_range", "a review total over 100")
def _():
    return _update(f.PublishedQAReviewFactory(), total=Decimal("100.01"))


@refuses("qa_review_published_has_date", "a published review without a publication date")
def _():
    return _update(f.QAReviewFactory(), status=ReviewStatus.PUBLISHED, published_at=None)


@refuses("qa_review_sampled_by_only_for_samples", "a flagged review labelled by a sampling rule")
def _():
    return _update(f.QAReviewFactory(reason="flagged"), sampled_by="low_csat")


@refuses("uniq_sampling_rule_team_kind", "one team with two rules of one kind")
def _():
    return _duplicate(f.SamplingRuleFactory())


@refuses("sampling_rule_per_agent_range", "a sample of 51 interactions per agent")
def _():
    return _update(f.SamplingRuleFactory(), per_agent=51)


@refuses("sampling_rule_new_hire_weeks_range", "a new hire for 0 weeks")
def _():
    return _update(f.SamplingRuleFactory(), new_hire_weeks=0)


@refuses("reviewer_quota_range", "a quota of 0 reviews a week")
def _():
    return _update(f.ReviewerQuotaFactory(), reviews_per_week=0)


@refuses("uniq_qa_rating_criterion", "one criterion rated twice in a review")
def _():
    return _duplicate(f.QARatingFactory())


@refuses("qa_rating_range", "a rating of 5")
def _():
    return _update(f.QARatingFactory(), rating=5)


@refuses("uniq_calibration_reference_criterion", "two references of one criterion in a session")
def _():
    return _duplicate(f.CalibrationReferenceFactory())


@refuses("calibration_reference_rating_range", "a reference rating of 5")
def _():
    return _update(f.CalibrationReferenceFactory(), rating=5)


def _dispute_item():
    version = f.PublishedVersionFactory(criteria=[{"code": "greeting"}])
    review = f.PublishedQAReviewFactory(version=version)
    criterion = version.qa_criteria.get()
    return QADisputeItem.objects.create(
        review=review, criterion=criterion, original_rating=1, proposed_rating=3, reason="Harsh"
    )


@refuses("uniq_qa_dispute_item_criterion", "one criterion disputed twice in a review")
def _():
    return _duplicate(_dispute_item())


@refuses("qa_dispute_item_ratings_range", "a proposed rating of 5")
def _():
    return _update(_dispute_item(), proposed_rating=5)


@refuses("survey_response_submitted_in_range", "an answer submitted in year 1")
def _():
    return _update(f.SurveyResponseFactory(), submitted_at=YEAR_ONE)


# coaching


@refuses("coaching_session_coach_not_agent", "a session whose coach is the agent")
def _():
    session = f.CoachingSessionFactory()
    return _update(session, coach=session.agent)


@refuses("coaching_session_follow_up_after_session", "a follow-up before the session")
def _():
    session = f.CoachingSessionFactory()
    return _update(session, follow_up_on=session.held_on - dt.timedelta(days=1))


# scorecards


@refuses("uniq_scorecard_version_number", "two versions numbered alike")
def _():
    version = f.ScorecardVersionFactory(number=1)
    return _update(f.ScorecardVersionFactory(scorecard=version.scorecard, number=2), number=1)


@refuses("uniq_scorecard_version_published_effective", "two published versions on one date")
def _():
    version = f.PublishedVersionFactory(effective_from=dt.date(2025, 1, 1))
    draft = f.ScorecardVersionFactory(
        scorecard=version.scorecard, effective_from=version.effective_from
    )
    return _update(draft, status=VersionStatus.PUBLISHED, published_at=timezone.now())


@refuses("scorecard_version_bands_ordered", "amber starting above green")
def _():
    return _update(f.ScorecardVersionFactory(), amber_from=Decimal("90"))


@refuses("scorecard_version_bands_ordered", "green starting above 100")
def _():
    return _update(f.ScorecardVersionFactory(), green_from=Decimal("101"))


@refuses("scorecard_version_sla_positive", "a response SLA of 0 minutes")
def _():
    return _update(f.ScorecardVersionFactory(), sla_minutes=0)


@refuses("scorecard_version_published_has_date", "a published version without a date")
def _():
    return _update(f.ScorecardVersionFactory(), status=VersionStatus.PUBLISHED, published_at=None)


@refuses("scorecard_version_immutable", "changing a published version")
def _():
    return _update(f.PublishedVersionFactory(sla_minutes=60), sla_minutes=30)


@refuses("scorecard_version_immutable", "deleting a published version")
def _():
    version = f.PublishedVersionFactory(metrics=[])
    return lambda: ScorecardVersion.objects.filter(pk=version.pk).delete()


@refuses("scorecard_version_immutable", "adding a metric to a published version")
def _():
    version = f.PublishedVersionFactory()
    return _duplicate(version.metrics.get(), code=MetricCode.CSAT)


@refuses("scorecard_version_immutable", "changing a published version's metric")
def _():
    return _update(f.PublishedVersionFactory().metrics.get(), weight=Decimal("5"))


@refuses("scorecard_version_immutable", "deleting a published version's QA criterion")
def _():
    criterion = f.PublishedVersionFactory(criteria=[{}]).qa_criteria.get()
    return lambda: QACriterion.objects.filter(pk=criterion.pk).delete()


@refuses("scorecard_version_immutable", "moving a draft's metric into a published version")
def _():
    metric = f.MetricFactory()
    return _update(metric, version_id=f.PublishedVersionFactory(metrics=[]).pk)


@refuses("uniq_metric_version_code", "one metric twice in a version")
def _():
    return _duplicate(f.MetricFactory())


@refuses("metric_weight_positive", "a metric weighing 0")
def _():
    return _update(f.MetricFactory(), weight=0)


@refuses("metric_target_differs_from_floor", "a metric whose target is its floor")
def _():
    return _update(f.MetricFactory(target=Decimal("80")), floor=Decimal("80"))


@refuses("metric_min_sample_positive", "a minimum sample of 0")
def _():
    return _update(f.MetricFactory(), min_sample=0)


@refuses("uniq_qa_criterion_version_code", "one QA criterion twice in a version")
def _():
    return _duplicate(f.QACriterionFactory())


@refuses("qa_criterion_weight_positive", "a QA criterion weighing less than 0")
def _():
    return _update(f.QACriterionFactory(), weight=Decimal("-1"))


@refuses("uniq_qa_section_version_code", "one QA section twice in a version")
def _():
    return _duplicate(f.QASectionFactory())


@refuses("qa_section_weight_positive", "a QA section weighing 0")
def _():
    return _update(f.QASectionFactory(), weight=Decimal("0"))


@refuses("qa_section_auto_fail_valid", "a QA section failing something unknown")
def _():
    return _update(f.QASectionFactory(), auto_fail="team")


@refuses("uniq_employee_daily_score", "two scores of one employee on one day")
def _():
    return _duplicate(f.EmployeeDailyScoreFactory())


@refuses("employee_daily_score_total_range", "an employee total over 100")
def _():
    return _update(f.EmployeeDailyScoreFactory(), total=Decimal("100.5"))


@refuses("uniq_team_daily_score", "two scores of one team on one day")
def _():
    return _duplicate(f.TeamDailyScoreFactory())


@refuses("team_daily_score_total_range", "a negative team total")
def _():
    return _update(f.TeamDailyScoreFactory(), total=Decimal("-1"))


@refuses("uniq_dirty_day", "one employee's day marked twice")
def _():
    return _duplicate(f.DirtyDayFactory())


@refuses("goal_ends_after_start", "a goal ending before it starts")
def _():
    goal = f.GoalFactory()
    return _update(goal, ends_on=goal.starts_on - dt.timedelta(days=1))


@refuses("uniq_rule_acknowledgement", "one version acknowledged twice by one employee")
def _():
    return _duplicate(f.RuleAcknowledgementFactory())


@refuses("alert_has_one_subject", "an alert about nobody")
def _():
    return _update(f.AlertFactory(), employee=None)


@refuses("alert_has_one_subject", "an alert about an employee and a team")
def _():
    return _update(f.AlertFactory(), team=f.TeamFactory())


@refuses("uniq_alert_employee_kind_day", "one alert raised twice for an employee")
def _():
    return _duplicate(f.AlertFactory())


@refuses("uniq_alert_team_kind_day", "one alert raised twice for a team")
def _():
    return _duplicate(f.AlertFactory(employee=None, team=f.TeamFactory()))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("constraint", "build"),
    [pytest.param(name, build, id=f"{name}: {situation}") for name, situation, build in CASES],
)
def test_database_refuses_a_row_that_breaks_the_constraint(constraint, build):
    write = build()

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        write()


def _declared_constraint_names() -> set[str]:
    return {
        constraint.name
        for app_label in ("staff", "customers", "feedback", "scorecards", "coaching")
        for model in apps.get_app_config(app_label).get_models()
        for constraint in model._meta.constraints
    }


def test_every_named_constraint_has_a_case():
    tested = {name for name, _situation, _build in CASES}

    assert tested == _declared_constraint_names() | MIGRATION_CONSTRAINTS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "constraint"),
    [
        pytest.param(
            lambda: f.InteractionFactory.build(
                customer=f.CustomerFactory(),
                employee=f.EmployeeFactory(),
                resolved_at=timezone.now() - dt.timedelta(days=1),
            ),
            "interaction_resolution_not_before_open",
            id="interaction resolved before it opened",
        ),
        pytest.param(
            lambda: f.MetricFactory.build(
                version=f.ScorecardVersionFactory(), target=Decimal("50"), floor=Decimal("50")
            ),
            "metric_target_differs_from_floor",
            id="metric target equal to its floor",
        ),
        pytest.param(
            lambda: Team(name="Billing", slug="billing", survey_rate_percent=150),
            "team_survey_rate_percent_range",
            id="team sampling rate over 100 %",
        ),
    ],
)
def test_full_clean_names_the_broken_check_before_the_database_would(build, constraint):
    row = build()

    with pytest.raises(ValidationError, match=constraint):
        row.full_clean()
