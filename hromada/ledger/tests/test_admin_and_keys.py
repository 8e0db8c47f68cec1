import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.core.exceptions import ImproperlyConfigured

from hromada.accounts.tests.factories import UserFactory
from hromada.ledger import keys
from hromada.ledger.models import LedgerEntry, LedgerKey, LedgerLeaf, SignedTreeHead
from hromada.ledger.services import ledger_seal

from .helpers import sign_some

# --- admin -----------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, db):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", [LedgerEntry, LedgerLeaf, SignedTreeHead, LedgerKey], ids=lambda m: m.__name__
)
def test_admin_shows_but_never_adds_changes_or_deletes(superuser_client, hromada, model):
    sign_some(hromada, 2)
    ledger_seal(hromada=hromada)
    obj = model.objects.first()
    base = f"/admin/ledger/{model._meta.model_name}/"
    before = list(model.objects.values())

    assert superuser_client.get(base).status_code == 200
    change_page = superuser_client.get(f"{base}{obj.pk}/change/")
    assert change_page.status_code == 200
    assert b'name="_save"' not in change_page.content
    assert superuser_client.get(f"{base}add/").status_code == 403
    assert superuser_client.post(f"{base}{obj.pk}/change/", {}).status_code == 403
    assert superuser_client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(model.objects.values()) == before


# --- the signing key -----------------------------------------------------------------------------------


def test_a_pem_in_the_setting_is_used(settings, ledger_signing_key):
    key = keys.signing_key()
    assert len(key.public_raw) == 32
    assert key.key_id == keys.key_id_for(key.public_raw)
    assert keys.signing_key() is key  # loaded once


def test_a_path_in_the_setting_is_read(settings, tmp_path, ledger_signing_key):
    path = tmp_path / "ledger.pem"
    path.write_text(ledger_signing_key)
    settings.LEDGER_SIGNING_KEY = str(path)
    keys.clear_cache()
    from_path = keys.signing_key()
    settings.LEDGER_SIGNING_KEY = ledger_signing_key
    keys.clear_cache()
    assert keys.signing_key().public_raw == from_path.public_raw


def test_without_a_setting_a_key_is_generated_once_with_private_permissions(settings, tmp_path):
    settings.LEDGER_SIGNING_KEY = ""
    settings.BASE_DIR = tmp_path
    keys.clear_cache()
    first = keys.signing_key()
    path = tmp_path / "var" / "ledger-signing-key.pem"
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    keys.clear_cache()
    assert keys.signing_key().public_raw == first.public_raw  # the same key after a restart
    assert [p.name for p in path.parent.iterdir()] == ["ledger-signing-key.pem"]  # no temporary files left


def test_a_missing_file_is_a_clear_configuration_error(settings, tmp_path):
    settings.LEDGER_SIGNING_KEY = str(tmp_path / "nope.pem")
    keys.clear_cache()
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        keys.signing_key()


def test_a_key_that_is_not_ed25519_is_refused(settings):
    rsa = generate_private_key(public_exponent=65537, key_size=2048)
    settings.LEDGER_SIGNING_KEY = rsa.private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    ).decode()
    keys.clear_cache()
    with pytest.raises(ImproperlyConfigured, match="must be Ed25519"):
        keys.signing_key()


def test_garbage_is_refused(settings):
    settings.LEDGER_SIGNING_KEY = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----"
    keys.clear_cache()
    with pytest.raises(ImproperlyConfigured, match="not an unencrypted PEM private key"):
        keys.signing_key()


def test_rotating_the_key_keeps_old_heads_verifiable(settings, hromada, client):
    from hromada.ledger.verify import verify_database

    sign_some(hromada, 2)
    old = ledger_seal(hromada=hromada).key.key_id
    settings.LEDGER_SIGNING_KEY = keys.generate_pem().decode()
    keys.clear_cache()
    sign_some(hromada, 2, start=2)
    new = ledger_seal(hromada=hromada).key.key_id

    assert old != new
    assert verify_database(hromada=hromada).key_ids == sorted([old, new])
    html = client.get("/ledger/").content.decode()
    assert old in html and new in html and "Попередній ключ" in html
