"""The catalogue: services with their documents, categories and life situations.

Each write checks everything first (every problem at once, CnapInvalid), then runs in
one transaction with its ledger entry. A service is a draft until published; a
published service needs what a resident must read before coming (who may apply, the
term, the result). Archived services leave the public catalogue but keep their code."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core.errors import DomainError
from hromada.ledger.services import ledger_append

from .. import rules
from ..models import (
    CODE_MAX,
    TITLE_MAX,
    DocumentForm,
    FeeKind,
    LifeSituation,
    Service,
    ServiceCategory,
    ServiceDocument,
    ServiceStatus,
)
from ..selectors import search_text_of
from ._common import Check, CnapInvalid

SERVICE_FIELDS = (
    "code",
    "title",
    "description",
    "provider",
    "legal_basis",
    "applicants",
    "term",
    "result",
    "result_delivery",
    "fee_kind",
    "fee_amount",
    "fee_note",
    "in_person",
    "online_url",
    "diia_url",
    "visit_units",
    "booking_allowed",
    "category",
)
VISIT_UNITS_MAX = 32
# What a resident must read on a published service's page.
REQUIRED_TO_PUBLISH = {
    "provider": gettext_lazy("Суб'єкт надання"),
    "applicants": gettext_lazy("Хто може звернутися"),
    "term": gettext_lazy("Строк надання"),
    "result": gettext_lazy("Результат"),
}


def _record(service: Service, kind: str, **extra) -> None:
    ledger_append(
        hromada=service.hromada,
        kind=kind,
        payload={"service": str(service.public_id), "code": service.code, "title": service.title, **extra},
    )


def _code_taken(code: str) -> DomainError:
    return CnapInvalid(
        [
            DomainError(
                "service_code_taken",
                _("Послуга з кодом «%(code)s» уже є в каталозі.") % {"code": code},
                field="code",
                status=409,
            )
        ]
    )


def _clean_service(hromada, values: dict, check: Check) -> dict:
    out: dict = {}
    out["code"] = check.line(
        values.get("code"), "code", limit=CODE_MAX, required=True, label=_("Код послуги")
    )
    out["title"] = check.line(values.get("title"), "title", limit=TITLE_MAX, required=True, label=_("Назва"))
    out["description"] = check.text(values.get("description"), "description", limit=3000, label=_("Коротко"))
    out["provider"] = check.line(values.get("provider"), "provider", limit=300, label=_("Суб'єкт надання"))
    for name, label in (
        ("legal_basis", _("Правові підстави")),
        ("applicants", _("Хто може звернутися")),
        ("result", _("Результат")),
        ("result_delivery", _("Як отримати результат")),
        ("fee_note", _("Як платити")),
    ):
        out[name] = check.text(values.get(name), name, limit=5000, label=label)
    out["term"] = check.line(values.get("term"), "term", limit=200, label=_("Строк надання"))
    fee_kind = values.get("fee_kind") or FeeKind.FREE
    if fee_kind not in FeeKind.values:
        check.add("fee_kind_invalid", _("Оберіть, чи послуга платна."), "fee_kind")
    out["fee_kind"] = fee_kind
    amount = check.amount(values.get("fee_amount"), "fee_amount")
    if fee_kind == FeeKind.FREE:
        amount = None  # a free service has no amount, whatever the form kept
    elif fee_kind == FeeKind.FIXED and not check.failed("fee_amount") and not amount:
        check.add("fee_amount_required", _("Вкажіть суму платної послуги (більше нуля)."), "fee_amount")
    out["fee_amount"] = amount
    out["in_person"] = bool(values.get("in_person", True))
    out["online_url"] = check.url(values.get("online_url"), "online_url", label=_("Онлайн-послуга"))
    out["diia_url"] = check.url(values.get("diia_url"), "diia_url", label=_("Послуга в Дії"))
    out["visit_units"] = check.integer(
        values.get("visit_units", 1), "visit_units", low=1, high=VISIT_UNITS_MAX, label=_("Тривалість візиту")
    )
    out["booking_allowed"] = bool(values.get("booking_allowed", out["in_person"]))
    if out["booking_allowed"] and not out["in_person"]:
        check.add(
            "booking_without_visit",
            _("Записатися можна лише на послугу, яку надають особисто в ЦНАП."),
            "booking_allowed",
        )
    if not (out["in_person"] or out["online_url"] or out["diia_url"]):
        check.add(
            "service_no_channel",
            _("Вкажіть хоча б один спосіб отримати послугу: особисто, онлайн чи в Дії."),
            "in_person",
        )
    category = values.get("category")
    if category is not None and not isinstance(category, ServiceCategory):
        category = ServiceCategory.objects.for_hromada(hromada).filter(code=str(category)).first()
        if category is None:
            check.add("category_unknown", _("Такої категорії немає."), "category")
    elif category is not None and category.hromada_id != hromada.pk:
        check.add("category_unknown", _("Такої категорії немає."), "category")
        category = None
    out["category"] = category
    return out


def _clean_situations(hromada, situations: Iterable, check: Check) -> list[LifeSituation]:
    out: list[LifeSituation] = []
    for item in situations or ():
        if isinstance(item, LifeSituation):
            found = item if item.hromada_id == hromada.pk else None
        else:
            found = LifeSituation.objects.for_hromada(hromada).filter(code=str(item)).first()
        if found is None:
            check.add("situation_unknown", _("Такої життєвої ситуації немає."), "life_situations")
        elif found not in out:
            out.append(found)
    return out


def _check_publishable(service: Service) -> None:
    check = Check()
    for name, label in REQUIRED_TO_PUBLISH.items():
        if not (getattr(service, name) or "").strip():
            check.add(
                f"{name}_required",
                _("Щоб оприлюднити послугу, заповніть поле «%(label)s».") % {"label": label},
                name,
            )
    check.done()


def _refresh(service: Service) -> None:
    service.search_text = search_text_of(service)
    service.save(update_fields=["search_text", "updated_at"])


def service_create(
    hromada, actor, *, life_situations: Iterable = (), publish: bool = False, **values
) -> Service:
    rules.require_manage(actor, hromada)
    check = Check()
    clean = _clean_service(hromada, values, check)
    situations = _clean_situations(hromada, life_situations, check)
    check.done()
    if Service.objects.for_hromada(hromada).filter(code=clean["code"]).exists():
        raise _code_taken(clean["code"])
    try:
        with transaction.atomic():
            service = Service.objects.create(hromada=hromada, **clean)
            service.life_situations.set(situations)
            _refresh(service)
            _record(service, "cnap.service_created")
            if publish:
                _publish(service)
    except IntegrityError:  # the same code created at the same moment
        raise _code_taken(clean["code"]) from None
    return service


def service_update(service: Service, actor, *, life_situations: Iterable | None = None, **values) -> Service:
    """Change the fields given (the others keep their values)."""
    hromada = service.hromada
    rules.require_manage(actor, hromada)
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise DomainError(
            "service_field_unknown", _("Невідоме поле послуги: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    merged = {name: getattr(service, name) for name in SERVICE_FIELDS}
    merged.update(values)
    check = Check()
    clean = _clean_service(hromada, merged, check)
    situations = _clean_situations(hromada, life_situations, check) if life_situations is not None else None
    check.done()
    if (
        clean["code"] != service.code
        and Service.objects.for_hromada(hromada).filter(code=clean["code"]).exclude(pk=service.pk).exists()
    ):
        raise _code_taken(clean["code"])
    try:
        with transaction.atomic():
            locked = Service.objects.select_for_update().get(pk=service.pk, hromada=hromada)
            changed = sorted(name for name, value in clean.items() if getattr(locked, name) != value)
            for name, value in clean.items():
                setattr(locked, name, value)
            if situations is not None:
                before = set(locked.life_situations.values_list("pk", flat=True))
                if before != {s.pk for s in situations}:
                    changed.append("life_situations")
                locked.life_situations.set(situations)
            if locked.status == ServiceStatus.PUBLISHED:
                _check_publishable(locked)  # a published page keeps what a resident needs
            locked.save()
            _refresh(locked)
            if changed:
                _record(locked, "cnap.service_changed", changed=changed)
    except IntegrityError:
        raise _code_taken(clean["code"]) from None
    return locked


def _publish(service: Service) -> None:
    _check_publishable(service)
    service.status = ServiceStatus.PUBLISHED
    service.published_at = service.published_at or timezone.now()
    service.save(update_fields=["status", "published_at", "updated_at"])
    _record(service, "cnap.service_published")


def service_publish(service: Service, actor) -> Service:
    rules.require_manage(actor, service.hromada)
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk, hromada=service.hromada)
        if locked.status == ServiceStatus.PUBLISHED:
            raise DomainError("service_already_published", _("Послугу вже оприлюднено."), status=409)
        _publish(locked)
    return locked


def service_archive(service: Service, actor) -> Service:
    """Take a service out of the public catalogue (its code stays taken)."""
    rules.require_manage(actor, service.hromada)
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk, hromada=service.hromada)
        if locked.status != ServiceStatus.PUBLISHED:
            raise DomainError(
                "service_not_published", _("В архів можна перенести лише оприлюднену послугу."), status=409
            )
        locked.status = ServiceStatus.ARCHIVED
        locked.save(update_fields=["status", "updated_at"])
        _record(locked, "cnap.service_archived")
    return locked


# --- documents ------------------------------------------------------------------------------


def document_save(
    service: Service,
    actor,
    *,
    document: ServiceDocument | None = None,
    title: str,
    required: bool = True,
    form: str = DocumentForm.ORIGINAL,
    note: str = "",
    order: int | None = None,
) -> ServiceDocument:
    rules.require_manage(actor, service.hromada)
    if document is not None and document.service_id != service.pk:
        raise DomainError("document_unknown", _("Такого документа в цій послузі немає."), status=404)
    check = Check()
    title = check.line(title, "title", limit=TITLE_MAX, required=True, label=_("Документ"))
    note = check.line(note, "note", limit=500, label=_("Примітка"))
    if form not in DocumentForm.values:
        check.add("document_form_invalid", _("Оберіть, оригінал чи копія."), "form")
    if order not in (None, ""):
        order = check.integer(order, "order", low=0, high=999, label=_("Порядок"))
    check.done()
    with transaction.atomic():
        if order in (None, "") and document is not None:
            order = document.order
        elif order in (None, ""):
            last = ServiceDocument.objects.filter(service=service).order_by("-order").first()
            order = last.order + 1 if last else 1
        if document is None:
            document = ServiceDocument.objects.create(
                hromada=service.hromada,
                service=service,
                title=title,
                required=required,
                form=form,
                note=note,
                order=order,
            )
            action = "added"
        else:
            document.title, document.required, document.form, document.note, document.order = (
                title,
                bool(required),
                form,
                note,
                order,
            )
            document.save()
            action = "changed"
        _refresh(service)
        _record(service, "cnap.service_changed", changed=["documents"], document=action)
    return document


def document_delete(document: ServiceDocument, actor) -> None:
    service = document.service
    rules.require_manage(actor, service.hromada)
    with transaction.atomic():
        document.delete()
        _refresh(service)
        _record(service, "cnap.service_changed", changed=["documents"], document="removed")


# --- categories and life situations ---------------------------------------------------------


def _taxonomy_save(model, kind: str, hromada, actor, row, *, code, name, description="", order=0):
    rules.require_manage(actor, hromada)
    check = Check()
    code = check.line(code, "code", limit=60, required=True, label=_("Код"))
    if code and not check.failed("code"):
        from django.utils.text import slugify

        if slugify(code) != code:
            check.add(
                "code_invalid", _("Код — латинські малі літери, цифри й дефіс (напр. «dokumenty»)."), "code"
            )
    name = check.line(name, "name", limit=200, required=True, label=_("Назва"))
    description = check.text(description, "description", limit=2000, label=_("Опис"))
    order = check.integer(order or 0, "order", low=0, high=999, label=_("Порядок"))
    check.done()
    taken = model.objects.for_hromada(hromada).filter(code=code)
    if row is not None:
        taken = taken.exclude(pk=row.pk)
    if taken.exists():
        raise CnapInvalid(
            [DomainError("code_taken", _("Код «%(c)s» уже зайнято.") % {"c": code}, field="code", status=409)]
        )
    with transaction.atomic():
        action = "created" if row is None else "changed"
        if row is None:
            row = model.objects.create(
                hromada=hromada, code=code, name=name, description=description, order=order
            )
        else:
            row.code, row.name, row.description, row.order = code, name, description, order
            row.save()
        ledger_append(
            hromada=hromada,
            kind="cnap.catalogue_changed",
            payload={"object": kind, "action": action, "code": code, "name": name},
        )
    return row


def category_save(hromada, actor, *, category: ServiceCategory | None = None, **values) -> ServiceCategory:
    return _taxonomy_save(ServiceCategory, "category", hromada, actor, category, **values)


def situation_save(hromada, actor, *, situation: LifeSituation | None = None, **values) -> LifeSituation:
    return _taxonomy_save(LifeSituation, "life_situation", hromada, actor, situation, **values)


def taxonomy_delete(row, actor) -> None:
    """Delete a category (its services stay, uncategorised) or a life situation."""
    rules.require_manage(actor, row.hromada)
    kind = "category" if isinstance(row, ServiceCategory) else "life_situation"
    with transaction.atomic():
        ledger_append(
            hromada=row.hromada,
            kind="cnap.catalogue_changed",
            payload={"object": kind, "action": "deleted", "code": row.code, "name": row.name},
        )
        row.delete()
