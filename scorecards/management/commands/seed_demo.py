"""Fill an empty database with demo data."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from integrations.demo import demo_connections_create
from scorecards import demo

LABELS = {
    "teams": gettext_lazy("teams"),
    "employees": gettext_lazy("employees"),
    "agents": gettext_lazy("agents"),
    "customers": gettext_lazy("customers"),
    "change_events": gettext_lazy("change events"),
    "interactions": gettext_lazy("interactions"),
    "survey_invitations": gettext_lazy("survey invitations"),
    "survey_responses": gettext_lazy("survey responses"),
    "qa_reviews": pgettext_lazy("a count in the list of loaded demo data", "QA reviews"),
    "qa_ratings": gettext_lazy("QA ratings"),
    "goals": gettext_lazy("goals"),
    "rule_acknowledgements": gettext_lazy("rule acknowledgements"),
    "calibration_sessions": gettext_lazy("calibration sessions"),
    "coaching_sessions": gettext_lazy("coaching sessions"),
    "coaching_actions": gettext_lazy("coaching actions"),
}


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("--today must be a date as YYYY-MM-DD.")) from error


class Command(BaseCommand):
    help = (
        "Fill an empty database with the demo organisation (teams, staff, customers, 90 days "
        "of interactions and feedback, scores). The benchmarks make their own large set: "
        "python -m bench data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any team exists."
        )
        parser.add_argument(
            "--today", type=_day, help="Last day of data, YYYY-MM-DD (default: today)."
        )
        parser.add_argument("--agents", type=int, default=40, help="Agents (default 40).")
        parser.add_argument(
            "--days", type=int, default=90, help="Days of interactions (default 90)."
        )
        parser.add_argument("--customers", type=int, default=300, help="Customers (default 300).")
        parser.add_argument(
            "--skip-scores", action="store_true", help="Load the data but compute no scores."
        )

    def handle(self, *args, **options):
        if not demo.demo_database_is_empty():
            if options["if_empty"]:
                self.stdout.write(_("Teams already exist: no demo data loaded."))
                return
            raise CommandError(
                _("The database already holds teams: seed_demo fills an empty database only.")
            )
        today = options["today"] or timezone.localdate()
        started = time.monotonic()
        days = options["days"]
        try:
            counts = demo.demo_seed(
                seed=options["seed"],
                today=today,
                agents=options["agents"],
                days=days,
                customers=options["customers"],
                report=self.stderr.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data loaded in %(seconds).1f s:") % {"seconds": time.monotonic() - started}
            )
        )
        for key, count in counts.items():
            self.stdout.write(f"  {LABELS.get(key, key)}: {count:,}")
        # A healthy and a failing helpdesk connection, with recorded deliveries.
        # At a fixed hour of the demo's day (never in the future), so a seed gives the same data.
        evening = timezone.make_aware(dt.datetime.combine(today, dt.time(17)))
        connections = demo_connections_create(now=min(evening, timezone.now()))
        self.stdout.write(
            _("  Helpdesk connections: %(connections)d, with %(events)d events") % connections
        )
        if options["skip_scores"]:
            return
        date_from = today - dt.timedelta(days=days - 1)
        self.stderr.write(_("Computing scores from %(from)s to %(to)s…") % {
            "from": date_from.isoformat(),
            "to": today.isoformat(),
        })  # fmt: skip
        started = time.monotonic()
        if demo.demo_scores_compute(date_from=date_from, date_to=today):
            self.stdout.write(
                _("Scores computed in %(seconds).1f s.") % {"seconds": time.monotonic() - started}
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Scores not computed: scorecards.engine.rows.scores_compute is not "
                        "available. Run compute_scores for these days once it is."
                    )
                )
            )
