import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tenancy', '0001_create_hromada_and_statute'),
    ]

    operations = [
        migrations.CreateModel(
            name='ModuleSwitch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('module', models.CharField(max_length=60, verbose_name='модуль')),
                ('enabled', models.BooleanField(default=True, verbose_name='увімкнено')),
                ('hromada', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='module_switches', to='tenancy.hromada')),
            ],
            options={
                'verbose_name': 'перемикач модуля',
                'verbose_name_plural': 'перемикачі модулів',
            },
        ),
        migrations.AddConstraint(
            model_name='moduleswitch',
            constraint=models.UniqueConstraint(fields=('hromada', 'module'), name='module_switch_unique'),
        ),
    ]
