"""A team's weekly QA sample size lives in one place: its random sampling rule.

The team's old `qa_sample_size` field was copied into that rule by a data migration and dropped,
so the admin and the sampling page cannot show two different numbers.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from feedback.choices import SamplingRuleKind
from feedback.models import SamplingRule
from feedback.sampling_selectors import sampling_rules_for_teams
from feedback.sampling_services import RuleSetting, sampling_rules_set
from staff.models import Team
from tests.factories import TeamFactory

BEFORE = [("feedback", "0008_calibration_sessions"), ("staff", "0010_team_dispute_window")]
AFTER = [
    ("feedback", "0009_random_rule_from_team_sample_size"),
    ("staff", "0011_remove_team_qa_sample_size"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_migration_writes_each_teams_random_rule_from_its_sample_size():
    old = _migrate(BEFORE)
    OldTeam = old.get_model("staff", "Team")
    OldRule = old.get_model("feedback", "SamplingRule")
    five = OldTeam.objects.create(name="Five", slug="five", qa_sample_size=5)
    none = OldTeam.objects.create(name="None", slug="none", qa_sample_size=0)
    huge = OldTeam.objects.create(name="Huge", slug="huge", qa_sample_size=80)
    kept = OldTeam.objects.create(name="Kept", slug="kept", qa_sample_size=9)
    OldRule.objects.create(team=kept, kind="random", is_enabled=True, per_agent=2)

    _migrate(AFTER)

    rules = {
        rule.team.slug: (rule.is_enabled, rule.per_agent)
        for rule in SamplingRule.objects.filter(kind=SamplingRuleKind.RANDOM).select_related("team")
    }
    assert rules == {"five": (True, 5), "none": (False, 3), "huge": (True, 50), "kept": (True, 2)}
    assert "qa_sample_size" not in {field.name for field in Team._meta.get_fields()}
    assert {five.pk, none.pk, huge.pk} <= set(Team.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_sampling_page_setting_is_what_the_sampling_and_the_admin_use(
    admin_client, team, manager
):
    sampling_rules_set(
        team=team,
        actor=manager,
        settings={
            SamplingRuleKind.LOW_CSAT: RuleSetting(is_enabled=False),
            SamplingRuleKind.ESCALATED: RuleSetting(is_enabled=False),
            SamplingRuleKind.NEW_HIRE: RuleSetting(is_enabled=False),
            SamplingRuleKind.RANDOM: RuleSetting(is_enabled=True, per_agent=7),
        },
    )

    assert sampling_rules_for_teams(teams=[team])[team.pk][SamplingRuleKind.RANDOM].per_agent == 7
    page = admin_client.get(reverse("admin:staff_team_change", args=[team.pk]))
    assert page.status_code == 200
    assert 'name="qa_sample_size"' not in page.content.decode()
    assert reverse("qa:sampling") in page.content.decode()


@pytest.mark.django_db
def test_a_new_team_samples_three_per_agent_until_its_managers_change_it():
    team = TeamFactory()

    rule = sampling_rules_for_teams(teams=[team])[team.pk][SamplingRuleKind.RANDOM]

    assert (rule.is_enabled, rule.per_agent, rule.pk) == (True, 3, None)
