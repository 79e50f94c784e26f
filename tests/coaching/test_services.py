import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching import selectors, services
from coaching.models import CoachingAction, CoachingSession
from scorecards.choices import MetricCode
from staff.choices import Role
from tests.factories import (
    CoachingActionFactory,
    CoachingSessionFactory,
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    GoalFactory,
    InteractionFactory,
)


def _record(agent, manager, **fields):
    defaults = {
        "coach": manager,
        "agent": agent,
        "held_on": timezone.localdate(),
        "notes": "Opening of calls.",
    }
    return services.coaching_session_record(**{**defaults, **fields})


@pytest.mark.django_db
def test_record_keeps_topics_links_and_actions_and_mails_the_agent_in_their_language(
    agent, manager, review, criteria, django_capture_on_commit_callbacks, send_tasks_eagerly
):
    agent.language = "lv"
    agent.save()
    goal = GoalFactory(employee=agent)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        session = _record(
            agent,
            manager,
            metrics=[MetricCode.FCR, MetricCode.FCR],
            criteria=[criteria["solving"]],
            reviews=[review],
            interactions=[review.interaction],
            goals=[goal],
            follow_up_on=today + dt.timedelta(days=14),
            actions=[
                services.ActionInput(
                    description="Shadow a senior colleague",
                    owner=agent,
                    due_on=today + dt.timedelta(days=7),
                ),
                services.ActionInput(description="Book a call review", owner=manager, due_on=today),
            ],
        )
    session.refresh_from_db()
    assert session.metrics == [MetricCode.FCR]
    assert list(session.criteria.all()) == [criteria["solving"]]
    assert list(session.reviews.all()) == [review]
    assert list(session.goals.all()) == [goal]
    assert sorted(session.actions.values_list("owner_id", flat=True)) == sorted(
        [agent.pk, manager.pk]
    )
    # The QA criteria add the QA metric to what the effect compares.
    assert selectors.session_metric_codes(session=session) == [MetricCode.FCR, MetricCode.QA]
    assert [message.to for message in mail.outbox] == [[agent.user.email]]
    assert "Coaching" not in mail.outbox[0].subject  # Latvian, not English
    assert "Shadow a senior colleague" in mail.outbox[0].body
    assert f"/coaching/{session.pk}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_record_refuses_bad_input_at_its_field_and_writes_nothing(agent, manager, review):
    stranger = EmployeeFactory()
    other_interaction = InteractionFactory(employee=stranger)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        _record(
            agent,
            manager,
            held_on=today + dt.timedelta(days=1),
            notes="  ",
            metrics=["not_a_metric"],
            interactions=[other_interaction],
            goals=[GoalFactory(employee=stranger)],
            follow_up_on=today - dt.timedelta(days=3),
            actions=[
                services.ActionInput(description="x", owner=stranger, due_on=today),
            ],
        )
    assert set(caught.value.message_dict) == {
        "held_on",
        "notes",
        "metrics",
        "interactions",
        "goals",
        "follow_up_on",
        "actions",
    }
    assert not CoachingSession.objects.exists()
    assert not CoachingAction.objects.exists()


@pytest.mark.django_db
def test_a_coach_cannot_coach_themselves(manager):
    with pytest.raises(ValidationError) as caught:
        _record(manager, manager)
    assert "agent" in caught.value.message_dict


@pytest.mark.django_db
def test_acknowledge_once_by_the_agent_with_a_later_comment(agent, manager):
    session = CoachingSessionFactory(agent=agent, coach=manager)
    first = timezone.now() - dt.timedelta(hours=1)
    services.coaching_session_acknowledge(session=session, agent=agent, now=first)
    services.coaching_session_acknowledge(session=session, agent=agent, comment=" Thanks! ")
    session.refresh_from_db()
    assert session.acknowledged_at == first
    assert session.agent_comment == "Thanks!"
    with pytest.raises(ValidationError):
        services.coaching_session_acknowledge(session=session, agent=manager)


@pytest.mark.django_db
def test_action_complete_is_recorded_once(agent, manager):
    action = CoachingActionFactory(session=CoachingSessionFactory(agent=agent, coach=manager))
    first = timezone.now() - dt.timedelta(hours=2)
    services.coaching_action_complete(action=action, now=first)
    services.coaching_action_complete(action=action)
    action.refresh_from_db()
    assert action.done_at == first


@pytest.mark.django_db
def test_effect_pools_the_coached_metric_over_14_final_days_each_side(
    agent, manager, team, version
):
    held_on = timezone.localdate() - dt.timedelta(days=40)
    for offset in range(-14, 14):
        EmployeeDailyScoreFactory(
            employee=agent,
            team=team,
            version=version,
            day=held_on + dt.timedelta(days=offset),
            is_final=True,
            fcr_num=Decimal(1 if offset < 0 else 3),
            fcr_den=Decimal(4),
        )
    # Outside both windows, and a day not final: neither counts.
    EmployeeDailyScoreFactory(
        employee=agent,
        team=team,
        version=version,
        day=held_on - dt.timedelta(days=15),
        is_final=True,
        fcr_num=100,
        fcr_den=100,
    )
    EmployeeDailyScoreFactory(
        employee=agent,
        team=team,
        version=version,
        day=held_on + dt.timedelta(days=14),
        is_final=True,
        fcr_num=100,
        fcr_den=100,
    )
    session = CoachingSessionFactory(agent=agent, coach=manager, held_on=held_on)
    effect = selectors.session_effect(session=session, user=manager.user)
    [fcr] = effect.pooled.metrics
    assert fcr.code == MetricCode.FCR
    assert (fcr.before.num, fcr.before.den) == (Decimal(14), Decimal(56))
    assert (fcr.after.num, fcr.after.den) == (Decimal(42), Decimal(56))
    assert fcr.before.value == Decimal(25)
    assert fcr.after.value == Decimal(75)
    assert fcr.is_improvement is True
    assert fcr.comparison.is_significant
    assert not effect.is_running


@pytest.mark.django_db
def test_overview_counts_sessions_flags_red_agents_without_one_and_overdue_actions(
    agent, manager, team, version
):
    quiet_red = EmployeeFactory(role=Role.AGENT)
    team.memberships.create(employee=quiet_red, starts_on=dt.date(2020, 1, 1))
    today = timezone.localdate()
    for person in (agent, quiet_red):
        EmployeeDailyScoreFactory(
            employee=person,
            team=team,
            version=version,
            day=today - dt.timedelta(days=3),
            is_final=True,
            fcr_num=0,
            fcr_den=10,
        )
    session = CoachingSessionFactory(
        agent=agent, coach=manager, held_on=today - dt.timedelta(days=2)
    )
    overdue = CoachingActionFactory(session=session, due_on=today - dt.timedelta(days=1))
    CoachingActionFactory(session=session, due_on=today + dt.timedelta(days=1))
    overview = selectors.coaching_overview(
        user=manager.user,
        date_from=today - dt.timedelta(days=29),
        date_to=today,
        quiet_days=30,
    )
    assert {row.agent.pk: row.sessions for row in overview.per_agent} == {
        agent.pk: 1,
        quiet_red.pk: 0,
    }
    assert [row.agent.pk for row in overview.quiet] == [quiet_red.pk]
    assert overview.quiet[0].red_metrics == [str(MetricCode.FCR.label)]
    assert overview.overdue == [overdue]


@pytest.mark.django_db
def test_a_new_session_is_mailed_to_the_agent_in_russian(
    agent, manager, django_capture_on_commit_callbacks, send_tasks_eagerly
):
    agent.language = "ru"
    agent.save()
    held_on = dt.date(2026, 11, 2)
    with django_capture_on_commit_callbacks(execute=True):
        session = _record(
            agent,
            manager,
            held_on=held_on,
            follow_up_on=dt.date(2026, 11, 16),
            actions=[
                services.ActionInput(
                    description="Прослушать два звонка коллеги",
                    owner=agent,
                    due_on=dt.date(2026, 11, 9),
                )
            ],
            today=dt.date(2026, 11, 3),
        )

    (message,) = mail.outbox
    assert message.to == [agent.user.email]
    assert message.subject == f"Коучинг-сессия от 02.11.2026 с {manager.full_name}"
    assert f"{manager.full_name} записал(а) вашу коучинг-сессию от 02.11.2026." in message.body
    assert "О чём вы договорились:" in message.body
    assert "- Прослушать два звонка коллеги (срок 09.11.2026)" in message.body
    assert "Повторная встреча: 16.11.2026." in message.body
    assert message.body.rstrip().endswith(f"/coaching/{session.pk}/")
