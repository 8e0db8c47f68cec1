"""The enabled identity providers (settings.IDENTITY_PROVIDERS: dev, idgovua, oidc)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import VerificationMethod

from .base import Provider, conf, identity_error
from .idgovua import IdGovUaProvider
from .oidc import OidcProvider

DEV_CLIENT_ID_DEFAULT = "hromada-dev"
DEV_CLIENT_SECRET_DEFAULT = "dev-idp-secret-not-for-production"


def dev_client_credentials() -> tuple[str, str]:
    return (
        conf("DEV_IDP_CLIENT_ID", DEV_CLIENT_ID_DEFAULT),
        conf("DEV_IDP_CLIENT_SECRET", DEV_CLIENT_SECRET_DEFAULT),
    )


class DevProvider(IdGovUaProvider):
    """The id.gov.ua client pointed at the built-in development identity provider.

    The browser goes to DEV_IDP_BASE_URL (default: /dev-idp on the host the
    person is using); the server calls DEV_IDP_INTERNAL_URL (default: the same),
    so the whole flow runs over HTTP under gunicorn on any PORT and in tests."""

    key = "dev"
    method = VerificationMethod.DEV
    label = _("Тестовий провайдер ідентифікації (лише для розробки та демонстрації)")
    short_label = _("тестовий провайдер")

    def __init__(self) -> None:
        client_id, secret = dev_client_credentials()
        super().__init__(client_id=client_id, client_secret=secret, decrypt_url="")

    def base_url(self, request) -> str:
        configured = conf("DEV_IDP_BASE_URL")
        if configured:
            return configured.rstrip("/")
        return request.build_absolute_uri(reverse("dev_idp:authorize")).rstrip("/")

    def internal_url(self, request) -> str:
        return (conf("DEV_IDP_INTERNAL_URL") or self.base_url(request)).rstrip("/")


_FACTORIES = {"dev": DevProvider, "idgovua": IdGovUaProvider, "oidc": OidcProvider}


def enabled_keys() -> list[str]:
    keys = [k for k in settings.IDENTITY_PROVIDERS if k in _FACTORIES]
    if "dev" in keys and not settings.DEV_IDP_ENABLED:
        keys.remove("dev")
    return keys


def get_provider(key: str) -> Provider:
    if key not in enabled_keys():
        raise identity_error("provider_disabled", status=404)
    return _FACTORIES[key]()


def enabled_providers() -> list[Provider]:
    return [_FACTORIES[k]() for k in enabled_keys()]
