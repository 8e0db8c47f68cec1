"""The questionnaire builder (staff): sections, questions of every kind, their options
and conditions. Only while the consultation is a draft — a published questionnaire is
frozen (people may already have answered it; the results count its rows).

Order: every question has one place in the whole questionnaire (`Question.order`, kept
equal to what people see — the questions before any section, then each section's in
turn); a condition may only name an earlier question's option, and a change of order
that would put a question above the question its condition depends on is refused."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.text import check_text

from .. import rules
from ..models import (
    CHOICE_KINDS,
    TEXT_MAX,
    TITLE_MAX,
    Condition,
    Consultation,
    Option,
    Question,
    QuestionKind,
    Section,
    Status,
)

QUESTION_TEXT_MAX = 500
HELP_MAX = 1000
OPTION_MAX = 300
LABEL_MAX = 100
NUMBER_LIMIT = Decimal("999999999999.99")
MIN_OPTIONS = 2
MAX_OPTIONS = 50
MAX_QUESTIONS = 200
TEMP = 20_000  # orders are moved here first, so the unique (…, order) never collides


def _guard(consultation: Consultation, actor) -> None:
    if not rules.can_manage(actor, consultation.hromada):
        raise PermissionDenied(
            "forbidden", _("Змінювати анкету можуть працівники з правом керувати консультаціями.")
        )
    if consultation.status != Status.DRAFT:
        raise DomainError(
            "questionnaire_frozen",
            _(
                "Анкету оприлюдненої консультації змінити не можна: люди вже можуть на неї відповідати, "
                "а результати рахують саме ці питання. Змінювати анкету можна лише в чернетці."
            ),
            status=409,
        )


def _line(value: Any, *, field: str, label: str, limit: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError("required", _("Заповніть поле «%(label)s».") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(
            "too_long",
            _("Поле «%(label)s» задовге: до %(limit)d символів, зараз %(n)d.")
            % {"label": label, "limit": limit, "n": len(text)},
            field=field,
        )
    return check_text(text, field=field, multiline=False)


def _text(value: Any, *, field: str, label: str, limit: int) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise DomainError(
            "too_long",
            _("Поле «%(label)s» задовге: до %(limit)d символів.") % {"label": label, "limit": limit},
            field=field,
        )
    return check_text(text, field=field)


def _int(value: Any, *, field: str, label: str, default: int = 0) -> int:
    if value in (None, ""):
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        raise DomainError(
            "not_a_number", _("«%(label)s» має бути цілим числом.") % {"label": label}, field=field
        ) from None


def _decimal(value: Any, *, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise DomainError(
            "not_a_number", _("«%(label)s» має бути числом.") % {"label": label}, field=field
        ) from None
    if not number.is_finite() or abs(number) > NUMBER_LIMIT:
        raise DomainError("out_of_range", _("«%(label)s» — завелике число.") % {"label": label}, field=field)
    if number != number.quantize(Decimal("0.01")):
        raise DomainError(
            "too_precise", _("«%(label)s»: не більше двох знаків після коми.") % {"label": label}, field=field
        )
    return number.quantize(Decimal("0.01"))


def question_params(kind: str, values: dict, *, option_count: int) -> dict:
    """The kind's parameters, checked as the database's constraints check them (so a
    mistake is a sentence naming the field, never an IntegrityError)."""
    out: dict[str, Any] = {
        "min_choices": 0,
        "max_choices": 0,
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": "",
        "scale_max_label": "",
        "number_min": None,
        "number_max": None,
    }
    if kind == QuestionKind.MULTIPLE:
        low = _int(values.get("min_choices"), field="min_choices", label=_("щонайменше варіантів"))
        high = _int(values.get("max_choices"), field="max_choices", label=_("щонайбільше варіантів"))
        if low < 0 or high < 0:
            raise DomainError(
                "out_of_range", _("Кількість варіантів не може бути від'ємною."), field="min_choices"
            )
        if high and low > high:
            raise DomainError(
                "choices_range",
                _("«Щонайменше варіантів» (%(low)d) більше за «щонайбільше» (%(high)d).")
                % {"low": low, "high": high},
                field="min_choices",
            )
        if low > option_count:
            raise DomainError(
                "choices_range",
                _("Не можна вимагати %(low)d варіантів, коли їх лише %(n)d.")
                % {"low": low, "n": option_count},
                field="min_choices",
            )
        if high > option_count:
            raise DomainError(
                "choices_range",
                _("Не можна дозволити %(high)d варіантів, коли їх лише %(n)d.")
                % {"high": high, "n": option_count},
                field="max_choices",
            )
        out.update(min_choices=low, max_choices=high)
    elif kind == QuestionKind.RANKING:
        count = _int(values.get("max_choices"), field="max_choices", label=_("скільки варіантів ранжувати"))
        if count < 0 or count == 1:
            raise DomainError(
                "out_of_range",
                _("Ранжувати можна щонайменше 2 варіанти (0 — усі)."),
                field="max_choices",
            )
        if count > option_count:
            raise DomainError(
                "choices_range",
                _("Не можна ранжувати %(count)d варіантів, коли їх лише %(n)d.")
                % {"count": count, "n": option_count},
                field="max_choices",
            )
        out["max_choices"] = 0 if count == option_count else count
    elif kind == QuestionKind.SCALE:
        low = _int(values.get("scale_min"), field="scale_min", label=_("початок шкали"), default=1)
        high = _int(values.get("scale_max"), field="scale_max", label=_("кінець шкали"), default=5)
        if low not in (0, 1):
            raise DomainError("scale_range", _("Шкала починається з 0 або з 1."), field="scale_min")
        if not 2 <= high <= 10:
            raise DomainError("scale_range", _("Шкала закінчується числом від 2 до 10."), field="scale_max")
        out.update(
            scale_min=low,
            scale_max=high,
            scale_min_label=_line(
                values.get("scale_min_label"),
                field="scale_min_label",
                label=_("підпис початку"),
                limit=LABEL_MAX,
                required=False,
            ),
            scale_max_label=_line(
                values.get("scale_max_label"),
                field="scale_max_label",
                label=_("підпис кінця"),
                limit=LABEL_MAX,
                required=False,
            ),
        )
    elif kind == QuestionKind.NUMBER:
        least = _decimal(values.get("number_min"), field="number_min", label=_("найменше число"))
        most = _decimal(values.get("number_max"), field="number_max", label=_("найбільше число"))
        if least is not None and most is not None and least > most:
            raise DomainError(
                "number_range",
                _("«Найменше число» (%(low)s) більше за «найбільше» (%(high)s).")
                % {"low": least, "high": most},
                field="number_min",
            )
        out.update(number_min=least, number_max=most)
    return out


# --- order -----------------------------------------------------------------------------


def _questions(consultation: Consultation) -> list[Question]:
    return list(
        Question.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation)
        .order_by("order")
    )


def _sections(consultation: Consultation) -> list[Section]:
    return list(
        Section.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation)
        .order_by("order")
    )


def _display_order(questions: list[Question], sections: list[Section]) -> list[Question]:
    """Questions as people see them: those before any section, then each section's."""
    place = {s.pk: n for n, s in enumerate(sections, 1)}
    return sorted(questions, key=lambda q: (place.get(q.section_id, 0) if q.section_id else 0, q.order))


def _check_conditions(consultation: Consultation, ordered: Sequence[Question]) -> None:
    """Refuse an order in which a question comes before a question its condition names."""
    position = {q.pk: n for n, q in enumerate(ordered, 1)}
    by_pk = {q.pk: q for q in ordered}
    for cond in (
        Condition.objects.for_hromada(consultation.hromada_id)
        .filter(question__consultation=consultation)
        .select_related("option")
    ):
        source = by_pk.get(cond.option.question_id)
        target = by_pk.get(cond.question_id)
        if source is None or target is None:
            continue
        if position[source.pk] >= position[target.pk]:
            raise DomainError(
                "condition_order",
                _(
                    "Питання «%(target)s» показується залежно від відповіді на питання «%(source)s», тож має "
                    "стояти після нього. Спершу приберіть цю умову або перемістіть питання інакше."
                )
                % {"target": target.text, "source": source.text},
                field="order",
                status=409,
            )


def _write_order(model, rows: Sequence) -> None:
    """Give `rows` the orders 1..n (two passes, so the unique order never collides)."""
    changed = [(n, row) for n, row in enumerate(rows, 1) if row.order != n]
    for n, row in changed:
        model.objects.filter(pk=row.pk).update(order=TEMP + n)
    for n, row in changed:
        model.objects.filter(pk=row.pk).update(order=n)
        row.order = n


def _apply(consultation: Consultation, questions: list[Question], sections: list[Section]) -> None:
    """Check and write a new arrangement: sections in the given order, questions in
    display order (the global order follows the sections)."""
    ordered = _display_order(questions, sections)
    _check_conditions(consultation, ordered)
    _write_order(Section, sections)
    _write_order(Question, ordered)


def _next_order(qs) -> int:
    last = qs.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


# --- sections --------------------------------------------------------------------------


def _section_fields(title: Any, description: Any) -> dict:
    return {
        "title": _line(title, field="title", label=_("назва розділу"), limit=TITLE_MAX),
        "description": _text(description, field="description", label=_("пояснення"), limit=TEXT_MAX),
    }


def section_add(*, consultation: Consultation, actor, title: str, description: str = "") -> Section:
    _guard(consultation, actor)
    values = _section_fields(title, description)
    with transaction.atomic():
        order = _next_order(
            Section.objects.for_hromada(consultation.hromada_id).filter(consultation=consultation)
        )
        return Section.objects.create(
            hromada=consultation.hromada, consultation=consultation, order=order, **values
        )


def section_update(*, section: Section, actor, title: str, description: str = "") -> Section:
    _guard(section.consultation, actor)
    values = _section_fields(title, description)
    with transaction.atomic():
        for name, value in values.items():
            setattr(section, name, value)
        section.save(update_fields=list(values))
    return section


def section_delete(*, section: Section, actor) -> None:
    """Delete a section; its questions stay, moved into the section before it (or before
    every section)."""
    consultation = section.consultation
    _guard(consultation, actor)
    with transaction.atomic():
        sections = _sections(consultation)
        index = next(n for n, s in enumerate(sections) if s.pk == section.pk)
        previous = sections[index - 1] if index > 0 else None
        questions = _questions(consultation)
        for q in questions:
            if q.section_id == section.pk:
                q.section_id = previous.pk if previous else None
                q.section = previous
                Question.objects.filter(pk=q.pk).update(section=previous)
        sections.pop(index)
        section.delete()
        _apply(consultation, questions, sections)


def section_move(*, section: Section, actor, direction: str) -> None:
    """Move a section (with its questions) one place "up" or "down"."""
    consultation = section.consultation
    _guard(consultation, actor)
    with transaction.atomic():
        sections = _sections(consultation)
        index = next(n for n, s in enumerate(sections) if s.pk == section.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(sections):
            return
        sections[index], sections[other] = sections[other], sections[index]
        _apply(consultation, _questions(consultation), sections)


# --- questions -------------------------------------------------------------------------


def _section_of(consultation: Consultation, section) -> Section | None:
    if section in (None, ""):
        return None
    if isinstance(section, Section):
        found = section if section.consultation_id == consultation.pk else None
    else:
        found = (
            Section.objects.for_hromada(consultation.hromada_id)
            .filter(consultation=consultation, pk=section)
            .first()
            if str(section).isdigit()
            else None
        )
    if found is None:
        raise DomainError("section_invalid", _("Такого розділу в анкеті немає."), field="section")
    return found


def _labels(options: Iterable[Any]) -> list[str]:
    labels = []
    for n, label in enumerate(options or (), 1):
        text = _line(
            label, field="options", label=_("варіант %(n)d") % {"n": n}, limit=OPTION_MAX, required=False
        )
        if text:
            labels.append(text)
    seen = set()
    for text in labels:
        if text.casefold() in seen:
            raise DomainError(
                "option_duplicate", _("Варіант «%(label)s» повторюється.") % {"label": text}, field="options"
            )
        seen.add(text.casefold())
    return labels


def question_add(
    *,
    consultation: Consultation,
    actor,
    kind: str,
    text: str,
    help: str = "",
    required: bool = True,
    section=None,
    options: Sequence[str] = (),
    **params: Any,
) -> Question:
    """Add a question at the end of `section` (or of the questions before any section).
    Choice kinds (single, multiple, ranking) need at least two `options`; `params` are
    the kind's: min_choices/max_choices (multiple; ranking: max_choices = how many to
    rank, 0 = all), scale_min/scale_max/scale_min_label/scale_max_label,
    number_min/number_max."""
    _guard(consultation, actor)
    if kind not in QuestionKind.values:
        raise DomainError("kind_invalid", _("Невідомий тип питання."), field="kind")
    wording = _line(text, field="text", label=_("питання"), limit=QUESTION_TEXT_MAX)
    hint = _line(help, field="help", label=_("підказка"), limit=HELP_MAX, required=False)
    labels = _labels(options) if kind in CHOICE_KINDS else []
    if kind in CHOICE_KINDS and len(labels) < MIN_OPTIONS:
        raise DomainError(
            "options_required",
            _("Для питання з вибором потрібно щонайменше %(n)d варіанти відповіді.") % {"n": MIN_OPTIONS},
            field="options",
        )
    if len(labels) > MAX_OPTIONS:
        raise DomainError(
            "options_too_many", _("Не більше %(n)d варіантів.") % {"n": MAX_OPTIONS}, field="options"
        )
    values = question_params(kind, params, option_count=len(labels))
    with transaction.atomic():
        home = _section_of(consultation, section)
        questions = _questions(consultation)
        if len(questions) >= MAX_QUESTIONS:
            raise DomainError(
                "questions_too_many",
                _("В анкеті не більше %(n)d питань.") % {"n": MAX_QUESTIONS},
                field="text",
            )
        question = Question.objects.create(
            hromada=consultation.hromada,
            consultation=consultation,
            section=home,
            order=TEMP - 1,
            kind=kind,
            text=wording,
            help=hint,
            required=bool(required),
            **values,
        )
        Option.objects.bulk_create(
            [
                Option(hromada=consultation.hromada, question=question, order=n, label=label)
                for n, label in enumerate(labels, 1)
            ]
        )
        _apply(consultation, [*questions, question], _sections(consultation))
    return question


def question_update(
    *, question: Question, actor, text: str, help: str = "", required: bool = True, section=..., **params: Any
) -> Question:
    """Change a question's wording, whether it is required, its kind's parameters and
    (with `section`) its section — at the end of the new one. The kind is fixed: to ask
    another kind, add a new question."""
    consultation = question.consultation
    _guard(consultation, actor)
    wording = _line(text, field="text", label=_("питання"), limit=QUESTION_TEXT_MAX)
    hint = _line(help, field="help", label=_("підказка"), limit=HELP_MAX, required=False)
    count = question.options.count()
    values = question_params(question.kind, params, option_count=count)
    with transaction.atomic():
        question.text, question.help, question.required = wording, hint, bool(required)
        for name, value in values.items():
            setattr(question, name, value)
        question.save(update_fields=["text", "help", "required", *values])
        if section is not ...:
            home = _section_of(consultation, section)
            if (home.pk if home else None) != question.section_id:
                question.section = home
                question.order = TEMP - 1
                Question.objects.filter(pk=question.pk).update(section=home, order=TEMP - 1)
                questions = [q if q.pk != question.pk else question for q in _questions(consultation)]
                _apply(consultation, questions, _sections(consultation))
    return question


def question_delete(*, question: Question, actor) -> None:
    """Delete a question with its options; the conditions that named its options go too
    (the questions they governed are then always shown)."""
    consultation = question.consultation
    _guard(consultation, actor)
    with transaction.atomic():
        question.delete()
        _apply(consultation, _questions(consultation), _sections(consultation))


def question_move(*, question: Question, actor, direction: str) -> None:
    """Move a question one place "up" or "down" in the questionnaire; at the edge of its
    section it moves into the neighbouring section. Refused (condition_order) when it
    would come before the question its condition depends on, or after one it governs."""
    consultation = question.consultation
    _guard(consultation, actor)
    with transaction.atomic():
        sections = _sections(consultation)
        ordered = _display_order(_questions(consultation), sections)
        index = next(n for n, q in enumerate(ordered) if q.pk == question.pk)
        me = ordered[index]
        group = [q for q in ordered if q.section_id == me.section_id]
        at = group.index(me)
        homes: list[Section | None] = [None, *sections]
        home_index = next(n for n, s in enumerate(homes) if (s.pk if s else None) == me.section_id)
        if direction == "up":
            if at > 0:
                neighbour = group[at - 1]
                me.order, neighbour.order = neighbour.order, me.order
            elif home_index > 0:
                target = homes[home_index - 1]
                me.section, me.section_id = target, (target.pk if target else None)
                me.order = TEMP + 5000  # the end of the section above
                Question.objects.filter(pk=me.pk).update(section=target)
            else:
                return
        else:
            if at < len(group) - 1:
                neighbour = group[at + 1]
                me.order, neighbour.order = neighbour.order, me.order
            elif home_index < len(homes) - 1:
                target = homes[home_index + 1]
                me.section, me.section_id = target, (target.pk if target else None)
                me.order = 0  # the start of the section below
                Question.objects.filter(pk=me.pk).update(section=target)
            else:
                return
        _apply(consultation, ordered, sections)


# --- options ---------------------------------------------------------------------------


def _choice_question(question: Question) -> None:
    if question.kind not in CHOICE_KINDS:
        raise DomainError("not_a_choice", _("Варіанти відповіді є лише в питаннях з вибором."), field="label")


def _options(question: Question) -> list[Option]:
    return list(Option.objects.for_hromada(question.hromada_id).filter(question=question).order_by("order"))


def option_add(*, question: Question, actor, label: str) -> Option:
    _guard(question.consultation, actor)
    _choice_question(question)
    text = _line(label, field="label", label=_("варіант"), limit=OPTION_MAX)
    with transaction.atomic():
        existing = _options(question)
        if len(existing) >= MAX_OPTIONS:
            raise DomainError(
                "options_too_many", _("Не більше %(n)d варіантів.") % {"n": MAX_OPTIONS}, field="label"
            )
        if any(o.label.casefold() == text.casefold() for o in existing):
            raise DomainError(
                "option_duplicate", _("Варіант «%(label)s» уже є.") % {"label": text}, field="label"
            )
        return Option.objects.create(
            hromada=question.hromada, question=question, order=len(existing) + 1, label=text
        )


def option_update(*, option: Option, actor, label: str) -> Option:
    question = option.question
    _guard(question.consultation, actor)
    text = _line(label, field="label", label=_("варіант"), limit=OPTION_MAX)
    with transaction.atomic():
        if any(o.pk != option.pk and o.label.casefold() == text.casefold() for o in _options(question)):
            raise DomainError(
                "option_duplicate", _("Варіант «%(label)s» уже є.") % {"label": text}, field="label"
            )
        option.label = text
        option.save(update_fields=["label"])
    return option


def option_delete(*, option: Option, actor) -> None:
    """Delete an option (a choice keeps at least two; a condition naming it goes too)."""
    question = option.question
    _guard(question.consultation, actor)
    with transaction.atomic():
        remaining = [o for o in _options(question) if o.pk != option.pk]
        if len(remaining) < MIN_OPTIONS:
            raise DomainError(
                "options_required",
                _("У питанні з вибором має лишитися щонайменше %(n)d варіанти.") % {"n": MIN_OPTIONS},
                field="label",
                status=409,
            )
        if question.kind == QuestionKind.MULTIPLE and question.min_choices > len(remaining):
            raise DomainError(
                "choices_range",
                _("Питання вимагає щонайменше %(n)d варіантів: спершу зменшіть цю кількість.")
                % {"n": question.min_choices},
                field="label",
                status=409,
            )
        option.delete()
        _write_order(Option, remaining)
        if question.max_choices and question.max_choices >= len(remaining):
            question.max_choices = 0
            question.save(update_fields=["max_choices"])


def option_move(*, option: Option, actor, direction: str) -> None:
    question = option.question
    _guard(question.consultation, actor)
    with transaction.atomic():
        rows = _options(question)
        index = next(n for n, o in enumerate(rows) if o.pk == option.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(rows):
            return
        rows[index], rows[other] = rows[other], rows[index]
        _write_order(Option, rows)


def options_reorder(*, question: Question, actor, option_ids: Sequence[str]) -> None:
    """Put the options in the order of `option_ids` (their public ids, every one once)."""
    _guard(question.consultation, actor)
    with transaction.atomic():
        rows = _options(question)
        by_id = {str(o.public_id): o for o in rows}
        wanted = [str(i) for i in option_ids]
        if sorted(wanted) != sorted(by_id):
            raise DomainError(
                "options_mismatch", _("Назвіть кожен варіант питання рівно один раз."), field="options"
            )
        _write_order(Option, [by_id[i] for i in wanted])


# --- conditions ------------------------------------------------------------------------


def condition_add(*, question: Question, actor, option: Option) -> Condition:
    """Show `question` only when the answer to `option`'s question includes `option`
    (with several conditions: when any holds). The option's question must come earlier."""
    consultation = question.consultation
    _guard(consultation, actor)
    source = option.question
    if source.consultation_id != consultation.pk:
        raise DomainError("option_invalid", _("Такого варіанта в анкеті немає."), field="option")
    with transaction.atomic():
        ordered = _display_order(_questions(consultation), _sections(consultation))
        position = {q.pk: n for n, q in enumerate(ordered, 1)}
        if source.pk == question.pk or position[source.pk] >= position[question.pk]:
            raise DomainError(
                "condition_order",
                _(
                    "Умова може залежати лише від відповіді на одне з попередніх питань: «%(source)s» "
                    "стоїть не раніше, ніж «%(target)s»."
                )
                % {"source": source.text, "target": question.text},
                field="option",
            )
        condition, _created = Condition.objects.get_or_create(
            hromada=consultation.hromada, question=question, option=option
        )
    return condition


def condition_delete(*, question: Question, actor, option: Option) -> None:
    _guard(question.consultation, actor)
    with transaction.atomic():
        Condition.objects.for_hromada(question.hromada_id).filter(question=question, option=option).delete()
