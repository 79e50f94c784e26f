from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy.services import personal_data_retention_purge


class Command(BaseCommand):
    help = (
        "Anonymise interactions opened more than N months ago (default CRS_RETENTION_MONTHS) "
        "and customers not seen since; scores are unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="Keep personal data this many months (default: CRS_RETENTION_MONTHS).",
        )

    def handle(self, *args, months, **options):
        months = settings.CRS_RETENTION_MONTHS if months is None else months
        if months < 0:
            raise CommandError("--months must be 0 (keep everything) or more.")
        result = personal_data_retention_purge(months=months)
        if result.cutoff is None:
            self.stdout.write("Retention is off (0 months): nothing anonymised.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Anonymised {result.interactions} interactions, "
                f"{result.survey_comments} survey comments and {result.customers} customers "
                f"last seen before {result.cutoff:%Y-%m-%d %H:%M %Z}; deleted "
                f"{result.helpdesk_events} helpdesk deliveries received before then."
            )
        )
