from django.apps import AppConfig


class SampleConfig(AppConfig):
    """A test-only module: the kernel's tests use it, so they pass without petitions."""

    name = "hromada.core.tests.sample"
    label = "sample"
