# The programme (КПКВК) that funds a project, for the open budget explorer's links.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="kpkvk",
            field=models.CharField(
                blank=True, max_length=7, verbose_name="КПКВК програми, з якої фінансується"
            ),
        ),
    ]
