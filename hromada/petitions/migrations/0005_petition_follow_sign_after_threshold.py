# Petitions may collect signatures after their threshold until their period ends (a
# statute setting, fixed on each petition at submission); people may follow a petition.
# Petitions submitted before this migration keep the rule they ran under (collection
# stopped at the threshold): the column is added as False, then defaults to True.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0004_prefix_notification_kinds'),
        ('tenancy', '0003_delete_statute'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='petition',
            name='sign_after_threshold',
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name='petition',
            name='sign_after_threshold',
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name='petitionsettings',
            name='answered_by',
            field=models.CharField(default='Голова громади', help_text='Показується мешканцям у розділі «Як це працює», напр. «Міський голова».', max_length=200, verbose_name='хто розглядає петиції й відповідає на них'),
        ),
        migrations.AddField(
            model_name='petitionsettings',
            name='sign_after_threshold',
            field=models.BooleanField(default=True, help_text='Петиція, що набрала поріг, іде на розгляд, а підписувати її можна до кінця строку збору: підтримка понад поріг теж має значення.', verbose_name='збирати підписи й після досягнення порогу'),
        ),
        migrations.CreateModel(
            name='Follow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField()),
                ('hromada', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.hromada')),
                ('petition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='petitions.petition')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='petition_follows', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'відстеження петиції',
                'verbose_name_plural': 'відстеження петицій',
                'constraints': [models.UniqueConstraint(fields=('petition', 'user'), name='petition_follow_one_per_user')],
            },
        ),
    ]
