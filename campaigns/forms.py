from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from content.channels import Channel


class CampaignBriefForm(forms.Form):
    goal = forms.ChoiceField(
        label=_("목표"), choices=Campaign.Goal.choices, widget=forms.RadioSelect
    )
    starts_on = forms.DateField(label=_("시작일"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("종료일"), widget=forms.DateInput(attrs={"type": "date"}))
    channels = forms.MultipleChoiceField(
        label=_("채널"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    offer = forms.CharField(
        label=_("혜택 (선택)"),
        required=False,
        max_length=200,
        help_text=_("예: 평일 오후 아메리카노 1+1"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        self.fields["starts_on"].initial = tomorrow
        self.fields["ends_on"].initial = tomorrow + dt.timedelta(days=6)
        self.fields["channels"].initial = list(Channel.values)
        self.fields["goal"].initial = Campaign.Goal.AWARENESS
