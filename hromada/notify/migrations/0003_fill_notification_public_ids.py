import uuid

from django.db import migrations


def fill(apps, schema_editor):
    Notification = apps.get_model("notify", "Notification")
    batch = []
    for row in Notification.objects.filter(public_id__isnull=True).only("pk").iterator(chunk_size=2000):
        row.public_id = uuid.uuid4()
        batch.append(row)
        if len(batch) >= 2000:
            Notification.objects.bulk_update(batch, ["public_id"])
            batch = []
    if batch:
        Notification.objects.bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):
    """Step 2 of 3: a distinct UUID for every existing notification."""

    dependencies = [
        ("notify", "0002_add_public_id_channels_and_email_pending"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
