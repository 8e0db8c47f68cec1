"""A person's comments in their data export; erasure (filled by the comments work)."""


def personal_data(*, user) -> dict:
    raise NotImplementedError


def personal_data_erase(*, user) -> None:
    raise NotImplementedError
