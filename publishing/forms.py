from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from publishing.models import ChannelAccount


class NaverXmlRpcForm(forms.Form):
    """The opt-in Naver Blog XML-RPC connection: checked with Naver before saving."""

    blog_id = forms.CharField(
        label=_("블로그 아이디"),
        max_length=120,
        required=False,
        help_text=_("blog.naver.com/ 뒤에 오는 아이디예요. 비워 두면 네이버 아이디와 같다고 봐요."),
    )
    username = forms.CharField(label=_("네이버 아이디"), max_length=120)
    api_password = forms.CharField(
        label=_("API 비밀번호"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("로그인 비밀번호가 아니라 블로그 관리 > 글쓰기 API 설정에 있는 값이에요."),
    )
    mode = forms.ChoiceField(
        label=_("연결할 곳"),
        choices=[
            (ChannelAccount.Mode.API, _("네이버 블로그")),
            (ChannelAccount.Mode.SANDBOX, _("샌드박스")),
        ],
        initial=ChannelAccount.Mode.API,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, sandbox_allowed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not sandbox_allowed:
            mode = self.fields["mode"]
            assert isinstance(mode, forms.ChoiceField)  # declared above
            mode.choices = [(ChannelAccount.Mode.API, _("네이버 블로그"))]
            mode.widget = forms.HiddenInput()
