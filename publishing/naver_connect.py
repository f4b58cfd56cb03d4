"""Checking a Naver Blog login before it is saved: which blogs a user name and API
password may write to (``blogger.getUsersBlogs`` over XML-RPC, through the one HTTP
seam). ``publishing.accounts.connect_naver`` saves the account."""

from __future__ import annotations

import xmlrpc.client
from dataclasses import dataclass

import requests
from django.utils.translation import gettext as _

from core.http import http_session
from publishing.publishers.naver import NaverBlogPublisher


class NaverLoginFailed(Exception):
    """Naver refused the login or could not be reached: ``message`` is for the owner."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NaverBlog:
    blog_id: str
    name: str
    url: str


def naver_users_blogs(username: str, api_password: str, *, sandbox: bool) -> list[NaverBlog]:
    """The blogs Naver says this user name and API password may write to. Raises
    NaverLoginFailed (with the owner's sentence) when Naver refuses or cannot be reached."""
    endpoint = NaverBlogPublisher.endpoints(sandbox).api
    # The appkey is a Blogger API leftover that MetaWeblog servers ignore.
    payload = xmlrpc.client.dumps(
        ("gagecast", username, api_password), methodname="blogger.getUsersBlogs", encoding="utf-8"
    )
    unreachable = _(
        "네이버 블로그 API에 연결하지 못했어요. 잠시 뒤 다시 시도하거나 직접 게시 도우미를 써 주세요."
    )
    try:
        response = http_session().post(
            endpoint, data=payload.encode(), headers={"Content-Type": "text/xml; charset=utf-8"}
        )
    except requests.RequestException as error:
        raise NaverLoginFailed(unreachable) from error
    if response.status_code != 200:
        raise NaverLoginFailed(
            _("네이버 블로그 API가 응답하지 않아요(HTTP %(status)s). 직접 게시 도우미를 써 주세요.")
            % {"status": response.status_code}
        )
    try:
        (answer,), _method = xmlrpc.client.loads(response.content, use_builtin_types=True)
    except xmlrpc.client.Fault as fault:
        raise NaverLoginFailed(
            _(
                "네이버가 아이디나 API 비밀번호를 받아 주지 않았어요(%(reason)s). 로그인 비밀번호가 "
                "아닌, 블로그 관리 > 글쓰기 API 설정의 API 비밀번호를 넣어 주세요."
            )
            % {"reason": str(fault.faultString).strip() or fault.faultCode}
        ) from fault
    except Exception as error:  # not XML-RPC at all: a proxy page, a moved endpoint…
        raise NaverLoginFailed(unreachable) from error
    return [
        NaverBlog(
            blog_id=str(blog.get("blogid", "")),
            name=str(blog.get("blogName", "")),
            url=str(blog.get("url", "")),
        )
        for blog in (answer if isinstance(answer, list) else [])
        if isinstance(blog, dict)
    ]
