"""Sample content for the living style guide at /design/ (views.design, docs/design.md).

The copy is demonstration text, like a designer's specimen: it is not translated."""

from __future__ import annotations

from django import forms


class StyleGuideForm(forms.Form):
    """Every kind of field the kernel's core/_field.html renders."""

    title = forms.CharField(
        label="Назва петиції",
        min_length=50,
        max_length=200,
        help_text="Від 50 до 200 символів: коротко, що саме треба зробити.",
    )
    email = forms.EmailField(label="Електронна пошта", help_text="На неї надійде підтвердження.")
    text = forms.CharField(label="Текст петиції", widget=forms.Textarea, required=False)
    category = forms.ChoiceField(
        label="Категорія",
        choices=[("", "Оберіть категорію"), ("transport", "Транспорт і дороги"), ("parks", "Парки і сквери")],
        required=False,
    )
    decision = forms.ChoiceField(
        label="Рішення",
        choices=[
            ("supported", "Підтримано"),
            ("partly", "Підтримано частково"),
            ("declined", "Не підтримано"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    document = forms.FileField(label="Документ (PDF)", required=False, help_text="До 10 МБ.")
    agree = forms.BooleanField(label="Я погоджуюся з правилами подання петицій", required=True)


def sample_context() -> dict:
    statuses = [
        ("moderation", "На модерації"),
        ("collecting", "Збір підписів"),
        ("consideration", "На розгляді"),
        ("answered", "Отримала відповідь"),
        ("rejected", "Відхилена"),
        ("unsuccessful", "Не набрала підписів"),
        ("draft", "Чернетка"),
        ("withdrawn", "Відкликана"),
    ]
    rows = [
        {"number": 12, "title": "Облаштувати велопарковку біля ЦНАП", "due": "14.03.2026", "overdue": False},
        {
            "number": 9,
            "title": "Відремонтувати тротуар на вулиці Шевченка",
            "due": "02.03.2026",
            "overdue": True,
        },
    ]
    swatches = [
        ("text", "--c-text", "#000000"),
        ("muted", "--c-text-muted", "#4d4d4d"),
        ("surface", "--c-surface", "#f2f2f2"),
        ("line", "--c-line-strong", "#767676"),
        ("link", "--c-link", "#0047b3"),
        ("focus", "--c-focus", "#ffd400"),
        ("success", "--c-success", "#0f6b2f"),
        ("warning", "--c-warning", "#7a4500"),
        ("danger", "--c-danger", "#b3001b"),
        ("info", "--c-info", "#0047b3"),
    ]
    type_scale = [
        ("3xl", "--fs-3xl", "40"),
        ("2xl", "--fs-2xl", "30"),
        ("xl", "--fs-xl", "24"),
        ("l", "--fs-l", "20"),
        ("m", "--fs-m", "17"),
        ("s", "--fs-s", "15"),
        ("xs", "--fs-xs", "13"),
    ]
    return {"statuses": statuses, "rows": rows, "swatches": swatches, "type_scale": type_scale}
