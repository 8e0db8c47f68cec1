# The open budget's imports (ADR 0009 decision 11, docs/opendata-budget.md).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opendata", "0004_resource_withdrawal"),
        ("tenancy", "0003_delete_statute"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BudgetImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("year", models.PositiveSmallIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("revenues", "Доходи"),
                            ("programme", "Видатки за програмами (КПКВК)"),
                            ("economic", "Видатки за економічною класифікацією (КЕКВ)"),
                        ],
                        max_length=10,
                    ),
                ),
                ("original_name", models.CharField(blank=True, max_length=200)),
                ("encoding", models.CharField(blank=True, max_length=30)),
                ("rows_read", models.PositiveIntegerField(default=0)),
                ("lines", models.PositiveIntegerField(default=0)),
                ("skipped", models.PositiveIntegerField(default=0)),
                ("refused", models.PositiveIntegerField(default=0)),
                ("problems", models.JSONField(default=list)),
                ("notes", models.JSONField(default=list)),
                (
                    "dataset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="budget_imports",
                        to="opendata.dataset",
                    ),
                ),
                (
                    "hromada",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="tenancy.hromada"
                    ),
                ),
                (
                    "imported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="budget_imports",
                        to="opendata.resource",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="opendata.resourceversion",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(
                        fields=["hromada", "year", "kind", "-created_at"], name="opendata_budget_latest"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("year__gte", 2000), ("year__lte", 2100)),
                        name="opendata_budget_year",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["revenues", "programme", "economic"])),
                        name="opendata_budget_kind",
                    ),
                ],
            },
        ),
    ]
