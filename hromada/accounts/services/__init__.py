"""Writes for residents, identities, staff and API tokens.

Every function is keyword-only, runs in one transaction and raises DomainError
with a stable code and a Ukrainian message when the request cannot be honoured.

One module per sub-domain; the public names are re-exported here. Patch a name
in the module that looks it up (e.g. `services.users.send_mail`).
"""

from .identity import (
    ONLINE_METHODS,
    identity_sign_in,
    identity_verify,
    identity_verify_in_person,
    user_signup_verified,
)
from .staff import (
    department_create,
    department_delete,
    department_rename,
    staff_role_grant,
    staff_role_revoke,
)
from .tokens import API_TOKEN_PREFIX, MAX_API_TOKENS, api_token_create, api_token_hash, api_token_revoke
from .users import (
    CONFIRM_MAX_AGE,
    CONFIRM_SALT,
    EMAIL_CHANGE_SALT,
    RESEND_INTERVAL_SECONDS,
    confirmation_token,
    user_confirm_email,
    user_confirm_email_change,
    user_delete_account,
    user_email_proven,
    user_request_email_change,
    user_send_confirmation,
    user_signup,
    user_update_profile,
)

__all__ = [
    "API_TOKEN_PREFIX",
    "CONFIRM_MAX_AGE",
    "CONFIRM_SALT",
    "EMAIL_CHANGE_SALT",
    "MAX_API_TOKENS",
    "ONLINE_METHODS",
    "RESEND_INTERVAL_SECONDS",
    "api_token_create",
    "api_token_hash",
    "api_token_revoke",
    "confirmation_token",
    "department_create",
    "department_delete",
    "department_rename",
    "identity_sign_in",
    "identity_verify",
    "identity_verify_in_person",
    "staff_role_grant",
    "staff_role_revoke",
    "user_confirm_email",
    "user_confirm_email_change",
    "user_delete_account",
    "user_email_proven",
    "user_request_email_change",
    "user_send_confirmation",
    "user_signup",
    "user_signup_verified",
    "user_update_profile",
]
