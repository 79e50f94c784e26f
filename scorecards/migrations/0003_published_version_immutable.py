"""On PostgreSQL, refuse any write to a published version or its metrics and criteria."""

from django.db import migrations

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION scorecard_version_immutable() RETURNS trigger AS $$
    BEGIN
        IF OLD.status = 'published' THEN
            RAISE EXCEPTION 'scorecard_version_immutable: version % is published', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER scorecard_version_immutable BEFORE UPDATE OR DELETE
    ON scorecards_scorecardversion FOR EACH ROW EXECUTE FUNCTION scorecard_version_immutable()
    """,
    """
    CREATE OR REPLACE FUNCTION scorecard_version_part_immutable() RETURNS trigger AS $$
    DECLARE
        vid bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.version_id ELSE NEW.version_id END;
    BEGIN
        IF EXISTS (SELECT 1 FROM scorecards_scorecardversion
                   WHERE id = vid AND status = 'published')
           OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM scorecards_scorecardversion
                   WHERE id = OLD.version_id AND status = 'published')) THEN
            RAISE EXCEPTION 'scorecard_version_immutable: version % is published', vid
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER scorecard_metric_immutable BEFORE INSERT OR UPDATE OR DELETE
    ON scorecards_metric FOR EACH ROW EXECUTE FUNCTION scorecard_version_part_immutable()
    """,
    """
    CREATE TRIGGER scorecard_qacriterion_immutable BEFORE INSERT OR UPDATE OR DELETE
    ON scorecards_qacriterion FOR EACH ROW EXECUTE FUNCTION scorecard_version_part_immutable()
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS scorecard_qacriterion_immutable ON scorecards_qacriterion",
    "DROP TRIGGER IF EXISTS scorecard_metric_immutable ON scorecards_metric",
    "DROP FUNCTION IF EXISTS scorecard_version_part_immutable()",
    "DROP TRIGGER IF EXISTS scorecard_version_immutable ON scorecards_scorecardversion",
    "DROP FUNCTION IF EXISTS scorecard_version_immutable()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0002_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
