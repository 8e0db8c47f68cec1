"""Co-authors: invitations by e-mail or link (hashed tokens), acceptance, editing."""

from __future__ import annotations

import pytest

from hromada.accounts.tests.factories import verified_user
from hromada.budget.models import CoAuthor, Project, ProjectStatus
from hromada.budget.services import coauthors as co
from hromada.budget.services.projects import project_update
from hromada.core.errors import DomainError, PermissionDenied
from hromada.notify.models import Notification

from .factories import make_cycle
from .helpers_projects import draft, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(hromada, resident):
    return submitted(make_cycle(hromada, current="ideas", residence="any"), resident)


def test_a_link_invitation_is_stored_hashed_and_accepted(project, resident):
    invitation = co.coauthor_invite(project=project, actor=resident)
    assert invitation.token and invitation.token_hash == co.token_hash(invitation.token)
    assert not CoAuthor.objects.filter(token_hash=invitation.token).exists()
    friend = verified_user()
    accepted = co.coauthor_accept(token=invitation.token, user=friend)
    assert accepted.user == friend and accepted.accepted_at
    assert Notification.objects.filter(user=resident, kind="budget.coauthor_accepted").exists()
    # The co-author edits now.
    changed = project_update(project=project, actor=friend, revision=project.revision, title="Спільний сквер")
    assert changed.title == "Спільний сквер"
    with pytest.raises(DomainError) as exc:
        co.coauthor_accept(token=invitation.token, user=verified_user())
    assert exc.value.code == "invitation_used"


def test_an_email_invitation_notifies_and_is_only_for_that_person(project, resident):
    friend = verified_user()
    invitation = co.coauthor_invite(project=project, actor=resident, email=friend.email.upper())
    assert Notification.objects.filter(user=friend, kind="budget.coauthor_invited").exists()
    with pytest.raises(DomainError) as exc:
        co.coauthor_accept(token=invitation.token, user=verified_user())
    assert exc.value.code == "invitation_not_yours"
    with pytest.raises(DomainError) as exc:
        co.coauthor_invite(project=project, actor=resident, email=friend.email)
    assert exc.value.code == "already_invited"


def test_refusals(project, resident):
    with pytest.raises(PermissionDenied):
        co.coauthor_invite(project=project, actor=verified_user())
    with pytest.raises(DomainError) as exc:
        co.coauthor_invite(project=project, actor=resident, email="nobody@example.test")
    assert exc.value.code == "account_not_found" and exc.value.field == "email"
    for _ in range(co.MAX_COAUTHORS):
        co.coauthor_invite(project=project, actor=resident)
    with pytest.raises(DomainError) as exc:
        co.coauthor_invite(project=project, actor=resident)
    assert exc.value.code == "too_many_coauthors"
    assert CoAuthor.objects.filter(project=project).count() == co.MAX_COAUTHORS


def test_no_invitations_after_review(project, resident):
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.REVIEW)
    project.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        co.coauthor_invite(project=project, actor=resident)
    assert exc.value.code == "coauthors_closed"


def test_a_forged_token_is_not_found(project):
    with pytest.raises(DomainError) as exc:
        co.coauthor_accept(token="forged", user=verified_user())
    assert exc.value.code == "invitation_not_found"


def test_audience_has_author_coauthors_and_supporters(hromada, resident):
    from hromada.budget.project_selectors import project_audience

    cycle = make_cycle(hromada, current="ideas", residence="any")
    project = draft(cycle, resident)
    friend = verified_user()
    co.coauthor_accept(token=co.coauthor_invite(project=project, actor=resident).token, user=friend)
    co.coauthor_invite(project=project, actor=resident)  # pending: not in the audience
    assert {u.pk for u in project_audience(project)} == {resident.pk, friend.pk}
