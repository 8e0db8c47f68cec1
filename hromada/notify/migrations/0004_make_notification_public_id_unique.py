import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    """Step 3 of 3: public_id becomes required and unique."""

    dependencies = [
        ("notify", "0003_fill_notification_public_ids"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
