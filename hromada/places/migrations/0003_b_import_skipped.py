from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("places", "0002_a_trgm")]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="rows_skipped",
            # Objects of the file that are not rows of this kind (an OpenStreetMap export's
            # buildings without an address, a KML point in an import of areas).
            field=models.PositiveIntegerField(default=0),
        ),
    ]
