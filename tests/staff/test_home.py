"""The home page's helpdesk card: every way data comes in, for admins only."""

import pytest
from django.urls import reverse
from django.utils import translation

from staff.choices import Role
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_admins_see_every_helpdesk_source_and_the_import(client):
    admin = EmployeeFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    html = client.get(reverse("home")).content.decode()
    for kind in ("Chatwoot", "Zendesk Support", "CSV or Excel file"):
        assert kind in html
    assert reverse("integrations:connection_list") in html
    assert reverse("imports:list") in html


def test_the_card_speaks_the_employees_language(client):
    admin = EmployeeFactory(role=Role.ADMIN, language="lv")
    client.force_login(admin.user)
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="lv").content.decode()
    with translation.override("lv"):
        expected = translation.gettext("import interactions or survey answers from any other tool.")
    assert expected != "import interactions or survey answers from any other tool."
    assert expected in html


def test_agents_do_not_see_the_card(client):
    agent = EmployeeFactory(role=Role.AGENT)
    client.force_login(agent.user)
    html = client.get(reverse("home")).content.decode()
    assert "Data from your helpdesk" not in html
    assert reverse("imports:list") not in html
