"""The profile names the way a person proved who they are as people call it, never
as a raw code such as "(diia_id)" (issue 9, defect 12)."""

import pytest

from hromada.accounts.models import VerificationMethod
from hromada.accounts.tests.factories import IdentityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("auth_type", "label", "english"),
    [
        ("diia_id", "Дія.Підпис", "Diia.Signature"),
        ("bank_id", "BankID НБУ", "BankID"),
        ("qr_future", "інший спосіб", "another method"),
    ],
)
def test_the_profile_shows_the_identity_methods_label(client, hromada, auth_type, label, english):
    user = UserFactory()
    IdentityFactory(user=user, method=VerificationMethod.IDGOVUA, auth_type=auth_type)
    client.force_login(user)
    page = client.get("/accounts/profile/").content.decode()
    assert label in page
    assert f"({auth_type})" not in page and f">{auth_type}<" not in page
    client.cookies["django_language"] = "en"
    page = client.get("/accounts/profile/").content.decode()
    assert english in page and auth_type not in page
