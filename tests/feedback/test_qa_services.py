import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from crs_site.lib.numbers import quantize
from feedback import qa_services, qa_tasks
from feedback.choices import (
    DisputeOutcome,
    ReviewAction,
    ReviewReason,
    ReviewStatus,
    SamplingRuleKind,
)
from feedback.models import QARating, QAReview, SamplingRule
from feedback.qa_scoring import CriterionRating, qa_review_total
from scorecards.dirty import local_day
from scorecards.models import DirtyDay
from scorecards.selectors.agent import employee_day_explanation
from staff.choices import Role
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
)

ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
WEEK = dt.date(2026, 11, 9)  # a Monday
CRITERIA = [
    {"code": "greeting", "label": "Greeting", "weight": 1, "position": 1},
    {"code": "solving", "label": "Problem solving", "weight": 2, "position": 2},
    {"code": "courtesy", "label": "Courtesy", "weight": 1, "position": 3, "is_critical": True},
]


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), ZONE)


@pytest.fixture
def version(team):
    return PublishedVersionFactory(scorecard=team.scorecard, criteria=CRITERIA)


@pytest.fixture
def criteria(version):
    return {criterion.code: criterion for criterion in version.qa_criteria.all()}


@pytest.fixture
def resolved(agent):
    opened = timezone.now() - dt.timedelta(hours=3)
    return InteractionFactory(
        employee=agent, opened_at=opened, resolved_at=opened + dt.timedelta(hours=1)
    )


@pytest.fixture
def send_tasks_eagerly(monkeypatch):
    """Run the e-mail task in-process when a commit publishes it (no broker in these tests)."""
    monkeypatch.setattr(
        qa_tasks.qa_review_email_send,
        "apply_async",
        lambda args, retry: qa_tasks.qa_review_email_send.apply(args=args),
    )


def dirty_days() -> set[tuple[int, dt.date]]:
    return set(DirtyDay.objects.values_list("employee_id", "day"))


# ---- sampling --------------------------------------------------------------------------------


def _week_of_interactions(agent, count: int, week: dt.date = WEEK):
    return [
        InteractionFactory(
            employee=agent,
            opened_at=at(week + dt.timedelta(days=n % 7), 9),
            resolved_at=at(week + dt.timedelta(days=n % 7), 11),
        )
        for n in range(count)
    ]


@pytest.mark.django_db
def test_weekly_sample_gives_every_agent_their_quota_and_reruns_create_nothing(
    team, manager, version
):
    SamplingRule.objects.create(
        team=team, kind=SamplingRuleKind.RANDOM, is_enabled=True, per_agent=3
    )
    busy, quiet, idle = (EmployeeFactory(role=Role.AGENT) for _ in range(3))
    for person in (busy, quiet, idle):
        TeamMembershipFactory(employee=person, team=team)
    busy_ids = {i.pk for i in _week_of_interactions(busy, 10)}
    quiet_ids = {i.pk for i in _week_of_interactions(quiet, 2)}
    # Resolved the week before and the week after: never part of this week's sample.
    _week_of_interactions(busy, 3, week=WEEK - dt.timedelta(days=7))
    _week_of_interactions(busy, 3, week=WEEK + dt.timedelta(days=7))

    result = qa_services.qa_sample_week(week_start=WEEK + dt.timedelta(days=3))

    assert result.week_start == WEEK
    assert result.created == 5
    sampled = QAReview.objects.filter(reason=ReviewReason.SAMPLE)
    assert {r.reviewer_id for r in sampled} == {manager.pk}
    assert all(r.status == ReviewStatus.DRAFT and r.version_id == version.pk for r in sampled)
    busy_sample = {r.interaction_id for r in sampled if r.interaction.employee_id == busy.pk}
    quiet_sample = {r.interaction_id for r in sampled if r.interaction.employee_id == quiet.pk}
    assert len(busy_sample) == 3
    assert busy_sample <= busy_ids
    assert quiet_sample == quiet_ids

    rerun = qa_services.qa_sample_week(week_start=WEEK)
    assert rerun.created == 0
    assert QAReview.objects.count() == 5


@pytest.mark.django_db
def test_weekly_sample_is_reproducible_from_week_and_agent(team, manager, version, agent):
    SamplingRule.objects.create(
        team=team, kind=SamplingRuleKind.RANDOM, is_enabled=True, per_agent=2
    )
    _week_of_interactions(agent, 12)
    qa_services.qa_sample_week(week_start=WEEK)
    first = set(QAReview.objects.values_list("interaction_id", flat=True))
    QAReview.objects.all().delete()

    qa_services.qa_sample_week(week_start=WEEK)

    assert set(QAReview.objects.values_list("interaction_id", flat=True)) == first
    ids = list(range(1, 50))
    assert qa_services.sample_pick(
        interaction_ids=ids, size=5, week_start=WEEK, agent_id=7
    ) == qa_services.sample_pick(
        interaction_ids=list(reversed(ids)), size=5, week_start=WEEK, agent_id=7
    )
    other_weeks = {
        tuple(
            qa_services.sample_pick(
                interaction_ids=ids, size=5, week_start=WEEK + dt.timedelta(weeks=n), agent_id=7
            )
        )
        for n in range(5)
    }
    assert len(other_weeks) > 1


@pytest.mark.django_db
def test_weekly_sample_task_defaults_to_last_week(team, manager, version, agent, time_machine):
    time_machine.move_to(at(WEEK + dt.timedelta(days=7), 7))
    _week_of_interactions(agent, 1)

    assert qa_tasks.qa_sample_weekly.apply().get() == 1
    assert qa_tasks.qa_sample_weekly.apply(args=[WEEK.isoformat()]).get() == 0


@pytest.mark.django_db
def test_weekly_sample_skips_a_team_without_a_manager(team, version, agent):
    _week_of_interactions(agent, 4)
    assert qa_services.qa_sample_week(week_start=WEEK).created == 0


# ---- totals ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_total_leaves_na_out_and_equals_the_scoring_engine(resolved, manager, criteria):
    review = qa_services.qa_review_start(interaction=resolved, reviewer=manager)
    ratings = {
        criteria["greeting"].pk: (4, "Warm"),
        criteria["solving"].pk: (None, ""),
        criteria["courtesy"].pk: (2, ""),
    }

    review = qa_services.qa_review_save(review=review, actor=manager, ratings=ratings)

    engine = qa_review_total(
        ratings=[
            CriterionRating(weight=Decimal(1), rating=4),
            CriterionRating(weight=Decimal(1), rating=2, is_critical=True),
        ]
    )
    assert review.total == quantize(engine) == Decimal("75.00")
    assert QARating.objects.get(review=review, criterion=criteria["solving"]).rating is None


@pytest.mark.django_db
def test_critical_criterion_at_zero_makes_the_total_zero(resolved, manager, criteria):
    review = qa_services.qa_review_start(interaction=resolved, reviewer=manager)
    ratings = {
        criteria["greeting"].pk: (4, ""),
        criteria["solving"].pk: (4, ""),
        criteria["courtesy"].pk: (0, "Rude"),
    }
    review = qa_services.qa_review_save(review=review, actor=manager, ratings=ratings)
    assert review.total == Decimal("0.00")


@pytest.mark.django_db
def test_publishing_needs_every_criterion_and_writes_nothing_when_refused(
    resolved, manager, criteria
):
    review = qa_services.qa_review_start(interaction=resolved, reviewer=manager)
    with pytest.raises(ValidationError) as error:
        qa_services.qa_review_save_and_publish(
            review=review, actor=manager, ratings={criteria["greeting"].pk: (3, "")}
        )
    assert set(error.value.message_dict) == {
        f"rating_{criteria['solving'].pk}",
        f"rating_{criteria['courtesy'].pk}",
    }
    all_na = {criterion.pk: (None, "") for criterion in criteria.values()}
    with pytest.raises(ValidationError):
        qa_services.qa_review_save_and_publish(review=review, actor=manager, ratings=all_na)
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert not review.ratings.exists()
    assert list(review.events.values_list("action", flat=True)) == [ReviewAction.CREATED]


@pytest.mark.django_db
def test_rating_outside_zero_to_four_is_refused_at_its_field(resolved, manager, criteria):
    review = qa_services.qa_review_start(interaction=resolved, reviewer=manager)
    with pytest.raises(ValidationError) as error:
        qa_services.qa_review_save(
            review=review, actor=manager, ratings={criteria["greeting"].pk: (5, "")}
        )
    assert f"rating_{criteria['greeting'].pk}" in error.value.message_dict
    assert not QARating.objects.exists()


@pytest.mark.django_db
def test_nobody_reviews_their_own_work_and_agents_do_not_review(resolved, agent, version):
    with pytest.raises(ValidationError):
        qa_services.qa_review_start(interaction=resolved, reviewer=agent)
    assert not QAReview.objects.exists()


# ---- dispute flow ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_dispute_flow_end_to_end_keeps_history_marks_days_and_mails(
    resolved,
    agent,
    manager,
    team,
    criteria,
    django_capture_on_commit_callbacks,
    send_tasks_eagerly,
):
    second_manager = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(second_manager)
    today = local_day(timezone.now())
    ratings = {
        criteria["greeting"].pk: (2, ""),
        criteria["solving"].pk: (2, "Missed the root cause"),
        criteria["courtesy"].pk: (4, ""),
    }
    review = qa_services.qa_review_start(interaction=resolved, reviewer=manager)
    review = qa_services.qa_review_save(review=review, actor=manager, ratings=ratings)
    assert review.total == Decimal("62.50")
    assert dirty_days() == set()  # a draft counts nowhere

    with django_capture_on_commit_callbacks(execute=True):
        review = qa_services.qa_review_save_and_publish(
            review=review, actor=manager, ratings=ratings, comment="Solid call."
        )
    assert review.status == ReviewStatus.PUBLISHED
    assert dirty_days() == {(agent.pk, today)}
    assert [m.to for m in mail.outbox] == [[agent.user.email]]
    assert "62.50" in mail.outbox[0].body

    DirtyDay.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        review = qa_services.qa_review_dispute(
            review=review,
            agent=agent,
            proposals={criteria["solving"].pk: (4, "The customer asked for a callback.")},
        )
    assert review.status == ReviewStatus.DISPUTED
    # A disputed review keeps counting at its published total: nothing to rescore.
    assert dirty_days() == set()
    assert sorted(mail.outbox[1].to + mail.outbox[2].to) == sorted(
        [manager.user.email, second_manager.user.email]
    )
    with pytest.raises(ValidationError):
        qa_services.qa_review_dispute(
            review=review, agent=agent, proposals={criteria["greeting"].pk: (4, "Again")}
        )

    DirtyDay.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        review = qa_services.qa_review_resolve(
            review=review,
            manager=second_manager,
            decisions={criteria["solving"].pk: (DisputeOutcome.ADJUSTED, 4)},
            note="The callback was the right call.",
        )
    assert review.status == ReviewStatus.RESOLVED
    assert review.total == Decimal("87.50")
    assert review.resolved_by == second_manager
    assert dirty_days() == {(agent.pk, today)}
    assert mail.outbox[-1].to == [agent.user.email]
    assert "The callback was the right call." in mail.outbox[-1].body

    events = list(review.events.values_list("action", "total", "actor_id"))
    assert events == [
        (ReviewAction.CREATED, None, manager.pk),
        (ReviewAction.SAVED, Decimal("62.50"), manager.pk),
        (ReviewAction.PUBLISHED, Decimal("62.50"), manager.pk),
        (ReviewAction.DISPUTED, Decimal("62.50"), agent.pk),
        (ReviewAction.RESOLVED, Decimal("87.50"), second_manager.pk),
    ]


@pytest.fixture
def second_reviewer(team):
    """A manager of the team other than the reviews' author: the one who decides disputes."""
    colleague = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(colleague)
    return colleague


def _all_disputed(criteria, rating=4):
    return {criterion.pk: (rating, "Too harsh") for criterion in criteria.values()}


@pytest.mark.django_db
def test_an_adjusted_total_replaces_the_published_one_on_its_first_published_day(
    resolved, agent, manager, criteria, second_reviewer
):
    ratings = {criterion.pk: (3, "") for criterion in criteria.values()}
    review = qa_services.qa_review_start(interaction=resolved, reviewer=manager)
    review = qa_services.qa_review_save_and_publish(review=review, actor=manager, ratings=ratings)
    published_day = local_day(review.scored_at)
    review = qa_services.qa_review_dispute(
        review=review, agent=agent, proposals=_all_disputed(criteria)
    )
    DirtyDay.objects.all().delete()
    later = review.published_at + dt.timedelta(days=3)

    qa_services.qa_review_resolve(
        review=review,
        manager=second_reviewer,
        decisions=dict.fromkeys(_all_disputed(criteria), (DisputeOutcome.ADJUSTED, 4)),
        note="Raised",
        now=later,
    )

    review.refresh_from_db()
    assert local_day(review.scored_at) == published_day
    assert dirty_days() == {(agent.pk, published_day)}


@pytest.mark.django_db
def test_upheld_dispute_keeps_the_total_and_needs_a_note(
    resolved, agent, manager, criteria, second_reviewer
):
    ratings = {criterion.pk: (3, "") for criterion in criteria.values()}
    review = qa_services.qa_review_start(interaction=resolved, reviewer=manager)
    review = qa_services.qa_review_save_and_publish(review=review, actor=manager, ratings=ratings)
    greeting = criteria["greeting"].pk
    review = qa_services.qa_review_dispute(
        review=review, agent=agent, proposals={greeting: (4, "Too harsh")}
    )
    upheld = {greeting: (DisputeOutcome.UPHELD, None)}
    with pytest.raises(ValidationError) as error:
        qa_services.qa_review_resolve(
            review=review, manager=second_reviewer, decisions=upheld, note="  "
        )
    assert "note" in error.value.message_dict

    review = qa_services.qa_review_resolve(
        review=review, manager=second_reviewer, decisions=upheld, note="Fair as it is."
    )

    assert review.status == ReviewStatus.RESOLVED
    assert review.total == Decimal("75.00")
    assert review.dispute_outcome == DisputeOutcome.UPHELD


@pytest.mark.django_db
def test_only_the_reviewed_agent_can_dispute(resolved, manager, criteria):
    other = EmployeeFactory(role=Role.AGENT)
    ratings = {criterion.pk: (3, "") for criterion in criteria.values()}
    review = qa_services.qa_review_start(interaction=resolved, reviewer=manager)
    review = qa_services.qa_review_save_and_publish(review=review, actor=manager, ratings=ratings)
    with pytest.raises(ValidationError):
        qa_services.qa_review_dispute(review=review, agent=other, proposals=_all_disputed(criteria))
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED


@pytest.mark.django_db
def test_the_reviews_author_cannot_decide_its_dispute_and_every_criterion_is_decided(
    resolved, agent, manager, criteria, second_reviewer
):
    ratings = {criterion.pk: (2, "") for criterion in criteria.values()}
    review = qa_services.qa_review_start(interaction=resolved, reviewer=manager)
    review = qa_services.qa_review_save_and_publish(review=review, actor=manager, ratings=ratings)
    greeting, solving = criteria["greeting"].pk, criteria["solving"].pk
    review = qa_services.qa_review_dispute(
        review=review,
        agent=agent,
        proposals={greeting: (4, "I used her name"), solving: (None, "Not my case")},
        reason="Two ratings are off.",
    )
    assert {
        (i.criterion_id, i.original_rating, i.proposed_rating) for i in review.dispute_items.all()
    } == {(greeting, 2, 4), (solving, 2, None)}
    with pytest.raises(ValidationError):
        qa_services.qa_review_resolve(
            review=review,
            manager=manager,
            decisions={greeting: (DisputeOutcome.UPHELD, None), solving: ("upheld", None)},
            note="Mine",
        )
    with pytest.raises(ValidationError) as error:
        qa_services.qa_review_resolve(
            review=review,
            manager=second_reviewer,
            decisions={greeting: (DisputeOutcome.ADJUSTED, 2)},
            note="Half",
        )
    assert set(error.value.message_dict) == {f"rating_{greeting}", f"outcome_{solving}"}
    review.refresh_from_db()
    assert review.status == ReviewStatus.DISPUTED

    review = qa_services.qa_review_resolve(
        review=review,
        manager=second_reviewer,
        decisions={greeting: (DisputeOutcome.ADJUSTED, 4), solving: (DisputeOutcome.UPHELD, 0)},
        note="Greeting was fine; the case was yours.",
    )
    # Greeting 4 (weight 1), solving 2 (weight 2), courtesy 2 (weight 1): 10 of 16.
    assert review.total == Decimal("62.50")
    assert review.dispute_outcome == DisputeOutcome.ADJUSTED
    assert {(i.criterion_id, i.outcome, i.resolved_rating) for i in review.dispute_items.all()} == {
        (greeting, DisputeOutcome.ADJUSTED, 4),
        (solving, DisputeOutcome.UPHELD, 2),
    }
    # The trail: each disputed criterion keeps its history of changes.
    assert review.dispute_items.get(criterion_id=greeting).history.count() == 2


@pytest.mark.django_db
def test_a_dispute_is_refused_after_the_teams_deadline_and_without_reasons(
    resolved, agent, manager, criteria, team
):
    team.dispute_window_days = 3
    team.save()
    ratings = {criterion.pk: (2, "") for criterion in criteria.values()}
    review = qa_services.qa_review_start(interaction=resolved, reviewer=manager)
    review = qa_services.qa_review_save_and_publish(review=review, actor=manager, ratings=ratings)
    greeting = criteria["greeting"].pk
    with pytest.raises(ValidationError) as error:
        qa_services.qa_review_dispute(review=review, agent=agent, proposals={greeting: (2, "")})
    assert set(error.value.message_dict) == {f"proposed_{greeting}", f"reason_{greeting}"}
    late = review.published_at + dt.timedelta(days=3, minutes=1)
    with pytest.raises(ValidationError):
        qa_services.qa_review_dispute(
            review=review, agent=agent, proposals={greeting: (4, "Late")}, now=late
        )
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert not review.dispute_items.exists()


# ---- calibration and flags -------------------------------------------------------------------


@pytest.mark.django_db
def test_calibration_gives_the_interaction_to_each_reviewer_once(resolved, manager, version, team):
    other = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(other)
    reviews = qa_services.qa_calibration_assign(
        interaction=resolved, reviewers=[manager, other], actor=manager
    )
    again = qa_services.qa_calibration_assign(
        interaction=resolved, reviewers=[manager, other], actor=manager
    )
    assert {r.pk for r in reviews} == {r.pk for r in again}
    assert {r.reviewer_id for r in reviews} == {manager.pk, other.pk}
    assert all(r.reason == ReviewReason.CALIBRATION for r in reviews)
    with pytest.raises(ValidationError):
        qa_services.qa_calibration_assign(interaction=resolved, reviewers=[other], actor=manager)


@pytest.mark.django_db
def test_calibration_is_only_for_the_agents_team_managers_and_admins(resolved, manager, version):
    stranger = EmployeeFactory(role=Role.MANAGER)
    TeamFactory().managers.add(stranger)
    admin = EmployeeFactory(role=Role.ADMIN)

    with pytest.raises(ValidationError) as refused:
        qa_services.qa_calibration_assign(
            interaction=resolved, reviewers=[manager, stranger], actor=manager
        )

    assert stranger.full_name in refused.value.message_dict["reviewers"][0]
    assert not QAReview.objects.filter(reviewer=stranger).exists()
    reviews = qa_services.qa_calibration_assign(
        interaction=resolved, reviewers=[manager, admin], actor=manager
    )
    assert {r.reviewer_id for r in reviews} == {manager.pk, admin.pk}


@pytest.mark.django_db
def test_calibration_ratings_never_count_in_the_agents_score(
    resolved, agent, manager, version, criteria, team
):
    colleague = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(colleague)
    ratings = {criterion.pk: (0, "") for criterion in criteria.values()}
    calibration = qa_services.qa_calibration_assign(
        interaction=resolved, reviewers=[manager, colleague], actor=manager
    )[0]
    DirtyDay.objects.all().delete()

    published = qa_services.qa_review_save_and_publish(
        review=calibration, actor=calibration.reviewer, ratings=ratings
    )

    assert published.status == ReviewStatus.PUBLISHED
    assert published.scored_at is None
    assert not DirtyDay.objects.exists()
    day = local_day(published.published_at)
    assert employee_day_explanation(employee=agent, day=day).reviews == []
    # A review of the same interaction for the score counts that day.
    other = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(other)
    scored = qa_services.qa_review_save_and_publish(
        review=qa_services.qa_review_start(interaction=resolved, reviewer=other),
        actor=other,
        ratings=ratings,
    )
    assert employee_day_explanation(employee=agent, day=day).reviews == [scored]


@pytest.mark.django_db
def test_flagging_goes_through_the_interaction_service(resolved, agent):
    qa_services.interaction_flag_for_review(interaction=resolved)
    resolved.refresh_from_db()
    assert resolved.is_flagged_for_review
    assert (agent.pk, local_day(resolved.opened_at)) in dirty_days()


@pytest.mark.django_db
def test_a_team_without_a_scorecard_in_force_cannot_be_reviewed(agent, manager):
    team = TeamFactory(scorecard=None)
    stranger = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=stranger, team=team)
    interaction = InteractionFactory(employee=stranger)
    with pytest.raises(ValidationError) as error:
        qa_services.qa_review_start(interaction=interaction, reviewer=manager)
    assert "interaction" in error.value.message_dict


def test_weekly_sample_is_on_the_beat_schedule_and_registered():
    from crs_site.celery import app

    entry = app.conf.beat_schedule["qa-sample-weekly"]
    assert entry["task"] == qa_tasks.qa_sample_weekly.name
    assert qa_tasks.qa_sample_weekly.name in app.tasks
    assert qa_tasks.qa_review_email_send.name in app.tasks


@pytest.mark.django_db
def test_a_decided_dispute_is_mailed_to_the_agent_in_russian_criterion_by_criterion(
    team, agent, manager, criteria, resolved, django_capture_on_commit_callbacks, send_tasks_eagerly
):
    agent.language = "ru"
    agent.save()
    decider = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(decider)
    ratings = {
        criteria["greeting"].pk: (2, ""),
        criteria["solving"].pk: (1, "Missed the root cause"),
        criteria["courtesy"].pk: (4, ""),
    }
    review = qa_services.qa_review_start(interaction=resolved, reviewer=manager)
    review = qa_services.qa_review_save_and_publish(review=review, actor=manager, ratings=ratings)
    review = qa_services.qa_review_dispute(
        review=review,
        agent=agent,
        proposals={
            criteria["greeting"].pk: (3, "I greeted by name."),
            criteria["solving"].pk: (None, "Not a problem to solve."),
        },
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        qa_services.qa_review_resolve(
            review=review,
            manager=decider,
            decisions={
                criteria["greeting"].pk: (DisputeOutcome.UPHELD, None),
                criteria["solving"].pk: (DisputeOutcome.ADJUSTED, 3),
            },
            note="Проблема была решена.",
        )

    (message,) = mail.outbox
    assert message.to == [agent.user.email]
    assert message.subject.startswith("По вашему возражению принято решение")
    body = message.body
    assert "По каждому оспоренному критерию:" in body
    # Each disputed criterion: the rating disputed, the one proposed, the decision, in Russian.
    assert (
        "- Greeting: оценка 2 — Соответствует ожиданиям, вы предложили 3 — Хорошо; "
        "решение: 2 — Соответствует ожиданиям (Результат проверки оставлен в силе)."
    ) in body
    assert (
        "- Problem solving: оценка 1 — Ниже ожиданий, вы предложили Н/Д; "
        "решение: 3 — Хорошо (Результат проверки скорректирован)."
    ) in body
    assert "Courtesy" not in body  # not disputed
    assert "Проблема была решена." in body
