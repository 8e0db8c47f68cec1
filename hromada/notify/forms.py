from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    """Two checkboxes per kind of notification: in the app, by e-mail."""

    def __init__(self, *args, choices: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds: list[tuple[str, str]] = []
        for choice in choices:
            kind = choice["kind"]
            self.fields[f"{kind}__in_app"] = forms.BooleanField(
                label=_("у кабінеті на сайті"), required=False, initial=choice["in_app"]
            )
            self.fields[f"{kind}__email"] = forms.BooleanField(
                label=_("електронною поштою"), required=False, initial=choice["email"]
            )
            self.kinds.append((kind, choice["label"]))

    def groups(self):
        return [(label, self[f"{kind}__in_app"], self[f"{kind}__email"]) for kind, label in self.kinds]

    def chosen(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {kind: (data[f"{kind}__in_app"], data[f"{kind}__email"]) for kind, _label in self.kinds}
