"""A phase may also be ended earlier (phases.phase_shorten): the extension record's
"forward only" check becomes "it moves"."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0005_phases")]

    operations = [
        migrations.RemoveConstraint(model_name="phaseextension", name="phase_extension_forward_only"),
        migrations.AddConstraint(
            model_name="phaseextension",
            constraint=models.CheckConstraint(
                condition=models.Q(("new_ends_at", models.F("old_ends_at")), _negated=True),
                name="phase_extension_moves",
            ),
        ),
    ]
