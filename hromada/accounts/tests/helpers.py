import datetime as dt
from urllib.parse import urlsplit

from hromada.accounts.identity import taxnumber
from hromada.accounts.identity.base import VerifiedPerson


def person(born=dt.date(1985, 3, 14), serial=1024, **overrides) -> VerifiedPerson:
    values = {
        "last_name": "Коваленко",
        "first_name": "Олена",
        "middle_name": "Петрівна",
        "birth_date": None,
        "tax_number": taxnumber.make(born, serial),
        "auth_type": "bank_id",
        "provider": "dev",
    }
    values.update(overrides)
    return VerifiedPerson(**values)


# --- driving the development identity provider with a Django test client ---------------------------


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def start(client, next_url: str = "") -> str:
    response = client.get("/accounts/verify/dev/start/", {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return response["Location"]


def authorize(client, authorize_url: str, **data) -> str:
    page = client.get(_path(authorize_url))
    assert page.status_code == 200
    response = client.post(_path(authorize_url), {"person": "0", "auth_type": "bank_id", **data})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def run_flow(client, next_url: str = "", **data):
    """Start, pick a person at the dev IdP, and follow the callback once."""
    callback = authorize(client, start(client, next_url), **data)
    return client.get(_path(callback)), callback
