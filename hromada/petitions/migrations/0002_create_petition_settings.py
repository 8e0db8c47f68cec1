import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0001_create_petitions_signatures_answers'),
        ('tenancy', '0001_create_hromada_and_statute'),
    ]

    operations = [
        migrations.CreateModel(
            name='PetitionSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('threshold', models.PositiveIntegerField(default=250, validators=[django.core.validators.MinValueValidator(1)], verbose_name='поріг підписів')),
                ('collection_days', models.PositiveSmallIntegerField(default=90, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(366)], verbose_name='строк збору підписів, календарних днів')),
                ('moderation_days', models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MaxValueValidator(30)], verbose_name='строк модерації, робочих днів')),
                ('consideration_days', models.PositiveSmallIntegerField(default=10, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='строк розгляду, робочих днів')),
                ('min_age', models.PositiveSmallIntegerField(default=16, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='мінімальний вік підписанта')),
                ('sign_level', models.CharField(choices=[('email', 'Підтверджена електронна пошта'), ('verified', 'Підтверджена особа (id.gov.ua, OpenID Connect, ЦНАП)')], default='verified', max_length=10, verbose_name='рівень ідентифікації для підпису')),
                ('submit_level', models.CharField(choices=[('email', 'Підтверджена електронна пошта'), ('verified', 'Підтверджена особа (id.gov.ua, OpenID Connect, ЦНАП)')], default='verified', max_length=10, verbose_name='рівень ідентифікації для подання')),
                ('signer_names', models.CharField(choices=[('full', "Повне ім'я"), ('initials', "Ім'я та ініціал прізвища")], default='full', max_length=10, verbose_name='показ імен підписантів')),
                ('hromada', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='petition_settings', to='tenancy.hromada')),
            ],
            options={
                'verbose_name': 'налаштування петицій',
                'verbose_name_plural': 'налаштування петицій',
                'constraints': [models.CheckConstraint(condition=models.Q(('threshold__gte', 1)), name='petition_settings_threshold_positive'), models.CheckConstraint(condition=models.Q(('collection_days__gte', 1)), name='petition_settings_collection_positive'), models.CheckConstraint(condition=models.Q(('consideration_days__gte', 1)), name='petition_settings_consideration_positive')],
            },
        ),
    ]
