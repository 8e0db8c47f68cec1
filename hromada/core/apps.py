from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hromada.core"
    label = "core"

    def ready(self) -> None:
        from django.core import checks
        from django.utils.module_loading import autodiscover_modules

        from . import checks as module_checks
        from . import ratelimit

        # Each app's module.py registers what it gives the platform (core/modules.py).
        autodiscover_modules("module")
        checks.register(module_checks.check_modules)
        checks.register(ratelimit.check_rate_limits)
