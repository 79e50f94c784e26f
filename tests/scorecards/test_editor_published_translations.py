"""A published version's read-only editor page shows its translations, read-only, with the
out-of-date ones marked."""

import pytest
from django.urls import reverse

from scorecards.models import QACriterion, QASection, ScorecardVersion
from scorecards.translations import source_hash, translations_for_texts
from staff.choices import Role
from tests.factories import EmployeeFactory, UserFactory
from tests.scorecards.test_qa_sections import _publish, sectioned_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return EmployeeFactory(role=Role.ADMIN, user=user)


def _url(version) -> str:
    return reverse("scorecards:editor_version", args=[version.scorecard.slug, version.number])


def test_a_published_version_shows_its_translations_read_only(client, admin, team):
    version = sectioned_version(team.scorecard, publish=False)
    ScorecardVersion.objects.filter(pk=version.pk).update(
        intro="Welcome.",
        translations=translations_for_texts(
            texts={"lv": {"intro": "Laipni lūdzam."}}, english={"intro": "Welcome."}
        ),
    )
    QASection.objects.filter(version=version, code="compliance").update(
        translations={
            "ru": {"label": "Соблюдение", "_source": {"label": source_hash("Rules")}},
            "lt": {"label": "Atitiktis"},
        }
    )
    QACriterion.objects.filter(version=version, code="greeting").update(
        translations=translations_for_texts(
            texts={"ru": {"label": "Приветствие"}}, english={"label": "Greeting"}
        )
    )
    version = _publish(version)
    client.force_login(admin.user)

    html = client.get(_url(version)).content.decode()

    block = html.split('data-testid="read-only-translations"')[1].split("</section>")[0]
    rows = block.split('data-testid="row-translations"')[1:]
    assert len(rows) == 3
    intro, compliance, greeting = rows
    assert "Laipni lūdzam." in intro
    assert 'lang="lv"' in intro
    assert "QA section: Compliance" in compliance
    assert "Соблюдение" in compliance
    assert "Atitiktis" in compliance
    # Only the Russian label was written from another English text.
    assert compliance.count('data-testid="stale-translation"') == 1
    assert 'data-testid="stale-count"' in compliance
    assert "Приветствие" in greeting
    assert "stale" not in greeting
    # Read-only: no field to type into.
    assert "<input" not in block
    assert "<textarea" not in block


def test_a_published_version_without_translations_says_so(client, admin, team):
    version = sectioned_version(team.scorecard)
    client.force_login(admin.user)

    html = client.get(_url(version)).content.decode()

    assert 'data-testid="no-translations"' in html
    assert 'data-testid="row-translations"' not in html
