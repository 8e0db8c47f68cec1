"""Reads of the staff questionnaire builder and preview: one question, section or option
of a consultation by its key (None when it is not this consultation's)."""

from __future__ import annotations

from .models import Consultation, Option, Question, Section


def question_get(consultation: Consultation, public_id) -> Question | None:
    return (
        Question.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation, public_id=public_id)
        .select_related("consultation", "consultation__hromada")
        .first()
    )


def section_get(consultation: Consultation, pk: int) -> Section | None:
    return (
        Section.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation, pk=pk)
        .select_related("consultation", "consultation__hromada")
        .first()
    )


def option_get(question: Question, public_id) -> Option | None:
    return (
        Option.objects.for_hromada(question.hromada_id)
        .filter(question=question, public_id=public_id)
        .select_related("question", "question__consultation", "question__consultation__hromada")
        .first()
    )


def consultation_option_get(consultation: Consultation, public_id) -> Option | None:
    """Any option of the consultation's questionnaire (a condition's source)."""
    return (
        Option.objects.for_hromada(consultation.hromada_id)
        .filter(question__consultation=consultation, public_id=public_id)
        .select_related("question")
        .first()
    )


def sections_of(consultation: Consultation) -> list[Section]:
    return list(Section.objects.for_hromada(consultation.hromada_id).filter(consultation=consultation))


def questions_of(consultation: Consultation) -> list[Question]:
    """The questions with their sections and options, in order (the staff preview)."""
    return list(
        Question.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation)
        .select_related("section")
        .prefetch_related("options")
        .order_by("order")
    )
