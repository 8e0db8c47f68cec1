from hromada.core.modules import (
    Dataset,
    DatasetField,
    HomeBlock,
    Job,
    LedgerReceipt,
    Module,
    NavEntry,
    Permission,
    StaffSection,
    register,
)

register(
    Module(
        label="sample",
        name="Sample",
        description="A test-only module.",
        event_prefix="sample",
        urls="hromada.core.tests.sample.urls",
        staff_urls="hromada.core.tests.sample.staff_urls",
        api_router="hromada.core.tests.sample.api.router",
        standard_urls={
            "sample-standard": "hromada.core.tests.sample.standard_urls",
            # Under the kernel's /api/, beside /api/v1/ (as CKAN's /api/3/action/ is).
            "api/9/sample": "hromada.core.tests.sample.standard_api_urls",
        },
        nav=(NavEntry("Sample things", "sample:list", order=50),),
        home_blocks=(HomeBlock("sample/_home.html", "hromada.core.tests.sample.views.home_block", order=50),),
        staff_sections=(
            StaffSection(
                "Sample desk", "Act on things.", "staff_sample:desk", permission="sample.act", order=50
            ),
        ),
        staff_summary="hromada.core.tests.sample.views.staff_summary",
        permissions=(Permission("sample.act", "Act on things", ("admin", "moderator")),),
        settings_model="sample.SampleSettings",
        ledger_kinds={
            "sample.happened": "Something happened",
            "sample.opened": "A thing was opened",
            "sample.signed": "A thing was signed",
            "sample.reached": "A thing reached its goal",
            "sample.answered": "A thing was answered",
            "sample.schedule": "A thing's schedule",
            "sample.deadline_moved": "A thing's deadline was moved",
        },
        ledger_receipts=(
            LedgerReceipt(
                "sample.signed", "signer", describe="hromada.core.tests.sample.views.describe_signed"
            ),
        ),
        notification_kinds={
            "sample.noticed": "Something was noticed",
            "sample.closed": "Something was closed",
            "sample.staff_alarm": "Staff alarm",
        },
        staff_notification_kinds=frozenset({"sample.staff_alarm"}),
        jobs=(Job("hromada.core.tests.sample.views.tick", 60),),
        datasets=(
            Dataset(
                slug="things",
                title="Things",
                rows="hromada.core.tests.sample.views.thing_rows",
                fields=(DatasetField("title", "Title"), DatasetField("formula", "A hostile cell")),
            ),
        ),
        personal_models=("sample.Thing",),
        not_tenant_owned={"sample.Unit": "install-wide reference data, the same for every hromada"},
        personal_data_export="hromada.core.tests.sample.views.personal_data",
        personal_data_erase="hromada.core.tests.sample.views.erase",
        metrics="hromada.core.tests.sample.views.metrics",
        eligibility="hromada.core.tests.sample.views.eligibility",
        phase_changed="hromada.core.tests.sample.views.phase_changed",
        caches=("hromada.core.tests.sample.views.cache_clear",),
        page_cache_prefixes=("/sample/",),
        comment_targets={"sample.thing": "hromada.core.tests.sample.comments.thing"},
    )
)
