"""The pages around the application: errors with navigation, and password reset by e-mail."""

import re

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from staff.choices import Role
from tests.factories import EmployeeFactory

PASSWORD = "pass-word-123"


@pytest.mark.django_db
def test_a_missing_page_is_styled_and_keeps_the_navigation(client):
    employee = EmployeeFactory(role=Role.AGENT)
    client.force_login(employee.user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    html = response.content.decode()
    assert 'data-testid="error-page"' in html
    assert 'data-nav="me"' in html
    assert "Page not found" in html


@pytest.mark.django_db
def test_a_page_not_for_the_role_answers_a_styled_403(client):
    employee = EmployeeFactory(role=Role.AGENT)
    client.force_login(employee.user)
    response = client.get(reverse("scorecards:team_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Not for your role" in html
    assert 'data-nav="me"' in html


@pytest.mark.django_db
def test_the_500_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert 'data-testid="error-page"' in html
    assert 'href="/"' in html


@pytest.mark.django_db
def test_password_reset_by_e_mail_sets_a_new_password(client):
    employee = EmployeeFactory(role=Role.AGENT)
    employee.user.email = "anna@example.com"
    employee.user.save()
    login = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login

    response = client.post(reverse("password_reset"), {"email": "anna@example.com"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    assert employee.user.username in mail.outbox[0].body

    form = client.get(link.group(1), follow=True)
    assert form.context["validlink"] is True
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-New-pass-2026", "new_password2": "a-New-pass-2026"},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    employee.user.refresh_from_db()
    assert employee.user.check_password("a-New-pass-2026")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing_and_tells_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_used_reset_link_says_so(client):
    response = client.get(reverse("password_reset_confirm", args=["MTIz", "set-password"]))
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert "has been used or has expired" in response.content.decode()
