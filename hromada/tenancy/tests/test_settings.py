"""The hromada's settings: its facts, module switches and each module's settings, every
change ledgered. Runs against the test-only sample module."""

import pytest

from hromada.core.errors import DomainError
from hromada.core.tests.sample.models import SampleSettings
from hromada.ledger.models import LedgerEntry
from hromada.tenancy import services
from hromada.tenancy.models import Hromada, ModuleSwitch
from hromada.tenancy.selectors import module_enabled, module_settings


def test_module_settings_change_is_ledgered(hromada, hromada_admin):
    services.module_settings_update(actor=hromada_admin, hromada=hromada, module="sample", limit=7)
    assert SampleSettings.objects.get(hromada=hromada).limit == 7
    entry = LedgerEntry.objects.get(hromada=hromada, kind="hromada.settings_changed")
    assert entry.payload == {"module": "sample", "changed": {"limit": 7}}
    # Saving the same values again records nothing.
    services.module_settings_update(actor=hromada_admin, hromada=hromada, module="sample", limit=7)
    assert LedgerEntry.objects.filter(kind="hromada.settings_changed").count() == 1


@pytest.mark.parametrize("who", ["moderator", "officer", "resident"])
def test_only_the_admin_changes_settings(request, hromada, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(DomainError) as err:
        services.module_settings_update(actor=actor, hromada=hromada, module="sample", limit=1)
    assert err.value.status == 403
    with pytest.raises(DomainError):
        services.module_switch_set(actor=actor, hromada=hromada, module="sample", enabled=False)
    with pytest.raises(DomainError):
        services.hromada_update(actor=actor, hromada=hromada, population=1)
    assert SampleSettings.objects.get(hromada=hromada).limit == 3
    assert not ModuleSwitch.objects.exists()
    assert not LedgerEntry.objects.filter(kind__startswith="hromada.").exists()


def test_invalid_and_unknown_settings_are_refused(hromada, hromada_admin):
    with pytest.raises(DomainError) as err:
        services.module_settings_update(actor=hromada_admin, hromada=hromada, module="sample", nope=1)
    assert (err.value.code, err.value.field) == ("field_unknown", "nope")
    with pytest.raises(DomainError) as err:
        services.module_settings_update(actor=hromada_admin, hromada=hromada, module="sample", limit=-1)
    assert (err.value.code, err.value.field) == ("settings_invalid", "limit")
    with pytest.raises(DomainError) as err:
        services.module_settings_update(actor=hromada_admin, hromada=hromada, module="ledger", x=1)
    assert err.value.code == "module_unknown"
    assert SampleSettings.objects.get(hromada=hromada).limit == 3


def test_population_change_is_ledgered(hromada, hromada_admin):
    services.hromada_update(actor=hromada_admin, hromada=hromada, population=20_000)
    assert Hromada.objects.get(pk=hromada.pk).population == 20_000
    entry = LedgerEntry.objects.get(hromada=hromada, kind="hromada.settings_changed")
    assert entry.payload == {"changed": {"population": 20_000}}
    with pytest.raises(DomainError) as err:
        services.hromada_update(actor=hromada_admin, hromada=hromada, population=-1)
    assert err.value.code == "population_invalid"


def test_switching_a_module_off_and_on(hromada, hromada_admin):
    assert module_enabled(hromada, "sample")
    assert services.module_switch_set(actor=hromada_admin, hromada=hromada, module="sample", enabled=False)
    assert not module_enabled(Hromada.objects.get(pk=hromada.pk), "sample")
    assert not services.module_switch_set(
        actor=hromada_admin, hromada=hromada, module="sample", enabled=False
    )
    assert services.module_switch_set(actor=hromada_admin, hromada=hromada, module="sample", enabled=True)
    kinds = list(LedgerEntry.objects.filter(hromada=hromada).order_by("id").values_list("payload", flat=True))
    assert kinds == [{"module": "sample", "enabled": False}, {"module": "sample", "enabled": True}]
    with pytest.raises(DomainError) as err:
        services.module_switch_set(actor=hromada_admin, hromada=hromada, module="tenancy", enabled=False)
    assert err.value.code == "module_unknown"


def test_hromada_create_makes_every_settings_row_and_a_ledger_entry(db):
    hromada = services.hromada_create(name="Нова громада", slug="nova", katottg="UA00000000000000001")
    assert SampleSettings.objects.get(hromada=hromada).limit == 10  # the model's default
    assert LedgerEntry.objects.get(hromada=hromada).kind == "hromada.created"
    with pytest.raises(DomainError) as err:
        services.hromada_create(name="Нова громада", slug="nova", katottg="UA00000000000000001")
    assert err.value.code in ("hromada_exists", "hromada_invalid")
    assert Hromada.objects.filter(slug="nova").count() == 1


def test_a_missing_settings_row_is_created_with_defaults(hromada):
    SampleSettings.objects.filter(hromada=hromada).delete()
    hromada.__dict__.pop("_module_settings", None)
    assert module_settings(hromada=hromada, label="sample").limit == 10


def test_settings_pages(client, hromada, hromada_admin, moderator):
    client.force_login(moderator)
    assert client.get("/staff/settings/").status_code == 403
    assert client.get("/staff/settings/sample/").status_code == 403
    client.force_login(hromada_admin)
    page = client.get("/staff/settings/")
    assert page.status_code == 200
    assert 'href="/staff/settings/sample/"' in page.content.decode()
    assert client.get("/staff/settings/no-such-module/").status_code == 404
    assert client.post("/staff/settings/sample/", {"limit": "5"}).status_code == 302
    assert SampleSettings.objects.get(hromada=hromada).limit == 5
    bad = client.post("/staff/settings/sample/", {"limit": "-5"})
    assert bad.status_code == 400
    assert SampleSettings.objects.get(hromada=hromada).limit == 5
    assert client.post("/staff/settings/", {"population": "15000"}).status_code == 302
    assert Hromada.objects.get(pk=hromada.pk).population == 15000
    assert client.post("/staff/settings/", {"population": "-1"}).status_code == 400
    # Unticking a module switches it off.
    assert client.post("/staff/settings/modules/", {}).status_code == 302
    assert ModuleSwitch.objects.get(hromada=hromada, module="sample").enabled is False
