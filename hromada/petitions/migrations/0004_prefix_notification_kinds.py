from django.db import migrations

# Notification kinds the module owns now carry its event prefix (module.py).
RENAMES = {
    "petition_moderated": "petition.moderated",
    "petition_threshold": "petition.threshold_reached",
    "petition_answered": "petition.answered",
    "petition_closed": "petition.closed_unsuccessful",
    "deadline_extended": "petition.deadline_extended",
    "moderation_overdue": "petition.moderation_overdue",
    "consideration_overdue": "petition.consideration_overdue",
}


def rename(apps, mapping):
    for model in ("Notification", "Preference"):
        Model = apps.get_model("notify", model)
        for old, new in mapping.items():
            Model.objects.filter(kind=old).update(kind=new)


def forwards(apps, schema_editor):
    rename(apps, RENAMES)


def backwards(apps, schema_editor):
    rename(apps, {new: old for old, new in RENAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0003_copy_statute_into_petition_settings"),
        ("notify", "0004_make_notification_public_id_unique"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
