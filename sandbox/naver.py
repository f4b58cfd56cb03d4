"""A local Naver Blog MetaWeblog XML-RPC endpoint: ``FakeNaverBlog``.

Naver closed blog writing through its API in 2020 (platforms/naver_blog.md); the
XML-RPC publisher is an opt-in that must fall back to assisted publishing when the
endpoint faults. This simulator speaks the protocol at ``POST /xmlrpc`` with the
standard library's ``xmlrpc.client``, and can play the closed API
(``api_ended=True``: every call faults)::

    with FakeNaverBlog() as naver:
        password = naver.password_for("yeonnam_cafe")
        blog = xmlrpc.client.ServerProxy(f"{naver.url}/xmlrpc")
        post_id = blog.metaWeblog.newPost("yeonnam_cafe", "yeonnam_cafe", password,
                                          {"title": "…", "description": "<p>…</p>"}, True)

Methods: ``metaWeblog.newPost``, ``editPost``, ``getPost``, ``getRecentPosts``,
``getCategories``, ``newMediaObject`` and ``blogger.getUsersBlogs``. The API
password of a blog is an HMAC of its id with the sandbox secret
(``password_for``), so it survives restarts; ``add_account`` sets one by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import inspect
import re
import secrets
import threading
import xmlrpc.client
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sandbox.faults import QUOTA_EXCEEDED, RATE_LIMITED, REVOKED_TOKEN, Fault, Operation, operation
from sandbox.media import MediaStats, analyse_image
from sandbox.platform import SANDBOX_SECRET, PlatformSimulator, SandboxPost, html_page
from sandbox.server import RecordedRequest, Reply

# XML-RPC fault codes (Naver's own are not documented; these follow WordPress's usage).
BAD_REQUEST, FORBIDDEN, NOT_FOUND, TOO_MANY = 400, 403, 404, 429
PARSE_ERROR, NO_METHOD = -32700, -32601
API_ENDED_MESSAGE = (
    "블로그 글쓰기 API 서비스가 종료되었습니다. "
    "(The Naver Blog writing API was discontinued on 2020-05-06.)"
)
IMG = re.compile(r"<img\b", re.IGNORECASE)
CATEGORIES = ("일상", "메뉴 소개", "이벤트", "가게 소식")


class XmlRpcFault(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class MediaObject:
    id: str
    name: str
    content_type: str
    data: bytes
    stats: MediaStats


class FakeNaverBlog(PlatformSimulator):
    """Naver Blog's MetaWeblog API on 127.0.0.1.

    ``api_ended``: play the closed API; ``ended_as``: how — ``"fault"`` (every
    call answers an XML-RPC fault) or ``"http_404"`` (the endpoint is gone);
    ``daily_post_limit``: new posts per blog per day before a fault;
    ``accounts``: blog id → API password, in addition to ``password_for``.
    """

    platform = "naver_blog"
    config_fields = ("api_ended", "ended_as", "daily_post_limit")

    def __init__(
        self,
        *,
        api_ended: bool = False,
        ended_as: str = "fault",
        daily_post_limit: int = 100,
        accounts: Mapping[str, str] | None = None,
        secret: bytes = SANDBOX_SECRET,
        **base: Any,
    ) -> None:
        super().__init__(secret=secret, **base)
        self.api_ended = api_ended
        self.ended_as = ended_as
        self.daily_post_limit = daily_post_limit
        self._secret = secret
        self._accounts: dict[str, str] = dict(accounts or {})
        self._media: dict[str, MediaObject] = {}
        self._next_id = 223_600_000_000 + secrets.randbelow(10_000_000)
        self._id_lock = threading.Lock()
        self.op_new = operation(
            "publish", "create", "newPost", "metaWeblog.newPost", kinds=(QUOTA_EXCEEDED,)
        )
        self.op_edit = operation("edit", "editPost", "metaWeblog.editPost")
        self.op_read = operation("read", "getPost", "metaWeblog.getPost")
        self.op_list = operation("list", "getRecentPosts", "metaWeblog.getRecentPosts")
        self.op_me = operation("me", "getUsersBlogs", "blogger.getUsersBlogs", "getCategories")
        self.op_media = operation("media", "newMediaObject", "metaWeblog.newMediaObject")
        self._methods: dict[str, tuple[Operation, Callable[..., Any]]] = {
            "metaWeblog.newPost": (self.op_new, self._new_post),
            "metaWeblog.editPost": (self.op_edit, self._edit_post),
            "metaWeblog.getPost": (self.op_read, self._get_post),
            "metaWeblog.getRecentPosts": (self.op_list, self._recent_posts),
            "metaWeblog.getCategories": (self.op_me, self._categories),
            "metaWeblog.newMediaObject": (self.op_media, self._new_media),
            "blogger.getUsersBlogs": (self.op_me, self._users_blogs),
        }
        self.route("POST", r"/xmlrpc", self._xmlrpc)
        self.route("GET", r"/_media/(?P<media>[A-Za-z0-9_-]+)/[^/]+", self._media_file)
        self.route("GET", r"/(?P<blog>[A-Za-z0-9_-]+)/(?P<post>\d+)", self._post_page_route)

    # --- Python API ------------------------------------------------------------------

    def password_for(self, blog_id: str) -> str:
        """The blog's API password (the same in every run)."""
        digest = hmac.new(self._secret, f"naver:{blog_id}".encode(), hashlib.sha256).hexdigest()
        return f"nbsb-{digest[:20]}"

    def token_for(self, blog_id: str) -> str:
        """Naver's credential is the API password: ``password_for``."""
        return self.password_for(blog_id)

    def add_account(self, blog_id: str, password: str) -> None:
        with self.state_lock:
            self._accounts[blog_id] = password

    def drafts(self, blog_id: str | None = None) -> list[SandboxPost]:
        return [post for post in super().posts(blog_id) if post.visibility == "draft"]

    def posts(self, user_id: str | None = None) -> list[SandboxPost]:
        """Published posts (drafts: ``drafts``)."""
        return [post for post in super().posts(user_id) if post.visibility != "draft"]

    def reset(self) -> None:
        super().reset()
        with self.state_lock:
            self._media.clear()

    def issue_sandbox_token(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        blog_id = str(payload.get("user_id") or payload.get("username") or "sandbox_shop")
        return {
            "blog_id": blog_id,
            "username": blog_id,
            "user_id": blog_id,
            "api_password": self.password_for(blog_id),
        }

    # --- Faults ------------------------------------------------------------------------------

    def fault_reply(self, fault: Fault, operation: Operation) -> Reply:
        if fault.kind == RATE_LIMITED:
            retry_after = float(fault.option("retry_after_s", self.faults.retry_after_s))
            return Reply(
                status=429,
                body="Too Many Requests",
                headers={"Retry-After": str(max(0, round(retry_after)))},
            )
        if fault.kind == REVOKED_TOKEN:
            return _fault(
                FORBIDDEN,
                "잘못된 아이디 또는 API 비밀번호입니다. (Invalid username or API password.)",
            )
        status = int(fault.option("status", 500))
        return html_page(
            "Internal Server Error", f"<h1>{status} 서버 오류 / server error</h1>", status=status
        )

    # --- XML-RPC ------------------------------------------------------------------------------

    def _xmlrpc(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        if self.api_ended:
            if self.ended_as == "http_404":
                return html_page("Not Found", "<h1>404 Not Found</h1>", status=404)
            return _fault(FORBIDDEN, API_ENDED_MESSAGE)
        try:
            params, method = xmlrpc.client.loads(request.body, use_builtin_types=True)
        except Exception:  # anything the parser rejects
            return _fault(PARSE_ERROR, "parse error: not a well-formed XML-RPC request")
        handler = self._methods.get(method or "")
        if handler is None:
            return _fault(NO_METHOD, f"method {method!r} is not supported")
        op, call = handler

        def perform(fault: Fault | None) -> Reply:
            extra = {"fault": fault} if op is self.op_new else {}
            try:
                inspect.signature(call).bind(*params, **extra)
            except TypeError:
                return _fault(BAD_REQUEST, f"wrong number of parameters for {method}")
            try:
                return _response(call(*params, **extra))
            except XmlRpcFault as error:
                return _fault(error.code, error.message)

        return self.run(op, perform)

    def _login(self, username: Any, password: Any) -> str:
        name, secret = str(username or ""), str(password or "")
        with self.state_lock:
            known = self._accounts.get(name)
        valid = hmac.compare_digest(secret, known) if known is not None else False
        valid = valid or hmac.compare_digest(secret, self.password_for(name))
        if not name or not valid or self.is_revoked(secret):
            raise XmlRpcFault(
                FORBIDDEN,
                "잘못된 아이디 또는 API 비밀번호입니다. (Invalid username or API password.)",
            )
        return name

    def _own_blog(self, blog_id: Any, username: str) -> str:
        if str(blog_id) != username:
            raise XmlRpcFault(
                NOT_FOUND, f"블로그를 찾을 수 없습니다: {blog_id} (no such blog for {username})"
            )
        return username

    def _new_post(
        self,
        blog_id: Any,
        username: Any,
        password: Any,
        struct: Any,
        publish: Any,
        *,
        fault: Fault | None,
    ) -> str:
        user = self._own_blog(blog_id, self._login(username, password))
        fields = _post_fields(struct)
        today = self.now().date()
        with self.state_lock:
            written = sum(1 for post in super().posts(user) if post.published_at.date() == today)
            if (
                fault is not None and fault.kind == QUOTA_EXCEEDED
            ) or written >= self.daily_post_limit:
                raise XmlRpcFault(
                    TOO_MANY,
                    "하루에 작성할 수 있는 글 수를 넘었습니다. (Daily post limit reached.)",
                )
            post_id = self._new_id()
            self.add_post(self._post(user, post_id, fields, bool(publish)))
        return post_id

    def _edit_post(
        self, post_id: Any, username: Any, password: Any, struct: Any, publish: Any
    ) -> bool:
        user = self._login(username, password)
        current = self._owned_post(post_id, user)
        fields = _post_fields(struct)
        edited = self._post(user, current.id, fields, bool(publish))
        self.replace_post(replace(edited, published_at=current.published_at))
        return True

    def _get_post(self, post_id: Any, username: Any, password: Any) -> dict[str, Any]:
        return self._struct(self._owned_post(post_id, self._login(username, password)))

    def _recent_posts(
        self, blog_id: Any, username: Any, password: Any, count: Any = 10
    ) -> list[dict[str, Any]]:
        user = self._own_blog(blog_id, self._login(username, password))
        posts = list(reversed(super().posts(user)))[: max(1, int(count))]
        return [self._struct(post) for post in posts]

    def _categories(self, blog_id: Any, username: Any, password: Any) -> list[dict[str, Any]]:
        user = self._own_blog(blog_id, self._login(username, password))
        return [
            {
                "categoryId": str(index),
                "title": name,
                "description": name,
                "htmlUrl": f"{self.url}/{user}",
                "rssUrl": "",
            }
            for index, name in enumerate(CATEGORIES, start=1)
        ]

    def _new_media(self, blog_id: Any, username: Any, password: Any, struct: Any) -> dict[str, Any]:
        self._own_blog(blog_id, self._login(username, password))
        if not isinstance(struct, dict) or not isinstance(struct.get("bits"), bytes | bytearray):
            raise XmlRpcFault(BAD_REQUEST, "newMediaObject needs {name, type, bits}")
        media_id = secrets.token_urlsafe(9)
        name = re.sub(r"[^A-Za-z0-9._-]", "_", str(struct.get("name") or "image.jpg"))
        content_type = str(struct.get("type") or "image/jpeg")
        data = bytes(struct["bits"])
        url = f"{self.url}/_media/{media_id}/{name}"
        stats = analyse_image(data, url=url, content_type=content_type)
        with self.state_lock:
            self._media[media_id] = MediaObject(media_id, name, content_type, data, stats)
        return {"url": url, "file": name, "type": content_type}

    def _users_blogs(self, app_key: Any, username: Any, password: Any) -> list[dict[str, Any]]:
        user = self._login(username, password)
        return [
            {
                "url": f"{self.url}/{user}",
                "blogid": user,
                "blogName": f"{user}의 블로그",
                "isAdmin": True,
            }
        ]

    # --- Posts ---------------------------------------------------------------------------------

    def _post(
        self, user: str, post_id: str, fields: Mapping[str, Any], publish: bool
    ) -> SandboxPost:
        description = str(fields["description"])
        urls = tuple(re.findall(r"<img\b[^>]*\bsrc=[\"']([^\"']+)", description, re.IGNORECASE))
        with self.state_lock:
            media = tuple(
                self._media[media_id].stats
                for media_id in (_media_id(url) for url in urls)
                if media_id in self._media
            )
        return SandboxPost(
            id=post_id,
            platform=self.platform,
            user_id=user,
            username=user,
            media_type="BLOG",
            published_at=self.now(),
            text=description,
            title=str(fields["title"]),
            media_urls=urls,
            media=media,
            permalink=f"{self.url}/{user}/{post_id}",
            shortcode=post_id,
            visibility="public" if publish else "draft",
            extra={
                "categories": list(fields["categories"]),
                "tags": list(fields["tags"]),
                "image_count": len(IMG.findall(description)),
            },
        )

    def _owned_post(self, post_id: Any, user: str) -> SandboxPost:
        post = self.post(str(post_id))
        if post is None or post.user_id != user:
            raise XmlRpcFault(NOT_FOUND, f"글을 찾을 수 없습니다: {post_id} (no such post)")
        return post

    def _struct(self, post: SandboxPost) -> dict[str, Any]:
        return {
            "postid": post.id,
            "title": post.title,
            "description": post.text,
            "categories": list(post.extra.get("categories", [])),
            "mt_keywords": ",".join(post.extra.get("tags", [])),
            "dateCreated": xmlrpc.client.DateTime(post.published_at.astimezone(dt.UTC).timetuple()),
            "link": post.permalink,
            "permaLink": post.permalink,
            "userid": post.user_id,
            "post_status": "publish" if post.visibility != "draft" else "draft",
        }

    def _new_id(self) -> str:
        with self._id_lock:
            self._next_id += 1
            return str(self._next_id)

    def _media_file(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        with self.state_lock:
            media = self._media.get(match["media"])
        if media is None:
            return Reply(status=404, body="not found")
        return Reply(body=media.data, content_type=media.content_type)

    def _post_page_route(self, request: RecordedRequest, match: re.Match[str]) -> Reply:
        post = self.post(match["post"])
        if post is not None and post.user_id != match["blog"]:
            post = None
        return self.post_page(post)


def _post_fields(struct: Any) -> dict[str, Any]:
    if not isinstance(struct, dict):
        raise XmlRpcFault(BAD_REQUEST, "the post must be a struct {title, description, …}")
    title = str(struct.get("title") or "").strip()
    if not title:
        raise XmlRpcFault(BAD_REQUEST, "제목을 입력해 주세요. (title is required)")
    keywords = struct.get("mt_keywords") or struct.get("tags") or []
    if isinstance(keywords, str):
        keywords = [word.strip() for word in keywords.split(",") if word.strip()]
    categories = struct.get("categories") or []
    if isinstance(categories, str):
        categories = [categories]
    return {
        "title": title,
        "description": str(struct.get("description") or ""),
        "categories": [str(category) for category in categories],
        "tags": [str(word) for word in keywords],
    }


def _media_id(url: str) -> str:
    match = re.search(r"/_media/([A-Za-z0-9_-]+)/", url)
    return match[1] if match else ""


def _response(result: Any) -> Reply:
    payload = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=False)
    return Reply(body=payload.encode(), content_type="text/xml; charset=utf-8")


def _fault(code: int, message: str) -> Reply:
    payload = xmlrpc.client.dumps(xmlrpc.client.Fault(code, message), methodresponse=True)
    return Reply(body=payload.encode(), content_type="text/xml; charset=utf-8")
