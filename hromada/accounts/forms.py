"""Forms parse and check shape; the rules live in services."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .identity.base import VerifiedPerson
from .models import IdentityDocument, Role, VerificationMethod


class LoginForm(auth_forms.AuthenticationForm):
    """Log in by e-mail. Repeated failures lock the account and the client address
    for every worker (django-axes, policy in hromada.accounts.lockout)."""

    username = forms.EmailField(
        label=_("Електронна пошта"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("Неправильна електронна пошта або пароль."),
        "inactive": _("Цей обліковий запис вимкнено."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["password"].label = _("Пароль")


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Електронна пошта"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    display_name = forms.CharField(
        label=_("Ім'я для показу"),
        max_length=150,
        required=False,
        help_text=_("Як вас називати на сайті. Офіційне ім'я береться з підтвердження особи."),
    )
    password1 = forms.CharField(
        label=_("Пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Щонайменше 8 символів; не лише цифри й не надто поширений."),
    )
    password2 = forms.CharField(
        label=_("Пароль ще раз"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("Паролі не збігаються."))
        return data


class VerifiedSignupForm(forms.Form):
    """The last step of signing up through an identity provider: no password."""

    email = forms.EmailField(
        label=_("Електронна пошта"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("На неї прийдуть сповіщення. Ми надішлемо лист, щоб підтвердити, що адреса ваша."),
    )
    display_name = forms.CharField(
        label=_("Ім'я для показу"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        help_text=_(
            "Необов'язково. Як вас називати на сайті; офіційне ім'я вже взято з підтвердження особи."
        ),
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Ім'я для показу"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Мова"), choices=settings.LANGUAGES)


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(label=_("Нова адреса"), max_length=254)
    password = forms.CharField(
        label=_("Поточний пароль"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Пароль"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("Я розумію, що обліковий запис буде видалено назавжди"),
        error_messages={"required": _("Позначте, що ви розумієте наслідки.")},
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Назва токена"),
        max_length=100,
        help_text=_("Напр. «скрипт звітності». Токен покажемо один раз — збережіть його."),
    )


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Назва підрозділу"), max_length=200)


class StaffRoleForm(forms.Form):
    email = forms.EmailField(label=_("Електронна пошта працівника"), max_length=254)
    role = forms.ChoiceField(label=_("Роль"), choices=Role.choices)
    department = forms.ChoiceField(label=_("Підрозділ"), required=False)
    position = forms.CharField(
        label=_("Посада"),
        max_length=200,
        required=False,
        help_text=_("Напр. «головний спеціаліст». Показується в офіційних відповідях, які дає ця особа."),
    )
    is_head = forms.BooleanField(
        label=_("Керівник підрозділу (затверджує відповіді підрозділу)"), required=False
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", _("— без підрозділу —"))] + [
            (str(d.public_id), d.name) for d in departments
        ]


class InPersonVerificationForm(forms.Form):
    email = forms.EmailField(label=_("Електронна пошта мешканця"), max_length=254)
    last_name = forms.CharField(label=_("Прізвище"), max_length=100)
    first_name = forms.CharField(label=_("Ім'я"), max_length=100)
    middle_name = forms.CharField(label=_("По батькові"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Дата народження"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    tax_number = forms.CharField(
        label=_("РНОКПП (ідентифікаційний код)"),
        max_length=20,
        help_text=_("10 цифр. Зберігається лише у вигляді ключового хешу."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    document_type = forms.ChoiceField(label=_("Перевірений документ"), choices=IdentityDocument.choices)
    document_checked = forms.BooleanField(
        label=_("Я перевірив(-ла) оригінал документа, і особа на фото — це заявник."),
        error_messages={"required": _("Підтвердьте, що ви перевірили оригінал документа.")},
    )

    def person(self) -> VerifiedPerson:
        data = self.cleaned_data
        return VerifiedPerson(
            last_name=data["last_name"],
            first_name=data["first_name"],
            middle_name=data.get("middle_name", ""),
            birth_date=data["birth_date"],
            tax_number=data["tax_number"],
            auth_type=data["document_type"],
            provider=VerificationMethod.IN_PERSON,
        )
