"""Writing a petition: the form, drafts, preview, editing before moderation, withdrawing,
co-authors, and the similar petitions shown as a title is typed. Thin: parse, call one
service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hromada.core.errors import DomainError, NotFound
from hromada.core.ratelimit import rate_limit

from . import rules, selectors, services
from .forms import CoauthorInviteForm, PetitionForm
from .models import Petition, Status
from .services.coauthors import coauthor_accept_url


def _url(name: str, petition: Petition) -> str:
    return reverse(f"petitions:{name}", kwargs={"public_id": petition.public_id})


def _own(request, public_id) -> Petition:
    """A petition the person may see; 404 otherwise (also for another hromada's id)."""
    try:
        return selectors.petition_get(hromada=request.hromada, public_id=public_id, viewer=request.user)
    except NotFound:
        raise Http404(_("Петицію не знайдено."))


def _editable(request, public_id) -> Petition:
    petition = _own(request, public_id)
    if not rules.is_editor(request.user, petition):
        raise Http404(_("Петицію не знайдено."))
    return petition


def _after_submit(request, petition: Petition):
    messages.success(
        request,
        _("Петицію №%(n)d подано. Модератор розгляне її до %(d)s.")
        % {"n": petition.number, "d": date_format(petition.moderation_due or "", "d.m.Y")},
    )
    return redirect(_url("detail", petition))


def _form_context(request, form, **extra) -> dict:
    return {
        "form": form,
        "rules": selectors.petition_settings(hromada=request.hromada),
        "similar": selectors.similar_petitions(hromada=request.hromada, title=form["title"].value() or "")
        if form.is_bound
        else [],
        **extra,
    }


def _category(request, form):
    data = getattr(form, "cleaned_data", {})
    return selectors.category_get(hromada=request.hromada, slug_or_id=data.get("category") or "")


def _check_only(request, form, *, strict: bool) -> None:
    """The form's own (file) errors came first: gather the service's too, save nothing."""
    data = getattr(form, "cleaned_data", {})
    try:
        services.petition_check(
            hromada=request.hromada,
            title=data.get("title", ""),
            text=data.get("text", ""),
            category=_category(request, form),
            uploads=form.uploads(),
            strict=strict,
        )
    except services.PetitionInvalid as exc:
        form.add_domain_errors(exc.errors)


def _apply(form, exc: DomainError) -> None:
    form.add_domain_errors(getattr(exc, "errors", [exc]))


@login_required
def petition_new(request):
    categories = selectors.category_list(hromada=request.hromada)
    allowed = rules.can_submit(request.user, request.hromada)
    form = PetitionForm(request.POST or None, request.FILES or None, categories=categories)
    action = request.POST.get("action", "submit")
    # Anyone signed in may write a draft; submitting needs the statute's identity level
    # (the service refuses it, and the form says why).
    if request.method == "POST":
        if not form.is_valid():
            _check_only(request, form, strict=action == "submit")
        else:
            fields = {
                "title": form.cleaned_data["title"],
                "text": form.cleaned_data["text"],
                "category": _category(request, form),
            }
            try:
                if action in ("draft", "preview"):
                    petition = services.petition_draft_create(
                        hromada=request.hromada, author=request.user, uploads=form.uploads(), **fields
                    )
                else:
                    with rate_limit(request, "petition.submit"):  # a refused submission is given back
                        petition = services.petition_submit(
                            hromada=request.hromada, author=request.user, files=form.uploads(), **fields
                        )
            except DomainError as exc:
                _apply(form, exc)
            else:
                if action == "preview":
                    return redirect(_url("preview", petition))
                if action == "draft":
                    messages.success(request, _("Чернетку збережено. Її бачите лише ви."))
                    return redirect(_url("edit", petition))
                return _after_submit(request, petition)
    status = 400 if request.method == "POST" else 200
    context = _form_context(request, form, allowed=allowed, petition=None)
    return render(request, "petitions/new.html", context, status=status)


@login_required
def petition_edit(request, public_id):
    petition = _editable(request, public_id)
    # A POST goes on to the service, which refuses it cleanly and the form keeps the text.
    if request.method != "POST" and not rules.can_edit(request.user, petition):
        messages.warning(request, _("Модератор уже розглянув петицію, тому змінити її не можна."))
        return redirect(reverse("petitions:mine"))
    categories = selectors.category_list(hromada=request.hromada)
    attachments = list(petition.attachments.all())
    remove = [int(x) for x in request.POST.getlist("remove") if x.isdigit()]
    slots = services.MAX_ATTACHMENTS - len(attachments) + len([a for a in attachments if a.pk in remove])
    initial = {
        "title": petition.title,
        "text": petition.text,
        "category": petition.category.slug if petition.category else "",
    }
    form = PetitionForm(
        request.POST or None,
        request.FILES or None,
        categories=categories,
        initial=initial,
        slots=slots,
        existing=attachments,
    )
    action = request.POST.get("action", "save")
    if request.method == "POST":
        if not form.is_valid():
            _check_only(request, form, strict=action == "submit" or petition.status != Status.DRAFT)
        else:
            try:
                petition = services.petition_update(
                    petition=petition,
                    editor=request.user,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    category=_category(request, form),
                    uploads=form.uploads(),
                    remove_attachments=remove,
                    alt_texts=form.existing_alt_texts(),
                )
                if action == "submit" and petition.status == Status.DRAFT:
                    with rate_limit(request, "petition.submit"):
                        petition = services.petition_draft_submit(petition=petition, author=request.user)
                    return _after_submit(request, petition)
            except DomainError as exc:
                _apply(form, exc)
                if exc.code == "not_editable":
                    petition.refresh_from_db()
            else:
                if action == "preview":
                    return redirect(_url("preview", petition))
                if petition.status == Status.DRAFT:
                    messages.success(request, _("Чернетку збережено."))
                else:
                    messages.success(request, _("Зміни збережено. Модератор побачить оновлений текст."))
                return redirect(_url("edit", petition))
    status = 400 if request.method == "POST" else (409 if not rules.can_edit(request.user, petition) else 200)
    context = _form_context(
        request,
        form,
        allowed=rules.can_submit(request.user, request.hromada),
        petition=petition,
        attachments=list(petition.attachments.all()),
        removed=remove,
        is_author=petition.author_id == request.user.pk,
    )
    return render(request, "petitions/new.html", context, status=status)


@login_required
def petition_preview(request, public_id):
    petition = _editable(request, public_id)
    return render(
        request,
        "petitions/preview.html",
        {
            "petition": petition,
            "coauthors": selectors.petition_coauthors(petition),
            "rules": selectors.petition_settings(hromada=request.hromada),
            "can_edit": rules.can_edit(request.user, petition),
            "allowed": rules.can_submit(request.user, request.hromada),
            "is_author": petition.author_id == request.user.pk,
            "missing": _missing(request, petition),
        },
    )


def _missing(request, petition: Petition) -> list[str]:
    """What a draft still lacks before it can be submitted (shown on the preview)."""
    if petition.status != Status.DRAFT:
        return []
    try:
        services.petition_check(
            hromada=request.hromada, title=petition.title, text=petition.text, category=petition.category
        )
    except services.PetitionInvalid as exc:
        return [str(e.message) for e in exc.errors]
    return []


@login_required
@require_POST
def petition_submit_draft(request, public_id):
    petition = _editable(request, public_id)
    try:
        with rate_limit(request, "petition.submit"):
            petition = services.petition_draft_submit(petition=petition, author=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(
            _url("edit", petition) if petition.status == Status.DRAFT else reverse("petitions:mine")
        )
    return _after_submit(request, petition)


@login_required
@require_POST
def petition_copy(request, public_id):
    petition = _editable(request, public_id)
    try:
        draft = services.petition_draft_copy(petition=petition, author=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(reverse("petitions:mine"))
    messages.success(request, _("Текст скопійовано в нову чернетку."))
    return redirect(_url("edit", draft))


@login_required
def petition_withdraw(request, public_id):
    petition = _editable(request, public_id)
    if request.method == "POST":
        try:
            services.petition_withdraw(petition=petition, author=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Петицію №%(n)d відкликано.") % {"n": petition.number})
        return redirect(reverse("petitions:mine"))
    if not rules.can_withdraw(request.user, petition):
        messages.error(request, _("Відкликати можна лише власну петицію, доки її не розглянув модератор."))
        return redirect(reverse("petitions:mine"))
    return render(request, "petitions/withdraw.html", {"petition": petition})


@login_required
def petition_delete_draft(request, public_id):
    petition = _editable(request, public_id)
    if petition.status != Status.DRAFT or petition.author_id != request.user.pk:
        raise Http404(_("Чернетку не знайдено."))
    if request.method == "POST":
        try:
            services.petition_draft_delete(petition=petition, author=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Чернетку видалено."))
        return redirect(reverse("petitions:mine"))
    return render(request, "petitions/delete_draft.html", {"petition": petition})


@login_required
def petition_coauthors(request, public_id):
    petition = _editable(request, public_id)
    is_author = petition.author_id == request.user.pk
    form = CoauthorInviteForm(request.POST if request.POST.get("action") == "email" else None)
    new_link = None
    if request.method == "POST" and (is_author or request.POST.get("action") == "remove"):
        action = request.POST.get("action")
        try:
            if action == "email" and form.is_valid():
                with rate_limit(request, "petition.coauthor_invite"):
                    services.coauthor_invite(
                        petition=petition, actor=request.user, email=form.cleaned_data["email"]
                    )
                messages.success(request, _("Запрошення надіслано."))
                return redirect(_url("coauthors", petition))
            if action == "link":
                invitation = services.coauthor_invite(petition=petition, actor=request.user)
                new_link = request.build_absolute_uri(coauthor_accept_url(invitation))
            if action == "remove":
                item = selectors.petition_invitations(petition).filter(pk=request.POST.get("id") or 0).first()
                if item is not None:
                    services.coauthor_remove(invitation=item, actor=request.user)
                    if not is_author:  # a co-author who left no longer sees the petition
                        messages.success(request, _("Ви більше не співавтор цієї петиції."))
                        return redirect(reverse("petitions:mine"))
                    messages.success(request, _("Запрошення скасовано."))
                return redirect(_url("coauthors", petition))
        except DomainError as exc:
            if exc.field == "email":
                form.add_error("email", str(exc.message))
            else:
                messages.error(request, str(exc.message))
    invitations = [
        (item, request.build_absolute_uri(coauthor_accept_url(item)))
        for item in selectors.petition_invitations(petition)
    ]
    return render(
        request,
        "petitions/coauthors.html",
        {
            "petition": petition,
            "form": form,
            "invitations": invitations,
            "new_link": new_link,
            "is_author": is_author,
            "can_invite": is_author and rules.can_invite_coauthors(request.user, petition),
            "max_coauthors": services.MAX_COAUTHORS,
        },
        status=400 if form.errors else 200,
    )


@login_required
def coauthor_accept(request, token):
    try:
        invitation = selectors.coauthor_invitation_get(hromada=request.hromada, token=token)
    except NotFound:
        raise Http404(_("Запрошення не знайдено або його скасовано."))
    petition = invitation.petition
    error = None
    if request.method == "POST":
        try:
            services.coauthor_accept(invitation=invitation, user=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Ви — співавтор петиції «%(t)s».") % {"t": petition.title})
            if petition.status in rules.EDITABLE_STATUSES:
                return redirect(_url("edit", petition))
            return redirect(_url("detail", petition))
    return render(
        request,
        "petitions/coauthor_accept.html",
        {"invitation": invitation, "petition": petition, "error": error},
        status=409 if error else 200,
    )


@require_GET
def similar(request):
    """The fragment of similar petitions shown under the title as it is typed."""
    title = request.GET.get("title", "")[: selectors.MAX_SIMILAR_QUERY]
    if len(title.strip()) < selectors.SIMILAR_MIN_CHARS:
        items = []
    else:
        rate_limit(request, "petition.similar")
        items = selectors.similar_petitions(hromada=request.hromada, title=title)
    response = render(request, "petitions/_similar.html", {"similar": items, "title": title})
    response["Cache-Control"] = "private, max-age=30"
    return response


@login_required
def my_petitions(request):
    petitions = list(selectors.petitions_of_person(hromada=request.hromada, user=request.user)[:200])
    groups = [
        (Status.DRAFT, _("Чернетки"), [p for p in petitions if p.status == Status.DRAFT]),
        (Status.MODERATION, _("На модерації"), [p for p in petitions if p.status == Status.MODERATION]),
        (
            "public",
            _("Опубліковані"),
            [p for p in petitions if p.status in rules.PUBLIC_STATUSES],
        ),
        (
            "closed",
            _("Відкликані та відхилені"),
            [p for p in petitions if p.status in (Status.WITHDRAWN, Status.REJECTED)],
        ),
    ]
    return render(
        request,
        "petitions/mine.html",
        {
            "groups": [g for g in groups if g[2]],
            "any": bool(petitions),
            "invitations": selectors.coauthor_pending_for(hromada=request.hromada, user=request.user),
            "user_id": request.user.pk,
            "today": timezone.localdate(),
        },
    )
