"""Factories for every model (factory-boy). Each builds a valid object with its parents."""

import datetime as dt
import json
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from coaching.models import CoachingAction, CoachingSession
from customers.choices import Channel, Tier
from customers.models import Customer, Interaction
from feedback.choices import ReviewStatus
from feedback.models import (
    CalibrationReference,
    CalibrationSession,
    QARating,
    QAReview,
    QAReviewEvent,
    ReviewerQuota,
    SamplingRule,
    SurveyInvitation,
    SurveyResponse,
)
from scorecards.choices import AlertKind, ChangeKind, MetricCode, VersionStatus
from scorecards.models import (
    Alert,
    ChangeEvent,
    DirtyDay,
    EmployeeDailyScore,
    Goal,
    Metric,
    QACriterion,
    QASection,
    RuleAcknowledgement,
    Scorecard,
    ScorecardVersion,
    ScoreFillState,
    TeamDailyScore,
)
from staff.choices import Role
from staff.models import ApiKey, Employee, Team, TeamMembership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    role = Role.AGENT
    hire_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))


class ManagerFactory(EmployeeFactory):
    role = Role.MANAGER


class ScorecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scorecard
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Scorecard {n}")
    slug = factory.Sequence(lambda n: f"scorecard-{n}")


class ScorecardVersionFactory(factory.django.DjangoModelFactory):
    """A draft version; use `PublishedVersionFactory` for one in force."""

    class Meta:
        model = ScorecardVersion
        skip_postgeneration_save = True

    scorecard = factory.SubFactory(ScorecardFactory)
    number = factory.Sequence(lambda n: n + 1)
    effective_from = dt.date(2020, 1, 1)
    sla_minutes = 60


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric

    version = factory.SubFactory(ScorecardVersionFactory)
    code = MetricCode.FCR
    label = factory.LazyAttribute(lambda o: MetricCode(o.code).label)
    weight = Decimal("1")
    target = Decimal("80")
    floor = Decimal("40")
    min_sample = 1


class QACriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QACriterion

    version = factory.SubFactory(ScorecardVersionFactory)
    code = factory.Sequence(lambda n: f"criterion-{n}")
    label = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")


class QASectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QASection

    version = factory.SubFactory(ScorecardVersionFactory)
    code = factory.Sequence(lambda n: f"section-{n}")
    label = factory.Sequence(lambda n: f"Section {n}")
    weight = Decimal("1")


class PublishedVersionFactory(ScorecardVersionFactory):
    """A published version with metrics and criteria, built as a draft and then published.

    `metrics` takes a list of dicts of Metric fields (default: one `fcr` metric) and
    `criteria` a list of dicts of QACriterion fields (default: none).
    """

    @factory.post_generation
    def metrics(obj, create, extracted, **kwargs):
        for spec in extracted if extracted is not None else [{"code": MetricCode.FCR}]:
            MetricFactory(version=obj, **spec)

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        for spec in extracted or []:
            QACriterionFactory(version=obj, **spec)

    @factory.post_generation
    def publish(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            ScorecardVersion.objects.filter(pk=obj.pk).update(
                status=VersionStatus.PUBLISHED, published_at=timezone.now()
            )
            obj.refresh_from_db()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    scorecard = factory.SubFactory(ScorecardFactory)


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    employee = factory.SubFactory(EmployeeFactory)
    team = factory.SubFactory(TeamFactory)
    starts_on = dt.date(2020, 1, 1)
    ends_on = None


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Faker("name")
    company = factory.Faker("company")
    email = factory.Faker("email")
    phone = factory.Faker("phone_number")
    tier = Tier.STANDARD
    value_points = 10


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    customer = factory.SubFactory(CustomerFactory)
    employee = factory.SubFactory(EmployeeFactory)
    channel = Channel.PHONE
    subject = factory.Faker("sentence", nb_words=4)
    opened_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=2))
    first_response_at = factory.LazyAttribute(lambda o: o.opened_at + dt.timedelta(minutes=5))
    resolved_at = None


class SurveyInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyInvitation

    interaction = factory.SubFactory(InteractionFactory)
    language = "en"
    nonce = factory.Sequence(lambda n: f"nonce{n:027d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    interaction = factory.SubFactory(InteractionFactory)
    csat = 5
    nps = 9
    submitted_at = factory.LazyFunction(timezone.now)


class QAReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QAReview

    interaction = factory.SubFactory(InteractionFactory)
    reviewer = factory.SubFactory(ManagerFactory)
    version = factory.SubFactory(PublishedVersionFactory)
    status = ReviewStatus.DRAFT


class PublishedQAReviewFactory(QAReviewFactory):
    status = ReviewStatus.PUBLISHED
    total = Decimal("75")
    published_at = factory.LazyFunction(timezone.now)
    scored_at = factory.LazyAttribute(lambda o: o.published_at)


class SamplingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SamplingRule
        django_get_or_create = ("team", "kind")

    team = factory.SubFactory(TeamFactory)
    kind = "low_csat"
    is_enabled = True


class ReviewerQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerQuota

    reviewer = factory.SubFactory(ManagerFactory)
    reviews_per_week = 10


class QARatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QARating

    review = factory.SubFactory(QAReviewFactory)
    criterion = factory.SubFactory(QACriterionFactory)
    rating = 3


class CalibrationSessionFactory(factory.django.DjangoModelFactory):
    """A session without reviews; `calibration_services.calibration_session_create` makes them."""

    class Meta:
        model = CalibrationSession

    title = factory.Sequence(lambda n: f"Calibration {n}")
    created_by = factory.SubFactory(ManagerFactory)
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class CalibrationReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalibrationReference

    session = factory.SubFactory(CalibrationSessionFactory)
    interaction = factory.SubFactory(InteractionFactory)
    criterion = factory.SubFactory(QACriterionFactory)
    rating = 3
    set_by = factory.SelfAttribute("session.created_by")


class QAReviewEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QAReviewEvent

    review = factory.SubFactory(QAReviewFactory)
    actor = factory.SelfAttribute("review.reviewer")
    action = "created"


def score_figures(values: dict) -> dict:
    """Return a daily score row's figures for every metric, as the engine writes them: value
    and score from the partial `figures` given (null when absent), num and den from the row's
    own columns, all numbers."""
    given = values.pop("figures", None) or {}
    figures = {}
    for code in MetricCode.values:
        figure = given.get(code) or {}
        value, score = figure.get("value"), figure.get("score")
        figures[code] = {
            "value": None if value is None else float(value),
            "score": None if score is None else float(score),
            "num": float(values.get(f"{code}_num", 0)),
            "den": float(values.get(f"{code}_den", 0)),
        }
    return figures


class _DailyScoreFactory(factory.django.DjangoModelFactory):
    """A daily score row whose figures are complete, as the engine's: pass `figures` with only
    the value and score of the metrics that have one; `api_metrics` holds them as JSON text."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs["api_metrics"] = json.dumps(score_figures(kwargs), separators=(",", ":"))
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs["api_metrics"] = json.dumps(score_figures(kwargs), separators=(",", ":"))
        return super()._create(model_class, *args, **kwargs)


class EmployeeDailyScoreFactory(_DailyScoreFactory):
    class Meta:
        model = EmployeeDailyScore

    employee = factory.SubFactory(EmployeeFactory)
    team = factory.SubFactory(TeamFactory)
    version = factory.SubFactory(PublishedVersionFactory)
    day = factory.LazyFunction(timezone.localdate)
    total = Decimal("75")
    band = "amber"
    computed_at = factory.LazyFunction(timezone.now)


class TeamDailyScoreFactory(_DailyScoreFactory):
    class Meta:
        model = TeamDailyScore

    team = factory.SubFactory(TeamFactory)
    version = factory.SubFactory(PublishedVersionFactory)
    day = factory.LazyFunction(timezone.localdate)
    total = Decimal("75")
    band = "amber"
    computed_at = factory.LazyFunction(timezone.now)


class DirtyDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirtyDay

    employee = factory.SubFactory(EmployeeFactory)
    day = factory.LazyFunction(timezone.localdate)


class ScoreFillStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreFillState

    day = factory.Sequence(lambda n: dt.date(2024, 1, 1) + dt.timedelta(days=n))
    is_final = True
    computed_at = factory.LazyFunction(timezone.now)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    employee = factory.SubFactory(EmployeeFactory)
    metric = MetricCode.CSAT
    target = Decimal("90")
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=30))
    why = "I want customers to leave happier than they came."


class ChangeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeEvent

    day = factory.LazyFunction(timezone.localdate)
    team = factory.SubFactory(TeamFactory)
    kind = ChangeKind.TRAINING
    title = "De-escalation training"


class RuleAcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleAcknowledgement

    employee = factory.SubFactory(EmployeeFactory)
    version = factory.SubFactory(PublishedVersionFactory)


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    employee = factory.SubFactory(EmployeeFactory)
    team = None
    kind = AlertKind.RED_STREAK
    day = factory.LazyFunction(timezone.localdate)


class ApiKeyFactory(factory.django.DjangoModelFactory):
    """An API key with every scope; the raw key is kept on `obj.raw_key` (it is never stored)."""

    class Meta:
        model = ApiKey

    name = factory.Sequence(lambda n: f"tool {n}")
    scopes = factory.LazyFunction(
        lambda: [
            "scores:read",
            "interactions:write",
            "feedback:write",
            "customers:read",
            "customers:write",
        ]
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj, raw_key = model_class.objects.create_key(*args, **kwargs)
        obj.raw_key = raw_key
        return obj


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingSession

    agent = factory.SubFactory(EmployeeFactory)
    coach = factory.SubFactory(ManagerFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    notes = "Talked through the opening of calls: greet, name, purpose."
    metrics = factory.LazyFunction(lambda: [MetricCode.FCR])


class CoachingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingAction

    session = factory.SubFactory(CoachingSessionFactory)
    description = "Listen to two recorded calls of a colleague"
    owner = factory.SelfAttribute("session.agent")
    due_on = factory.LazyAttribute(lambda o: o.session.held_on + dt.timedelta(days=7))


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "integrations.Connection"

    kind = "chatwoot"
    name = factory.Sequence(lambda n: f"Chatwoot {n}")


class ExternalAgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "integrations.ExternalAgent"

    connection = factory.SubFactory(ConnectionFactory)
    external_id = factory.Sequence(lambda n: str(n + 1))
    name = factory.Faker("name")


class InboundEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "integrations.InboundEvent"

    connection = factory.SubFactory(ConnectionFactory)
    dedupe_key = factory.Sequence(lambda n: f"key-{n}")
    event_type = "conversation_created"
    external_id = factory.Sequence(lambda n: str(n + 1))
    body = "{}"


class WorkingCalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "staff.WorkingCalendar"

    team = factory.SubFactory(TeamFactory)
    country = "LV"
    monday_start = dt.time(9)
    monday_end = dt.time(17)


class QADisputeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "feedback.QADisputeItem"

    review = factory.SubFactory(
        PublishedQAReviewFactory,
        version__criteria=[{"code": "empathy", "label": "Empathy"}],
    )
    criterion = factory.LazyAttribute(lambda o: o.review.version.qa_criteria.first())
    original_rating = 1
    proposed_rating = 3
    reason = "The customer asked for the refund in the second message, not the first."
