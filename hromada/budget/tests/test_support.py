"""Support collection: one per person, counted, ledgered, refused outside its phase."""

from __future__ import annotations

import pytest

from hromada.accounts.tests.factories import UserFactory, verified_user
from hromada.budget.models import Project, Support
from hromada.budget.services.support import project_support
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry

from .factories import make_cycle
from .helpers_projects import draft, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(hromada):
    return make_cycle(hromada, current="ideas", residence="any", support_threshold=3)


def test_support_is_counted_once_and_ledgered(cycle, resident):
    project = submitted(cycle, resident)
    supporter = verified_user()
    support = project_support(project=project, user=supporter)
    assert Project.objects.get(pk=project.pk).support_count == 1
    entry = LedgerEntry.objects.get(kind="budget.project_supported")
    assert entry.payload == {"project": str(project.public_id), "supporter": support.supporter}
    with pytest.raises(DomainError) as exc:
        project_support(project=project, user=supporter)
    assert exc.value.code == "already_supported"
    assert Project.objects.get(pk=project.pk).support_count == 1
    assert Support.objects.count() == 1


def test_no_support_without_threshold_or_for_a_draft(hromada, resident):
    plain = make_cycle(hromada, current="ideas", residence="any", slug="plain")
    with pytest.raises(DomainError) as exc:
        project_support(project=submitted(plain, resident), user=verified_user())
    assert exc.value.code == "support_not_collected"
    cycle = make_cycle(hromada, current="ideas", residence="any", support_threshold=2, slug="s")
    with pytest.raises(DomainError) as exc:
        project_support(project=draft(cycle, resident), user=verified_user())
    assert exc.value.code == "support_closed"


def test_support_needs_an_identity(cycle, resident):
    project = submitted(cycle, resident)
    with pytest.raises(DomainError) as exc:
        project_support(project=project, user=UserFactory())
    assert exc.value.code == "identity_required"
    assert not Support.objects.exists()


def test_support_after_the_support_phase_is_refused(hromada, resident):
    cycle = make_cycle(hromada, current="ideas", residence="any", support_threshold=2)
    project = submitted(cycle, resident)
    from hromada.core.models import Phase

    Phase.objects.filter(plan=cycle.plan, code__in=["ideas", "support"]).update(
        starts_at=project.submitted_at.replace(year=2000), ends_at=project.submitted_at.replace(year=2001)
    )
    with pytest.raises(DomainError) as exc:
        project_support(project=project, user=verified_user())
    assert exc.value.code == "support_closed"
