"""The consultation's things people comment on (module.py `comment_targets`,
hromada.comments): the consultation itself, a paragraph of the draft act, a proposal.
Filled by the proposals part."""

from __future__ import annotations


def consultation(*, hromada, key):
    return None


def paragraph(*, hromada, key):
    return None


def proposal(*, hromada, key):
    return None
