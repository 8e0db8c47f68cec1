"""Load the Resolution 835 list (hromada/opendata/required_data.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from hromada.opendata.required_data import required_datasets_load

    required_datasets_load(apps.get_model("opendata", "RequiredDataset"))


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_catalogue")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
