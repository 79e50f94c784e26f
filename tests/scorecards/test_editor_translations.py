"""Rule texts' translations in the scorecard editor: a field per language, out-of-date marks in
the editor and on the rules page, the admin read-only; and the editor's error summary."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from scorecards.choices import MetricCode
from scorecards.models import Metric, QACriterion, ScorecardVersion
from scorecards.translations import (
    SOURCE_KEY,
    source_hash,
    translation_is_stale,
    translations_for_texts,
    translations_merge,
)
from staff.choices import Role
from tests.factories import (
    EmployeeFactory,
    MetricFactory,
    PublishedVersionFactory,
    QACriterionFactory,
    ScorecardFactory,
    ScorecardVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

TODAY = timezone.localdate()
STALE = "English changed since this translation"
OUTDATED = "this translation may be out of date"


# ---- the rule, without the database ---------------------------------------------------------


def test_a_translation_typed_anew_is_current_and_records_the_english_it_was_written_from():
    stored = translations_merge(
        stored={},
        submitted={"ru": {"label": "Решено с первого раза"}},
        english_before={"label": "First contact resolution"},
        english_after={"label": "First contact resolution"},
    )

    assert stored == {
        "ru": {
            "label": "Решено с первого раза",
            SOURCE_KEY: {"label": source_hash("First contact resolution")},
        }
    }
    assert not translation_is_stale(stored, "ru", "label", "First contact resolution")
    assert translation_is_stale(stored, "ru", "label", "Resolved at first contact")


def test_english_changed_with_the_translation_left_as_it_was_makes_it_stale_until_confirmed():
    before = translations_for_texts(texts={"lv": {"label": "Vecais"}}, english={"label": "Old"})

    kept = translations_merge(
        stored=before,
        submitted={"lv": {"label": "Vecais"}},
        english_before={"label": "Old"},
        english_after={"label": "New"},
    )
    confirmed = translations_merge(
        stored=kept,
        submitted={"lv": {"label": "Vecais"}},
        confirmed=[("lv", "label")],
        english_before={"label": "New"},
        english_after={"label": "New"},
    )

    assert translation_is_stale(kept, "lv", "label", "New")
    assert not translation_is_stale(confirmed, "lv", "label", "New")


def test_a_legacy_translation_without_a_source_is_dated_from_the_english_before_the_edit():
    legacy = {"lt": {"intro": "Sveiki"}}

    unchanged = translations_merge(
        stored=legacy,
        submitted={"lt": {"intro": "Sveiki"}},
        english_before={"intro": "Hello"},
        english_after={"intro": "Hello"},
    )
    changed = translations_merge(
        stored=legacy,
        submitted={"lt": {"intro": "Sveiki"}},
        english_before={"intro": "Hello"},
        english_after={"intro": "Welcome"},
    )

    assert not translation_is_stale(legacy, "lt", "intro", "Anything")
    assert not translation_is_stale(unchanged, "lt", "intro", "Hello")
    assert translation_is_stale(changed, "lt", "intro", "Welcome")


def test_an_emptied_translation_is_removed_and_one_not_sent_is_kept():
    stored = translations_for_texts(
        texts={"ru": {"label": "Метка", "rule_how": "Так"}},
        english={"label": "Label", "rule_how": "So"},
    )

    result = translations_merge(
        stored=stored,
        submitted={"ru": {"label": ""}},
        english_before={"label": "Label", "rule_how": "So"},
        english_after={"label": "Label", "rule_how": "So"},
    )

    assert result["ru"] == {"rule_how": "Так", SOURCE_KEY: {"rule_how": source_hash("So")}}
    assert (
        translations_merge(stored=stored, submitted=None, english_before={}, english_after={})
        == stored
    )


# ---- the editor ------------------------------------------------------------------------------


@pytest.fixture
def version(db):
    return PublishedVersionFactory(
        scorecard=ScorecardFactory(name="Support", slug="support"),
        number=1,
        effective_from=TODAY - dt.timedelta(days=100),
        intro="Welcome to the support team.",
        metrics=[{"code": MetricCode.FCR, "label": "First contact resolution"}],
    )


@pytest.fixture
def admin(db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return EmployeeFactory(role=Role.ADMIN, user=user)


@pytest.fixture
def editing_manager(version):
    team = TeamFactory(scorecard=version.scorecard)
    manager = EmployeeFactory(role=Role.MANAGER, user=UserFactory(username="manager"))
    team.managers.add(manager)
    manager.user.user_permissions.add(Permission.objects.get(codename="change_scorecardversion"))
    return manager


@pytest.fixture
def draft(version):
    draft = ScorecardVersionFactory(
        scorecard=version.scorecard,
        number=2,
        effective_from=TODAY + dt.timedelta(days=1),
        intro="Welcome.",
        translations=translations_for_texts(
            texts={"ru": {"intro": "Добро пожаловать."}}, english={"intro": "Welcome."}
        ),
    )
    MetricFactory(
        version=draft,
        code=MetricCode.FCR,
        label="First contact resolution",
        weight=3,
        translations=translations_for_texts(
            texts={"lv": {"label": "Atrisināts pirmajā kontaktā"}},
            english={"label": "First contact resolution"},
        ),
    )
    QACriterionFactory(version=draft, code="greeting", label="Greeting")
    return draft


def _edit_url(draft) -> str:
    return reverse("scorecards:editor_version", args=[draft.scorecard.slug, draft.number])


def _data(draft, **overrides) -> dict:
    """Return the editor form as the browser posts it: every field, translations included."""
    data = {
        "version-sla_minutes": draft.sla_minutes,
        "version-green_from": draft.green_from,
        "version-amber_from": draft.amber_from,
        "version-intro": draft.intro,
        "version-change_summary": draft.change_summary,
        "metrics-TOTAL_FORMS": 2,
        "metrics-INITIAL_FORMS": 1,
        "metrics-MIN_NUM_FORMS": 0,
        "metrics-MAX_NUM_FORMS": 1000,
        "criteria-TOTAL_FORMS": 2,
        "criteria-INITIAL_FORMS": 1,
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
        "metrics-1-min_sample": 1,
        "criteria-1-weight": 1,
    }
    for language in ("ru", "lv", "lt"):
        for name in ("intro", "change_summary"):
            data[f"version-tr_{language}_{name}"] = draft.translations.get(language, {}).get(
                name, ""
            )
    for prefix, row, names in (
        ("metrics-0", draft.metrics.get(), ("label", "rule_what", "rule_why", "rule_how")),
        ("criteria-0", draft.qa_criteria.get(), ("label", "description", "examples")),
    ):
        data[f"{prefix}-id"] = row.pk
        for name in ("code", "label", "weight", *names):
            data[f"{prefix}-{name}"] = getattr(row, name)
        if isinstance(row, Metric):
            for name in ("target", "floor", "min_sample"):
                data[f"{prefix}-{name}"] = getattr(row, name)
        for language in ("ru", "lv", "lt"):
            for name in names:
                data[f"{prefix}-tr_{language}_{name}"] = row.translations.get(language, {}).get(
                    name, ""
                )
    data.update(overrides)
    return data


def test_the_editor_shows_a_field_per_language_for_each_rule_text(client, admin, draft):
    client.force_login(admin.user)

    response = client.get(_edit_url(draft))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="version-tr_ru_intro"' in html
    assert "Добро пожаловать." in html
    assert 'name="metrics-0-tr_lv_label"' in html
    assert 'value="Atrisināts pirmajā kontaktā"' in html
    for name in ("tr_lt_rule_how", "tr_ru_rule_what"):
        assert f'name="metrics-0-{name}"' in html
    assert 'name="criteria-0-tr_lt_examples"' in html
    assert STALE not in html


def test_saving_translations_stores_them_with_the_english_they_were_written_from(
    client, editing_manager, draft
):
    client.force_login(editing_manager.user)

    response = client.post(
        _edit_url(draft),
        _data(
            draft,
            **{
                "metrics-0-tr_ru_rule_how": "Задайте ещё один вопрос.",
                "metrics-0-rule_how": "Ask one more question.",
                "criteria-0-tr_lt_label": "Pasisveikinimas",
                "version-tr_ru_intro": "",
            },
        ),
    )

    assert response.status_code == 302
    metric = Metric.objects.get(version=draft)
    assert metric.translations["ru"]["rule_how"] == "Задайте ещё один вопрос."
    assert metric.translations["ru"][SOURCE_KEY]["rule_how"] == source_hash(
        "Ask one more question."
    )
    assert metric.translations["lv"]["label"] == "Atrisināts pirmajā kontaktā"
    assert QACriterion.objects.get(version=draft).localized("label", "lt") == "Pasisveikinimas"
    # Emptied: the Russian page shows the English introduction.
    assert ScorecardVersion.objects.get(pk=draft.pk).translations == {}


def test_changing_the_english_marks_the_translation_stale_in_the_editor_until_confirmed(
    client, admin, draft
):
    client.force_login(admin.user)
    client.post(_edit_url(draft), _data(draft, **{"metrics-0-label": "Solved first time"}))

    html = client.get(_edit_url(draft)).content.decode()

    assert STALE in html
    assert 'name="metrics-0-tr_lv_label_ok"' in html
    assert 'data-testid="stale-count"' in html
    metric = Metric.objects.get(version=draft)
    assert metric.translation_outdated(("label",), "lv")

    draft.refresh_from_db()
    client.post(_edit_url(draft), _data(draft, **{"metrics-0-tr_lv_label_ok": "on"}))

    assert not Metric.objects.get(version=draft).translation_outdated(("label",), "lv")
    assert STALE not in client.get(_edit_url(draft)).content.decode()


def test_a_post_without_translation_fields_keeps_the_stored_translations(client, admin, draft):
    data = {
        key: value for key, value in _data(draft).items() if "-tr_" not in key and key[:3] != "tr_"
    }
    client.force_login(admin.user)

    assert client.post(_edit_url(draft), data).status_code == 302

    assert Metric.objects.get(version=draft).localized("label", "lv") == (
        "Atrisināts pirmajā kontaktā"
    )
    assert ScorecardVersion.objects.get(pk=draft.pk).localized("intro", "ru") == (
        "Добро пожаловать."
    )


def test_a_translated_label_too_long_is_refused_at_its_field(client, admin, draft):
    client.force_login(admin.user)

    response = client.post(_edit_url(draft), _data(draft, **{"metrics-0-tr_ru_label": "Я" * 121}))

    assert response.status_code == 200
    form = response.context["metric_formset"].forms[0]
    assert "tr_ru_label" in form.errors
    html = response.content.decode()
    assert 'href="#id_metrics-0-tr_ru_label"' in html
    # The translations of that row are open, so the link lands on a visible field.
    assert "open" in html.split('data-testid="translations"')[2].split(">")[0]


# ---- the rules page --------------------------------------------------------------------------


def test_rules_page_shows_an_out_of_date_translation_with_a_note(client, db):
    version = PublishedVersionFactory(
        scorecard=ScorecardFactory(slug="support"),
        effective_from=TODAY - dt.timedelta(days=10),
        intro="Welcome, new wording.",
        translations=translations_for_texts(
            texts={"ru": {"intro": "Добро пожаловать."}}, english={"intro": "Welcome."}
        ),
        metrics=[
            {
                "code": MetricCode.FCR,
                "label": "First contact resolution",
                "rule_how": "Ask one more question.",
                "translations": translations_for_texts(
                    texts={"ru": {"rule_how": "Задайте вопрос."}},
                    english={"rule_how": "Ask one more question."},
                ),
            },
            {
                "code": MetricCode.CSAT,
                "label": "Customer satisfaction",
                "rule_how": "Smile, now with more words.",
                "translations": translations_for_texts(
                    texts={"ru": {"rule_how": "Улыбайтесь."}}, english={"rule_how": "Smile."}
                ),
            },
        ],
    )
    agent = EmployeeFactory(role=Role.AGENT, user=UserFactory(username="reader"), language="ru")
    TeamMembershipFactory(employee=agent, team=TeamFactory(scorecard=version.scorecard))
    client.force_login(agent.user)
    url = reverse("scorecards:rules_detail", args=["support"])

    html = client.get(url).content.decode()
    agent.language = "en"
    agent.save()
    english = client.get(url).content.decode()

    assert "Добро пожаловать." in html
    assert "Улыбайтесь." in html
    # The intro and customer satisfaction are out of date; first contact resolution is not.
    assert html.count('data-testid="translation-outdated"') == 2
    fcr = html.split('data-metric="fcr"')[1].split("</section>")[0]
    assert "translation-outdated" not in fcr
    assert 'data-testid="translation-outdated"' not in english


# ---- the admin -------------------------------------------------------------------------------


def test_the_admin_shows_translations_read_only_with_a_link_to_the_editor(client, admin, draft):
    client.force_login(admin.user)

    html = client.get(
        reverse("admin:scorecards_scorecardversion_change", args=[draft.pk])
    ).content.decode()

    assert 'name="translations"' not in html
    assert 'name="metrics-0-translations"' not in html
    assert "Добро пожаловать." in html
    assert "Atrisināts pirmajā kontaktā" in html
    assert _edit_url(draft) in html
