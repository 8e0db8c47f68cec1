from hromada.accounts.rules import is_hromada_admin


def can_change_statute(user, hromada) -> bool:
    return is_hromada_admin(user, hromada)
