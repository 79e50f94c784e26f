"""Each helpdesk event keeps the keys of the customers it names, for the customer's erasure.

The events stored before are read once here; on PostgreSQL a GIN index answers the erasure's
containment query without reading every event.
"""

from django.db import migrations, models

INDEX = "inbound_event_customer_keys_gin"


def _keys_fill(apps, schema_editor):
    from integrations.personal import event_customer_keys

    event_model = apps.get_model("integrations", "InboundEvent")
    events = event_model.objects.select_related("connection").order_by("pk")
    batch = []
    for event in events.iterator(chunk_size=1000):
        event.customer_keys = event_customer_keys(
            kind=event.connection.kind,
            connection_id=event.connection_id,
            settings=event.connection.settings or {},
            body=event.body,
        )
        batch.append(event)
        if len(batch) == 1000:
            event_model.objects.bulk_update(batch, ["customer_keys"])
            batch = []
    event_model.objects.bulk_update(batch, ["customer_keys"])


def _index(create: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        if create:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON integrations_inboundevent "
                "USING gin (customer_keys jsonb_path_ops)",
                params=None,
            )
        else:
            schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}", params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("integrations", "0002_signing_secret_occurred_at")]

    operations = [
        migrations.AddField(
            model_name="inboundevent",
            name="customer_keys",
            field=models.JSONField(
                blank=True, default=list, editable=False, verbose_name="customer keys"
            ),
        ),
        migrations.RunPython(_keys_fill, migrations.RunPython.noop),
        migrations.RunPython(_index(True), _index(False)),
    ]
