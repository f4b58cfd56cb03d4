"""The wizard's forms: few fields, each with a label, and errors in plain Korean."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from marketing.industries import INDUSTRY_CHOICES


class ShopForm(forms.Form):
    name = forms.CharField(
        label=_("가게 이름"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "organization", "autofocus": True}),
        error_messages={"required": _("가게 이름을 적어 주세요.")},
    )
    industry = forms.ChoiceField(
        label=_("업종"),
        choices=[("", _("골라 주세요")), *list(INDUSTRY_CHOICES)],
        help_text=_("고르면 말투와 손님, 게시 횟수를 알맞게 정해 드려요. 나중에 바꿀 수 있어요."),
        error_messages={"required": _("업종을 골라 주세요.")},
    )
    area = forms.CharField(
        label=_("동네"),
        max_length=120,
        help_text=_("예: 서울 마포구 연남동"),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        error_messages={"required": _("가게가 있는 동네를 적어 주세요.")},
    )


class FirstWeekForm(forms.Form):
    goal = forms.ChoiceField(
        label=_("이번 주 목표"),
        choices=Campaign.Goal.choices,
        initial=Campaign.Goal.AWARENESS,
        widget=forms.RadioSelect,
    )
    offer = forms.CharField(
        label=_("혜택 (선택)"),
        required=False,
        max_length=200,
        help_text=_("예: 평일 오후 아메리카노 1+1"),
    )
