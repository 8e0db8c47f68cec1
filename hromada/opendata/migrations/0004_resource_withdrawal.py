# The console's resource withdrawal (issue 14): a withdrawn resource keeps its versions
# and says why it was taken down.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("opendata", "0003_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="resource",
            name="withdrawn_reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="причина зняття"),
        ),
        migrations.AddConstraint(
            model_name="resource",
            constraint=models.CheckConstraint(
                condition=models.Q(("withdrawn_at__isnull", True), ("withdrawn_reason", ""))
                | models.Q(("withdrawn_at__isnull", False), models.Q(("withdrawn_reason", ""), _negated=True)),
                name="opendata_resource_withdrawn_has_reason",
            ),
        ),
    ]
