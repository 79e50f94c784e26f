"""Keys made before 0006 have the id "<prefix>.<hash>": their id becomes the prefix alone,
in the key table, its teams and its history, so no hash is left in ids or admin URLs."""

from django.db import migrations


def ids_to_prefixes(apps, schema_editor):
    ApiKey = apps.get_model("staff", "ApiKey")
    Teams = ApiKey.teams.through
    History = apps.get_model("staff", "HistoricalApiKey")
    # The foreign keys are checked at commit, so the rows may change in any order.
    for old_id, prefix in ApiKey.objects.values_list("id", "prefix"):
        if old_id == prefix:
            continue
        ApiKey.objects.filter(id=old_id).update(id=prefix)
        Teams.objects.filter(apikey_id=old_id).update(apikey_id=prefix)
        History.objects.filter(id=old_id).update(id=prefix)
    # Keys deleted before: their history rows keep only the prefix part of the old id.
    old_ids = History.objects.filter(id__contains=".").order_by().values_list("id", flat=True)
    for old_id in set(old_ids):
        History.objects.filter(id=old_id).update(id=old_id.partition(".")[0])


class Migration(migrations.Migration):
    dependencies = [("staff", "0005_dates_in_range")]

    operations = [migrations.RunPython(ids_to_prefixes, migrations.RunPython.noop)]
