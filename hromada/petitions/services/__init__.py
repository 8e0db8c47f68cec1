"""Writes for e-petitions. Every state change runs in one transaction with its
ledger entry; notifications are sent after commit.

One module per sub-domain; the public names are re-exported here, so
`services.petition_sign(...)` works as before. Patch a name in the module
that looks it up (e.g. `services.signing.ledger_entry_new`)."""

from .casework import (
    category_department_set,
    followup_publish,
    followup_step_add,
    petition_assign,
    petitions_mark_read,
    signer_list_download_record,
    staff_note_add,
    staff_note_delete,
)
from .coauthors import MAX_COAUTHORS, coauthor_accept, coauthor_invite, coauthor_remove
from .consideration import (
    ANSWER_DOCUMENT_MAX_BYTES,
    ANSWER_DOCUMENT_TYPES,
    answer_correct,
    answer_draft_approve,
    answer_draft_return,
    answer_draft_save,
    answer_draft_withdraw,
    extension_limit,
    petition_answer,
    petition_extend_deadline,
)
from .drafts import (
    petition_draft_copy,
    petition_draft_create,
    petition_draft_delete,
    petition_draft_submit,
    petition_update,
    petition_withdraw,
)
from .follow import follows_erase, petition_follow, petition_unfollow
from .moderation import petition_publish, petition_reject
from .signing import petition_sign, signer_pseudonym
from .submission import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    MAX_ATTACHMENTS,
    TEXT_MIN,
    TITLE_MIN,
    PetitionInvalid,
    Upload,
    category_create,
    petition_check,
    petition_submit,
)
from .threshold import petition_close_unsuccessful, petition_reach_threshold
from .tick import petitions_tick

__all__ = [
    "ANSWER_DOCUMENT_MAX_BYTES",
    "ANSWER_DOCUMENT_TYPES",
    "answer_correct",
    "answer_draft_approve",
    "answer_draft_return",
    "answer_draft_save",
    "answer_draft_withdraw",
    "category_department_set",
    "extension_limit",
    "followup_publish",
    "followup_step_add",
    "petition_assign",
    "petitions_mark_read",
    "signer_list_download_record",
    "staff_note_add",
    "staff_note_delete",
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_TYPES",
    "MAX_ATTACHMENTS",
    "MAX_COAUTHORS",
    "PetitionInvalid",
    "Upload",
    "coauthor_accept",
    "coauthor_invite",
    "coauthor_remove",
    "petition_check",
    "petition_draft_copy",
    "petition_draft_create",
    "petition_draft_delete",
    "petition_draft_submit",
    "petition_update",
    "petition_withdraw",
    "TEXT_MIN",
    "TITLE_MIN",
    "category_create",
    "follows_erase",
    "petition_answer",
    "petition_close_unsuccessful",
    "petition_extend_deadline",
    "petition_follow",
    "petition_publish",
    "petition_reach_threshold",
    "petition_reject",
    "petition_sign",
    "petition_submit",
    "petition_unfollow",
    "petitions_tick",
    "signer_pseudonym",
]
