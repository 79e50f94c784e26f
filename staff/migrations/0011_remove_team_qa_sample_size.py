"""Drop Team.qa_sample_size: the team's random sampling rule now holds the weekly sample size
(feedback 0009 copied every team's value into it first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0010_team_dispute_window"),
        ("feedback", "0009_random_rule_from_team_sample_size"),
    ]

    operations = [
        migrations.RemoveField(model_name="historicalteam", name="qa_sample_size"),
        migrations.RemoveField(model_name="team", name="qa_sample_size"),
    ]
