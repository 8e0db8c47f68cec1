import datetime

from django.db import migrations

STARTS_ON = datetime.date(2022, 2, 24)
NOTE = "Указ Президента України № 64/2022, затверджений Законом № 2102-IX; продовжується"


def seed(apps, schema_editor):
    MartialLawPeriod = apps.get_model("core", "MartialLawPeriod")
    MartialLawPeriod.objects.get_or_create(starts_on=STARTS_ON, defaults={"ends_on": None, "note": NOTE})


def unseed(apps, schema_editor):
    MartialLawPeriod = apps.get_model("core", "MartialLawPeriod")
    MartialLawPeriod.objects.filter(starts_on=STARTS_ON, ends_on__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_add_martial_law_periods_and_holiday_overrides"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
