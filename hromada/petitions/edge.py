"""Signing at the edge (hromada.core.edge): POST /api/v1/petitions/<id>/sign with a
bearer token, the request a signing peak is made of, answered without Django's
request cycle by the same selectors and service the API view calls. Any refusal, a
session-cookie client or an unknown host goes to the API view instead, which
answers with its usual error codes."""

from __future__ import annotations

import re

from hromada.accounts.api_auth import token_user
from hromada.core.edge import Answer, Route, allowed_host, json_answer
from hromada.core.errors import DomainError
from hromada.tenancy.selectors import hromada_for_host, module_enabled

from . import selectors, services

SIGN_PATH = re.compile(r"^/api/v1/petitions/(?P<public_id>[0-9a-fA-F-]{32,36})/sign$")


def sign(environ, match) -> Answer | None:
    scheme, _sep, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not token.isascii():
        return None  # tokens are ASCII; anything else goes to Django, which refuses it
    host = allowed_host(environ)
    hromada = hromada_for_host(host) if host else None
    if hromada is None or not module_enabled(hromada, "petitions"):
        return None
    try:
        petition = selectors.petition_for_signing(hromada=hromada, public_id=match["public_id"])
        found = token_user(token.strip())
        if found is None:
            return None
        signature = services.petition_sign(petition=petition, user=found[0])
    except DomainError:
        return None
    return json_answer(
        201,
        {
            "signed": True,
            "signatures": selectors.petition_live_count(petition),
            "receipt": services.signer_pseudonym(petition=petition, person_key=signature.person_key),
        },
    )


ROUTES = [Route("POST", SIGN_PATH, sign, label="api/v1/petitions/<uuidstr:public_id>/sign")]
