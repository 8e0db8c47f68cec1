"""Publishing the ballot, closing the vote, counting it from the ledger."""

from __future__ import annotations


def ballot_publish(*, cycle) -> None:
    return None


def voting_close(*, cycle) -> None:
    return None


def results_publish(*, cycle) -> None:
    return None
