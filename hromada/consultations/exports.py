"""The module's open datasets (module.py `datasets`). Filled by the results part."""


def consultation_rows(*, hromada):
    return iter(())


def result_rows(*, hromada):
    return iter(())


def proposal_rows(*, hromada):
    return iter(())
