import datetime as dt

import factory
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hromada.accounts.models import Department, Identity, Role, StaffRole, User, VerificationMethod
from hromada.tenancy.tests.factories import HromadaFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    display_name = factory.Faker("name", locale="uk_UA")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class IdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Identity

    user = factory.SubFactory(UserFactory)
    tax_hash = factory.Sequence(lambda n: f"{n:064x}")
    last_name = factory.Faker("last_name", locale="uk_UA")
    first_name = factory.Faker("first_name", locale="uk_UA")
    middle_name = factory.Faker("middle_name", locale="uk_UA")
    birth_date = dt.date(1985, 6, 15)
    method = VerificationMethod.DEV
    auth_type = "bank_id"
    verified_at = factory.LazyFunction(timezone.now)


def verified_user(**identity_kwargs) -> User:
    return IdentityFactory(**identity_kwargs).user


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    hromada = factory.SubFactory(HromadaFactory)
    name = factory.Sequence(lambda n: f"Відділ {n}")


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    hromada = factory.SubFactory(HromadaFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MODERATOR
    department = factory.LazyAttribute(
        lambda o: DepartmentFactory(hromada=o.hromada) if o.role == Role.OFFICER else None
    )


def staff_user(hromada, role: str) -> User:
    return StaffRoleFactory(hromada=hromada, role=role).user


# Every kind of actor a permission test meets: each staff role of the hromada, a verified
# resident, an anonymous visitor, and each staff role of another hromada ("other_<role>").
ACTORS: tuple[str, ...] = (
    *Role.values,
    "resident",
    "anonymous",
    *(f"other_{role}" for role in Role.values),
)


def role_actor(name: str, hromada, other_hromada=None):
    """A fresh user (or AnonymousUser) for one of ACTORS."""
    if name == "anonymous":
        return AnonymousUser()
    if name == "resident":
        return verified_user()
    if name.startswith("other_"):
        return staff_user(other_hromada, name.removeprefix("other_"))
    return staff_user(hromada, name)


def role_matrix(hromada, other_hromada) -> dict:
    """{actor name: user} for every name in ACTORS."""
    return {name: role_actor(name, hromada, other_hromada) for name in ACTORS}
