"""The public survey page, its thanks and opt-out pages, and the staff's survey comments."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import SurveyResponse
from feedback.survey_selectors import survey_token
from scorecards.dirty import local_day
from scorecards.models import DirtyDay
from staff.choices import Role
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The per-address counters live in the cache; each test starts with none used.
    cache.clear()
    yield
    cache.clear()


def survey_url(invitation, name="surveys:survey"):
    return reverse(name, args=[survey_token(invitation=invitation)])


def problem_of(response) -> str:
    match = re.search(r'data-problem="(\w+)"', response.content.decode())
    return match.group(1) if match else ""


# ---- the survey page --------------------------------------------------------------------


def test_the_survey_opens_without_an_account_in_the_customers_language(client, db):
    invitation = SurveyInvitationFactory(language="lv", interaction__subject="Lost parcel")
    response = client.get(survey_url(invitation), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="lv">' in html
    assert response.headers["Content-Language"] == "lv"
    # The agent's subject line is internal: the customer sees the organisation and the day.
    assert "Lost parcel" not in html
    assert 'data-testid="organisation">CRS<' in html
    for value in range(1, 6):
        assert f'name="csat" id="csat-{value}" value="{value}"' in html
    for value in range(11):
        assert f'id="nps-{value}" value="{value}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "no-store" in response.headers["Cache-Control"]


def test_the_customer_may_pick_another_language(client, db):
    invitation = SurveyInvitationFactory(language="lv")
    response = client.get(survey_url(invitation) + "?lang=lt")
    assert '<html lang="lt">' in response.content.decode()
    response = client.get(survey_url(invitation) + "?lang=xx")
    assert '<html lang="lv">' in response.content.decode()


def test_a_signed_in_employee_opening_the_link_sees_the_customers_language(client, db):
    employee = EmployeeFactory(language="en")
    client.force_login(employee.user)
    invitation = SurveyInvitationFactory(language="ru")
    response = client.get(survey_url(invitation))
    assert '<html lang="ru">' in response.content.decode()


def test_submitting_stores_the_answer_marks_the_day_and_thanks(client, db):
    invitation = SurveyInvitationFactory(language="ru")
    response = client.post(survey_url(invitation), {"csat": "2", "nps": "6", "comment": "Slow"})
    assert response.status_code == 302
    assert response.url == survey_url(invitation, "surveys:thanks")

    stored = SurveyResponse.objects.get()
    assert (stored.csat, stored.nps, stored.comment, stored.language) == (2, 6, "Slow", "ru")
    assert stored.invitation == invitation
    assert stored.interaction == invitation.interaction
    assert DirtyDay.objects.filter(
        employee=invitation.interaction.employee, day=local_day(stored.submitted_at)
    ).exists()

    thanks = client.get(response.url)
    assert thanks.status_code == 200
    assert 'data-testid="survey-thanks"' in thanks.content.decode()
    assert '<html lang="ru">' in thanks.content.decode()


def test_nps_and_comment_are_optional(client, db):
    invitation = SurveyInvitationFactory()
    response = client.post(survey_url(invitation), {"csat": "5"})
    assert response.status_code == 302
    assert SurveyResponse.objects.get().nps is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "csat", "Choose a face from 1 to 5."),
        ({"csat": "0"}, "csat", "Choose a face from 1 to 5."),
        ({"csat": "6"}, "csat", "Choose a face from 1 to 5."),
        ({"csat": "happy"}, "csat", "Choose a face from 1 to 5."),
        ({"csat": "4", "nps": "11"}, "nps", "Choose a number from 0 to 10."),
        ({"csat": "4", "nps": "-1"}, "nps", "Choose a number from 0 to 10."),
        ({"csat": "4", "comment": "x" * 2001}, "comment", "2000"),
    ],
)
def test_bad_answers_are_explained_at_the_field_and_nothing_is_written(
    client, db, data, field, message
):
    invitation = SurveyInvitationFactory()
    response = client.post(survey_url(invitation), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="{field}-error"' in response.content.decode()
    assert not SurveyResponse.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_the_form_keeps_the_customers_choices_when_it_is_shown_again(client, db):
    invitation = SurveyInvitationFactory()
    response = client.post(survey_url(invitation), {"nps": "7", "comment": "Kept"})
    html = response.content.decode()
    assert 'id="nps-7" value="7" checked' in html
    assert ">Kept</textarea>" in html


def test_csrf_protection_stays_on(db):
    invitation = SurveyInvitationFactory()
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post(survey_url(invitation), {"csat": "5"})
    assert refused.status_code == 403
    assert not SurveyResponse.objects.exists()

    page = browser.get(survey_url(invitation))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    accepted = browser.post(
        survey_url(invitation), {"csat": "5", "csrfmiddlewaretoken": token.group(1)}
    )
    assert accepted.status_code == 302
    assert SurveyResponse.objects.count() == 1


# ---- unusable links -------------------------------------------------------------------------


def test_a_tampered_link_gets_a_polite_not_found_page(client, db):
    invitation = SurveyInvitationFactory()
    token = survey_token(invitation=invitation)
    nonce, signature = token.split(".")
    other_nonce = ("0" if nonce[0] != "0" else "1") + nonce[1:]
    for bad in (
        f"{nonce}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",  # signature changed
        f"{other_nonce}.{signature}",  # nonce changed
        nonce,  # signature cut off
        signing.Signer(salt="something-else", sep=".").sign(nonce),  # signed for another use
        "made-up",
    ):
        response = client.get(reverse("surveys:survey", args=[bad]))
        assert response.status_code == 404, bad
        assert problem_of(response) == "invalid"
        assert "We could not recognise this link" in response.content.decode()
        response = client.post(reverse("surveys:survey", args=[bad]), {"csat": "5"})
        assert response.status_code == 404
    assert not SurveyResponse.objects.exists()


def test_a_validly_signed_link_to_no_invitation_is_not_found(client, db):
    token = signing.Signer(salt="feedback.survey-link", sep=".").sign("f" * 32)
    response = client.get(reverse("surveys:survey", args=[token]))
    assert response.status_code == 404
    assert problem_of(response) == "invalid"


def test_an_expired_link_says_so_with_410(client, db):
    invitation = SurveyInvitationFactory(
        expires_at=timezone.now() - dt.timedelta(minutes=1), language="lt"
    )
    for response in (
        client.get(survey_url(invitation)),
        client.post(survey_url(invitation), {"csat": "5"}),
    ):
        assert response.status_code == 410
        assert problem_of(response) == "expired"
        assert '<html lang="lt">' in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_used_link_says_so_with_409_and_keeps_the_first_answer(client, db):
    invitation = SurveyInvitationFactory()
    assert client.post(survey_url(invitation), {"csat": "5"}).status_code == 302
    again = client.post(survey_url(invitation), {"csat": "1", "comment": "Changed my mind"})
    assert again.status_code == 409
    assert problem_of(again) == "used"
    assert client.get(survey_url(invitation)).status_code == 409
    assert list(SurveyResponse.objects.values_list("csat", flat=True)) == [5]


def test_the_thanks_page_of_an_unanswered_survey_leads_to_the_survey(client, db):
    invitation = SurveyInvitationFactory()
    response = client.get(survey_url(invitation, "surveys:thanks"))
    assert response.status_code == 302
    assert response.url == survey_url(invitation)


def test_requests_beyond_the_rate_limit_get_a_polite_429(client, db, settings):
    settings.SURVEY_RATE_LIMIT = "3/m"
    invitation = SurveyInvitationFactory()
    # Frozen, so the three requests cannot straddle two counting windows.
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(3):
            assert client.get(survey_url(invitation)).status_code == 200
        limited = client.post(survey_url(invitation), {"csat": "5"})
        assert limited.status_code == 429
        assert problem_of(limited) == "limited"
        assert "Please wait a minute" in limited.content.decode()
        # Guessing tokens is counted too.
        assert client.get(reverse("surveys:survey", args=["guess"])).status_code == 429
        # Another address is not held back.
        other = client.get(survey_url(invitation), REMOTE_ADDR="192.0.2.7")
        assert other.status_code == 200
    assert not SurveyResponse.objects.exists()


def test_behind_the_proxy_each_customer_has_their_own_limit(client, db, settings):
    settings.SURVEY_RATE_LIMIT = "2/m"
    settings.AXES_IPWARE_PROXY_COUNT = 1
    invitation = SurveyInvitationFactory()
    url = survey_url(invitation)
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(2):
            assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 200
        assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 429
        # Another customer behind the same proxy is not held back...
        assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 200
        # ...and a made-up address in front of the real one does not reset the count.
        spoofed = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1", **proxy)
        assert spoofed.status_code == 429


# ---- opting out -------------------------------------------------------------------------------


def test_opting_out_needs_a_confirmation_by_post(client, db):
    invitation = SurveyInvitationFactory(language="lv")
    customer = invitation.interaction.customer
    page = client.get(survey_url(invitation, "surveys:opt_out"))
    assert page.status_code == 200
    assert '<html lang="lv">' in page.content.decode()
    customer.refresh_from_db()
    assert not customer.has_opted_out_of_surveys

    done = client.post(survey_url(invitation, "surveys:opt_out"))
    assert done.status_code == 200
    customer.refresh_from_db()
    assert customer.has_opted_out_of_surveys


def test_opting_out_works_from_an_answered_or_expired_link(client, db):
    invitation = SurveyInvitationFactory(
        used_at=timezone.now(), expires_at=timezone.now() - dt.timedelta(days=1)
    )
    assert client.post(survey_url(invitation, "surveys:opt_out")).status_code == 200
    invitation.interaction.customer.refresh_from_db()
    assert invitation.interaction.customer.has_opted_out_of_surveys


def test_opting_out_with_a_tampered_link_changes_nothing(client, db):
    invitation = SurveyInvitationFactory()
    response = client.post(reverse("surveys:opt_out", args=[invitation.nonce + ".forged"]))
    assert response.status_code == 404
    invitation.interaction.customer.refresh_from_db()
    assert not invitation.interaction.customer.has_opted_out_of_surveys


# ---- survey comments for staff ----------------------------------------------------------------


def comments_url(**params):
    url = reverse("surveys:comments")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def answer(employee, *, csat=4, comment="", days_ago=0, **kwargs):
    interaction = InteractionFactory(
        employee=employee, opened_at=timezone.now() - dt.timedelta(days=days_ago, hours=3)
    )
    return SurveyResponseFactory(
        interaction=interaction,
        csat=csat,
        comment=comment,
        submitted_at=timezone.now() - dt.timedelta(days=days_ago),
        **kwargs,
    )


def test_agents_see_only_comments_on_their_own_work(client, agent, team):
    colleague = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=colleague, team=team)
    answer(agent, comment="Agent was great")
    answer(colleague, comment="Colleague was slow")
    client.force_login(agent.user)
    response = client.get(comments_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Agent was great" in html
    assert "Colleague was slow" not in html


def test_managers_see_their_teams_comments_only(client, agent, manager):
    outsider = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=outsider, team=TeamFactory())
    answer(agent, comment="In my team")
    answer(outsider, comment="In another team")
    client.force_login(manager.user)
    html = client.get(comments_url()).content.decode()
    assert "In my team" in html
    assert "In another team" not in html
    # A manager cannot reach another team's person through the filter either.
    response = client.get(comments_url(employee=outsider.pk))
    assert "In another team" not in response.content.decode()
    assert "employee" in response.context["form"].errors


def test_onboarding_staff_and_anonymous_users_cannot_read_comments(client, db):
    assert client.get(comments_url()).status_code == 302
    client.force_login(EmployeeFactory(role=Role.ONBOARDING).user)
    assert client.get(comments_url()).status_code == 403


def test_comments_filter_by_rating_words_comment_and_period(client, agent):
    answer(agent, csat=1, comment="Rude on the phone", days_ago=1)
    answer(agent, csat=5, comment="Lovely", days_ago=2)
    answer(agent, csat=5, comment="", days_ago=40)
    client.force_login(agent.user)

    def shown(**params):
        return [r.pk for r in client.get(comments_url(**params)).context["page"].object_list]

    assert len(shown()) == 3
    assert len(shown(csat=5)) == 2
    assert len(shown(with_comment="on")) == 2
    assert len(shown(q="rude")) == 1
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert len(shown(date_from=since)) == 2
    lowest = client.get(comments_url(sort="lowest")).context["page"].object_list
    assert lowest[0].csat == 1


def test_a_reversed_period_is_explained_at_the_field(client, agent):
    client.force_login(agent.user)
    response = client.get(comments_url(date_from="2026-05-10", date_to="2026-05-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"] == [
        "The end of the period cannot be before its start."
    ]


def test_the_empty_state_explains_itself(client, agent):
    client.force_login(agent.user)
    html = client.get(comments_url()).content.decode()
    assert 'data-testid="empty-state"' in html


def test_comments_are_paginated_in_a_bounded_number_of_queries(
    client, manager, team, django_assert_max_num_queries
):
    for _ in range(3):
        member = EmployeeFactory(role=Role.AGENT)
        TeamMembershipFactory(employee=member, team=team)
        for index in range(10):
            answer(member, comment=f"Comment {index}")
    client.force_login(manager.user)
    with django_assert_max_num_queries(12):
        first = client.get(comments_url())
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 30
    second = client.get(comments_url(page=2))
    assert len(second.context["page"].object_list) == 5


def test_survey_comments_are_in_the_navigation(client, agent):
    client.force_login(agent.user)
    html = client.get(comments_url()).content.decode()
    assert f'href="{reverse("surveys:comments")}"' in html
    assert 'data-nav="surveys"' in html
