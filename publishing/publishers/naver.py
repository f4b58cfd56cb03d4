"""Naver Blog through MetaWeblog XML-RPC: the opt-in connection for blogs where it works.

Naver announced the end of API writing in 2020, so this publisher expects to be told
no: a fault, or an endpoint that is gone, raises ``FallbackToAssisted`` and the
service turns the publication into assisted publishing with the reason shown.

``metaWeblog.newPost`` has no container, so exactly-once works like this: the title
and the time are saved (``newpost_sent``) before the call; a later attempt that finds
them asks ``metaWeblog.getRecentPosts`` for a post with that title made since then,
and posts again only when there is none. The post id is saved as ``container_id`` as
soon as Naver gives it.

The XML goes over ``core.http.http_session()`` (``xmlrpc.client.dumps``/``loads``), so
every call has the house timeouts and goes through the one HTTP seam.

``job.options`` read here: ``category`` (a blog category name, optional).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.parsers.expat
import xmlrpc.client
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import requests
import urllib3.exceptions
from django.conf import settings
from django.utils import timezone

from core.http import http_session, retry_after_s
from publishing.publishers.base import (
    AssistedFallback,
    Endpoints,
    ErrorKind,
    Media,
    Pending,
    Published,
    Publisher,
    PublishError,
    PublishJob,
)
from publishing.publishers.post import BlogBlock, PostContent, assets_by_role, ordered

if TYPE_CHECKING:
    from content.models import Asset, ContentPiece


class FallbackToAssisted(AssistedFallback):
    """Naver will not take this post through the API: publish it assisted instead.

    ``kind`` is PERMANENT when Naver refuses API writing or the endpoint is gone, and
    AUTH when the blog's API password is wrong: then the account is flagged for the
    owner to fix *and* this post still goes out assisted, on time.
    """

    def __init__(
        self,
        reason: str,
        *,
        kind: ErrorKind = ErrorKind.PERMANENT,
        message: str = "",
        detail: str = "",
        status: int | None = None,
        code: str = "",
    ) -> None:
        super().__init__(
            message
            or f"네이버가 API 글쓰기를 거절했습니다({reason}). 직접 게시 도우미로 바꿔 알림을 보내드릴게요.",
            kind=kind,
            detail=detail,
            status=status,
            code=code,
        )
        self.reason = reason


class NaverBlogPublisher(Publisher):
    platform = "naver_blog"
    formats = ("blog",)

    RECENT_POSTS: ClassVar[int] = 20  # how far back a retry looks for its own post
    CLOCK_SLACK: ClassVar[dt.timedelta] = dt.timedelta(minutes=10)  # our clock vs Naver's
    TITLE_MAX_CHARS: ClassVar[int] = 100
    # Status codes that say the endpoint is not there any more (or never takes writes).
    GONE_STATUSES: ClassVar[frozenset[int]] = frozenset({404, 405, 410, 501})
    # Words of a fault that means "wrong blog id / user name / API password". Codes do
    # not tell: 403 is both "bad password" and "API writing has ended" (WordPress usage).
    AUTH_FAULT_WORDS: ClassVar[re.Pattern[str]] = re.compile(
        r"password|passwd|username|credential|login|비밀번호|아이디|로그인|인증", re.IGNORECASE
    )
    AUTH_MESSAGE: ClassVar[str] = (
        "네이버 블로그 API 비밀번호가 맞지 않습니다({reason}). 설정 > 채널 연결에서 블로그 아이디와 "
        "API 비밀번호(로그인 비밀번호가 아닌, 블로그 관리 > 글쓰기 API 설정의 값)를 확인해 주세요. "
        "이번 글은 직접 게시 도우미로 바꿔 알림을 보내드릴게요."
    )

    # Naver closed its writing API to new users: assisted publishing is the default.
    assisted_by_default = True
    permalink_hosts = ("blog.naver.com", "m.blog.naver.com", "naver.me")
    permalink_hint = "네이버 블로그 글 주소가 아닙니다. 올린 글을 열고 주소창의 주소(https://blog.naver.com/…)를 붙여 넣어 주세요."
    POST_PATH: ClassVar[re.Pattern[str]] = re.compile(r"^/(?P<blog>[\w.-]+)/(?P<post>\d+)")

    # --- The interface ----------------------------------------------------------------

    @classmethod
    def post_id_in(cls, path: str) -> str:
        matched = cls.POST_PATH.match(path)
        return matched["post"] if matched else ""

    @classmethod
    def endpoints(cls, sandbox: bool) -> Endpoints:
        if sandbox:
            return Endpoints(api=f"{settings.SANDBOX_NAVER_URL.rstrip('/')}/xmlrpc")
        return Endpoints(api=settings.NAVER_BLOG_XMLRPC_URL)

    @classmethod
    def post(cls, piece: ContentPiece) -> PostContent:
        """The blog post as blocks: a header image, the intro, each section with one
        picture after it, the closing; tags with the place keywords."""
        fields, assets = piece.fields or {}, assets_by_role(piece)
        blocks: list[BlogBlock] = []
        if "blog-header" in assets:
            blocks.append(BlogBlock("image", fields.get("title", ""), assets["blog-header"]))
        if fields.get("intro"):
            blocks.append(BlogBlock("text", fields["intro"]))
        body_images = ordered(assets, "blog")
        slots = list(fields.get("image_slots") or [])
        for n, section in enumerate(fields.get("sections") or []):
            blocks.append(BlogBlock("heading", section.get("heading", "")))
            blocks.append(BlogBlock("text", section.get("body", "")))
            if n < len(body_images):  # one picture after each section, in order
                caption = slots[n].get("caption", "") if n < len(slots) else ""
                blocks.append(BlogBlock("image", caption, body_images[n]))
        if fields.get("closing"):
            blocks.append(BlogBlock("text", fields["closing"]))
        tags = [*(fields.get("tags") or []), *(fields.get("place_keywords") or [])]
        images = [("image", b.asset) for b in blocks if b.kind == "image" and b.asset is not None]
        return PostContent(
            format="blog",
            text=piece.body,
            title=fields.get("title") or piece.title,
            tags=list(dict.fromkeys(t.lstrip("#") for t in tags if t.strip())),
            assets=images,
            blocks=blocks,
        )

    @classmethod
    def post_text(cls, post: PostContent, url_of: Callable[[Asset], str]) -> str:
        """The post as HTML for XML-RPC's ``description``; ``url_of(asset)`` gives image URLs."""
        parts = []
        for block in post.blocks:
            text = html.escape(block.text)
            if block.kind == "heading":
                parts.append(f"<h3>{text}</h3>")
            elif block.kind == "image" and block.asset is not None:
                parts.append(_figure_html(url_of(block.asset), block.text))
            elif block.text:
                parts.append(_paragraphs(block.text))
        return "\n".join(parts)

    def publish(self, job: PublishJob) -> Published | Pending:
        """Post ``job`` with metaWeblog.newPost, at most once: a retry after an unknown
        outcome looks for the post first. Raises FallbackToAssisted when Naver will not
        take it, PublishError (transient) when it may pass."""
        if job.container_id:  # Naver gave us the post id earlier
            return self._published(job, job.container_id)
        title = self.title(job)
        with http_session() as session:
            if job.progress.get("newpost_sent"):
                found = self._find(session, job)
                if found:
                    return self._done(job, found)
            job.save(
                newpost_sent=True,
                title=title,
                first_sent_at=job.progress.get("first_sent_at") or timezone.now().isoformat(),
            )
            post = {
                "title": title,
                "description": self.body_html(job),
                "categories": [str(job.options["category"])] if job.options.get("category") else [],
                "mt_keywords": ", ".join(tag.lstrip("#") for tag in job.tags if tag.strip()),
            }
            post_id = self._call(
                session,
                job,
                "metaWeblog.newPost",
                (*self._login(job), post, True),
                summary={"title": title, "images": len(job.media_of("image"))},
                outcome_unknown=True,
            )
        return self._done(job, str(post_id))

    def find_published(self, job: PublishJob) -> Published | None:
        """The post this job made, if Naver has it (by saved id, or by title and time)."""
        if job.container_id:
            return self._published(job, job.container_id)
        if not job.progress.get("newpost_sent"):
            return None
        with http_session() as session:
            found = self._find(session, job)
        return self._done(job, found) if found else None

    # --- The post ---------------------------------------------------------------------

    def title(self, job: PublishJob) -> str:
        title = " ".join(job.title.split()) or " ".join(_text_of(job.text).split())
        return title[: self.TITLE_MAX_CHARS] or "새 소식"

    def body_html(self, job: PublishJob) -> str:
        """``job.text`` as HTML, with each image the HTML does not show yet added at the
        end, in order, its caption under it. (``post_text`` already puts
        every image after its section; this keeps a post whole when the body came
        from elsewhere, and never shows an image twice.)"""
        body = job.text if _is_html(job.text) else _paragraphs(job.text)
        figures = [
            _figure(image)
            for image in job.media_of("image")
            if image.url and image.url not in body and html.escape(image.url) not in body
        ]
        return "\n".join([body, *figures]) if figures else body

    # --- The protocol -----------------------------------------------------------------

    def _login(self, job: PublishJob) -> tuple[str, str, str]:
        credentials = job.credentials
        return credentials.user_id, credentials.username, credentials.api_password

    def _find(self, session: requests.Session, job: PublishJob) -> str:
        """The id of the post an earlier newPost made ("" when Naver has none): a post
        with the saved title, created since the first try."""
        try:
            posts = self._call(
                session,
                job,
                "metaWeblog.getRecentPosts",
                (*self._login(job), self.RECENT_POSTS),
                summary={"looking_for": job.progress.get("title", "")},
            )
        except FallbackToAssisted as refused:
            if refused.kind is ErrorKind.AUTH:
                raise
            raise FallbackToAssisted(
                refused.reason,
                message=(
                    "네이버 API로 이전 글쓰기가 됐는지 확인할 수 없습니다"
                    f"({refused.reason}). 블로그에 이미 올라갔는지 먼저 확인해 주세요: "
                    "직접 게시 도우미로 바꿔 알림을 보내드릴게요."
                ),
                detail=refused.detail,
                status=refused.status,
                code=refused.code,
            ) from refused
        sent_at = dt.datetime.fromisoformat(str(job.progress["first_sent_at"]))
        title = _normal_title(str(job.progress.get("title", "")))
        for post in posts if isinstance(posts, list) else []:
            if not isinstance(post, Mapping) or _normal_title(str(post.get("title", ""))) != title:
                continue
            created = _post_time(post)
            if created is None or created >= sent_at - self.CLOCK_SLACK:
                return str(post.get("postid", ""))
        return ""

    def _call(
        self,
        session: requests.Session,
        job: PublishJob,
        method: str,
        params: tuple[Any, ...],
        *,
        summary: dict[str, Any],
        outcome_unknown: bool = False,
    ) -> Any:
        """One XML-RPC call over the HTTP seam: Naver's answer, or the error classified."""
        payload = xmlrpc.client.dumps(params, methodname=method, encoding="utf-8")
        with job.call(method, **summary) as rec:
            try:
                response = session.post(
                    job.endpoints.api,
                    data=payload.encode(),
                    headers={"Content-Type": "text/xml; charset=utf-8"},
                )
            except requests.RequestException as error:
                raise self._connection_error(error, outcome_unknown) from error
            rec.status = response.status_code
            if response.status_code != 200:
                raise self._http_error(response, outcome_unknown)
            try:
                (answer,), _ = xmlrpc.client.loads(response.content, use_builtin_types=True)
            except xmlrpc.client.Fault as fault:
                rec.summary["fault"] = f"{fault.faultCode} {fault.faultString}"
                raise self._fault(fault) from fault
            except (xml.parsers.expat.ExpatError, ValueError) as error:
                raise FallbackToAssisted(
                    "XML-RPC가 아닌 응답",
                    detail=f"{type(error).__name__}: {response.text[:200]}",
                    status=response.status_code,
                ) from error
        return answer

    # --- Errors -----------------------------------------------------------------------

    def _fault(self, fault: xmlrpc.client.Fault) -> FallbackToAssisted:
        reason = str(fault.faultString).strip() or f"오류 코드 {fault.faultCode}"
        detail = f"fault {fault.faultCode}: {fault.faultString}"
        code = str(fault.faultCode)
        if fault.faultCode == 401 or self.AUTH_FAULT_WORDS.search(reason):
            return FallbackToAssisted(
                reason,
                kind=ErrorKind.AUTH,
                message=self.AUTH_MESSAGE.format(reason=reason),
                detail=detail,
                code=code,
            )
        return FallbackToAssisted(reason, detail=detail, code=code)

    def _http_error(self, response: requests.Response, outcome_unknown: bool) -> PublishError:
        status = response.status_code
        detail = f"HTTP {status}: {response.text[:200]}"
        if status == 429 or (status >= 500 and status not in self.GONE_STATUSES):
            return PublishError(
                "네이버 블로그가 잠시 응답하지 못했습니다. 잠시 뒤 자동으로 다시 올릴게요.",
                kind=ErrorKind.TRANSIENT,
                detail=detail,
                status=status,
                retry_after_s=retry_after_s(response),
                outcome_unknown=outcome_unknown and status >= 500,
            )
        if status == 401:
            return FallbackToAssisted(
                f"HTTP {status}",
                kind=ErrorKind.AUTH,
                message=self.AUTH_MESSAGE.format(reason=f"HTTP {status}"),
                detail=detail,
                status=status,
            )
        reason = "API 주소가 더 이상 없음" if status in self.GONE_STATUSES else f"HTTP {status}"
        return FallbackToAssisted(reason, detail=detail, status=status)

    def _connection_error(
        self, error: requests.RequestException, outcome_unknown: bool
    ) -> PublishError:
        detail = f"{type(error).__name__}: {error}"
        if isinstance(error, requests.ConnectionError) and _never_connected(error):
            return FallbackToAssisted("API 주소에 연결할 수 없음", detail=detail)
        sent = not isinstance(error, requests.ConnectTimeout)  # a connect timeout sent nothing
        return PublishError(
            "네이버 블로그와 연결이 끊겼습니다. 글이 올라갔는지 확인한 뒤 자동으로 다시 시도할게요.",
            kind=ErrorKind.TRANSIENT,
            detail=detail,
            outcome_unknown=outcome_unknown and sent,
        )

    # --- The result -------------------------------------------------------------------

    def _done(self, job: PublishJob, post_id: str) -> Published:
        job.save(container_id=post_id)
        return self._published(job, post_id)

    def _published(self, job: PublishJob, post_id: str) -> Published:
        return Published(
            external_id=post_id,
            permalink=f"https://blog.naver.com/{job.credentials.user_id}/{post_id}",
        )


# --- Helpers ------------------------------------------------------------------------------


def _never_connected(error: requests.ConnectionError) -> bool:
    """Refused or unresolvable: the request never left (urllib3's NewConnectionError,
    which also covers DNS failures), unlike a connection dropped after sending."""
    reason = error.args[0] if error.args else None
    reason = getattr(reason, "reason", reason)  # MaxRetryError wraps the cause
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def _post_time(post: Mapping[str, Any]) -> dt.datetime | None:
    """When a post was made. XML-RPC times carry no zone and Naver never said which it
    uses, so a zone-less ``dateCreated`` is read as UTC: the latest instant it can
    mean for Korea (UTC+9) or UTC, so our own post is never taken for an older one."""
    value = post.get("date_created_gmt") or post.get("dateCreated")
    if isinstance(value, xmlrpc.client.DateTime):
        value = dt.datetime.strptime(value.value, "%Y%m%dT%H:%M:%S")
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _normal_title(title: str) -> str:
    return " ".join(html.unescape(title).split())


def _is_html(text: str) -> bool:
    return re.search(r"<(p|h\d|div|br|img|ul|ol|section|span|strong|a)\b", text, re.I) is not None


def _text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup)).split("\n")[0]


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())


def _figure(image: Media) -> str:
    return _figure_html(image.url, image.caption)


def _figure_html(url: str, caption: str) -> str:
    """An image with its caption under it, as every blog post here shows one."""
    caption = html.escape(caption)
    under = f"<br><small>{caption}</small>" if caption else ""
    return f'<p><img src="{html.escape(url)}" alt="{caption}">{under}</p>'
