import datetime as dt

import factory
from django.utils import timezone

from hromada.accounts.tests.factories import verified_user
from hromada.core.search import fold
from hromada.petitions.models import Category, Petition, Status
from hromada.petitions.selectors import petition_settings
from hromada.tenancy.tests.factories import HromadaFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    hromada = factory.SubFactory(HromadaFactory)
    name = factory.Sequence(lambda n: f"Благоустрій {n}")
    slug = factory.Sequence(lambda n: f"cat-{n}")


class PetitionFactory(factory.django.DjangoModelFactory):
    """A petition in moderation; use `collecting()` for a published one."""

    class Meta:
        model = Petition

    hromada = factory.SubFactory(HromadaFactory)
    number = factory.Sequence(lambda n: n + 1)
    author = factory.LazyFunction(verified_user)
    author_name = "Олена Коваль"
    title = factory.Sequence(lambda n: f"Облаштувати велодоріжку на вулиці Шевченка №{n}")
    text = "Просимо облаштувати безпечну велодоріжку вздовж вулиці Шевченка від центру до парку. " * 2
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.title} {o.text}"))
    category = factory.LazyAttribute(lambda o: CategoryFactory(hromada=o.hromada))
    status = Status.MODERATION
    threshold = factory.LazyAttribute(lambda o: petition_settings(hromada=o.hromada).threshold)
    collection_days = 30
    consideration_days = 10
    min_age = 16
    sign_level = "verified"
    submitted_at = factory.LazyFunction(timezone.now)
    moderation_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=2))


def collecting(**kwargs) -> Petition:
    now = timezone.now()
    kwargs.setdefault("published_at", now)
    kwargs.setdefault("collection_ends_at", now + dt.timedelta(days=30))
    kwargs.setdefault("status", Status.COLLECTING)
    return PetitionFactory(**kwargs)


def route_to(petition: Petition, officer) -> None:
    """Make `petition` fall in `officer`'s scope: its category routed to their department."""
    from hromada.accounts.models import StaffRole
    from hromada.petitions.models import CategoryDepartment

    role = StaffRole.objects.filter(hromada=petition.hromada, user=officer, department__isnull=False).first()
    assert role is not None, "the officer needs a department"
    CategoryDepartment.objects.update_or_create(
        category=petition.category, defaults={"hromada": petition.hromada, "department": role.department}
    )
    for attr in ("_petition_staff_roles",):
        if hasattr(officer, attr):
            delattr(officer, attr)


def head_of(officer):
    """A head of `officer`'s department (approves its drafts)."""
    from hromada.accounts.models import StaffRole
    from hromada.accounts.tests.factories import StaffRoleFactory

    role = StaffRole.objects.filter(user=officer, department__isnull=False).first()
    return StaffRoleFactory(
        hromada=role.hromada, role="officer", department=role.department, is_head=True
    ).user
