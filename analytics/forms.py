"""The owner's numbers for a Naver Blog post: 조회수, 공감, 댓글, whole numbers from
zero, none smaller than the previous entry. And the owner's 👍/👎 with a comment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.feedback import COMMENT_MAX
from analytics.models import Feedback, MetricSnapshot
from analytics.owner_metrics import OwnerNumbers, shrunk

MAX_COUNT = 2_000_000_000  # what the snapshot's column holds, with room to spare


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1}),
        # "숫자"/"에는" after the label: the same words whatever its last syllable.
        error_messages={
            "required": _("%(label)s 숫자를 입력해 주세요.") % {"label": label},
            "invalid": _("%(label)s에는 0 이상의 정수만 입력할 수 있어요(쉼표 없이).")
            % {"label": label},
            "min_value": _("%(label)s에는 0보다 작은 숫자를 입력할 수 없어요.") % {"label": label},
            "max_value": _("%(label)s 숫자가 너무 커요. 다시 확인해 주세요.") % {"label": label},
        },
    )


class OwnerMetricsForm(forms.Form):
    def __init__(self, *args: Any, previous: MetricSnapshot | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.previous = previous
        # Built per form, so the messages are in the language of the request.
        self.fields["views"] = _count(_("조회수"))
        self.fields["likes"] = _count(_("공감"))
        self.fields["comments"] = _count(_("댓글"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(isinstance(data.get(name), int) for name in ("views", "likes", "comments")):
            for name, message in shrunk(self.previous, self.numbers(data)).items():
                self.add_error(name, message)
        return data

    @staticmethod
    def numbers(data: dict[str, Any]) -> OwnerNumbers:
        return OwnerNumbers(views=data["views"], likes=data["likes"], comments=data["comments"])


class FeedbackForm(forms.Form):
    rating = forms.ChoiceField(
        choices=Feedback.Rating.choices,
        error_messages={
            "required": gettext_lazy("👍 또는 👎 중 하나를 눌러 주세요."),
            "invalid_choice": gettext_lazy("👍 또는 👎 중 하나를 눌러 주세요."),
        },
    )
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX,
        error_messages={
            "max_length": gettext_lazy(
                "의견은 %(limit_value)s자까지 쓸 수 있어요. 조금 줄여 주세요."
            )
        },
    )
