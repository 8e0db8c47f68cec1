from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from .services import settings_fields


class HromadaForm(forms.Form):
    population = forms.IntegerField(
        label=_("Населення громади"),
        min_value=0,
        help_text=_("Для статистики: частка мешканців, що користуються послугами."),
    )


class ModuleSwitchForm(forms.Form):
    """One checkbox per module a hromada may switch off."""

    def __init__(self, *args, modules, enabled: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        for module in modules:
            self.fields[module.label] = forms.BooleanField(
                label=module.name,
                required=False,
                initial=module.label in enabled,
                help_text=module.description,
            )


def module_settings_form(label: str, model):
    """A form over the editable fields of a module's settings model."""
    return modelform_factory(model, fields=settings_fields(label))
