from django.db import migrations

FIELDS = (
    "threshold",
    "collection_days",
    "moderation_days",
    "consideration_days",
    "min_age",
    "sign_level",
    "submit_level",
    "signer_names",
)


def copy_statutes(apps, schema_editor):
    """Every hromada keeps its petition rules: statute.petition_<x> becomes
    PetitionSettings.<x>; a hromada without a statute gets the defaults."""
    Hromada = apps.get_model("tenancy", "Hromada")
    Statute = apps.get_model("tenancy", "Statute")
    PetitionSettings = apps.get_model("petitions", "PetitionSettings")
    statutes = {s.hromada_id: s for s in Statute.objects.all()}
    for hromada in Hromada.objects.all():
        statute = statutes.get(hromada.pk)
        values = {f: getattr(statute, f"petition_{f}") for f in FIELDS} if statute else {}
        PetitionSettings.objects.update_or_create(hromada=hromada, defaults=values)


def copy_back(apps, schema_editor):
    Statute = apps.get_model("tenancy", "Statute")
    PetitionSettings = apps.get_model("petitions", "PetitionSettings")
    for row in PetitionSettings.objects.all():
        Statute.objects.update_or_create(
            hromada_id=row.hromada_id, defaults={f"petition_{f}": getattr(row, f) for f in FIELDS}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0002_create_petition_settings"),
        ("tenancy", "0002_add_module_switches"),
    ]
    # The kernel drops its statute table only after the module has copied it; without
    # petitions installed the kernel's migration simply runs.
    run_before = [("tenancy", "0003_delete_statute")]

    operations = [migrations.RunPython(copy_statutes, copy_back)]
