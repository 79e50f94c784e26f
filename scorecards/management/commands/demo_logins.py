"""Print the demo logins and their password."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from scorecards.demo import DEMO_LOGINS
from staff.choices import Role


class Command(BaseCommand):
    help = "Print the demo logins (loaded by seed_demo) and their password as a small table."

    def handle(self, *args, **options):
        rows = [(_("Login"), _("Role"), _("Password"))] + [
            (username, str(Role(role).label), settings.CRS_DEMO_PASSWORD)
            for username, role in DEMO_LOGINS
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                 for row in rows]  # fmt: skip
        lines.insert(1, "  ".join("-" * width for width in widths))
        for line in lines:
            self.stdout.write(f"  {line.rstrip()}")
