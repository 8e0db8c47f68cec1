"""The comments services, against the sample module's target (no real module needed)."""

import datetime as dt
import hashlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from hromada.comments import selectors, services
from hromada.comments.models import Comment, CommentReport, CommentStatus
from hromada.comments.tests.helpers import post
from hromada.core.clock import travel_to
from hromada.core.errors import DomainError, NotFound, PermissionDenied
from hromada.core.ratelimit import RateLimited
from hromada.core.tests.sample.models import Thing
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification


def entries(kind):
    return list(LedgerEntry.objects.filter(kind=kind).values_list("payload", flat=True))


def test_a_comment_is_posted_with_its_ledger_entry_holding_a_hash_not_the_text(hromada, thing, author):
    comment = post(hromada, thing, author, body="  Гарна ідея, підтримую.  ")
    assert comment.body == "Гарна ідея, підтримую."
    assert comment.author_name == "Оксана Коваль"
    assert comment.status == CommentStatus.VISIBLE
    [payload] = entries("comments.posted")
    assert payload == {
        "target": f"sample.thing:{thing.pk}",
        "comment": str(comment.public_id),
        "parent": None,
        "sha256": hashlib.sha256("Гарна ідея, підтримую.".encode()).hexdigest(),
    }
    assert "Гарна" not in str(payload)


def test_the_name_shown_is_never_the_email(hromada, thing):
    from hromada.accounts.tests.factories import UserFactory

    comment = post(hromada, thing, UserFactory(display_name="", email="secret@example.test"))
    assert "secret" not in comment.author_name
    assert comment.author_name == "Мешканець громади"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("", "body_required"),
        ("  a ", "body_required"),
        ("x" * 5001, "body_too_long"),
        ("bad\x00text", "invalid_text"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_written(hromada, thing, author, body, code):
    with pytest.raises(DomainError) as exc:
        post(hromada, thing, author, body=body)
    assert exc.value.code == code
    assert exc.value.field == "body"
    assert not Comment.objects.exists()
    assert not LedgerEntry.objects.filter(kind="comments.posted").exists()


def test_a_visitor_must_log_in_and_an_unconfirmed_email_is_not_enough(hromada, thing):
    from hromada.accounts.tests.factories import UserFactory

    with pytest.raises(DomainError) as exc:
        post(hromada, thing, AnonymousUser())
    assert exc.value.code == "login_required"
    with pytest.raises(DomainError) as exc:
        post(hromada, thing, UserFactory(email_confirmed_at=None))
    assert exc.value.code == "email_required"
    assert not Comment.objects.exists()


def test_the_targets_own_refusal_is_the_first_word(hromada, author):
    closed = Thing.objects.create(hromada=hromada, owner=author, title="closed")
    with pytest.raises(DomainError) as exc:
        post(hromada, closed, author)
    assert exc.value.code == "thing_closed"
    assert not Comment.objects.exists()


def test_a_missing_a_private_or_another_hromadas_target_is_not_found(hromada, other_hromada, author):
    draft = Thing.objects.create(hromada=hromada, owner=author, title="draft")
    elsewhere = Thing.objects.create(hromada=other_hromada, owner=author, title="open")
    for kind, key in (
        ("sample.thing", draft.pk),
        ("sample.thing", elsewhere.pk),
        ("sample.thing", 999999),
        ("sample.nothing", draft.pk),
        ("nomodule.thing", 1),
    ):
        with pytest.raises(NotFound):
            services.comment_post(
                hromada=hromada, target_kind=kind, target_key=key, author=author, body="Привіт усім"
            )
    assert not Comment.objects.exists()


def test_a_switched_off_module_takes_its_threads_away(hromada, thing, author):
    from hromada.tenancy.models import ModuleSwitch
    from hromada.tenancy.selectors import tenancy_cache_clear

    ModuleSwitch.objects.create(hromada=hromada, module="sample", enabled=False)
    tenancy_cache_clear()
    hromada.refresh_from_db()
    with pytest.raises(NotFound):
        post(hromada, thing, author)


def test_replies_are_one_level_deep_and_remember_whom_they_answer(hromada, thing, author, replier):
    top = post(hromada, thing, author)
    reply = post(hromada, thing, replier, body="Згоден з вами.", parent=top)
    again = post(hromada, thing, author, body="Дякую, Петре!", parent=reply)
    assert reply.parent == top and reply.reply_to == top
    assert again.parent == top and again.reply_to == reply
    assert entries("comments.posted")[-1]["parent"] == str(top.public_id)


def test_a_reply_must_be_in_the_same_thread_and_to_a_shown_comment(hromada, thing, author, replier):
    other = Thing.objects.create(hromada=hromada, owner=author, title="open")
    top = post(hromada, thing, author)
    with pytest.raises(NotFound):
        post(hromada, other, replier, parent=top)
    services.comment_delete(comment=top, user=author)
    with pytest.raises(DomainError) as exc:
        post(hromada, thing, replier, parent=Comment.objects.get(pk=top.pk))
    assert exc.value.code == "parent_unavailable"


def test_the_rate_limit_counts_comments_per_account(hromada, thing, author, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comments.post": "2/h"}
    post(hromada, thing, author)
    post(hromada, thing, author)
    with pytest.raises(RateLimited):
        post(hromada, thing, author)
    assert Comment.objects.count() == 2


def test_a_refused_comment_does_not_use_up_the_limit(hromada, thing, author, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comments.post": "1/h"}
    with pytest.raises(DomainError):
        post(hromada, thing, author, body="")
    post(hromada, thing, author)


def test_the_author_of_the_comment_replied_to_and_the_targets_audience_are_told(
    hromada, thing, author, replier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        top = post(hromada, thing, author)
    assert list(Notification.objects.values_list("user_id", "kind")) == [(thing.owner_id, "comments.new")]
    with django_capture_on_commit_callbacks(execute=True):
        post(hromada, thing, replier, body="Відповідаю вам.", parent=top)
    reply_note = Notification.objects.get(kind="comments.reply")
    assert reply_note.user == author
    assert reply_note.url.endswith("#comment-" + str(Comment.objects.latest("id").public_id))
    assert Notification.objects.filter(kind="comments.new").count() == 1  # replies are not "new comments"


def test_the_owner_commenting_on_their_own_thing_is_not_told_of_it(
    hromada, thing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(hromada, thing, thing.owner)
    assert not Notification.objects.exists()


# --- the author's edit and delete -------------------------------------------------------


def test_the_author_edits_within_the_window_and_the_ledger_gets_the_new_hash(
    hromada, thing, author, settings
):
    settings.COMMENTS_EDIT_MINUTES = 15
    start = timezone.now()
    with travel_to(start):
        comment = post(hromada, thing, author)
    with travel_to(start + dt.timedelta(minutes=14)):
        services.comment_edit(comment=comment, user=author, body="Виправлений текст.")
    comment.refresh_from_db()
    assert comment.body == "Виправлений текст." and comment.edited_at is not None
    [payload] = entries("comments.edited")
    assert payload["sha256"] == hashlib.sha256("Виправлений текст.".encode()).hexdigest()
    with travel_to(start + dt.timedelta(minutes=15, seconds=1)), pytest.raises(DomainError) as exc:
        services.comment_edit(comment=comment, user=author, body="Ще раз змінюю.")
    assert exc.value.code == "edit_window_closed"
    comment.refresh_from_db()
    assert comment.body == "Виправлений текст."
    assert len(entries("comments.edited")) == 1


def test_only_the_author_edits_or_deletes(hromada, thing, author, replier, moderator):
    comment = post(hromada, thing, author)
    for user in (replier, moderator, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.comment_edit(comment=comment, user=user, body="Чужий текст тут.")
        with pytest.raises(PermissionDenied):
            services.comment_delete(comment=comment, user=user)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE and comment.edited_at is None


def test_a_deleted_comment_keeps_its_replies_and_shows_its_place(hromada, thing, author, replier):
    top = post(hromada, thing, author)
    post(hromada, thing, replier, body="Відповідь лишається.", parent=top)
    services.comment_delete(comment=top, user=author)
    top.refresh_from_db()
    assert top.status == CommentStatus.DELETED
    assert entries("comments.deleted") == [
        {"target": f"sample.thing:{thing.pk}", "comment": str(top.public_id)}
    ]
    thread = selectors.thread(hromada=hromada, target_kind="sample.thing", target_key=thing.pk)
    assert [c.pk for c in thread.comments] == [top.pk]
    assert thread.count == 1
    with pytest.raises(DomainError):
        services.comment_edit(comment=top, user=author, body="Повертаю текст.")


def test_a_deleted_comment_without_replies_leaves_the_thread(hromada, thing, author):
    comment = post(hromada, thing, author)
    services.comment_delete(comment=comment, user=author)
    thread = selectors.thread(hromada=hromada, target_kind="sample.thing", target_key=thing.pk)
    assert thread.comments == [] and thread.count == 0


# --- reports ------------------------------------------------------------------------------


def test_one_report_per_person_and_the_moderators_are_told(
    hromada, thing, author, replier, moderator, django_capture_on_commit_callbacks
):
    comment = post(hromada, thing, author)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_report(comment=comment, user=replier, reason="spam")
    assert comment.report_count == 1
    note = Notification.objects.get(kind="comments.reported")
    assert note.user == moderator and "/staff/comments/" in note.url
    with pytest.raises(DomainError) as exc:
        services.comment_report(comment=comment, user=replier, reason="offensive")
    assert exc.value.code == "already_reported" and exc.value.status == 409
    comment.refresh_from_db()
    assert comment.report_count == 1 and CommentReport.objects.count() == 1


def test_the_database_refuses_a_second_report_even_past_the_check(hromada, thing, author, replier):
    comment = post(hromada, thing, author)
    CommentReport.objects.create(hromada=hromada, comment=comment, reporter=replier, reason="spam")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentReport.objects.create(hromada=hromada, comment=comment, reporter=replier, reason="other")


def test_a_race_past_the_check_ends_in_already_reported(hromada, thing, author, replier, monkeypatch):
    comment = post(hromada, thing, author)
    CommentReport.objects.create(hromada=hromada, comment=comment, reporter=replier, reason="spam")
    real_filter = CommentReport.objects.filter

    class NoneYet:
        def exists(self):
            return False

    monkeypatch.setattr(
        CommentReport.objects,
        "filter",
        lambda *a, **k: NoneYet() if "reporter" in k else real_filter(*a, **k),
    )
    with pytest.raises(DomainError) as exc:
        services.comment_report(comment=comment, user=replier, reason="spam")
    assert exc.value.code == "already_reported"
    comment.refresh_from_db()
    assert comment.report_count == 0


@pytest.mark.parametrize(
    ("reason", "details", "code"),
    [
        ("nonsense", "", "reason_invalid"),
        ("other", "", "details_required"),
        ("spam", "x" * 501, "details_too_long"),
    ],
)
def test_a_bad_report_is_refused(hromada, thing, author, replier, reason, details, code):
    comment = post(hromada, thing, author)
    with pytest.raises(DomainError) as exc:
        services.comment_report(comment=comment, user=replier, reason=reason, details=details)
    assert exc.value.code == code
    assert not CommentReport.objects.exists()


def test_one_cannot_report_ones_own_comment_or_as_a_visitor(hromada, thing, author):
    comment = post(hromada, thing, author)
    for user, code in ((author, "own_comment"), (AnonymousUser(), "login_required")):
        with pytest.raises(DomainError) as exc:
            services.comment_report(comment=comment, user=user, reason="spam")
        assert exc.value.code == code


# --- moderation ---------------------------------------------------------------------------


def test_a_moderator_hides_with_a_reason_resolving_reports_and_telling_the_author(
    hromada, thing, author, replier, moderator, django_capture_on_commit_callbacks
):
    comment = post(hromada, thing, author)
    services.comment_report(comment=comment, user=replier, reason="offensive")
    with pytest.raises(DomainError) as exc:
        services.comment_hide(comment=comment, actor=moderator, reason="  ")
    assert exc.value.code == "reason_required"
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_hide(comment=comment, actor=moderator, reason="Образи")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN and comment.moderation_reason == "Образи"
    assert comment.report_count == 0
    assert CommentReport.objects.get().resolved_at is not None
    [payload] = entries("comments.hidden")
    assert payload["reason"] == "Образи" and payload["reports"] == 1
    assert Notification.objects.get(kind="comments.hidden").user == author
    services.comment_restore(comment=comment, actor=moderator, reason="Помилка модерації")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert entries("comments.restored")[0]["reason"] == "Помилка модерації"


def test_dismissing_reports_keeps_the_comment(hromada, thing, author, replier, moderator):
    comment = post(hromada, thing, author)
    services.comment_report(comment=comment, user=replier, reason="spam")
    assert services.reports_dismiss(comment=comment, actor=moderator) == 1
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE and comment.report_count == 0
    assert entries("comments.reports_dismissed")[0]["reports"] == 1
    assert list(selectors.moderation_queue(hromada=hromada, filter="reported", user=moderator)) == []


MAY_MODERATE = {"admin", "moderator"}  # comments.moderate; the sample's sample.act has the same roles


def test_moderation_by_role(hromada, other_hromada, thing, author):
    from hromada.accounts.tests.factories import role_matrix

    for name, user in role_matrix(hromada, other_hromada).items():
        comment = post(hromada, thing, author, body=f"Коментар для {name}")
        if name in MAY_MODERATE:
            services.comment_hide(comment=comment, actor=user, reason="Спам")
            assert Comment.objects.get(pk=comment.pk).status == CommentStatus.HIDDEN
            continue
        for call in (
            lambda c=comment, u=user: services.comment_hide(comment=c, actor=u, reason="Спам"),
            lambda c=comment, u=user: services.reports_dismiss(comment=c, actor=u),
        ):
            with pytest.raises(PermissionDenied):
                call()
        comment.refresh_from_db()
        assert comment.status == CommentStatus.VISIBLE, name
    assert LedgerEntry.objects.filter(kind="comments.hidden").count() == len(MAY_MODERATE)


def test_the_targets_own_permission_moderates_its_comments(hromada, thing, author, monkeypatch):
    """A role that holds the target's moderate_perm (sample.act) but not comments.moderate."""
    from hromada.accounts.tests.factories import staff_user
    from hromada.core.modules import Permission, registry

    officer = staff_user(hromada, "officer")
    comment = post(hromada, thing, author)
    with pytest.raises(PermissionDenied):
        services.comment_hide(comment=comment, actor=officer, reason="Спам")
    assert list(selectors.moderation_queue(hromada=hromada, filter="recent", user=officer)) == []
    real = registry.permission
    act = Permission("sample.act", "Act", ("officer",))
    monkeypatch.setattr(registry, "permission", lambda c: act if c == "sample.act" else real(c))
    officer._hromada_roles = {}
    assert [c.pk for c in selectors.moderation_queue(hromada=hromada, filter="recent", user=officer)] == [
        comment.pk
    ]
    services.comment_hide(comment=comment, actor=officer, reason="Спам")


def test_another_hromadas_moderator_cannot_moderate_or_see_the_queue(
    hromada, other_hromada, thing, author, replier
):
    from hromada.accounts.tests.factories import staff_user

    stranger = staff_user(other_hromada, "moderator")
    comment = post(hromada, thing, author)
    services.comment_report(comment=comment, user=replier, reason="spam")
    with pytest.raises(PermissionDenied):
        services.comment_hide(comment=comment, actor=stranger, reason="Спам")
    assert list(selectors.moderation_queue(hromada=other_hromada, filter="reported", user=stranger)) == []
    assert selectors.staff_summary(hromada=hromada, user=stranger) == []


# --- reads --------------------------------------------------------------------------------


def test_the_thread_is_oldest_first_with_replies_grouped_and_paginated(
    hromada, thing, author, replier, monkeypatch
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    first = post(hromada, thing, author, body="Перший коментар")
    second = post(hromada, thing, replier, body="Другий коментар")
    reply = post(hromada, thing, author, body="Відповідь на перший", parent=first)
    third = post(hromada, thing, replier, body="Третій коментар")
    page1 = selectors.thread(hromada=hromada, target_kind="sample.thing", target_key=thing.pk, user=author)
    assert [c.pk for c in page1.comments] == [first.pk, second.pk]
    assert [r.pk for r in page1.comments[0].thread_replies] == [reply.pk]
    assert page1.pages == 2 and page1.count == 4
    page2 = selectors.thread(hromada=hromada, target_kind="sample.thing", target_key=thing.pk, page=2)
    assert [c.pk for c in page2.comments] == [third.pk]


def test_counts_for_many_targets_in_one_query(hromada, thing, author, django_assert_num_queries):
    other = Thing.objects.create(hromada=hromada, owner=author, title="open")
    post(hromada, thing, author)
    post(hromada, thing, author, body="Ще один коментар")
    hidden = post(hromada, other, author)
    from hromada.accounts.tests.factories import staff_user

    services.comment_hide(comment=hidden, actor=staff_user(hromada, "moderator"), reason="Спам")
    with django_assert_num_queries(1):
        counts = selectors.counts_for(
            hromada=hromada, target_kind="sample.thing", keys=[thing.pk, other.pk, 12345]
        )
    assert counts == {str(thing.pk): 2, str(other.pk): 0, "12345": 0}
    assert selectors.comment_count(hromada=hromada, target_kind="sample.thing", target_key=thing.pk) == 2


def test_the_staff_summary_counts_open_reports_for_moderators_only(
    hromada, thing, author, replier, moderator, officer
):
    comment = post(hromada, thing, author)
    services.comment_report(comment=comment, user=replier, reason="spam")
    [counter] = selectors.staff_summary(hromada=hromada, user=moderator)
    assert counter.value == 1 and counter.url == "/staff/comments/"
    assert selectors.staff_summary(hromada=hromada, user=officer) == []
