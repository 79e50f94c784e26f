"""Refuse overlapping memberships of one employee on PostgreSQL (SQLite relies on the service)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE staff_teammembership ADD CONSTRAINT excl_membership_overlap
    EXCLUDE USING gist (employee_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)
    """,
]
BACKWARD = ["ALTER TABLE staff_teammembership DROP CONSTRAINT IF EXISTS excl_membership_overlap"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
