from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketing.models import Business
from marketing.selectors import AnyUser, organizations_for_user


class SellingPointsField(forms.CharField):
    """One selling point per line in the form; a list in the database."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    # A CharField whose clean value is a list, on purpose: the model field stores a list.
    def to_python(self, value: object) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class BusinessForm(forms.ModelForm):
    selling_points = SellingPointsField(
        label=_("강점"), required=False, help_text=_("한 줄에 하나씩 적어 주세요.")
    )

    class Meta:
        model = Business
        fields = [
            "organization",
            "name",
            "industry",
            "description",
            "area",
            "address",
            "phone",
            "opening_hours",
            "price_range",
            "target_customers",
            "tone",
            "selling_points",
            "brand_primary_color",
            "brand_secondary_color",
            "logo",
            "background_music",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "opening_hours": forms.Textarea(attrs={"rows": 2}),
            "target_customers": forms.Textarea(attrs={"rows": 2}),
            "brand_primary_color": forms.TextInput(attrs={"type": "color"}),
            "brand_secondary_color": forms.TextInput(attrs={"type": "color"}),
            "background_music": forms.ClearableFileInput(
                attrs={"accept": "audio/mp4,audio/mpeg,audio/wav,.m4a,.mp3,.wav"}
            ),
        }

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = organizations_for_user(user)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # the model's ForeignKey
        field.queryset = organizations
        if organizations.count() == 1:
            # One organization: nothing to choose, so don't show the choice.
            field.initial = organizations.first()
            field.widget = forms.HiddenInput()
