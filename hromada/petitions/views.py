"""Public petition pages. Views parse, call one service or selector, render."""

from __future__ import annotations

from urllib.parse import quote
from urllib.parse import urlencode as url_query

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hromada.core import formats
from hromada.core.errors import DomainError, NotFound

from . import images, rules, selectors, services
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
        "rules": selectors.petition_settings(hromada=request.hromada),
    }
    template = "petitions/_results.html" if request.headers.get("HX-Request") else "petitions/list.html"
    return render(request, template, context)


def _progress_context(request, petition: Petition) -> dict:
    """What the counter needs (polled every few seconds by every open page: kept lean)."""
    count = selectors.petition_live_count(petition)
    return {
        "petition": petition,
        "count": count,
        "percent": min(100, round(100 * count / petition.threshold)) if petition.threshold else 0,
        "days_left": selectors.petition_collection_days_left(petition),
        "signing_open": rules.signing_open(petition),
    }


def _detail_context(request, petition: Petition) -> dict:
    context = _progress_context(request, petition)
    count = context["count"]
    own = selectors.petition_own_signature(petition=petition, user=request.user)
    return context | {
        "has_signed": own is not None,
        # The signer's receipt, computed again as the sign service did: shown while signed.
        "own_receipt": services.signer_pseudonym(petition=petition, person_key=own.person_key) if own else "",
        "sign_refusal": None
        if own
        else selectors.petition_sign_refusal(petition=petition, user=request.user),
        "is_following": selectors.petition_is_followed(petition=petition, user=request.user),
        # The list is paged over the same count the counter shows, so the two agree.
        "signers": _signers_page(request, petition, count=count),
        "answer": getattr(petition, "answer", None) if petition.status == Status.ANSWERED else None,
        "overdue": selectors.is_overdue(petition),
    }


def _signers_page(request, petition, *, count: int | None = None, page_number=None):
    paginator = Paginator(selectors.petition_signers(petition=petition), 50)
    if count is not None:
        paginator.count = count  # a cached_property: the live count, not a second COUNT
    page = paginator.get_page(page_number or request.GET.get("page"))
    page.display = [  # type: ignore[attr-defined]
        (selectors.signer_display_name(s.signer_name, hromada=request.hromada), s.signed_at) for s in page
    ]
    return page


def petition_detail(request, public_id):
    if public_id.isascii() and public_id.isdigit() and len(public_id) <= 9:  # the short address on posters
        return _short_address(request, int(public_id))
    petition = _get_or_404(request, public_id)
    if petition.status == Status.DRAFT:  # only its authors see a draft: as it will appear
        return redirect("petitions:preview", public_id=petition.public_id)
    context = _detail_context(request, petition) | _share_context(request, petition)
    context["attachments"] = selectors.petition_attachments(petition=petition)
    return render(request, "petitions/detail.html", context)


def petition_count(request, public_id):
    """The live counter, polled by the petition page. When the viewer's signer list
    (sent back as `listed`, the count it was drawn with) is on its first page and the
    count moved, the list comes along out of band: the two never disagree for longer
    than one poll."""
    petition = _get_or_404(request, public_id)
    context = _progress_context(request, petition)
    listed = request.GET.get("listed", "")
    first_page = request.GET.get("signers_page", "1") in ("", "1")
    if first_page and listed != str(context["count"]):
        context["signers_oob"] = True
        context["signers"] = _signers_page(request, petition, count=context["count"], page_number=1)
    return render(request, "petitions/_progress.html", context)


def petition_signers(request, public_id):
    petition = _get_or_404(request, public_id)
    count = selectors.petition_live_count(petition)
    return render(
        request,
        "petitions/_signers.html",
        {"petition": petition, "count": count, "signers": _signers_page(request, petition, count=count)},
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
        if request.headers.get("HX-Request"):
            return render(request, "petitions/_sign_box.html", context, status=status)
        context |= _share_context(request, petition)
        context["attachments"] = selectors.petition_attachments(petition=petition)
        return render(request, "petitions/detail.html", context, status=status)
    receipt = services.signer_pseudonym(petition=petition, person_key=signature.person_key)
    if request.headers.get("HX-Request"):
        # The fragment carries the thanks and refreshes the counter and signer list out of band.
        context = _detail_context(request, petition) | {"receipt": receipt, "oob": True}
        return render(request, "petitions/_sign_box.html", context)
    messages.success(request, _("Дякуємо! Ваш підпис враховано."))
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


# --- sharing, following, pictures ----------------------------------------------------------------


def _share_context(request, petition: Petition) -> dict:
    """The absolute addresses a shared link, its card and the poster need."""
    url = request.build_absolute_uri(petition_url(petition))
    short = request.build_absolute_uri(
        reverse("petitions:detail", kwargs={"public_id": str(petition.number)})
    )
    text = f"№{petition.number}. {petition.title}"
    return {
        "share_url": url,
        "short_url": short,
        "short_url_display": short.split("://", 1)[-1].rstrip("/"),  # for print: no scheme
        "share_links": {
            "email": "mailto:?" + url_query({"subject": text, "body": f"{text}\n{url}"}, quote_via=quote),
            "telegram": "https://t.me/share/url?" + url_query({"url": url, "text": text}, quote_via=quote),
            "facebook": "https://www.facebook.com/sharer/sharer.php?"
            + url_query({"u": url}, quote_via=quote),
        },
        "card_url": request.build_absolute_uri(
            reverse("petitions:card", kwargs={"public_id": petition.public_id})
        ),
    }


def _short_address(request, number: int):
    petition = selectors.petition_by_number(hromada=request.hromada, number=number)
    if petition is None:
        raise Http404(_("Петицію не знайдено."))
    return redirect(petition_url(petition), permanent=True)


@require_POST
def petition_follow(request, public_id):
    petition = _get_or_404(request, public_id)
    if not request.user.is_authenticated:
        login = reverse("accounts:login") + "?" + urlencode({"next": petition_url(petition)})
        return redirect(login)
    error = None
    following = request.POST.get("follow", "1") == "1"
    try:
        if following:
            services.petition_follow(petition=petition, user=request.user)
        else:
            services.petition_unfollow(petition=petition, user=request.user)
    except DomainError as exc:
        error = exc
    if request.headers.get("HX-Request"):
        context = {
            "petition": petition,
            "is_following": selectors.petition_is_followed(petition=petition, user=request.user),
            "follow_error": error,
            "follow_changed": error is None,
        }
        return render(request, "petitions/_follow.html", context)
    if error is not None:
        messages.error(request, str(error.message))
    elif following:
        messages.success(request, _("Ви відстежуєте цю петицію: ми повідомимо про її розгляд і відповідь."))
    else:
        messages.success(request, _("Ви більше не відстежуєте цю петицію."))
    return redirect(petition_url(petition))


def _cache_headers(response, petition: Petition, seconds: int):
    # A petition in moderation is seen by its author and moderators only: never by a shared cache.
    public = petition.status in rules.PUBLIC_STATUSES
    response["Cache-Control"] = f"{'public' if public else 'private'}, max-age={seconds}"
    return response


def attachment_thumbnail(request, public_id, attachment_id):
    petition = _get_or_404(request, public_id)
    item = selectors.petition_attachment(petition=petition, attachment_id=attachment_id)
    if item is None or not images.is_image(item):
        raise Http404
    name = images.thumbnail(item)
    if name is None:
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    return _cache_headers(response, petition, 7 * 24 * 3600)  # an attachment never changes


def petition_card(request, public_id):
    """The Open Graph image of the petition: title and progress as a PNG."""
    petition = _get_or_404(request, public_id)
    count = selectors.petition_live_count(petition)
    progress = _("%(c)s з %(t)s підписів") % {
        "c": formats.number(count),
        "t": formats.number(petition.threshold),
    }
    png = images.card_png(
        petition=petition,
        count=count,
        hromada_name=request.hromada.name,
        progress_text=f"{progress} · {petition.get_status_display()}",
        language=get_language() or "uk",
    )
    return _cache_headers(HttpResponse(png, content_type="image/png"), petition, images.CARD_SECONDS)


def petition_qr(request, public_id):
    """A QR code of the petition's short address, as SVG, for posters and screens."""
    petition = _get_or_404(request, public_id)
    url = request.build_absolute_uri(reverse("petitions:detail", kwargs={"public_id": str(petition.number)}))
    svg = images.qr_svg(url, title=_("QR-код петиції №%(n)d") % {"n": petition.number})
    response = HttpResponse(svg, content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="petition-{petition.number}-qr.svg"'
    return _cache_headers(response, petition, 24 * 3600)


def petition_poster(request, public_id):
    """A printable A4 poster: title, progress, QR code and the short address."""
    petition = _get_or_404(request, public_id)
    context = _progress_context(request, petition) | _share_context(request, petition)
    return render(request, "petitions/poster.html", context)


@login_required
def my_signatures(request):
    """The petitions the person signed, each with its receipt (computed again, as the sign
    service did), and those they follow."""
    page = _page(request, selectors.signatures_of(hromada=request.hromada, user=request.user), 20)
    rows = [
        (s, services.signer_pseudonym(petition=s.petition, person_key=s.person_key)) for s in page.object_list
    ]
    follows = selectors.follows_of(hromada=request.hromada, user=request.user)[:100]
    return render(request, "petitions/signed.html", {"page": page, "rows": rows, "follows": follows})
