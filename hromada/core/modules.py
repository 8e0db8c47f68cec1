"""The module registry: what each module gives the platform, declared once.

Every app may have a `module.py` that calls `register(Module(...))`; CoreConfig.ready()
imports them all (Django's autodiscover_modules, as adhocracy4 does). The kernel (core,
tenancy, accounts, ledger, notify, api) never imports a module: it asks this registry
for navigation, home-page blocks, staff-console sections, permissions, settings models,
ledger and notification kinds, periodic jobs, open datasets, personal-data exporters and
erasers, metrics, demo data, process caches, page-cache prefixes, edge routes and URLs.

Callables are named by dotted path and imported when first used, so declaring a module
imports nothing heavy, and a module.py never needs the module's models at import time.
Kernel apps declare their own kinds and permissions the same way, with `kernel=True`
(always on, not listed as a module a hromada can switch off).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.module_loading import import_string

LABEL_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KIND_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
STANDARD_SEGMENT_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
# A standard's later path segments may be versions ("api/3/action", "v2").
STANDARD_SUBSEGMENT_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
# First path segments the kernel answers on (config/urls.py), never a module's.
KERNEL_SEGMENTS = frozenset(
    {
        "api",
        "admin",
        "accounts",
        "staff",
        "ledger",
        "notifications",
        "comments",
        "design",
        "i18n",
        "lang",
        "healthz",
        "metrics",
        "static",
        "media",
        "dev-idp",
        "edge",
    }
)
# Kernel segments a standard may share, and the sub-segments the kernel keeps there:
# the kernel's API is /api/v1/ only, so a standard that fixes its own address under
# /api/ (CKAN's Action API at /api/3/action/ and /api/action/) may be mounted beside it.
KERNEL_SHARED_SEGMENTS: dict[str, frozenset[str]] = {"api": frozenset({"v1"})}


def standard_path_error(path: str) -> str | None:
    """Why `path` (a key of Module.standard_urls, "open311" or "api/3/action") may not be
    a module's standard address, or None when it may."""
    segments = path.split("/")
    if not STANDARD_SEGMENT_RE.match(segments[0]) or not all(
        STANDARD_SUBSEGMENT_RE.match(s) for s in segments[1:]
    ):
        return "must be lower-case path segments joined by '/'"
    first = segments[0]
    if first in KERNEL_SEGMENTS:
        kept = KERNEL_SHARED_SEGMENTS.get(first)
        if kept is None or len(segments) < 2 or segments[1] in kept:
            return f"is the kernel's: /{first}/ must stay free"
    return None


def _paths_overlap(a: str, b: str) -> bool:
    """Two URL prefixes clash when one contains the other, segment by segment
    ("api/action" and "api/action/x" do, "api/action" and "api/actions" do not)."""
    sa, sb = a.split("/"), b.split("/")
    n = min(len(sa), len(sb))
    return sa[:n] == sb[:n]


class RegistryError(Exception):
    """A module declared something the registry refuses (a programming error)."""


def resolve(path_or_callable: str | Callable) -> Callable:
    """A declared callable: imported on first use when given as a dotted path."""
    if callable(path_or_callable):
        return path_or_callable
    return _import(path_or_callable)


_imported: dict[str, Any] = {}


def _import(path: str) -> Any:
    target = _imported.get(path)
    if target is None:
        target = _imported[path] = import_string(path)
    return target


@dataclass(frozen=True)
class NavEntry:
    """A link in the site's main navigation."""

    label: Any  # a lazy translation
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class HomeBlock:
    """A section of the home page: `template` rendered with `context(hromada=)`."""

    template: str
    context: str | Callable
    order: int = 100


@dataclass(frozen=True)
class StaffSection:
    """A card of the staff console, shown to staff who hold `permission` (None: any staff)."""

    title: Any
    description: Any
    url_name: str
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class StaffCounter:
    """One figure on the staff home: "12 awaiting moderation", "3 overdue". `url` leads to
    the queue behind it; `overdue` marks a figure about missed deadlines (shown as a warning
    when not zero); `items` names the first few cases behind it, as (text, url) pairs."""

    label: Any
    value: int
    url: str = ""
    overdue: bool = False
    items: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Permission:
    """`codename` is '<module label>.<verb>'; `roles` are the staff roles that grant it."""

    codename: str
    label: Any
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Job:
    """A periodic job run by the worker's scheduler every `interval` seconds. It runs in
    its own thread, so a slow job delays only itself; long work should be enqueued as a
    task from the job."""

    path: str
    interval: float | Callable[[], float]  # seconds, or a function read when the worker starts

    @property
    def seconds(self) -> float:
        return float(self.interval() if callable(self.interval) else self.interval)


@dataclass(frozen=True)
class DatasetField:
    name: str
    description: Any = ""


@dataclass(frozen=True)
class Dataset:
    """An open dataset: `rows(hromada=)` yields dicts with exactly `fields` as keys."""

    slug: str
    title: Any
    rows: str | Callable
    fields: tuple[DatasetField, ...]
    description: Any = ""

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class LedgerReceipt:
    """Entries of ledger `kind` give the person who caused them a receipt: the string at
    `payload[key]` (e.g. a signer's per-petition pseudonym). The public register finds
    the entry and its inclusion proof by it (/ledger/receipt/?receipt=…). A receipt is
    lower-case hex, 16 to 64 digits; other values are not indexed.

    `describe(hromada=, payload=)` says in people's words what the entry records for the
    one holding the receipt ("Ваш підпис під петицією №12 «…»"): a ReceiptSubject, or
    None when it cannot (the register then names the kind)."""

    kind: str
    key: str
    describe: str | Callable | None = None


@dataclass(frozen=True)
class ReceiptSubject:
    text: str
    url: str | None = None


@dataclass(frozen=True)
class CommentTarget:
    """What a module says about one of its things people comment on (hromada.comments,
    docs/comments.md), returned by its resolver `(hromada=, key=) -> CommentTarget | None`
    (None: no such thing in this hromada, answered 404).

    `refusal(user) -> DomainError | None` says why `user` may not comment (or reply) now:
    the module's own rules (closed, not eligible); the comments app adds login, the
    identity level and its rate limit. `audience()` -> users told of a new top-level
    comment (e.g. the thing's authors). `moderate_perm` is the permission that moderates
    these comments besides the kernel's comments.moderate."""

    title: str
    url: str
    refusal: Callable[[Any], Any] | None = None
    audience: Callable[[], Iterable[Any]] | None = None
    moderate_perm: str | None = None
    public: bool = True  # False: the thing is not public (a draft), its comments are not shown


@dataclass(frozen=True)
class Module:
    label: str  # the app label, e.g. "petitions"
    name: Any  # for people, e.g. _("Електронні петиції")
    event_prefix: str  # owns "<prefix>.*" ledger and notification kinds
    description: Any = ""
    kernel: bool = False  # a part of the kernel: always on, not switchable
    # URLs: `urls` is mounted at /<url_prefix>/, `staff_urls` at /staff/<url_prefix>/,
    # `api_router` (a Ninja router) under /api/v1/ with paths starting /<url_prefix>.
    urls: str | None = None
    staff_urls: str | None = None
    api_router: str | None = None
    url_prefix: str = ""
    # Pages a public standard fixes at its own address outside the module's prefix
    # (Open311 GeoReport v2 at /open311/v2/, CKAN at /api/3/action/): {"<path>": "dotted
    # urls"}, mounted at /<path>/ and gated with the module. A path is one or more
    # segments; under a kernel segment only where the kernel shares it
    # (KERNEL_SHARED_SEGMENTS: /api/<anything but v1>/).
    standard_urls: dict[str, str] = field(default_factory=dict)
    nav: tuple[NavEntry, ...] = ()
    home_blocks: tuple[HomeBlock, ...] = ()
    staff_sections: tuple[StaffSection, ...] = ()
    # The module's figures on the staff home: (hromada=, user=) -> list[StaffCounter], only
    # what `user` may act on; called for staff members of a hromada with the module on.
    staff_summary: str | Callable | None = None
    permissions: tuple[Permission, ...] = ()
    settings_model: str | None = None  # "app_label.Model": one row per hromada
    ledger_kinds: dict[str, Any] = field(default_factory=dict)
    ledger_receipts: tuple[LedgerReceipt, ...] = ()  # kinds whose entries hand out a receipt
    notification_kinds: dict[str, Any] = field(default_factory=dict)
    staff_notification_kinds: frozenset[str] = frozenset()
    jobs: tuple[Job, ...] = ()
    datasets: tuple[Dataset, ...] = ()
    # Personal data (the Law on Personal Data Protection): models holding a person's data,
    # the function exporting it and the one erasing it when the account is deleted
    # (inside that transaction). A module that keeps such rows on deletion (a public
    # record) says why in `kept_on_erase` instead of giving an eraser.
    personal_models: tuple[str, ...] = ()
    personal_data_export: str | Callable | None = None  # (user=) -> JSON-able value
    personal_data_erase: str | Callable | None = None  # (user=) -> None
    kept_on_erase: str = ""
    # Models with a foreign key to User that hold nothing personal: {"app.Model": reason}.
    not_personal: dict[str, str] = field(default_factory=dict)
    # Models of this app that are not tenant-owned: {"app.Model": reason}.
    not_tenant_owned: dict[str, str] = field(default_factory=dict)
    metrics: str | Callable | None = None  # () -> iterable of prometheus Metric
    # (hromada=, people=, start=) -> None, or a list of (moment, action) events that
    # `demo_seed` runs with every module's, in time order, each on core.clock at its moment.
    demo: str | Callable | None = None
    # What a person may (or may not yet) do in this module, in sentences for people:
    # (user=, hromada=) -> list of str. The kernel shows them where it must not name a
    # module itself, e.g. after an identity verification ("you can now sign petitions",
    # or why not: "petitions can be signed from the age of 16").
    eligibility: str | Callable | None = None
    # Called after a plan of this module (hromada.core.phases, owner "<label>:<key>")
    # moved to another phase: (hromada=, plan=, old=, new=), old and new a Phase or None
    # (before the first phase, in a gap, after the last). See docs/phases.md.
    phase_changed: str | Callable | None = None
    caches: tuple[str | Callable, ...] = ()  # process caches, cleared between tests
    # () -> None: puts back the rows this module's data migrations seed when they are
    # missing (idempotent); the tests call it after a committing test's flush.
    reference_data: str | Callable | None = None
    page_cache_prefixes: tuple[str, ...] = ()
    edge_routes: str | None = None  # dotted path to a list of hromada.core.edge.Route
    # Things of this module people comment on (hromada.comments): {"<label>.<kind>":
    # dotted path of `(hromada=, key=) -> CommentTarget | None`}.
    comment_targets: dict[str, str | Callable] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.url_prefix:
            object.__setattr__(self, "url_prefix", self.label)

    @cached_property
    def paths(self) -> tuple[str, ...]:
        """The URL prefixes this module answers on (turned off with the module); read on
        every request by the module gate, so computed once."""
        if self.kernel:
            return ()
        out = []
        if self.urls:
            out.append(f"/{self.url_prefix}/")
        if self.staff_urls:
            out.append(f"/staff/{self.url_prefix}/")
        if self.api_router:
            out.append(f"/api/v1/{self.url_prefix}/")
            out.append(f"/api/v1/datasets/{self.label}/")
        out.extend(f"/{segment}/" for segment in self.standard_urls)
        return tuple(out)

    def settings_model_class(self):
        if not self.settings_model:
            return None
        from django.apps import apps

        return apps.get_model(self.settings_model)


class Registry:
    def __init__(self) -> None:
        self._modules: dict[str, Module] = {}
        self._lock = threading.Lock()
        self._ledger_kinds: frozenset[str] | None = None
        self._notification_kinds: frozenset[str] | None = None

    # --- registration -------------------------------------------------------------------

    def register(self, module: Module) -> Module:
        with self._lock:
            self._validate(module)
            self._modules[module.label] = module
            self._ledger_kinds = self._notification_kinds = None
        return module

    def unregister(self, label: str) -> None:
        """For tests that register a sample module."""
        with self._lock:
            self._modules.pop(label, None)
            self._ledger_kinds = self._notification_kinds = None

    def _validate(self, module: Module) -> None:
        if not LABEL_RE.match(module.label) or not LABEL_RE.match(module.event_prefix):
            raise RegistryError(f"module label and event prefix must be lower-case words: {module!r}")
        if module.label in self._modules:
            raise RegistryError(f"module {module.label!r} is registered twice")
        own = sorted(module.standard_urls)
        for i, path in enumerate(own):
            problem = standard_path_error(path)
            if problem:
                raise RegistryError(
                    f"standard URL {path!r} of {module.label!r} {problem} (a free lower-case path segment)"
                )
            if any(_paths_overlap(path, later) for later in own[i + 1 :]):
                raise RegistryError(f"standard URLs of {module.label!r} overlap: {path!r}")
        for other in self._modules.values():
            if other.event_prefix == module.event_prefix:
                raise RegistryError(
                    f"event prefix {module.event_prefix!r} of {module.label!r} "
                    f"is already owned by {other.label!r}"
                )
            if not module.kernel and not other.kernel and other.url_prefix == module.url_prefix:
                raise RegistryError(f"URL prefix {module.url_prefix!r} is already used by {other.label!r}")
            theirs = set(other.standard_urls) | (set() if other.kernel else {other.url_prefix})
            mine = set(module.standard_urls) | (set() if module.kernel else {module.url_prefix})
            clash_segments = {
                p
                for a, b in ((theirs, set(module.standard_urls)), (mine, set(other.standard_urls)))
                for p in b
                if any(_paths_overlap(p, q) for q in a)
            }
            if clash_segments:
                raise RegistryError(
                    f"URL segment {sorted(clash_segments)} of {module.label!r} is already used by {other.label!r}"
                )
        taken = {k for m in self._modules.values() for k in (*m.ledger_kinds, *m.notification_kinds)}
        clash = taken & {*module.ledger_kinds, *module.notification_kinds}
        if clash:
            raise RegistryError(f"kinds {sorted(clash)} of {module.label!r} are already registered")
        for what, kinds in (("ledger", module.ledger_kinds), ("notification", module.notification_kinds)):
            for kind in kinds:
                if not KIND_RE.match(kind) or not kind.startswith(module.event_prefix + "."):
                    raise RegistryError(
                        f"{what} kind {kind!r} of module {module.label!r} must be "
                        f"'{module.event_prefix}.<event>' in lower-case letters and underscores"
                    )
        receipt_kinds = [r.kind for r in module.ledger_receipts]
        if len(receipt_kinds) != len(set(receipt_kinds)):
            raise RegistryError(f"module {module.label!r} declares a ledger receipt twice for one kind")
        for receipt in module.ledger_receipts:
            if receipt.kind not in module.ledger_kinds:
                raise RegistryError(
                    f"ledger receipt of {module.label!r} names undeclared kind {receipt.kind!r}"
                )
            if not re.match(r"^[a-z_][a-z0-9_]*$", receipt.key):
                raise RegistryError(f"ledger receipt key {receipt.key!r} must be a top-level payload key")
        unknown_staff = set(module.staff_notification_kinds) - set(module.notification_kinds)
        if unknown_staff:
            raise RegistryError(f"staff notification kinds not declared: {sorted(unknown_staff)}")
        codenames = [p.codename for p in module.permissions]
        if len(codenames) != len(set(codenames)):
            raise RegistryError(f"module {module.label!r} declares a permission twice")
        for codename in codenames:
            if not codename.startswith(module.label + ".") or not KIND_RE.match(codename):
                raise RegistryError(f"permission {codename!r} must be '{module.label}.<verb>'")
        if module.personal_models and not module.personal_data_export:
            raise RegistryError(f"module {module.label!r} lists personal models but no exporter")
        if module.personal_models and not (module.personal_data_erase or module.kept_on_erase):
            raise RegistryError(
                f"module {module.label!r} keeps personal data: give personal_data_erase or kept_on_erase"
            )
        for kind in module.comment_targets:
            if not KIND_RE.match(kind) or not kind.startswith(module.label + "."):
                raise RegistryError(f"comment target {kind!r} must be '{module.label}.<kind>'")
        slugs = [d.slug for d in module.datasets]
        if len(slugs) != len(set(slugs)):
            raise RegistryError(f"module {module.label!r} declares a dataset twice")
        for section in module.staff_sections:
            if section.permission is not None and section.permission not in codenames:
                # A section may need another module's permission only if it is registered.
                if self.permission(section.permission) is None:
                    raise RegistryError(
                        f"staff section {section.url_name!r} needs unknown {section.permission!r}"
                    )

    # --- reading ------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Module]:
        return iter(sorted(self._modules.values(), key=lambda m: (not m.kernel, m.label)))

    def __contains__(self, label: str) -> bool:
        return label in self._modules

    def get(self, label: str) -> Module | None:
        return self._modules.get(label)

    def modules(self, *, kernel: bool | None = None) -> list[Module]:
        return [m for m in self if kernel is None or m.kernel == kernel]

    def switchable(self) -> list[Module]:
        return self.modules(kernel=False)

    def ledger_kinds(self) -> dict[str, Any]:
        return {k: v for m in self for k, v in m.ledger_kinds.items()}

    def ledger_receipts(self) -> dict[str, LedgerReceipt]:
        """{kind: LedgerReceipt} of every installed module."""
        return {r.kind: r for m in self for r in m.ledger_receipts}

    def notification_kinds(self) -> dict[str, Any]:
        return {k: v for m in self for k, v in m.notification_kinds.items()}

    def is_ledger_kind(self, kind: str) -> bool:
        """Whether a module declared `kind` (a set look-up: ledger_append's hot path)."""
        kinds = self._ledger_kinds
        if kinds is None:
            kinds = self._ledger_kinds = frozenset(self.ledger_kinds())
        return kind in kinds

    def is_notification_kind(self, kind: str) -> bool:
        kinds = self._notification_kinds
        if kinds is None:
            kinds = self._notification_kinds = frozenset(self.notification_kinds())
        return kind in kinds

    def staff_notification_kinds(self) -> frozenset[str]:
        return frozenset(k for m in self for k in m.staff_notification_kinds)

    def owner_of_kind(self, kind: str) -> Module | None:
        for m in self:
            if kind in m.ledger_kinds or kind in m.notification_kinds:
                return m
        return None

    def permissions(self) -> dict[str, Permission]:
        return {p.codename: p for m in self for p in m.permissions}

    def permission(self, codename: str) -> Permission | None:
        for m in self._modules.values():
            for p in m.permissions:
                if p.codename == codename:
                    return p
        return None

    def jobs(self) -> list[Job]:
        return [job for m in self for job in m.jobs]

    def datasets(self) -> list[tuple[Module, Dataset]]:
        return [(m, d) for m in self for d in m.datasets]

    def dataset(self, module_label: str, slug: str) -> tuple[Module, Dataset] | None:
        module = self.get(module_label)
        if module is None:
            return None
        for d in module.datasets:
            if d.slug == slug:
                return module, d
        return None

    def comment_target(self, kind: str) -> tuple[Module, Callable] | None:
        """(owning module, resolver) of comment target `kind`, or None when no installed
        module declares it."""
        label = kind.partition(".")[0]
        module = self._modules.get(label)
        if module is None or kind not in module.comment_targets:
            return None
        return module, resolve(module.comment_targets[kind])

    def page_cache_prefixes(self) -> tuple[str, ...]:
        return tuple(p for m in self for p in m.page_cache_prefixes)

    def edge_routes(self) -> list:
        routes: list = []
        for m in self:
            if m.edge_routes:
                routes.extend(_import(m.edge_routes))
        return routes

    def clear_caches(self) -> None:
        for m in self:
            for cache in m.caches:
                resolve(cache)()

    def owner_of_path(self, path: str) -> Module | None:
        """The module answering on `path` ("/api/v1/petitions" and "/api/v1/petitions/…"
        are petitions'; "/api/v1/petitionsx" is not)."""
        path = path if path.endswith("/") else path + "/"
        for m in self._modules.values():
            if path.startswith(m.paths):
                return m
        return None


registry = Registry()
register = registry.register


def ordered(items: Iterable, key: Callable[[Any], int] = lambda item: item.order) -> list:
    return sorted(items, key=key)
