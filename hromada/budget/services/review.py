"""Expert review of projects."""

from __future__ import annotations


def support_close(*, cycle) -> None:
    return None
