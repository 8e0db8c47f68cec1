"""Public petition pages. Views parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hromada.core.errors import DomainError, NotFound

from . import rules, selectors, services
from .models import Petition, Status


def _page(request, qs, per_page):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def petition_list(request):
    filters = selectors.PetitionFilters(
        q=request.GET.get("q", "")[:200],
        status=request.GET.get("status", ""),
        category=request.GET.get("category", ""),
        sort=request.GET.get("sort", "newest"),
    )
    page = _page(request, selectors.petition_list(hromada=request.hromada, filters=filters), 20)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "page": page,
        "filters": filters,
        "query": urlencode(query),
        "categories": selectors.category_list(hromada=request.hromada),
        "statuses": [(s.value, s.label) for s in Status if s.value in rules.PUBLIC_STATUSES],
        "sorts": [
            ("newest", _("Найновіші")),
            ("popular", _("Найбільше підписів")),
            ("ending", _("Скоро завершуються")),
        ],
    }
    template = "petitions/_results.html" if request.headers.get("HX-Request") else "petitions/list.html"
    return render(request, template, context)


def _detail_context(request, petition: Petition) -> dict:
    count = selectors.petition_live_count(petition)
    return {
        "petition": petition,
        "count": count,
        "percent": min(100, round(100 * count / petition.threshold)) if petition.threshold else 0,
        "days_left": selectors.petition_days_left(petition),
        "has_signed": selectors.petition_has_signed(petition=petition, user=request.user),
        "can_sign_level": petition.status == Status.COLLECTING,
        "signers": _signers_page(request, petition),
        "answer": getattr(petition, "answer", None) if petition.status == Status.ANSWERED else None,
        "overdue": selectors.is_overdue(petition),
    }


def _signers_page(request, petition):
    page = _page(request, selectors.petition_signers(petition=petition), 50)
    page.display = [
        (selectors.signer_display_name(s.signer_name, hromada=request.hromada), s.signed_at) for s in page
    ]
    return page


def petition_detail(request, public_id):
    petition = _get_or_404(request, public_id)
    return render(request, "petitions/detail.html", _detail_context(request, petition))


def petition_count(request, public_id):
    """The live counter, polled by the petition page."""
    petition = _get_or_404(request, public_id)
    return render(request, "petitions/_progress.html", _detail_context(request, petition))


def petition_signers(request, public_id):
    petition = _get_or_404(request, public_id)
    return render(
        request,
        "petitions/_signers.html",
        {"petition": petition, "signers": _signers_page(request, petition)},
    )


@require_POST
def petition_sign(request, public_id):
    petition = _get_or_404(request, public_id)
    if not request.user.is_authenticated:
        login = reverse("accounts:login") + "?" + urlencode({"next": petition_url(petition)})
        return redirect(login)
    try:
        signature = services.petition_sign(petition=petition, user=request.user)
    except DomainError as exc:
        context = _detail_context(request, petition) | {"sign_error": exc}
        status = 200 if request.headers.get("HX-Request") else exc.status
        template = (
            "petitions/_sign_box.html" if request.headers.get("HX-Request") else "petitions/detail.html"
        )
        return render(request, template, context, status=status)
    receipt = services.signer_pseudonym(petition=petition, person_key=signature.person_key)
    if request.headers.get("HX-Request"):
        # The fragment carries the thanks and refreshes the counter and signer list out of band.
        context = _detail_context(request, petition) | {"receipt": receipt, "oob": True}
        return render(request, "petitions/_sign_box.html", context)
    messages.success(
        request, _("Дякуємо! Ваш підпис враховано. Квитанція в публічному реєстрі: %(r)s") % {"r": receipt}
    )
    return redirect(petition_url(petition))


def attachment(request, public_id, attachment_id):
    petition = _get_or_404(request, public_id)
    item = petition.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"),
        as_attachment=item.content_type == "application/pdf",
        filename=item.original_name,
        content_type=item.content_type,
    )


def answer_document(request, public_id):
    petition = _get_or_404(request, public_id)
    answer = getattr(petition, "answer", None)
    if petition.status != Status.ANSWERED or answer is None or not answer.document:
        raise Http404
    return FileResponse(
        answer.document.open("rb"),
        filename=answer.document_name or "answer.pdf",
        content_type="application/pdf",
    )


def petition_url(petition: Petition) -> str:
    return reverse("petitions:detail", kwargs={"public_id": petition.public_id})


def _get_or_404(request, public_id) -> Petition:
    try:
        return selectors.petition_get(hromada=request.hromada, public_id=public_id, viewer=request.user)
    except NotFound:
        raise Http404(_("Петицію не знайдено."))


class PetitionFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        self.request = request
        return request.hromada

    def title(self, hromada):
        return _("Петиції: %(h)s") % {"h": hromada.name}

    def link(self, hromada):
        return reverse("petitions:list")

    def subtitle(self, hromada):
        return _("Нові петиції, досягнення порогу та відповіді")

    def items(self, hromada):
        return selectors.petitions_for_feed(hromada=hromada)

    def item_title(self, item):
        return f"№{item.number} {item.title} — {item.get_status_display()}"

    def item_description(self, item):
        return item.text[:1000]

    def item_link(self, item):
        return petition_url(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False
