"""Load the Resolution 835 list (hromada/opendata/data/resolution-835-local.csv; its
edition and gaps are described in resolution-835-README.md beside it)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "resolution-835-local.csv"


def load(apps, schema_editor):
    RequiredDataset = apps.get_model("opendata", "RequiredDataset")
    with DATA.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            RequiredDataset.objects.update_or_create(
                section=row["section"].strip(),
                number=int(row["number"]),
                defaults={"title": row["title_uk"].strip(), "source": row["source"].strip()},
            )


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_catalogue")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
