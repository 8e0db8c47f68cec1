from hromada.accounts.rules import has_perm


def can_change_settings(user, hromada) -> bool:
    return has_perm(user, hromada, "tenancy.change_settings")
