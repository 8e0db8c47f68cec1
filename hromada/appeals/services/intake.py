"""The channels in: residents' drafts and their submission, co-signers of a collective
appeal, photos and documents, the API's one-request report and the operator's
registration of a call or a letter.

A half-written case is a draft (status draft, no number): it keeps whatever the person
typed that is valid, and only its applicant sees it. Submission checks everything at
once — the law's fields (rules.missing_required), the point inside the hromada, the
category's required attributes, an urgent request's reason, a collective appeal's
co-signers — and raises one DomainError whose `details` list every problem, then
registers it (services.cases.case_register).

Drafts are not in the ledger: they are private and not yet received; the ledger entry
is the registration's."""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.accounts.rules import has_perm, identity_in
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.uploads import MB, CheckedFile, check_upload

from .. import rules
from ..models import (
    ADDRESS_MAX,
    ALT_TEXT_MAX,
    NAME_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    AppealType,
    Attachment,
    AttachmentKind,
    AttributeType,
    Case,
    CaseKind,
    CaseStatus,
    Category,
    Channel,
    CoSigner,
)
from .cases import FIELD_MESSAGES, case_register

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
PHOTO_MAX_BYTES = 8 * MB
MAX_PHOTOS = 3
DOCUMENT_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
DOCUMENT_MAX_BYTES = 10 * MB
MAX_DOCUMENTS = 5

# How an information request's answer is to be given (Law on access, art. 19).
ANSWER_FORMS = {
    "email": gettext_lazy("Електронною поштою"),
    "post": gettext_lazy("Поштою на адресу"),
    "in_person": gettext_lazy("Особисто, у приміщенні ради"),
}
# Why an information request is urgent (art. 20 part 2: 48 hours). Stored by code in
# Case.urgent_reason; this is its text.
URGENT_REASONS = {
    "life": gettext_lazy("Потрібна для захисту життя чи свободи людини"),
    "environment": gettext_lazy("Щодо стану довкілля, якості харчових продуктів і предметів побуту"),
    "emergency": gettext_lazy("Щодо аварій, катастроф, небезпечних природних явищ, інших надзвичайних подій"),
}
# The channels an operator registers through (the others are the residents' own).
OPERATOR_CHANNELS = (Channel.HOTLINE, Channel.PAPER, Channel.VISIT, Channel.EMAIL)

COMMON_FIELDS = ("title", "text", "category")
APPLICANT_FIELDS = ("applicant_name", "applicant_address", "applicant_email", "applicant_phone")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    CaseKind.APPEAL: (*COMMON_FIELDS, *APPLICANT_FIELDS, "appeal_type", "collective"),
    CaseKind.INFO: (*COMMON_FIELDS, *APPLICANT_FIELDS, "answer_form", "urgent", "urgent_reason"),
    CaseKind.REPORT: (*COMMON_FIELDS, *APPLICANT_FIELDS, "lat", "lon", "address", "anonymous", "attributes"),
}
_LIMITS = {
    "title": TITLE_MAX,
    "text": TEXT_MAX,
    "applicant_name": NAME_MAX,
    "applicant_address": ADDRESS_MAX,
    "applicant_phone": 40,
    "applicant_email": 254,
    "address": ADDRESS_MAX,
    "urgent_reason": REASON_MAX,
    "answer_form": 20,
}

EXTRA_MESSAGES = {
    "cosigners": gettext_lazy(
        "Колективне звернення підписують щонайменше двоє: поділіться посиланням для підпису, "
        "щоб хтось приєднався, або подайте звернення як індивідуальне."
    ),
    "urgent_reason": gettext_lazy("Оберіть, чому запит терміновий (інакше строк — 5 робочих днів)."),
    "answer_form": gettext_lazy("Оберіть, як надати відповідь: e-mail, поштою чи особисто."),
    "post_address": gettext_lazy("Для відповіді поштою вкажіть поштову адресу."),
    "email_for_answer": gettext_lazy("Для відповіді електронною поштою вкажіть e-mail."),
}


# --- reading what a person is -------------------------------------------------------------


def full_name_of(user, hromada) -> str:
    """The verified identity's full name (surname first, as the law's forms write it),
    else the account's display name."""
    identity = identity_in(user, hromada=hromada)
    if identity is not None:
        return " ".join(p for p in (identity.last_name, identity.first_name, identity.middle_name) if p)
    return getattr(user, "display_name", "") or ""


def prefill(user, hromada) -> dict[str, str]:
    """What an appeal form can start with: the identity's name, the account's e-mail,
    and the address and phone of the person's latest case here."""
    if not getattr(user, "is_authenticated", False):
        return {}
    last = (
        Case.objects.for_hromada(hromada)
        .filter(applicant=user)
        .exclude(applicant_address="", applicant_phone="")
        .order_by("-id")
        .values("applicant_address", "applicant_phone")
        .first()
    ) or {}
    return {
        "applicant_name": full_name_of(user, hromada),
        "applicant_email": user.email,
        "applicant_address": last.get("applicant_address", ""),
        "applicant_phone": last.get("applicant_phone", ""),
    }


def name_verified(user, hromada) -> bool:
    return identity_in(user, hromada=hromada) is not None


# --- fields ---------------------------------------------------------------------------------


def _clean(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _apply_fields(case: Case, fields: dict[str, Any]) -> None:
    """Copy the fields the case's kind takes (others are ignored); a category must be
    the hromada's and of the case's kind."""
    allowed = KIND_FIELDS[case.kind]
    for name, value in fields.items():
        if name not in allowed:
            continue
        if name == "category":
            if value is not None and (
                not isinstance(value, Category)
                or value.hromada_id != case.hromada_id
                or value.kind != case.kind
            ):
                raise DomainError("category_unknown", _("Такої категорії немає."), field="category")
            case.category = value
        elif name in ("collective", "urgent", "anonymous"):
            setattr(case, name, bool(value))
        elif name in ("lat", "lon"):
            setattr(case, name, None if value in (None, "") else float(value))
        elif name == "attributes":
            case.attributes = {str(k): v for k, v in (value or {}).items()}
        elif name == "appeal_type":
            case.appeal_type = value if value in AppealType.values else AppealType.NONE
        elif name == "applicant_phone":
            case.applicant_phone = phone_normalise(_clean(value, _LIMITS[name]))
        elif name == "applicant_email":
            case.applicant_email = _clean(value, _LIMITS[name]).lower()
        else:
            setattr(case, name, _clean(value, _LIMITS.get(name, TEXT_MAX)))
    if case.kind != CaseKind.APPEAL:
        case.appeal_type, case.collective = AppealType.NONE, False


def phone_normalise(value: str) -> str:
    """A Ukrainian number as +380XXXXXXXXX (however it was typed: 067 123-45-67,
    +38 (067) 1234567, 380671234567), so the hotline finds a caller by it; anything
    else is kept as typed."""
    number = re.sub(r"\D", "", value)
    if len(number) == 10 and number.startswith("0"):
        return "+38" + number
    if len(number) == 12 and number.startswith("380"):
        return "+" + number
    if len(number) == 9 and not value.strip().startswith("0"):
        return "+380" + number
    return value


def _own_draft(case: Case, user) -> None:
    if not rules.is_applicant(user, case):
        raise PermissionDenied("not_applicant", _("Це не ваша чернетка."))
    if case.status != CaseStatus.DRAFT:
        raise DomainError("case_not_draft", _("Це звернення вже зареєстровано."), status=409)


def _new_case(*, hromada, kind: str, user=None, channel: str = Channel.WEB) -> Case:
    if kind not in CaseKind.values:
        raise DomainError("kind_unknown", _("Невідомий вид звернення."), field="kind")
    case = Case(hromada=hromada, kind=kind, channel=channel, status=CaseStatus.DRAFT)
    if getattr(user, "is_authenticated", False):
        case.applicant = user
        if kind == CaseKind.REPORT:
            # Staff know who reported (the public page does not, unless they say so).
            case.applicant_name = full_name_of(user, hromada)[:NAME_MAX]
            case.applicant_email = user.email
    return case


def draft_create(*, hromada, user, kind: str, **fields) -> Case:
    """A new draft of `user` with whatever was typed."""
    if not getattr(user, "is_authenticated", False):
        raise DomainError("login_required", _("Увійдіть, щоб зберегти чернетку."), status=401)
    case = _new_case(hromada=hromada, kind=kind, user=user)
    _apply_fields(case, fields)
    with transaction.atomic():
        case.save()
    return case


def draft_update(*, case: Case, user, **fields) -> Case:
    _own_draft(case, user)
    _apply_fields(case, fields)
    with transaction.atomic():
        case.save()
    return case


def draft_discard(*, case: Case, user) -> None:
    """Delete a draft with its files (the person joined another report, or changed
    their mind)."""
    _own_draft(case, user)
    files = [a.file for a in case.attachments.all()]
    with transaction.atomic():
        case.delete()
        for f in files:
            transaction.on_commit(partial(f.delete, save=False))


# --- files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """An uploaded file already checked by content (once), with its description."""

    file: Any
    checked: CheckedFile
    alt_text: str
    field: str


def _rules_of(case: Case) -> tuple[frozenset[str], int, int, str]:
    if case.kind == CaseKind.REPORT:
        return PHOTO_TYPES, PHOTO_MAX_BYTES, MAX_PHOTOS, AttachmentKind.PHOTO
    return DOCUMENT_TYPES, DOCUMENT_MAX_BYTES, MAX_DOCUMENTS, AttachmentKind.DOCUMENT


def upload_check(
    case: Case, upload, *, alt_text: str = "", field: str, alt_field: str | None = None
) -> Upload:
    """Check one file for `case`'s kind: type by content and size (core.uploads), and a
    description for every image (for those who cannot see it)."""
    allowed, max_bytes, _n, _kind = _rules_of(case)
    checked = check_upload(upload, allowed=set(allowed), max_bytes=max_bytes, field=field)
    alt = _clean(alt_text, ALT_TEXT_MAX)
    if checked.content_type.startswith("image/") and not alt:
        raise DomainError(
            "alt_text_required",
            _("Опишіть, що на фото «%(name)s», — для тих, хто не бачить зображення.") % {"name": upload.name},
            field=alt_field or field,
        )
    return Upload(upload, checked, alt, field)


def _too_many(case: Case, adding: int, field: str) -> None:
    _allowed, _max, limit, _kind = _rules_of(case)
    have = case.attachments.count() if case.pk else 0
    if have + adding > limit:
        if case.kind == CaseKind.REPORT:
            message = _("До повідомлення можна додати не більше %(n)d фото.") % {"n": limit}
        else:
            message = _("До звернення можна додати не більше %(n)d файлів.") % {"n": limit}
        raise DomainError("too_many_files", message, field=field)


def _store(case: Case, item: Upload, user) -> Attachment:
    attachment = attachment_new(case, item, user)
    attachment.save(force_insert=True)
    return attachment


def attachment_new(case: Case, item: Upload, user) -> Attachment:
    """The Attachment row of a checked upload, not saved (its file is written when it
    is: FileField.pre_save); the report edge saves it in its own statement."""
    _allowed, _max, _n, kind = _rules_of(case)
    digest = hashlib.sha256()
    item.file.seek(0)
    for chunk in item.file.chunks() if hasattr(item.file, "chunks") else [item.file.read()]:
        digest.update(chunk)
    item.file.seek(0)
    name = os.path.basename(item.file.name or "")[:200] or f"file.{item.checked.extension}"
    item.file.name = f"{uuid.uuid4().hex}.{item.checked.extension}"
    return Attachment(
        hromada_id=case.hromada_id,
        case=case,
        kind=kind,
        file=item.file,
        original_name=name,
        content_type=item.checked.content_type,
        size=item.file.size,
        sha256=digest.hexdigest(),
        alt_text=item.alt_text,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )


def attachment_add(
    *, case: Case, user, upload, alt_text: str = "", field: str = "file", alt_field: str | None = None
) -> Attachment:
    """A photo (reports: JPEG, PNG, WebP) or a document (appeals and requests: PDF, JPEG,
    PNG) added to the applicant's draft."""
    _own_draft(case, user)
    _too_many(case, 1, field)
    item = upload_check(case, upload, alt_text=alt_text, field=field, alt_field=alt_field)
    with transaction.atomic():
        return _store(case, item, user)


def attachment_remove(*, case: Case, user, attachment_id: int) -> None:
    _own_draft(case, user)
    item = case.attachments.filter(pk=attachment_id).first()
    if item is None:
        return
    with transaction.atomic():
        stored = item.file
        item.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


# --- co-signers -----------------------------------------------------------------------------


def cosign_refusal(case: Case, user) -> DomainError | None:
    """Why `user` may not co-sign `case` now (None: they may)."""
    if case.kind != CaseKind.APPEAL or not case.collective:
        return DomainError("not_collective", _("Це звернення не колективне: підписати його не можна."))
    if case.status != CaseStatus.DRAFT:
        return DomainError(
            "case_not_draft",
            _("Звернення вже подано (№%(n)s): нові підписи не приймаються.") % {"n": case.number},
            status=409,
        )
    if rules.is_applicant(user, case):
        return DomainError("own_case", _("Ви автор цього звернення: ваш підпис уже є."), status=409)
    if getattr(user, "is_authenticated", False) and case.cosigners.filter(user=user).exists():
        return DomainError("already_signed", _("Ви вже підписали це звернення."), status=409)
    return None


def cosign(*, case: Case, user, name: str, address: str) -> CoSigner:
    """`user` co-signs a collective appeal's draft through the link its author shared,
    confirming their full name and address of residence (the law asks both of each)."""
    if not getattr(user, "is_authenticated", False):
        raise DomainError("login_required", _("Увійдіть, щоб підписати звернення."), status=401)
    refusal = cosign_refusal(case, user)
    if refusal is not None:
        raise refusal
    name, address = _clean(name, NAME_MAX), _clean(address, ADDRESS_MAX)
    problems = []
    if len(name.split()) < 2:
        problems.append(_problem("name", "name_required", FIELD_MESSAGES["applicant_name"]))
    if not address:
        problems.append(_problem("address", "address_required", FIELD_MESSAGES["applicant_address"]))
    if problems:
        raise problems_error(problems)
    try:
        with transaction.atomic():
            return CoSigner.objects.create(
                hromada_id=case.hromada_id, case=case, user=user, name=name, address=address
            )
    except IntegrityError:
        raise DomainError("already_signed", _("Ви вже підписали це звернення."), status=409) from None


def cosign_withdraw(*, case: Case, user) -> bool:
    """A co-signer takes their signature back while the appeal is still a draft."""
    if case.status != CaseStatus.DRAFT:
        raise DomainError("case_not_draft", _("Звернення вже подано: підпис не відкликати."), status=409)
    with transaction.atomic():
        deleted, _rows = CoSigner.objects.for_hromada(case.hromada).filter(case=case, user=user).delete()
    return bool(deleted)


# --- checking everything at once -----------------------------------------------------------


def _problem(field: str, code: str, message) -> dict:
    return {"field": field, "code": code, "message": str(message)}


def problems_error(problems: list[dict]) -> DomainError:
    """One DomainError for every problem: `case_incomplete` when something required is
    missing, else the first problem's code; `details` lists them all (the API's `errors`)."""
    incomplete = any(p["code"].endswith("_required") for p in problems)
    code = "case_incomplete" if incomplete else problems[0]["code"]
    message = (
        _("Не вистачає обов'язкових відомостей або їх подано неправильно: %(n)s.") % {"n": len(problems)}
        if len(problems) > 1 or incomplete
        else problems[0]["message"]
    )
    error = DomainError(code, message, field=problems[0]["field"], status=422)
    error.details = problems  # type: ignore[attr-defined]  # read by the API's error handler
    return error


def attributes_check(category: Category | None, values: dict[str, Any]) -> tuple[dict[str, Any], list[dict]]:
    """The category's attribute answers, typed (Open311 datatypes), and the problems:
    a required one missing, a number that is not one, a value not in the list."""
    if category is None:
        return {}, []
    clean: dict[str, Any] = {}
    problems: list[dict] = []
    for attribute in category.attributes.all():
        raw = values.get(attribute.code)
        field = f"attribute[{attribute.code}]"
        empty = raw in (None, "", []) or (isinstance(raw, str) and not raw.strip())
        if empty:
            if attribute.required:
                problems.append(
                    _problem(
                        field,
                        "attribute_required",
                        _("Дайте відповідь на питання «%(q)s».") % {"q": attribute.description},
                    )
                )
            continue
        keys = {str(v.get("key")) for v in attribute.values or [] if isinstance(v, dict)}
        if attribute.datatype == AttributeType.NUMBER:
            try:
                clean[attribute.code] = float(str(raw).replace(",", "."))
            except ValueError:
                problems.append(
                    _problem(
                        field,
                        "attribute_invalid",
                        _("«%(q)s»: має бути число.") % {"q": attribute.description},
                    )
                )
        elif attribute.datatype == AttributeType.DATETIME:
            moment = parse_datetime(str(raw))
            if moment is None:
                problems.append(
                    _problem(
                        field,
                        "attribute_invalid",
                        _("«%(q)s»: вкажіть дату й час.") % {"q": attribute.description},
                    )
                )
            else:
                clean[attribute.code] = moment.isoformat()
        elif attribute.datatype in (AttributeType.SINGLE, AttributeType.MULTI):
            chosen = [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw])]
            if (
                attribute.datatype == AttributeType.SINGLE
                and len(chosen) > 1
                or any(c not in keys for c in chosen)
            ):
                problems.append(
                    _problem(
                        field,
                        "attribute_invalid",
                        _("«%(q)s»: оберіть один із запропонованих варіантів.")
                        % {"q": attribute.description},
                    )
                )
            else:
                clean[attribute.code] = chosen if attribute.datatype == AttributeType.MULTI else chosen[0]
        else:
            clean[attribute.code] = _clean(raw, TEXT_MAX if attribute.datatype == AttributeType.TEXT else 500)
    return clean, problems


def location_check(case: Case) -> list[dict]:
    """A report's point: from the address when no point was picked (the keyboard and
    screen-reader path), then inside the hromada's drawn boundary."""
    from hromada.places import lookup
    from hromada.places import selectors as places

    if case.lat is None or case.lon is None:
        if not case.address.strip():
            return []  # rules.missing_required names it
        try:
            found = places.where(hromada=case.hromada, address=case.address)
        except lookup.AddressNotFound as exc:
            near = ", ".join(s.label for s in exc.suggestions[:3])
            message = _("Адресу «%(a)s» не знайдено в громаді.") % {"a": case.address}
            if near:
                message += " " + _("Можливо: %(near)s. Або позначте місце на карті.") % {"near": near}
            return [_problem("location", "address_not_found", message)]
        except (lookup.AddressInvalid, DomainError):
            return [
                _problem(
                    "location",
                    "address_invalid",
                    _(
                        "Напишіть вулицю й номер будинку (напр. «вул. Шевченка, 12») або позначте місце на карті."
                    ),
                )
            ]
        if found.lat is None or found.lon is None:
            return [
                _problem(
                    "location",
                    "address_no_point",
                    _("Адресу «%(a)s» знайдено, але її місце на карті ще не відоме. Позначте точку на карті.")
                    % {"a": found.label or case.address},
                )
            ]
        case.lat, case.lon = found.lat, found.lon
        if found.building is not None:
            case.building = found.building
        if found.label:
            case.address = found.label[:ADDRESS_MAX]
        inside = found.inside_hromada
    else:
        try:
            inside = places.inside_boundary(hromada=case.hromada, lat=case.lat, lon=case.lon)
        except DomainError as exc:
            return [_problem("location", exc.code, exc.message)]
    if inside is False:
        return [
            _problem(
                "location",
                "location_outside",
                _(
                    "Точка %(lat).5f, %(lon).5f — поза межами громади «%(name)s». Ми приймаємо повідомлення "
                    "лише з території громади: позначте місце в її межах (пунктирна лінія на карті)."
                )
                % {"lat": case.lat, "lon": case.lon, "name": case.hromada.name},
            )
        ]
    return []


def problems_of(case: Case) -> list[dict]:
    """Everything that keeps `case` from being registered, all at once."""
    problems: list[dict] = []
    if case.kind == CaseKind.REPORT:
        location = location_check(case)
        problems += location
        if case.category is not None and (not case.category.active or case.category.kind != CaseKind.REPORT):
            problems.append(_problem("category", "category_unknown", _("Такої категорії немає.")))
        clean, attribute_problems = attributes_check(
            case.category if case.category_id else None, case.attributes
        )
        problems += attribute_problems
        if not attribute_problems:
            case.attributes = clean
        missing = [f for f in rules.missing_required(case) if not (f == "location" and location)]
    else:
        missing = rules.missing_required(case)
    problems = [_problem(f, f"{f}_required", FIELD_MESSAGES[f]) for f in missing] + problems
    if case.kind == CaseKind.APPEAL and case.collective:
        count = case.cosigners.count() if case.pk else 0
        if count < 1:
            problems.append(_problem("cosigners", "cosigners_required", EXTRA_MESSAGES["cosigners"]))
    if case.kind == CaseKind.INFO:
        if case.urgent and case.urgent_reason not in URGENT_REASONS:
            problems.append(
                _problem("urgent_reason", "urgent_reason_required", EXTRA_MESSAGES["urgent_reason"])
            )
        if case.answer_form not in ANSWER_FORMS:
            problems.append(_problem("answer_form", "answer_form_required", EXTRA_MESSAGES["answer_form"]))
        elif case.answer_form == "post" and not case.applicant_address.strip():
            problems.append(
                _problem("applicant_address", "applicant_address_required", EXTRA_MESSAGES["post_address"])
            )
        elif case.answer_form == "email" and not case.applicant_email:
            problems.append(
                _problem("applicant_email", "applicant_email_required", EXTRA_MESSAGES["email_for_answer"])
            )
    return problems


def case_submit(*, case: Case, user, now=None) -> Case:
    """The applicant submits their draft: checked at once, then registered (number,
    deadline, route). A refusal leaves the draft as it was."""
    _own_draft(case, user)
    problems = problems_of(case)
    if problems:
        raise problems_error(problems)
    with transaction.atomic():
        case.save()  # the point found from the address, the typed attributes
        return case_register(case=case, actor=user, now=now, strict=True)


# --- one request: the API and the operator --------------------------------------------------


def report_create(
    *,
    hromada,
    user,
    category: Category,
    lat: float | None,
    lon: float | None,
    text: str,
    title: str = "",
    address: str = "",
    anonymous: bool = True,
    attributes: dict[str, Any] | None = None,
    photos: Iterable[tuple[Any, str]] = (),
    channel: str = Channel.API,
    api_client: str = "",
    now=None,
) -> Case:
    """A problem report in one request (the API's hot path): checked at once, each photo
    checked by content once, then created with its photos and registered in one
    transaction. All or nothing."""
    case, uploads = report_check(
        hromada=hromada,
        user=user,
        category=category,
        lat=lat,
        lon=lon,
        text=text,
        title=title,
        address=address,
        anonymous=anonymous,
        attributes=attributes,
        photos=photos,
        channel=channel,
        api_client=api_client,
    )
    with transaction.atomic():
        case.save()
        for item in uploads:
            _store(case, item, user)
        return case_register(case=case, actor=user, now=now, strict=True)


def report_check(
    *,
    hromada,
    user,
    category: Category,
    lat: float | None,
    lon: float | None,
    text: str,
    title: str = "",
    address: str = "",
    anonymous: bool = True,
    attributes: dict[str, Any] | None = None,
    photos: Iterable[tuple[Any, str]] = (),
    channel: str = Channel.API,
    api_client: str = "",
) -> tuple[Case, list[Upload]]:
    """report_create's checks: the unsaved draft and its checked photos, or DomainError
    with every problem (shared with the report edge, edge_report.py)."""
    case = _new_case(hromada=hromada, kind=CaseKind.REPORT, user=user, channel=channel)
    case.api_client = _clean(api_client, NAME_MAX)
    _apply_fields(
        case,
        {
            "category": category,
            "lat": lat,
            "lon": lon,
            "text": text,
            "title": title or category.name,
            "address": address,
            "anonymous": anonymous,
            "attributes": attributes or {},
        },
    )
    problems = problems_of(case)
    photos = list(photos)
    uploads: list[Upload] = []
    if len(photos) > MAX_PHOTOS:
        problems.append(
            _problem(
                "photo",
                "too_many_files",
                _("До повідомлення можна додати не більше %(n)d фото.") % {"n": MAX_PHOTOS},
            )
        )
    else:
        for n, (upload, alt) in enumerate(photos, start=1):
            try:
                uploads.append(upload_check(case, upload, alt_text=alt, field="photo"))
            except DomainError as exc:
                problems.append(_problem(f"photo[{n}]", exc.code, exc.message))
    if problems:
        raise problems_error(problems)
    return case, uploads


def case_create(*, hromada, user, kind: str, channel: str = Channel.API, now=None, **fields) -> Case:
    """An appeal or an information request in one request (the API): checked at once and
    registered, or refused with every problem."""
    if kind == CaseKind.REPORT:
        raise DomainError("kind_unknown", _("Для повідомлення про проблему є окремий запит."), field="kind")
    case = _new_case(hromada=hromada, kind=kind, user=user, channel=channel)
    _apply_fields(case, fields)
    if kind == CaseKind.APPEAL and case.collective:
        raise DomainError(
            "collective_on_site",
            _("Колективне звернення подається на сайті: співавтори підписують його за посиланням."),
            field="collective",
        )
    problems = problems_of(case)
    if problems:
        raise problems_error(problems)
    with transaction.atomic():
        case.save()
        return case_register(case=case, actor=user, now=now, strict=True)


# Missing law fields an operator may still register an appeal with (it is then returned
# with the reason by the work part): what the database needs is never among them.
OPERATOR_MAY_MISS = frozenset(
    {"applicant_name", "applicant_address", "contact", "text", "cosigners_required"}
)


@dataclass
class Registered:
    case: Case
    missing: list[dict]  # the law's fields the appeal lacks (the operator is warned)


def hotline_register(
    *,
    hromada,
    operator,
    kind: str,
    channel: str = Channel.HOTLINE,
    caller=None,
    cosigners: Iterable[tuple[str, str]] = (),
    now=None,
    **fields,
) -> Registered:
    """An operator registers a call (or a letter, a visit, an e-mail) for a caller: any
    of the three kinds. `caller` is their account when they have one. An appeal lacking
    the law's fields is registered as received (strict=False) and the operator is told
    what is missing; anything else refused is refused with every problem."""
    if not has_perm(operator, hromada, rules.PERM_REGISTER):
        raise PermissionDenied("forbidden", _("Реєструвати звернення за заявника можуть лише оператори."))
    if channel not in OPERATOR_CHANNELS:
        raise DomainError("channel_invalid", _("Оберіть, як надійшло звернення."), field="channel")
    case = _new_case(hromada=hromada, kind=kind, user=None, channel=channel)
    if caller is not None and getattr(caller, "is_authenticated", False):
        case.applicant = caller
    case.registered_by = operator
    _apply_fields(case, fields)
    if kind == CaseKind.REPORT and not case.title and case.category is not None:
        case.title = case.category.name[:TITLE_MAX]
    elif not case.title and case.text:
        # A queue shows titles: the caller's first words stand in for one.
        first = " ".join(case.text.split())
        case.title = first if len(first) <= 80 else first[:79].rsplit(" ", 1)[0] + "…"
    signers = [(_clean(n, NAME_MAX), _clean(a, ADDRESS_MAX)) for n, a in cosigners if _clean(n, NAME_MAX)]
    problems = problems_of(case)
    if signers:
        problems = [p for p in problems if p["code"] != "cosigners_required"]
    tolerated: list[dict] = []
    if kind == CaseKind.APPEAL:
        tolerated = [p for p in problems if p["code"] in OPERATOR_MAY_MISS or p["field"] in OPERATOR_MAY_MISS]
        problems = [p for p in problems if p not in tolerated]
    if problems:
        raise problems_error(problems)
    with transaction.atomic():
        case.save()
        CoSigner.objects.bulk_create(
            [CoSigner(hromada_id=hromada.pk, case=case, name=n, address=a) for n, a in signers]
        )
        case_register(case=case, actor=operator, now=now, strict=False)
    return Registered(case, tolerated)
