"""Survey invitations: who gets one, the e-mail in the customer's language, answers once."""

import datetime as dt
import logging

import kombu.exceptions
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format

from customers.choices import Channel
from customers.services import interaction_create, interaction_update, interactions_upsert
from feedback import tasks
from feedback.models import SurveyInvitation, SurveyResponse
from feedback.services import (
    SURVEY_VALID_DAYS,
    survey_invitation_message,
    survey_invitation_send,
    survey_invitations_create,
    survey_is_sampled,
    survey_opt_out,
    survey_response_submit,
)
from feedback.survey_selectors import (
    SurveyAlreadyAnswered,
    SurveyLinkExpired,
    survey_invitation_for_token,
    survey_token,
)
from scorecards.dirty import local_day
from scorecards.models import DirtyDay
from tests.factories import (
    CustomerFactory,
    EmployeeFactory,
    InteractionFactory,
    SurveyInvitationFactory,
    TeamFactory,
    TeamMembershipFactory,
)


@pytest.fixture
def published(monkeypatch):
    """Record the invitation ids published to the broker instead of publishing them."""
    sent = []
    monkeypatch.setattr(
        tasks.survey_invitation_send,
        "apply_async",
        lambda args=(), **kwargs: sent.append(tuple(args)),
    )
    return sent


@pytest.fixture
def surveying_team(team):
    team.survey_channels = [Channel.PHONE, Channel.EMAIL]
    team.survey_rate_percent = 100
    team.survey_cooldown_days = 14
    team.save()
    return team


def resolve(agent, customer, *, channel=Channel.PHONE, hours_ago=1):
    opened = timezone.now() - dt.timedelta(hours=hours_ago + 1)
    return interaction_create(
        employee=agent,
        customer=customer,
        channel=channel,
        subject="Invoice question",
        opened_at=opened,
        resolved_at=opened + dt.timedelta(minutes=30),
    )


# ---- sampling ---------------------------------------------------------------------------


def test_sampling_is_reproducible_and_close_to_the_rate():
    first = [survey_is_sampled(interaction_id=pk, rate_percent=30) for pk in range(1, 2001)]
    again = [survey_is_sampled(interaction_id=pk, rate_percent=30) for pk in range(1, 2001)]
    assert first == again
    assert 500 <= sum(first) <= 700  # 30 % of 2,000 is 600


def test_sampling_at_0_and_100_percent_is_none_and_all():
    ids = range(1, 501)
    assert not any(survey_is_sampled(interaction_id=pk, rate_percent=0) for pk in ids)
    assert all(survey_is_sampled(interaction_id=pk, rate_percent=100) for pk in ids)


def test_a_higher_rate_keeps_everyone_a_lower_rate_sampled():
    ids = range(1, 1001)
    low = {pk for pk in ids if survey_is_sampled(interaction_id=pk, rate_percent=20)}
    high = {pk for pk in ids if survey_is_sampled(interaction_id=pk, rate_percent=60)}
    assert low < high


def test_team_rate_decides_which_interactions_are_surveyed(surveying_team, agent, published):
    surveying_team.survey_rate_percent = 50
    surveying_team.save()
    interactions = [resolve(agent, CustomerFactory()) for _ in range(20)]
    invited = set(SurveyInvitation.objects.values_list("interaction_id", flat=True))
    expected = {
        i.pk for i in interactions if survey_is_sampled(interaction_id=i.pk, rate_percent=50)
    }
    assert invited == expected
    assert 0 < len(invited) < 20


# ---- who is invited -----------------------------------------------------------------------


def test_resolving_an_interaction_invites_the_customer_in_their_language(
    surveying_team, agent, published, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(language="lv")
    with django_capture_on_commit_callbacks(execute=True):
        interaction = resolve(agent, customer)
    invitation = SurveyInvitation.objects.get(interaction=interaction)
    assert invitation.language == "lv"
    assert len(invitation.nonce) == 32
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=SURVEY_VALID_DAYS - 1)
    assert invitation.sent_at is None
    assert published == [(invitation.pk,)]


def test_an_open_interaction_gets_no_survey_until_it_is_resolved(surveying_team, agent, published):
    interaction = interaction_create(
        employee=agent,
        customer=CustomerFactory(),
        channel=Channel.PHONE,
        subject="Still open",
        opened_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert not SurveyInvitation.objects.exists()
    interaction_update(interaction=interaction, resolved_at=timezone.now())
    assert SurveyInvitation.objects.filter(interaction=interaction).count() == 1
    # Editing the resolved interaction again sends nothing more.
    interaction_update(interaction=interaction, notes="Called back to confirm.")
    assert SurveyInvitation.objects.count() == 1


def test_channels_the_team_does_not_survey_get_no_invitation(surveying_team, agent, published):
    resolve(agent, CustomerFactory(), channel=Channel.CHAT)
    resolve(agent, CustomerFactory(), channel=Channel.IN_PERSON)
    assert not SurveyInvitation.objects.exists()


def test_a_team_without_survey_channels_sends_none(team, agent, published):
    resolve(agent, CustomerFactory())
    assert not SurveyInvitation.objects.exists()


def test_an_employee_without_a_team_sends_none(db, published):
    resolve(EmployeeFactory(), CustomerFactory())
    assert not SurveyInvitation.objects.exists()


def test_opted_out_erased_and_email_less_customers_are_never_invited(
    surveying_team, agent, published
):
    resolve(agent, CustomerFactory(has_opted_out_of_surveys=True))
    resolve(agent, CustomerFactory(erased_at=timezone.now()))
    resolve(agent, CustomerFactory(email=""))
    assert not SurveyInvitation.objects.exists()


def test_a_customer_is_surveyed_at_most_once_per_cooldown(surveying_team, agent, published):
    customer = CustomerFactory()
    first = resolve(agent, customer)
    second = resolve(agent, customer)
    assert list(SurveyInvitation.objects.values_list("interaction_id", flat=True)) == [first.pk]
    assert not hasattr(second, "survey_invitation")

    # Fifteen days later the 14-day cooldown is over.
    SurveyInvitation.objects.update(created_at=timezone.now() - dt.timedelta(days=15))
    third = resolve(agent, customer)
    assert SurveyInvitation.objects.filter(interaction=third).exists()


def test_the_cooldown_of_the_agents_team_applies(surveying_team, agent, published):
    surveying_team.survey_cooldown_days = 0
    surveying_team.save()
    customer = CustomerFactory()
    resolve(agent, customer)
    resolve(agent, customer)
    assert SurveyInvitation.objects.count() == 2


def test_interactions_resolved_long_ago_are_not_surveyed(surveying_team, agent, published):
    resolve(agent, CustomerFactory(), hours_ago=24 * 10)
    assert not SurveyInvitation.objects.exists()


def test_the_team_on_the_day_of_resolution_decides(db, published):
    old_team = TeamFactory(survey_channels=[Channel.PHONE], survey_rate_percent=100)
    new_team = TeamFactory(survey_channels=[], survey_rate_percent=100)
    agent = EmployeeFactory()
    today = timezone.localdate()
    TeamMembershipFactory(
        employee=agent,
        team=old_team,
        starts_on=dt.date(2020, 1, 1),
        ends_on=today - dt.timedelta(days=3),
    )
    TeamMembershipFactory(employee=agent, team=new_team, starts_on=today - dt.timedelta(days=2))
    resolve(agent, CustomerFactory(), hours_ago=24 * 4)  # in the old team, which surveys phone
    resolve(agent, CustomerFactory())  # in the new team, which surveys nothing
    assert SurveyInvitation.objects.count() == 1


def test_bulk_upsert_invites_newly_resolved_rows_once_per_customer(
    surveying_team, agent, published
):
    customers = CustomerFactory.create_batch(3)
    opened = timezone.now() - dt.timedelta(hours=3)
    rows = [
        {
            "employee_id": agent.pk,
            "customer_id": customer.pk,
            "channel": Channel.EMAIL,
            "subject": f"Row {index}",
            "opened_at": opened,
            "resolved_at": opened + dt.timedelta(minutes=index + 1),
            "source": "helpdesk",
            "external_id": f"T-{index}",
        }
        for index, customer in enumerate([*customers, customers[0]])
    ]
    interactions_upsert(rows=rows)
    invited = SurveyInvitation.objects.select_related("interaction")
    assert sorted(i.interaction.external_id for i in invited) == ["T-0", "T-1", "T-2"]

    # Sending the same rows again (an update) invites no one more.
    interactions_upsert(rows=rows)
    assert SurveyInvitation.objects.count() == 3


def test_invitations_for_many_interactions_take_a_bounded_number_of_queries(
    surveying_team, agent, published, django_assert_max_num_queries
):
    opened = timezone.now() - dt.timedelta(hours=3)
    interactions = InteractionFactory.create_batch(
        30,
        employee=agent,
        opened_at=opened,
        resolved_at=opened + dt.timedelta(hours=1),
    )
    # Savepoint, teams, customers, earlier invitations, insert, release: whatever the count.
    with django_assert_max_num_queries(6):
        created = survey_invitations_create(interactions=interactions)
    assert len(created) == 30


def test_a_dead_broker_never_fails_the_write(
    surveying_team, agent, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise kombu.exceptions.OperationalError("connection refused")

    monkeypatch.setattr(tasks.survey_invitation_send, "apply_async", broker_down)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        interaction = resolve(agent, CustomerFactory())
    assert SurveyInvitation.objects.filter(interaction=interaction, sent_at=None).exists()
    assert "Could not publish" in caplog.text


# ---- the e-mail -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru", "lv", "lt"])
def test_invitation_email_is_rendered_in_the_customers_language(db, language, settings):
    settings.CRS_SITE_URL = "https://crs.example.com"
    invitation = SurveyInvitationFactory(
        language=language,
        interaction__customer__language=language,
        interaction__customer__email="kunde@example.com",
        interaction__subject="Broken router",
    )
    tasks.survey_invitation_send(invitation.pk)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    token = survey_token(invitation=invitation)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert message.to == ["kunde@example.com"]
    assert message.extra_headers["Content-Language"] == language
    assert f'<html lang="{language}">' in html
    for body in (message.body, html):
        assert f"https://crs.example.com/s/{token}/" in body
        assert f"https://crs.example.com/s/{token}/opt-out/" in body
        assert "Broken router" in body
    with translation.override(language):
        expected_subject = translation.gettext(
            "How did we do? Two questions about your recent request"
        )
        # Django's own catalogs name the months, so the date shows which language was active.
        expires_on = date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
    assert message.subject == expected_subject
    assert expires_on in message.body
    if language != "en":
        with translation.override("en"):
            english = date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
        assert english not in message.body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_the_email_is_sent_once_however_often_the_task_runs(db):
    invitation = SurveyInvitationFactory()
    assert survey_invitation_send(invitation_id=invitation.pk) is True
    assert survey_invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_no_email_to_a_customer_who_opted_out_after_the_invitation(db):
    invitation = SurveyInvitationFactory()
    survey_opt_out(invitation=invitation)
    assert survey_invitation_send(invitation_id=invitation.pk) is False
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.sent_at is None


def test_no_email_for_an_expired_invitation(db):
    invitation = SurveyInvitationFactory(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert survey_invitation_send(invitation_id=invitation.pk) is False
    assert mail.outbox == []


def test_invitations_whose_task_was_lost_are_sent_by_the_sweep(db, published):
    now = timezone.now()
    lost = SurveyInvitationFactory()
    just_made = SurveyInvitationFactory()
    SurveyInvitationFactory(sent_at=now)
    SurveyInvitationFactory(used_at=now)
    SurveyInvitationFactory(expires_at=now - dt.timedelta(minutes=1))
    SurveyInvitationFactory(interaction__customer__has_opted_out_of_surveys=True)
    SurveyInvitation.objects.exclude(pk=just_made.pk).update(created_at=now - dt.timedelta(hours=1))
    assert tasks.survey_invitations_send_pending() == 1
    assert published == [(lost.pk,)]


def test_the_message_text_is_built_from_templates_without_sending(db):
    invitation = SurveyInvitationFactory(language="en", interaction__customer__name="Ann Lee")
    message = survey_invitation_message(invitation=invitation)
    assert "Hello Ann Lee," in message.body
    assert mail.outbox == []


# ---- tokens and answers ---------------------------------------------------------------------


def test_the_token_leads_back_to_its_invitation_only(db):
    invitation, other = SurveyInvitationFactory.create_batch(2)
    token = survey_token(invitation=invitation)
    assert invitation.nonce in token
    assert survey_invitation_for_token(token=token) == invitation
    assert survey_token(invitation=other) != token


def test_an_answer_is_stored_once_and_marks_the_day_dirty(db):
    invitation = SurveyInvitationFactory(language="lt")
    response = survey_response_submit(invitation=invitation, csat=4, nps=9, comment="  Quick!  ")
    assert response.interaction == invitation.interaction
    assert (response.csat, response.nps, response.comment, response.language) == (
        4,
        9,
        "Quick!",
        "lt",
    )
    invitation.refresh_from_db()
    assert invitation.used_at == response.submitted_at
    assert DirtyDay.objects.filter(
        employee=invitation.interaction.employee, day=local_day(response.submitted_at)
    ).exists()
    with pytest.raises(SurveyAlreadyAnswered):
        survey_response_submit(invitation=invitation, csat=1)
    assert SurveyResponse.objects.count() == 1


def test_an_expired_invitation_takes_no_answer(db):
    invitation = SurveyInvitationFactory(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(SurveyLinkExpired):
        survey_response_submit(invitation=invitation, csat=5)
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    ("csat", "nps", "field"), [(0, None, "csat"), (6, None, "csat"), (3, 11, "nps")]
)
def test_out_of_range_answers_are_refused_at_the_field_and_nothing_is_written(db, csat, nps, field):
    invitation = SurveyInvitationFactory()
    with pytest.raises(ValidationError) as caught:
        survey_response_submit(invitation=invitation, csat=csat, nps=nps)
    assert field in caught.value.message_dict
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert not SurveyResponse.objects.exists()
    assert not DirtyDay.objects.exists()


def test_opting_out_stops_future_invitations(surveying_team, agent, published):
    customer = CustomerFactory()
    surveying_team.survey_cooldown_days = 0
    surveying_team.save()
    first = resolve(agent, customer)
    survey_opt_out(invitation=first.survey_invitation)
    customer.refresh_from_db()
    assert customer.has_opted_out_of_surveys
    resolve(agent, customer)
    assert SurveyInvitation.objects.count() == 1
