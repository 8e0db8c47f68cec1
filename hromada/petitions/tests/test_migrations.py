"""The statute's petition rules become PetitionSettings without losing any hromada's
values, and notification kinds move under the module's prefix."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("tenancy", "0002_add_module_switches"),
    ("petitions", "0002_create_petition_settings"),
    ("notify", "0004_make_notification_public_id_unique"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_statutes_and_notification_kinds_are_carried_over(ledger_cleanup):
    old = _migrate(BEFORE)
    Hromada = old.get_model("tenancy", "Hromada")
    Statute = old.get_model("tenancy", "Statute")
    User = old.get_model("accounts", "User")
    Notification = old.get_model("notify", "Notification")
    Preference = old.get_model("notify", "Preference")
    ruled = Hromada.objects.create(name="A", slug="a", katottg="UA00000000000000101")
    bare = Hromada.objects.create(name="B", slug="b", katottg="UA00000000000000102")
    Statute.objects.create(
        hromada=ruled,
        petition_threshold=777,
        petition_collection_days=45,
        petition_moderation_days=3,
        petition_consideration_days=20,
        petition_min_age=14,
        petition_sign_level="email",
        petition_submit_level="email",
        petition_signer_names="initials",
    )
    user = User.objects.create(email="x@example.test", password="!")
    Notification.objects.create(hromada=ruled, user=user, kind="petition_answered", title="t")
    Preference.objects.create(user=user, kind="moderation_overdue", in_app=False, email=False)

    new = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    Settings = new.get_model("petitions", "PetitionSettings")
    row = Settings.objects.get(hromada_id=ruled.pk)
    assert (
        row.threshold,
        row.collection_days,
        row.moderation_days,
        row.consideration_days,
        row.min_age,
        row.sign_level,
        row.submit_level,
        row.signer_names,
    ) == (777, 45, 3, 20, 14, "email", "email", "initials")
    assert Settings.objects.get(hromada_id=bare.pk).threshold == 250  # the defaults
    assert new.get_model("notify", "Notification").objects.get().kind == "petition.answered"
    assert new.get_model("notify", "Preference").objects.get().kind == "petition.moderation_overdue"
    with pytest.raises(LookupError):
        new.get_model("tenancy", "Statute")
