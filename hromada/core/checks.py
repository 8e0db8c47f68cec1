"""System checks over the module registry (run by `manage.py check` and the tests).

- hromada.E001: a module's label is not an installed app, or its settings model has no
  one-to-one `hromada` field.
- hromada.E002: a domain model is not tenant-owned (no `hromada` foreign key through
  core.models.TenantOwned) and not listed in its module's `not_tenant_owned`.
- hromada.E003: a model with a foreign key to the user is neither exported by a
  personal-data exporter (`personal_models`) nor listed as `not_personal` with a reason
  (Zulip's rule: nothing personal is forgotten by the export).
- hromada.E004: a permission is granted by a role that does not exist.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core import checks

from .models import TenantOwned
from .modules import registry


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _user_fields(model) -> list[str]:
    user_model = settings.AUTH_USER_MODEL.lower()
    return [
        f.name
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False)
        and f.is_relation
        and f.related_model is not None
        and _label(f.related_model).lower() == user_model
    ]


def check_modules(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from hromada.accounts.models import Role

    errors: list[checks.CheckMessage] = []
    personal = {name for m in registry for name in m.personal_models}
    not_personal = {name for m in registry for name in m.not_personal}
    for module in registry:
        if not apps.is_installed(f"hromada.{module.label}") and module.label not in {
            c.label for c in apps.get_app_configs()
        }:
            errors.append(checks.Error(f"module {module.label!r} is not an installed app", id="hromada.E001"))
            continue
        model = module.settings_model_class()
        if model is not None:
            field = next((f for f in model._meta.concrete_fields if f.name == "hromada"), None)
            if field is None or not field.one_to_one:
                errors.append(
                    checks.Error(
                        f"settings model {module.settings_model} needs a one-to-one field 'hromada'",
                        id="hromada.E001",
                    )
                )
        for model in apps.get_app_config(module.label).get_models():
            name = _label(model)
            if not module.kernel and name not in module.not_tenant_owned:
                has_fk = any(f.name == "hromada" and f.is_relation for f in model._meta.concrete_fields)
                if not (has_fk and issubclass(model, TenantOwned)):
                    errors.append(
                        checks.Error(
                            f"{name} is not tenant-owned: give it a 'hromada' foreign key and "
                            "core.models.TenantOwned, or list it in the module's not_tenant_owned with a reason",
                            id="hromada.E002",
                        )
                    )
            if _user_fields(model) and name not in personal and name not in not_personal:
                errors.append(
                    checks.Error(
                        f"{name} refers to a user ({', '.join(_user_fields(model))}) but no module exports it "
                        "(personal_models) or lists it as not_personal with a reason",
                        id="hromada.E003",
                    )
                )
        for permission in module.permissions:
            unknown = set(permission.roles) - set(Role.values)
            if unknown:
                errors.append(
                    checks.Error(
                        f"permission {permission.codename} is granted by unknown roles {sorted(unknown)}",
                        id="hromada.E004",
                    )
                )
    return errors
