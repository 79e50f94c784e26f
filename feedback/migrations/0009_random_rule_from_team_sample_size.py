"""Write each team's random sampling rule from its `qa_sample_size`, before that field goes.

The random rule is from now on the one place a team's weekly sample size lives (the sampling
page edits it); a team that already saved its random rule keeps it.
"""

from django.db import migrations

RANDOM = "random"
MAX_PER_AGENT = 50
DEFAULT_PER_AGENT = 3


def rules_from_sample_size(apps, schema_editor):
    Team = apps.get_model("staff", "Team")
    SamplingRule = apps.get_model("feedback", "SamplingRule")
    saved = set(SamplingRule.objects.filter(kind=RANDOM).values_list("team_id", flat=True))
    SamplingRule.objects.bulk_create(
        [
            SamplingRule(
                team_id=team_id,
                kind=RANDOM,
                is_enabled=size > 0,
                per_agent=min(size, MAX_PER_AGENT) if size > 0 else DEFAULT_PER_AGENT,
                new_hire_weeks=4,
            )
            for team_id, size in Team.objects.values_list("pk", "qa_sample_size")
            if team_id not in saved
        ]
    )


def sample_size_from_rules(apps, schema_editor):
    Team = apps.get_model("staff", "Team")
    SamplingRule = apps.get_model("feedback", "SamplingRule")
    for rule in SamplingRule.objects.filter(kind=RANDOM):
        Team.objects.filter(pk=rule.team_id).update(
            qa_sample_size=rule.per_agent if rule.is_enabled else 0
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0008_calibration_sessions"),
        ("staff", "0010_team_dispute_window"),
    ]

    operations = [migrations.RunPython(rules_from_sample_size, sample_size_from_rules)]
