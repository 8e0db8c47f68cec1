"""A person's consultations data: export and erasure (module.py). Filled by the results part."""


def personal_data(*, user) -> dict:
    return {}


def personal_data_erase(*, user) -> None:
    return None
