"""Demo data through the services (module.py `demo`). Filled by the lifecycle part."""


def seed(*, hromada, people, start=None):
    return []
