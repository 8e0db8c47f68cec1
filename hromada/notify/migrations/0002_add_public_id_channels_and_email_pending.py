from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    """Step 1 of 3 of giving notifications a public UUID (Django's recipe for unique
    fields on existing rows), plus the in-app and e-mail-pending flags."""

    dependencies = [
        ("notify", "0001_create_notifications_and_preferences"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="in_app",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_pending",
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=Q(email_pending=True), fields=["created_at"], name="notification_email_pending_idx"
            ),
        ),
    ]
