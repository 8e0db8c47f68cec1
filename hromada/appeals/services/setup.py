"""What a hromada's administrator configures for cases: categories (the Open311
services) and their attributes, departments and municipal enterprises with their
people, answer templates. Permission appeals.manage; every change is ledgered as
`appeals.setup_changed` saying what object changed and which fields, never a person.

The hromada's rules (AppealSettings) are edited on the kernel's module settings page
(/staff/settings/appeals/, tenancy.services.module_settings_update): not here.

Every save validates every field first and raises one `SetupInvalid` carrying all the
problems (so a form shows them all at once); nothing is written unless all are fine."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hromada.accounts.models import StaffRole
from hromada.accounts.rules import has_perm
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.text import text_problem
from hromada.ledger.services import ledger_append

from .. import rules
from ..models import (
    CODE_MAX,
    NAME_MAX,
    TEXT_MAX,
    TITLE_MAX,
    AnswerTemplate,
    AttributeType,
    CaseKind,
    Category,
    CategoryAttribute,
    Department,
    DepartmentKind,
    DepartmentMember,
)

LIST_TYPES = frozenset({AttributeType.SINGLE, AttributeType.MULTI})
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
VALUE_KEY_MAX = 60
VALUES_MAX = 100
TARGET_HOURS_MAX = 24 * 365
KEYWORDS_MAX = 500
DESCRIPTION_MAX = 2_000
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{5,40}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SetupInvalid(DomainError):
    """Every problem found; code/message/field are the first one's (the API's answer)."""

    def __init__(self, errors: list[DomainError]) -> None:
        first = errors[0]
        super().__init__(first.code, first.message, field=first.field, status=first.status)
        self.errors = errors


class _Check:
    """Collects problems field by field; `done()` raises them all."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def add(self, code: str, message: str, field: str) -> None:
        if not any(e.field == field for e in self.errors):  # one message per field
            self.errors.append(DomainError(code, message, field=field, status=422))

    def failed(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def line(self, value, field: str, *, limit: int, required: bool = False, label: str = "") -> str:
        value = (value or "").strip()
        if required and not value:
            self.add(f"{field}_required", _("Заповніть поле «%(label)s».") % {"label": label}, field)
        elif len(value) > limit:
            self.add(
                f"{field}_too_long",
                _("Не довше %(n)d символів (зараз %(len)d).") % {"n": limit, "len": len(value)},
                field,
            )
        elif text_problem(value, multiline=False) is not None:
            self.add("invalid_text", _("Текст містить недозволений символ."), field)
        return value

    def text(self, value, field: str, *, limit: int, required: bool = False, label: str = "") -> str:
        value = (value or "").strip()
        if required and not value:
            self.add(f"{field}_required", _("Заповніть поле «%(label)s».") % {"label": label}, field)
        elif len(value) > limit:
            self.add(
                f"{field}_too_long",
                _("Не довше %(n)d символів (зараз %(len)d).") % {"n": limit, "len": len(value)},
                field,
            )
        elif text_problem(value) is not None:
            self.add("invalid_text", _("Текст містить недозволений символ."), field)
        return value

    def code(self, value, field: str = "code", *, limit: int = CODE_MAX) -> str:
        value = (value or "").strip().lower()
        if not value:
            self.add(f"{field}_required", _("Вкажіть код: латинські літери, цифри, «-» чи «_»."), field)
        elif len(value) > limit:
            self.add(f"{field}_too_long", _("Код — не довше %(n)d символів.") % {"n": limit}, field)
        elif not CODE_RE.match(value):
            self.add(
                f"{field}_invalid",
                _("Код — лише малі латинські літери, цифри, «-» і «_», починаючи з літери чи цифри."),
                field,
            )
        return value

    def done(self) -> None:
        if self.errors:
            raise SetupInvalid(self.errors)


def _require_manage(actor, hromada) -> None:
    if not has_perm(actor, hromada, rules.PERM_MANAGE):
        raise PermissionDenied(message=_("Налаштовувати звернення може лише адміністратор громади."))


def _ledger(hromada, obj: str, action: str, ref: str, fields: Iterable[str] = (), **extra) -> None:
    ledger_append(
        hromada=hromada,
        kind="appeals.setup_changed",
        payload={"object": obj, "action": action, "ref": ref, "fields": sorted(set(fields)), **extra},
    )


def _changed(obj, values: dict) -> list[str]:
    return [name for name, value in values.items() if getattr(obj, name) != value]


def _int(value, field: str, check: _Check, *, low: int, high: int, message: str) -> int | None:
    """`value` as an integer in [low, high], or None (blank); else a problem on `field`."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        check.add(f"{field}_invalid", message, field)
        return None
    return number


def _own(obj, hromada, field: str, check: _Check, message: str):
    """`obj` if it belongs to `hromada` (another hromada's row is refused as unknown)."""
    if obj is not None and obj.hromada_id != hromada.pk:
        check.add(f"{field}_unknown", message, field)
        return None
    return obj


# --- categories ---------------------------------------------------------------------------


def category_save(
    *,
    hromada,
    actor,
    category: Category | None = None,
    code: str,
    name: str,
    kind: str = CaseKind.REPORT,
    name_en: str = "",
    description: str = "",
    group: str = "",
    keywords: str = "",
    department: Department | None = None,
    target_hours: int | str | None = None,
    order: int | str | None = 0,
) -> Category:
    """Create a category (category=None) or change one. Its code is the Open311
    service_code: unique in the hromada and fixed once cases use it (clients keep it)."""
    _require_manage(actor, hromada)
    if category is not None and category.hromada_id != hromada.pk:
        raise PermissionDenied(message=_("Це категорія іншої громади."))
    check = _Check()
    code = check.code(code)
    name = check.line(name, "name", limit=NAME_MAX, required=True, label=_("Назва"))
    name_en = check.line(name_en, "name_en", limit=NAME_MAX)
    description = check.text(description, "description", limit=DESCRIPTION_MAX)
    group = check.line(group, "group", limit=NAME_MAX)
    keywords = ", ".join(
        w for w in (x.strip() for x in check.line(keywords, "keywords", limit=KEYWORDS_MAX).split(",")) if w
    )
    if kind not in CaseKind.values:
        check.add("kind_invalid", _("Оберіть, для чого категорія."), "kind")
    department = _own(department, hromada, "department", check, _("Такого підрозділу в громаді немає."))
    if department is not None and not department.active:
        check.add("department_inactive", _("Цей підрозділ вимкнено: оберіть діючий."), "department")
    target_hours = _int(
        target_hours,
        "target_hours",
        check,
        low=1,
        high=TARGET_HOURS_MAX,
        message=_("Цільовий строк — ціле число від 1 до %(n)d годин.") % {"n": TARGET_HOURS_MAX},
    )
    if kind != CaseKind.REPORT:
        target_hours = None  # appeals and information requests keep the law's terms
    order = _int(order, "order", check, low=0, high=32_000, message=_("Порядок — число від 0 до 32000."))
    if not check.failed("code"):
        taken = Category.objects.for_hromada(hromada).filter(code=code)
        if category is not None:
            taken = taken.exclude(pk=category.pk)
        if taken.exists():
            check.add("code_taken", _("Категорія з кодом «%(code)s» уже є.") % {"code": code}, "code")
        elif category is not None and category.code != code and category.cases.exists():
            check.add(
                "code_locked",
                _("Код не можна змінити: за ним уже подано звернення (його знають застосунки Open311)."),
                "code",
            )
    check.done()
    values = {
        "code": code,
        "name": name,
        "name_en": name_en,
        "description": description,
        "group": group,
        "keywords": keywords,
        "kind": kind,
        "department": department,
        "target_hours": target_hours,
        "order": order or 0,
    }
    with transaction.atomic():
        if category is None:
            category = Category(hromada=hromada, **values)
            changed = list(values)
            action = "created"
        else:
            category = Category.objects.select_for_update().get(pk=category.pk, hromada=hromada)
            changed = _changed(category, values)
            if not changed:
                return category
            for k, v in values.items():
                setattr(category, k, v)
            action = "updated"
        try:
            with transaction.atomic():
                category.save()
        except IntegrityError:  # a concurrent save took the code
            raise SetupInvalid(
                [DomainError("code_taken", _("Категорія з таким кодом уже є."), field="code", status=422)]
            ) from None
        _ledger(hromada, "category", action, category.code, changed, kind=category.kind)
    return category


def category_set_active(*, category: Category, actor, active: bool) -> Category:
    """Switch a category off (no new cases; its cases keep it) or on again."""
    hromada = category.hromada
    _require_manage(actor, hromada)
    with transaction.atomic():
        locked = Category.objects.select_for_update().get(pk=category.pk, hromada=hromada)
        if locked.active == active:
            return locked
        if active and locked.department_id and not locked.department.active:
            raise DomainError(
                "department_inactive",
                _("Підрозділ цієї категорії вимкнено: спершу оберіть діючий."),
                field="department",
                status=409,
            )
        locked.active = active
        locked.save(update_fields=["active", "updated_at"])
        _ledger(hromada, "category", "activated" if active else "deactivated", locked.code, ["active"])
    return locked


# --- category attributes (Open311 service definition) --------------------------------------


def parse_values(text: str) -> list[dict]:
    """Form text to values: one per line, "key | name" (or just a name, its own key)."""
    out = []
    for raw in (text or "").splitlines():
        if not raw.strip():
            continue
        key, sep, name = raw.partition("|")
        key, name = key.strip(), name.strip()
        out.append({"key": key, "name": name if sep else key})
    return out


def values_text(values: list[dict]) -> str:
    return "\n".join(f"{v['key']} | {v['name']}" if v["key"] != v["name"] else v["key"] for v in values)


def attribute_save(
    *,
    category: Category,
    actor,
    attribute: CategoryAttribute | None = None,
    code: str,
    description: str,
    datatype: str = AttributeType.STRING,
    required: bool = False,
    values: list[dict] | None = None,
    order: int | str | None = 0,
) -> CategoryAttribute:
    """Add an extra question to a category or change one. A list type needs at least one
    value; value keys are unique; the other types have none."""
    hromada = category.hromada
    _require_manage(actor, hromada)
    if attribute is not None and attribute.category_id != category.pk:
        raise PermissionDenied(message=_("Це питання іншої категорії."))
    check = _Check()
    code = check.code(code)
    description = check.line(description, "description", limit=NAME_MAX, required=True, label=_("Питання"))
    if datatype not in AttributeType.values:
        check.add("datatype_invalid", _("Оберіть тип відповіді."), "datatype")
    clean: list[dict] = []
    if datatype in LIST_TYPES:
        values = values or []
        keys: set[str] = set()
        for n, item in enumerate(values, 1):
            key = str(item.get("key", "")).strip()
            name = str(item.get("name", "")).strip() or key
            if not key:
                check.add("value_key_required", _("Рядок %(n)d: вкажіть ключ варіанта.") % {"n": n}, "values")
            elif len(key) > VALUE_KEY_MAX or len(name) > NAME_MAX:
                check.add(
                    "value_too_long",
                    _("Рядок %(n)d: ключ — до %(k)d символів, назва — до %(m)d.")
                    % {"n": n, "k": VALUE_KEY_MAX, "m": NAME_MAX},
                    "values",
                )
            elif text_problem(key, multiline=False) or text_problem(name, multiline=False):
                check.add("invalid_text", _("Рядок %(n)d містить недозволений символ.") % {"n": n}, "values")
            elif key in keys:
                check.add(
                    "value_key_duplicate",
                    _("Ключ «%(key)s» повторюється: ключі варіантів мають бути різні.") % {"key": key},
                    "values",
                )
            keys.add(key)
            clean.append({"key": key, "name": name})
        if not values:
            check.add("values_required", _("Для вибору зі списку додайте хоча б один варіант."), "values")
        elif len(values) > VALUES_MAX:
            check.add("values_too_many", _("Не більше %(n)d варіантів.") % {"n": VALUES_MAX}, "values")
    order = _int(order, "order", check, low=0, high=32_000, message=_("Порядок — число від 0 до 32000."))
    if not check.failed("code"):
        taken = CategoryAttribute.objects.for_hromada(hromada).filter(category=category, code=code)
        if attribute is not None:
            taken = taken.exclude(pk=attribute.pk)
        if taken.exists():
            check.add(
                "code_taken", _("Питання з кодом «%(code)s» у категорії вже є.") % {"code": code}, "code"
            )
    check.done()
    values_ = {
        "code": code,
        "description": description,
        "datatype": datatype,
        "required": bool(required),
        "values": clean,
        "order": order or 0,
    }
    ref = f"{category.code}/{code}"
    with transaction.atomic():
        if attribute is None:
            attribute = CategoryAttribute.objects.create(hromada=hromada, category=category, **values_)
            _ledger(hromada, "attribute", "created", ref, values_)
        else:
            locked = CategoryAttribute.objects.select_for_update().get(pk=attribute.pk, hromada=hromada)
            changed = _changed(locked, values_)
            if not changed:
                return locked
            for k, v in values_.items():
                setattr(locked, k, v)
            locked.save()
            attribute = locked
            _ledger(hromada, "attribute", "updated", ref, changed)
    return attribute


def attribute_delete(*, attribute: CategoryAttribute, actor) -> None:
    """Remove a question (answers already given stay in the cases' attributes)."""
    hromada = attribute.hromada
    _require_manage(actor, hromada)
    with transaction.atomic():
        ref = f"{attribute.category.code}/{attribute.code}"
        CategoryAttribute.objects.for_hromada(hromada).filter(pk=attribute.pk).delete()
        _ledger(hromada, "attribute", "deleted", ref)


# --- departments and municipal enterprises -------------------------------------------------


def staff_of(hromada):
    """The users who may be a department's people: the hromada's staff."""
    from hromada.accounts.models import User

    return (
        User.objects.filter(staff_roles__hromada=hromada, is_active=True)
        .distinct()
        .order_by("display_name", "email")
    )


def _is_staff(user, hromada) -> bool:
    return StaffRole.objects.filter(hromada=hromada, user=user, user__is_active=True).exists()


def slug_from(name: str) -> str:
    from hromada.places.translit import transliterate

    return slugify(transliterate(name))[:60].strip("-")


def department_save(
    *,
    hromada,
    actor,
    department: Department | None = None,
    name: str,
    slug: str = "",
    kind: str = DepartmentKind.DEPARTMENT,
    email: str = "",
    phone: str = "",
    head=None,
    members: Iterable = (),
    area=None,
) -> Department:
    """Create a department (enterprise, starosta's office) or change one, with its head
    and members (the hromada's staff). A starosta's office serves one okrug; a city
    district's office may name its district; one active office per area (routing)."""
    from hromada.places import selectors as places

    _require_manage(actor, hromada)
    if department is not None and department.hromada_id != hromada.pk:
        raise PermissionDenied(message=_("Це підрозділ іншої громади."))
    check = _Check()
    name = check.line(name, "name", limit=NAME_MAX, required=True, label=_("Назва"))
    slug = (slug or "").strip().lower() or (slug_from(name) if name else "")
    slug = check.code(slug, "slug", limit=60)
    if kind not in DepartmentKind.values:
        check.add("kind_invalid", _("Оберіть вид: підрозділ, підприємство чи старостинський округ."), "kind")
    email = (email or "").strip()
    if email and (len(email) > 254 or not EMAIL_RE.match(email)):
        check.add("email_invalid", _("Перевірте e-mail: він має вигляд name@example.com."), "email")
    phone = (phone or "").strip()
    if phone and not PHONE_RE.match(phone):
        check.add(
            "phone_invalid", _("Телефон — цифри, пробіли, дужки й «-», можна з «+» на початку."), "phone"
        )
    if head is not None and not _is_staff(head, hromada):
        check.add("head_not_staff", _("Керівником може бути лише працівник громади."), "head")
    members = list({m.pk: m for m in members}.values())
    outsiders = [m for m in members if not _is_staff(m, hromada)]
    if outsiders:
        check.add(
            "member_not_staff",
            _("Учасниками підрозділу можуть бути лише працівники громади (не підходять: %(n)d).")
            % {"n": len(outsiders)},
            "members",
        )
    area = _own(area, hromada, "area", check, _("Такої території в громаді немає."))
    if kind == DepartmentKind.STAROSTA:
        if area is None and not check.failed("area"):
            check.add("area_required", _("Оберіть старостинський округ, який обслуговує офіс."), "area")
        elif area is not None and area.kind != places.OKRUG:
            check.add("area_not_okrug", _("Офіс старости обслуговує старостинський округ."), "area")
    elif area is not None and area.kind != places.DISTRICT:
        check.add(
            "area_not_district", _("Підрозділ чи підприємство може обслуговувати лише район міста."), "area"
        )
    if area is not None and not check.failed("area"):
        busy = Department.objects.for_hromada(hromada).filter(area=area, active=True)
        if department is not None:
            busy = busy.exclude(pk=department.pk)
        if busy.exists():
            check.add(
                "area_taken",
                _("Цю територію вже обслуговує «%(name)s».") % {"name": busy.first().name},
                "area",
            )
    if not check.failed("slug"):
        taken = Department.objects.for_hromada(hromada).filter(slug=slug)
        if department is not None:
            taken = taken.exclude(pk=department.pk)
        if taken.exists():
            check.add("slug_taken", _("Коротке ім'я «%(slug)s» вже зайняте.") % {"slug": slug}, "slug")
    check.done()
    values = {
        "name": name,
        "slug": slug,
        "kind": kind,
        "email": email,
        "phone": phone,
        "head": head,
        "area": area,
    }
    with transaction.atomic():
        if department is None:
            department = Department(hromada=hromada, **values)
            changed = list(values)
            action = "created"
        else:
            department = Department.objects.select_for_update().get(pk=department.pk, hromada=hromada)
            changed = _changed(department, values)
            for k, v in values.items():
                setattr(department, k, v)
            action = "updated"
        try:
            with transaction.atomic():
                department.save()
        except IntegrityError:
            raise SetupInvalid(
                [DomainError("slug_taken", _("Це коротке ім'я вже зайняте."), field="slug", status=422)]
            ) from None
        wanted = {m.pk for m in members}
        current = set(
            DepartmentMember.objects.filter(department=department).values_list("user_id", flat=True)
        )
        if wanted != current:
            DepartmentMember.objects.filter(department=department, user_id__in=current - wanted).delete()
            DepartmentMember.objects.bulk_create(
                [
                    DepartmentMember(hromada=hromada, department=department, user_id=u)
                    for u in wanted - current
                ]
            )
            changed.append("members")
        if changed or action == "created":
            _ledger(
                hromada,
                "department",
                action,
                str(department.public_id),
                changed,
                kind=department.kind,
                members=len(wanted),
            )
    return department


def department_set_active(*, department: Department, actor, active: bool) -> Department:
    """Switch a department off (its open cases stay with it) or on again. Refused while
    active categories route to it: the administrator moves them first."""
    hromada = department.hromada
    _require_manage(actor, hromada)
    with transaction.atomic():
        locked = Department.objects.select_for_update().get(pk=department.pk, hromada=hromada)
        if locked.active == active:
            return locked
        if not active:
            in_use = Category.objects.for_hromada(hromada).filter(department=locked, active=True).count()
            if in_use:
                raise DomainError(
                    "department_in_use",
                    _("До підрозділу ведуть діючі категорії (%(n)d): спершу передайте їх іншому.")
                    % {"n": in_use},
                    status=409,
                )
        elif locked.area_id and (
            Department.objects.for_hromada(hromada).filter(area_id=locked.area_id, active=True).exists()
        ):
            raise DomainError(
                "area_taken", _("Цю територію вже обслуговує інший діючий підрозділ."), status=409
            )
        locked.active = active
        locked.save(update_fields=["active", "updated_at"])
        _ledger(
            hromada, "department", "activated" if active else "deactivated", str(locked.public_id), ["active"]
        )
    return locked


# --- answer templates ----------------------------------------------------------------------


def template_save(
    *,
    hromada,
    actor,
    template: AnswerTemplate | None = None,
    title: str,
    text: str,
    kind: str = "",
    department: Department | None = None,
) -> AnswerTemplate:
    """A reusable answer: for one department or everyone (None), for one kind of case or
    any (blank)."""
    _require_manage(actor, hromada)
    if template is not None and template.hromada_id != hromada.pk:
        raise PermissionDenied(message=_("Це шаблон іншої громади."))
    check = _Check()
    title = check.line(title, "title", limit=TITLE_MAX, required=True, label=_("Назва шаблону"))
    text = check.text(text, "text", limit=TEXT_MAX, required=True, label=_("Текст відповіді"))
    if kind and kind not in CaseKind.values:
        check.add("kind_invalid", _("Оберіть вид звернення або «будь-який»."), "kind")
    department = _own(department, hromada, "department", check, _("Такого підрозділу в громаді немає."))
    check.done()
    values = {"title": title, "text": text, "kind": kind or "", "department": department}
    with transaction.atomic():
        if template is None:
            template = AnswerTemplate.objects.create(hromada=hromada, **values)
            changed = list(values)
            action = "created"
        else:
            template = AnswerTemplate.objects.select_for_update().get(pk=template.pk, hromada=hromada)
            changed = _changed(template, values)
            if not changed:
                return template
            for k, v in values.items():
                setattr(template, k, v)
            template.save()
            action = "updated"
        _ledger(hromada, "template", action, str(template.pk), changed)
    return template


def template_delete(*, template: AnswerTemplate, actor) -> None:
    hromada = template.hromada
    _require_manage(actor, hromada)
    with transaction.atomic():
        ref = str(template.pk)
        AnswerTemplate.objects.for_hromada(hromada).filter(pk=template.pk).delete()
        _ledger(hromada, "template", "deleted", ref)


def templates_for(*, hromada, department: Department | None = None, kind: str = ""):
    """The templates a worker of `department` may use for a case of `kind`: general ones
    and the department's, for that kind or any (the work part's answer form reads it)."""
    qs = AnswerTemplate.objects.for_hromada(hromada)
    qs = (
        qs.filter(Q(department=None) | Q(department=department)) if department else qs.filter(department=None)
    )
    if kind:
        qs = qs.filter(Q(kind="") | Q(kind=kind))
    return qs.order_by("title")
