from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

# django_countries' fields.pyi leaves out LazyTypedChoiceField, which fields.py defines.
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from .models import TIME_ZONE_CHOICES, Organization, Role, User

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    name = forms.CharField(label=_("Full name"), max_length=150)
    country = LazyTypedChoiceField(label=_("Country"), choices=lambda: [("", _("Choose your country")), *countries])

    def signup(self, request, user: User) -> None:
        user.name = self.cleaned_data["name"].strip()
        user.country = self.cleaned_data["country"]
        user.preferred_language = getattr(request, "LANGUAGE_CODE", "") or ""
        user.save(update_fields=["name", "country", "preferred_language"])


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    country = LazyTypedChoiceField(label=_("Country"), choices=lambda: [("", "—"), *countries], required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=TIME_ZONE_CHOICES,
        help_text=_("Dates and times are shown in this time zone."),
    )


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name", "kind", "country", "city", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, kinds: Sequence[tuple[str, str | _StrPromise]], **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)  # the model field has choices: a TypedChoiceField
        kind.choices = [("", "---------"), *kinds]
        if self.instance.pk and self.instance.is_verified:
            self.fields["name"].help_text = self.fields["kind"].help_text = _(
                "Changing the name, kind or country asks the programme operators to verify the organization again.")


class VerificationForm(forms.Form):
    """An operator's decision on an organization, with its voucher quota."""

    voucher_quota = forms.IntegerField(label=_("Vouchers per period"), min_value=0, max_value=100_000)
    voucher_quota_days = forms.IntegerField(label=_("Period (days)"), min_value=1, max_value=366)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100,
        help_text=_("Say where you will use it, e.g. “Colab notebook”."),
    )
