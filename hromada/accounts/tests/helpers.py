import datetime as dt

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
