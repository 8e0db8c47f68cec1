from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Statute
from .services import STATUTE_FIELDS


class StatuteForm(forms.ModelForm):
    population = forms.IntegerField(
        label=_("Населення громади"),
        min_value=0,
        help_text=_("Для статистики: частка мешканців, що підписують петиції."),
    )

    class Meta:
        model = Statute
        fields = STATUTE_FIELDS
