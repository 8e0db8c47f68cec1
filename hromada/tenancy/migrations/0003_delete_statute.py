from django.db import migrations


class Migration(migrations.Migration):
    """The statute's petition rules now live in the petitions module's settings
    (petitions 0003 copies them first, when petitions is installed)."""

    dependencies = [("tenancy", "0002_add_module_switches")]

    operations = [migrations.DeleteModel(name="Statute")]
