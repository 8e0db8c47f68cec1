"""The draft act's text, set by staff while the consultation is a draft: pasted whole and
split into numbered paragraphs (`paragraphs_split`, pure), or edited one paragraph at a
time. Numbers are kept as written ("1.2", "Стаття 5", "Розділ I") and are unique in a
consultation (a database constraint; the services say which number clashes). Nothing is
ledgered while a draft: the text becomes public record when the consultation is
published (the lifecycle part's `consultations.published` entry)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.text import check_text

from .. import rules
from ..models import TEXT_MAX, Consultation, Paragraph, Status

NUMBER_MAX = 20
PASTE_MAX = 500_000
PARAGRAPHS_MAX = 1_000
PREAMBLE = "Преамбула"  # the number of the text before the first numbered paragraph

# "1.", "1.1.", "2.3.1", "2.3.1." — a lone integer needs its dot ("2024 року" is text).
_NUMBERED = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})+|\d{1,3}(?=\.))\.?(?:\s+|$)(?P<rest>.*)$")
# "Розділ I", "РОЗДІЛ 2.", "Глава 3", "Стаття 5. Назва", "Додаток 1".
_TITLED = re.compile(
    r"^(?P<word>розділ|глава|стаття|додаток|частина)\s+(?P<n>[IVXLCDM]{1,8}|\d{1,3}(?:\.\d{1,3})*)\b\.?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# "I. Загальні положення", "IV. Прикінцеві положення" (roman numerals with their dot).
_ROMAN = re.compile(r"^(?P<num>[IVXLC]{1,7})\.\s+(?P<rest>\S.*)$")
_HEADING_WORDS = ("розділ", "глава", "частина", "додаток")


@dataclass
class ParagraphDraft:
    number: str
    text: str
    heading: bool = False
    line: int = 0  # the line of the pasted text it starts on (1-based)


def _require_manage(actor, consultation: Consultation) -> None:
    if not rules.can_manage(actor, consultation.hromada):
        raise PermissionDenied(message=_("Немає права змінювати текст проєкту акта."))


def _require_draft(consultation: Consultation) -> None:
    if consultation.status != Status.DRAFT:
        raise DomainError(
            "not_draft",
            _("Текст проєкту акта можна змінювати лише до оприлюднення консультації."),
            status=409,
        )


def _marker(line: str) -> tuple[str, str, bool] | None:
    """(number as written, the rest of the line, is a section heading) for a line that
    starts a paragraph, else None."""
    if m := _TITLED.match(line):
        word = m["word"]
        number = f"{word} {m['n']}"
        return number, m["rest"].strip(), word.lower() in _HEADING_WORDS
    if m := _ROMAN.match(line):
        return m["num"], m["rest"].strip(), True
    if m := _NUMBERED.match(line):
        return m["num"], m["rest"].strip(), False
    return None


def _is_child(parent: str, child: str) -> bool:
    return child.startswith(parent + ".")


def _short_title(text: str) -> bool:
    return "\n" not in text and 0 < len(text) <= 150 and not text.endswith((";", ":", ","))


def _qualify_article_parts(items: list[ParagraphDraft]) -> None:
    """Parts of an article restart at "1." in every article: under "Стаття 5" part "1."
    is numbered "Стаття 5 ч. 1" (частина 1 статті 5), so numbers stay unique."""
    article = ""
    for item in items:
        low = item.number.lower()
        if low.startswith("стаття"):
            article = item.number
        elif low.startswith(_HEADING_WORDS) or re.fullmatch(r"[IVXLC]{1,7}", item.number):
            article = ""
        elif article and item.number != PREAMBLE:
            item.number = f"{article} ч. {item.number}"


def paragraphs_split(text: str) -> list[ParagraphDraft]:
    """The pasted draft as numbered paragraphs. A line starting with a number ("1.",
    "1.1.", "2.3.1"), a titled number ("Розділ I", "Глава 2", "Стаття 5") or a roman
    numeral with its dot ("II. …") starts a paragraph; other lines (sub-items "1)", "а)",
    "–", wrapped lines) continue the one before. Text before the first number is the
    preamble. A numbered line that only titles the paragraphs under it ("1. Загальні
    положення" before "1.1.") is a heading, as are "Розділ"/"Глава" lines; an article
    ("Стаття 5. Назва") is a heading when numbered parts follow it, else a paragraph."""
    items: list[ParagraphDraft] = []
    current: ParagraphDraft | None = None
    lines: list[str] = []
    for n, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = " ".join(raw.replace("\u00a0", " ").split())
        marker = _marker(line) if line else None
        if marker is not None:
            if current is not None:
                current.text = "\n".join(lines).strip()
            number, rest, heading = marker
            current = ParagraphDraft(number=number, text="", heading=heading, line=n)
            items.append(current)
            lines = [rest] if rest else []
            continue
        if current is None:
            if not line:
                continue
            current = ParagraphDraft(number=PREAMBLE, text="", line=n)
            items.append(current)
            lines = []
        if line or (lines and lines[-1]):
            lines.append(line)
    if current is not None:
        current.text = "\n".join(lines).strip()
    _qualify_article_parts(items)
    for i, item in enumerate(items):
        following = items[i + 1] if i + 1 < len(items) else None
        is_article = item.number.lower().startswith("стаття")
        if item.heading or item.number == PREAMBLE:
            continue
        if is_article:
            # An article with its parts after it titles them; an article with its own
            # text (and no numbered parts) is what people propose wording for.
            item.heading = (
                following is not None and following.number.startswith(item.number + " ч. ")
            ) and _short_title(item.text)
        elif following is not None and _is_child(item.number, following.number) and _short_title(item.text):
            item.heading = True
    return items


def _check_drafts(items: list[ParagraphDraft]) -> None:
    if not items:
        raise DomainError("text_required", _("Вставте текст проєкту акта."), field="text")
    if len(items) > PARAGRAPHS_MAX:
        raise DomainError(
            "text_too_long",
            _("Забагато пунктів: не більше %(n)d.") % {"n": PARAGRAPHS_MAX},
            field="text",
        )
    seen: dict[str, int] = {}
    for item in items:
        if len(item.number) > NUMBER_MAX:
            raise DomainError(
                "number_too_long",
                _("Рядок %(line)d: номер «%(number)s» задовгий (до %(max)d символів).")
                % {"line": item.line, "number": item.number, "max": NUMBER_MAX},
                field="text",
            )
        if item.number.lower() in seen:
            raise DomainError(
                "number_taken",
                _(
                    "Номер «%(number)s» трапляється двічі (рядки %(first)d і %(line)d): номери пунктів "
                    "мають бути різні. Виправте нумерацію в тексті."
                )
                % {"number": item.number, "first": seen[item.number.lower()], "line": item.line},
                field="text",
            )
        seen[item.number.lower()] = item.line
        if not item.text and not item.heading:
            raise DomainError(
                "paragraph_empty",
                _("Рядок %(line)d: пункт %(number)s без тексту.")
                % {"line": item.line, "number": item.number},
                field="text",
            )
        if len(item.text) > TEXT_MAX:
            raise DomainError(
                "paragraph_too_long",
                _("Пункт %(number)s задовгий: до %(max)d символів.")
                % {"number": item.number, "max": TEXT_MAX},
                field="text",
            )


def paragraphs_preview(text: str) -> list[ParagraphDraft]:
    """The split of a pasted text, checked (what staff see before saving)."""
    text = check_text(text or "", field="text")
    if len(text) > PASTE_MAX:
        raise DomainError("text_too_long", _("Текст задовгий."), field="text")
    items = paragraphs_split(text)
    _check_drafts(items)
    return items


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk, hromada=consultation.hromada_id)


def paragraphs_replace(*, consultation: Consultation, actor, text: str) -> list[Paragraph]:
    """Replace the whole draft text with the paragraphs split from `text`."""
    _require_manage(actor, consultation)
    items = paragraphs_preview(text)
    with transaction.atomic():
        locked = _locked(consultation)
        _require_draft(locked)
        Paragraph.objects.for_hromada(locked.hromada_id).filter(consultation=locked).delete()
        rows = Paragraph.objects.bulk_create(
            [
                Paragraph(
                    hromada_id=locked.hromada_id,
                    consultation=locked,
                    order=n,
                    number=item.number,
                    heading=item.heading,
                    text=item.text or item.number,
                )
                for n, item in enumerate(items, 1)
            ]
        )
    return rows


def _clean(number: str, text: str, heading: bool) -> tuple[str, str]:
    number = " ".join((number or "").split()).rstrip(".")
    if not number:
        raise DomainError("number_required", _("Вкажіть номер пункту, наприклад 1.2."), field="number")
    if len(number) > NUMBER_MAX:
        raise DomainError(
            "number_too_long", _("Номер — до %(max)d символів.") % {"max": NUMBER_MAX}, field="number"
        )
    check_text(number, field="number", multiline=False)
    text = check_text((text or "").replace("\r\n", "\n").strip(), field="text")
    if not text:
        raise DomainError("text_required", _("Напишіть текст пункту."), field="text")
    if len(text) > TEXT_MAX:
        raise DomainError(
            "text_too_long", _("Текст пункту — до %(max)d символів.") % {"max": TEXT_MAX}, field="text"
        )
    return number, text


def _number_taken(number: str) -> DomainError:
    return DomainError(
        "number_taken",
        _("Пункт з номером «%(number)s» уже є: номери пунктів мають бути різні.") % {"number": number},
        field="number",
        status=409,
    )


def _renumber(consultation: Consultation, ordered_ids: list[int]) -> None:
    """Orders 1..n in `ordered_ids` order (moved out of the way first: the order is unique)."""
    rows = Paragraph.objects.for_hromada(consultation.hromada_id).filter(consultation=consultation)
    top = (rows.aggregate(m=Max("order"))["m"] or 0) + len(ordered_ids) + 1
    for n, pk in enumerate(ordered_ids, 1):
        rows.filter(pk=pk).update(order=top + n)
    for n, pk in enumerate(ordered_ids, 1):
        rows.filter(pk=pk).update(order=n)


def _ids(consultation: Consultation) -> list[int]:
    return list(
        Paragraph.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation)
        .order_by("order")
        .values_list("pk", flat=True)
    )


def paragraph_add(
    *,
    consultation: Consultation,
    actor,
    number: str,
    text: str,
    heading: bool = False,
    after: Paragraph | None = None,
) -> Paragraph:
    """A new paragraph at the end, or right after `after`."""
    _require_manage(actor, consultation)
    number, text = _clean(number, text, heading)
    with transaction.atomic():
        locked = _locked(consultation)
        _require_draft(locked)
        ids = _ids(locked)
        if after is not None and after.consultation_id != locked.pk:
            raise DomainError("paragraph_invalid", _("Такого пункту в цьому тексті немає."), field="after")
        try:
            with transaction.atomic():
                paragraph = Paragraph.objects.create(
                    hromada_id=locked.hromada_id,
                    consultation=locked,
                    order=_free_order(locked) + 1,
                    number=number,
                    heading=heading,
                    text=text,
                )
        except IntegrityError:
            raise _number_taken(number) from None
        if after is not None:
            position = ids.index(after.pk) + 1
            ids.insert(position, paragraph.pk)
            _renumber(locked, ids)
        else:
            _renumber(locked, [*ids, paragraph.pk])
        paragraph.refresh_from_db()
    return paragraph


def _free_order(consultation: Consultation) -> int:
    top = (
        Paragraph.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation)
        .aggregate(m=Max("order"))["m"]
        or 0
    )
    return top


def paragraph_update(
    *, paragraph: Paragraph, actor, number: str, text: str, heading: bool = False
) -> Paragraph:
    consultation = paragraph.consultation
    _require_manage(actor, consultation)
    number, text = _clean(number, text, heading)
    with transaction.atomic():
        locked = _locked(consultation)
        _require_draft(locked)
        try:
            with transaction.atomic():
                updated = (
                    Paragraph.objects.for_hromada(locked.hromada_id)
                    .filter(pk=paragraph.pk, consultation=locked)
                    .update(number=number, text=text, heading=heading)
                )
        except IntegrityError:
            raise _number_taken(number) from None
        if not updated:
            raise DomainError("paragraph_invalid", _("Такого пункту в цьому тексті немає."), status=404)
    paragraph.refresh_from_db()
    return paragraph


def paragraph_delete(*, paragraph: Paragraph, actor) -> None:
    consultation = paragraph.consultation
    _require_manage(actor, consultation)
    with transaction.atomic():
        locked = _locked(consultation)
        _require_draft(locked)
        Paragraph.objects.for_hromada(locked.hromada_id).filter(pk=paragraph.pk, consultation=locked).delete()
        _renumber(locked, _ids(locked))


def paragraph_move(*, paragraph: Paragraph, actor, direction: str) -> None:
    """One place up or down ("up" | "down"); at either end nothing moves."""
    consultation = paragraph.consultation
    _require_manage(actor, consultation)
    if direction not in ("up", "down"):
        raise DomainError("direction_invalid", _("Оберіть: вище чи нижче."), field="direction")
    with transaction.atomic():
        locked = _locked(consultation)
        _require_draft(locked)
        ids = _ids(locked)
        if paragraph.pk not in ids:
            raise DomainError("paragraph_invalid", _("Такого пункту в цьому тексті немає."), status=404)
        i = ids.index(paragraph.pk)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
            _renumber(locked, ids)


def paragraphs_text(consultation: Consultation) -> str:
    """The draft as plain text again (the paste box's starting value): split again, it
    gives the same paragraphs."""
    out = []
    rows = Paragraph.objects.for_hromada(consultation.hromada_id).filter(consultation=consultation)
    for p in rows.order_by("order"):
        if p.number == PREAMBLE:
            out.append(p.text)
        elif p.text == p.number:
            out.append(p.number)
        else:
            number = p.number.split(" ч. ")[-1] if " ч. " in p.number else p.number
            out.append(f"{number}. {p.text}")
    return "\n".join(out)
