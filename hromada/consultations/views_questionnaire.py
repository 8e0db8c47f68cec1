"""Public pages of the questionnaire: answering it on one page (save a draft or submit)
and the receipt. Thin: the services decide; the refusal is shown before anyone types."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hromada.core.errors import DomainError, NotFound
from hromada.places import selectors as places

from . import rules, selectors
from .forms_questionnaire import raw_from_post, rows_of
from .models import QuestionKind, ResponseStatus
from .questionnaire_selectors import questionnaire_of, response_raw
from .services import participation
from .services.responses import AnswersInvalid, response_save, response_submit

ADDRESS_CODES = ("address_required", "outside_area", "address_not_found", "address_invalid")


def _consultation(request, number: int):
    try:
        return selectors.consultation_get(hromada=request.hromada, number=number)
    except NotFound:
        raise Http404 from None


def _areas(request, consultation) -> list:
    if consultation.area_id is not None or not consultation.ask_area:
        return []
    return list(
        places.area_list(hromada=request.hromada).filter(kind__in=participation.AREA_KINDS, purpose="")
    )


def _area_of(request, areas, key: str):
    return next((a for a in areas if str(a.public_id) == key), None) if key else None


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, number: int):
    consultation = _consultation(request, number)
    tree = questionnaire_of(consultation)
    user = request.user
    response = participation.response_of(consultation, user)
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        return render(
            request,
            "consultations/questionnaire/answered.html",
            {"consultation": consultation, "response": response, "already": True},
        )
    refusal = participation.refusal(user, consultation)
    asks_address = refusal is not None and refusal.code in ADDRESS_CODES
    blocking = None if refusal is None or asks_address else refusal
    areas = _areas(request, consultation)
    raw = response_raw(response, tree)
    errors: dict[str, str] = {}
    problem: DomainError | None = None
    address = ""
    declared = response.area if response is not None else None
    area_key = str(declared.public_id) if declared is not None and areas else ""
    status = 200
    if request.method == "POST" and blocking is None:
        raw = raw_from_post(tree, request.POST)
        address = request.POST.get("address", "")[:300]
        area_key = request.POST.get("area", "")
        area = _area_of(request, areas, area_key)
        args = {"consultation": consultation, "user": user, "raw": raw, "address": address, "area": area}
        try:
            if request.POST.get("action") == "submit":
                response_submit(**args)
                return redirect("consultations:answered", number=consultation.number)
            saved = response_save(**args)
            if not saved.errors:
                return redirect(reverse("consultations:answer", args=[consultation.number]) + "?saved=1")
            errors = saved.errors
        except AnswersInvalid as exc:
            errors = exc.errors
            try:  # what is valid is kept as the draft, never lost
                response_save(**args)
            except DomainError:
                pass
        except DomainError as exc:
            problem = exc
        status = 400
    elif blocking is not None:
        status = 403 if request.method == "POST" else 200
    needs_map = any(q.kind == QuestionKind.POINT for q in tree.questions)
    return render(
        request,
        "consultations/questionnaire/answer.html",
        {
            "consultation": consultation,
            "phase": rules.phase_code(consultation),
            "tree": tree,
            "sections": rows_of(tree, raw, errors),
            "errors": [(q, errors[q.id]) for q in tree.questions if q.id in errors],
            "problem": problem,
            "refusal": blocking,
            "asks_address": asks_address or (problem is not None and problem.field == "address"),
            "address_refusal": refusal if asks_address else None,
            "address": address,
            "areas": areas,
            "area_key": area_key,
            "saved": request.GET.get("saved") == "1" and not errors,
            "has_draft": response is not None,
            "login_url": reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()}),
            "map_layers": [
                {
                    "name": _("Межа громади"),
                    "url": reverse("api-v1:places_areas") + "?kind=boundary",
                    "kind": "areas",
                    "style": "boundary",
                }
            ]
            if needs_map
            else [],
        },
        status=status,
    )


@never_cache
def answered(request, number: int):
    consultation = _consultation(request, number)
    response = participation.response_of(consultation, request.user)
    if response is None or response.status != ResponseStatus.SUBMITTED:
        return redirect("consultations:answer", number=consultation.number)
    return render(
        request,
        "consultations/questionnaire/answered.html",
        {"consultation": consultation, "response": response, "already": False},
    )
