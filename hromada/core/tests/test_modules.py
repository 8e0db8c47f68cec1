"""The module registry: what it refuses, and that the kernel serves what modules declare
(navigation, home blocks, staff sections, URLs, API, datasets, jobs, metrics, switches)."""

import threading
import time

import pytest

from hromada.core import schedule
from hromada.core.checks import check_modules
from hromada.core.modules import Module, Permission, RegistryError, registry
from hromada.core.tests.sample.models import Thing
from hromada.ledger.canonical import InvalidLedgerEntry
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send
from hromada.tenancy import services as tenancy_services


def _module(**kwargs) -> Module:
    return Module(**{"label": "extra", "name": "Extra", "event_prefix": "extra", **kwargs})


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"label": "sample"}, "registered twice"),
        ({"event_prefix": "petition" if "petitions" in registry else "sample"}, "already owned"),
        ({"ledger_kinds": {"other.thing": "x"}}, "must be 'extra.<event>'"),
        ({"ledger_kinds": {"extra.Bad-Kind": "x"}}, "must be 'extra.<event>'"),
        ({"notification_kinds": {"extra": "x"}}, "must be 'extra.<event>'"),
        ({"permissions": (Permission("sample.act", "x", ("admin",)),)}, "must be 'extra.<verb>'"),
        ({"staff_notification_kinds": frozenset({"extra.nope"})}, "not declared"),
        ({"url_prefix": "sample"}, "URL prefix"),
        ({"standard_urls": {"sample": "x.urls"}}, "URL segment"),
        ({"standard_urls": {"sample-standard": "x.urls"}}, "URL segment"),
        ({"url_prefix": "sample-standard"}, "URL segment"),
        ({"standard_urls": {"api": "x.urls"}}, "free lower-case path segment"),
        ({"standard_urls": {"Open/311": "x.urls"}}, "free lower-case path segment"),
        ({"standard_urls": {"api/v1": "x.urls"}}, "kernel's"),
        ({"standard_urls": {"api/v1/extra": "x.urls"}}, "kernel's"),
        ({"standard_urls": {"staff/extra": "x.urls"}}, "kernel's"),
        ({"standard_urls": {"api//x": "x.urls"}}, "lower-case path segments"),
        ({"standard_urls": {"api/x/": "x.urls"}}, "lower-case path segments"),
        ({"standard_urls": {"sample-standard/v2": "x.urls"}}, "URL segment"),
        ({"standard_urls": {"api/9": "x.urls"}}, "URL segment"),
        ({"standard_urls": {"api/9/sample/more": "x.urls"}}, "URL segment"),
        ({"standard_urls": {"sample/v2": "x.urls"}}, "URL segment"),
        ({"standard_urls": {"api/x": "a.urls", "api/x/y": "b.urls"}}, "overlap"),
    ],
)
def test_the_registry_refuses_bad_declarations(kwargs, message):
    with pytest.raises(RegistryError, match=message):
        registry.register(_module(**kwargs))
    assert "extra" not in registry


@pytest.mark.parametrize(
    "standard_urls",
    [
        {"api/4/action": "x.urls", "api/actions": "y.urls"},  # beside any module's own
        {"api/9/samples": "x.urls"},
        {"gtfs-rt/v2": "x.urls"},
    ],
)
def test_a_standard_may_share_the_kernels_api_segment_beside_v1(standard_urls):
    try:
        registry.register(_module(standard_urls=standard_urls))
        assert set(registry.get("extra").paths) == {f"/{p}/" for p in standard_urls}
    finally:
        registry.unregister("extra")


def test_unregistered_kinds_never_enter_the_ledger_or_notifications(hromada, resident):
    with pytest.raises(InvalidLedgerEntry, match="not registered"):
        ledger_append(hromada=hromada, kind="sample.hapened", payload={})
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify_send(hromada=hromada, users=[resident], kind="sample.notice", title="x")
    assert ledger_append(hromada=hromada, kind="sample.happened", payload={}).pk


def test_system_checks_pass_for_the_installed_modules():
    assert check_modules() == []


def _reregister_sample(**changes):
    sample = registry.get("sample")
    registry.unregister("sample")
    registry.register(Module(**{**{f: getattr(sample, f) for f in sample.__dataclass_fields__}, **changes}))
    return sample


def test_the_check_finds_a_domain_model_that_is_not_tenant_owned():
    sample = _reregister_sample(not_tenant_owned={})
    try:
        errors = [(e.id, e.msg.split()[0]) for e in check_modules()]
    finally:
        registry.unregister("sample")
        registry.register(sample)
    assert errors == [("hromada.E002", "sample.Unit")]


def test_the_check_finds_forgotten_personal_data():
    sample = registry.get("sample")
    registry.unregister("sample")
    try:
        registry.register(
            Module(
                **{
                    **{f: getattr(sample, f) for f in sample.__dataclass_fields__},
                    "personal_models": (),
                    "personal_data_export": None,
                    "personal_data_erase": None,
                }
            )
        )
        ids = {(e.id, e.msg.split()[0]) for e in check_modules()}
        assert ("hromada.E003", "sample.Thing") in ids
    finally:
        registry.unregister("sample")
        registry.register(sample)
    assert check_modules() == []


def test_home_navigation_and_staff_console_come_from_the_modules(client, hromada, moderator, officer):
    home = client.get("/").content.decode()
    assert "Sample block" in home and 'href="/sample/"' in home
    client.force_login(moderator)
    assert 'href="/staff/sample/"' in client.get("/staff/").content.decode()  # holds sample.act
    client.force_login(officer)
    assert 'href="/staff/sample/"' not in client.get("/staff/").content.decode()


def test_a_module_switched_off_answers_as_absent(client, hromada, hromada_admin):
    assert client.get("/sample/").status_code == 200
    assert client.get("/api/v1/sample/ping").json() == {"hromada": hromada.slug}
    assert client.get("/sample-standard/v1/ping").json() == {"standard": True, "hromada": hromada.slug}
    assert client.get("/api/9/sample/ping").json() == {"standard": True, "hromada": hromada.slug}
    own_error = client.get("/api/9/sample/missing")  # the standard's JSON error is its own
    assert own_error.status_code == 404 and own_error.json() == {
        "success": False,
        "error": {"__type": "Not Found Error"},
    }
    tenancy_services.module_switch_set(actor=hromada_admin, hromada=hromada, module="sample", enabled=False)
    assert client.get("/sample/").status_code == 404
    api = client.get("/api/v1/sample/ping")
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    assert client.get("/api/v1/datasets/sample/things.json").status_code == 404
    assert client.get("/sample-standard/v1/ping").status_code == 404
    assert client.get("/api/9/sample/ping").status_code == 404
    home = client.get("/").content.decode()
    assert "Sample block" not in home and 'href="/sample/"' not in home
    client.force_login(hromada_admin)
    assert client.get("/staff/sample/").status_code == 404
    assert 'href="/staff/sample/"' not in client.get("/staff/").content.decode()
    listed = client.get("/api/v1/datasets").json()["items"]
    assert "sample" not in {d["module"] for d in listed}


def test_datasets_are_served_as_csv_and_json(client, hromada, other_hromada, resident):
    Thing.objects.create(hromada=hromada, owner=resident, title="лава")
    Thing.objects.create(hromada=other_hromada, owner=resident, title="чужа")
    listed = {d["slug"]: d for d in client.get("/api/v1/datasets").json()["items"]}
    assert listed["things"]["json_url"] == "/api/v1/datasets/sample/things.json"
    assert [f["name"] for f in listed["things"]["fields"]] == ["title", "formula"]
    rows = b"".join(client.get("/api/v1/datasets/sample/things.json").streaming_content)
    assert rows.decode() == '[{"title": "лава", "formula": "=1+1"}]'
    csv = b"".join(client.get("/api/v1/datasets/sample/things.csv").streaming_content).decode()
    assert csv.lstrip("\ufeff").splitlines()[0] == "title,formula"
    assert "чужа" not in csv
    assert client.get("/api/v1/datasets/sample/nope.csv").status_code == 404


def test_metrics_include_every_modules_gauges(client, hromada, resident):
    Thing.objects.create(hromada=hromada, owner=resident, title="лава")
    assert "hromada_sample_things 1.0" in client.get("/metrics").content.decode()


def test_jobs_come_from_the_modules_and_a_slow_job_delays_no_other(monkeypatch):
    assert ("hromada.core.tests.sample.views.tick", 60.0) in schedule.default_jobs()
    release = threading.Event()
    fast_runs: list[float] = []

    def fake_run(path):
        if path == "slow":
            release.wait(5)
        else:
            fast_runs.append(time.monotonic())
        return True

    monkeypatch.setattr(schedule, "run_job", fake_run)
    monkeypatch.setattr(schedule.Scheduler, "_beat", lambda self: None)
    scheduler = schedule.Scheduler(jobs=[("slow", 0.01), ("fast", 0.02)], tick=0.01, heartbeat_seconds=0.01)
    thread = scheduler.start_thread()
    deadline = time.monotonic() + 5
    while len(fast_runs) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    scheduler.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert len(fast_runs) >= 5  # ran while the slow job was still running


def test_process_caches_are_cleared_through_the_registry():
    from hromada.core.tests.sample import views

    views.CACHE["x"] = 1
    registry.clear_caches()
    assert views.CACHE == {}


@pytest.mark.parametrize(
    "path, owner",
    [
        ("/sample/", "sample"),
        ("/sample", "sample"),
        ("/staff/sample/desk", "sample"),
        ("/api/v1/sample/ping", "sample"),
        ("/api/v1/datasets/sample/things.csv", "sample"),
        ("/api/v1/samplex", None),
        ("/samplex/", None),
        ("/api/v1/datasets", None),
        ("/ledger/", None),
    ],
)
def test_a_path_belongs_to_the_module_that_answers_on_it(path, owner):
    module = registry.owner_of_path(path)
    assert (module.label if module else None) == owner
