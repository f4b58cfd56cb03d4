"""Importing ready-made posts: pieces ready for review at the right time, shaped like
their channel's draft, images fetched or uploaded, and re-imports that never duplicate."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from content.imports import posts_import
from content.models import ContentPiece, PieceRevision, RenderStatus, ReviewState
from core import queue
from core.imports import CREATE, UNCHANGED, UPDATE, parse_date, parse_time
from marketing.imports import shops_import
from marketing.models import AuditEvent, Photo
from tests.conftest import Tenant
from tests.content.media_files import image_bytes
from tests.factories import BusinessFactory, MembershipFactory

NOW = dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)
BLOG = "\n".join([
    "연남동 골목의 작은 카페를 소개해요.",
    "## 소금빵", "매일 아침 굽는 소금빵이에요.",
    "## 커피", "싱글 오리진 핸드드립을 내려요.",
    "## 찾아오는 길", "연남동 공원 끝에서 왼쪽 골목이에요.",
])  # fmt: skip


def post_row(n: int, **changes: str) -> dict[str, str]:
    row = {
        "키": f"P{n}",
        "날짜": "2026-03-02",
        "시간": "14:00",
        "채널": "인스타그램",
        "제목": f"봄 신메뉴 {n}",
        "본문": f"딸기 라떼가 나왔어요 {n}\n오늘부터 판매해요.\n#연남동카페 #딸기라떼",
        "이미지": "",
    }
    row.update(changes)
    return row


def csv_bytes(rows: list[dict[str, str]], *, encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """The tasks sent to the queue (after their transaction commits)."""
    calls: list[tuple] = []
    monkeypatch.setattr(queue, "send", lambda name, *args, **kw: calls.append((name, *args)))
    return calls


def run(tenant: Tenant, data: bytes, *, dry_run: bool = False, **kwargs):
    kwargs.setdefault("business", tenant.business)
    return posts_import(
        data=data, file_name="posts.csv", actor=tenant.user, dry_run=dry_run, **kwargs
    )


class ImageServer:
    """A local web server handing out images, as a shop's image host would."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                if self.path in owner.redirects:
                    self.send_response(302)
                    self.send_header("Location", owner.redirects[self.path])
                    self.end_headers()
                    return
                body = owner.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def images(settings) -> Iterator[ImageServer]:
    settings.IMPORT_IMAGE_ALLOW_PRIVATE = True  # the server is on this machine
    server = ImageServer()
    yield server
    server.close()


# --- The service -------------------------------------------------------------------------


def test_posts_become_ready_pieces_at_their_local_time_stored_in_utc(alice: Tenant, sent):
    report = run(alice, csv_bytes([post_row(1)]))

    assert report.imported, [str(e) for e in report.errors]
    piece = ContentPiece.objects.get(business=alice.business, import_key="P1")
    assert piece.status == ContentPiece.Status.READY
    assert piece.review_state == ReviewState.DRAFT
    assert piece.planned_for == dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)  # 14:00 in Seoul
    assert piece.channel == "instagram" and piece.provider == "import"
    assert piece.fields["headline"] == "봄 신메뉴 1"
    assert piece.fields["caption"] == "딸기 라떼가 나왔어요 1\n오늘부터 판매해요."
    assert piece.fields["hashtags"] == ["#연남동카페", "#딸기라떼"]
    assert piece.title == "봄 신메뉴 1" and piece.body.endswith("#연남동카페 #딸기라떼")
    assert (piece.format, piece.hashtag_count, piece.template) == ("image", 2, "photo_band")
    revision = piece.revisions.get()
    assert (revision.source, revision.author) == (PieceRevision.Source.IMPORT, alice.user)
    assert piece.render_status == RenderStatus.QUEUED  # the feed image is made from it


def test_the_images_are_made_once_the_import_commits(
    alice: Tenant, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(alice, csv_bytes([post_row(1)]))

    piece = ContentPiece.objects.get(import_key="P1")
    assert sent == [("content.tasks.render_piece", piece.pk)]


def test_a_text_only_threads_post_needs_nothing_made(alice: Tenant, sent):
    run(
        alice,
        csv_bytes(
            [post_row(1, 채널="스레드", 제목="", 본문="오늘 비 와요. 따뜻한 라떼 어때요? #연남동")]
        ),
    )

    piece = ContentPiece.objects.get()
    assert piece.fields == {
        "text": "오늘 비 와요. 따뜻한 라떼 어때요? #연남동",
        "image_headline": "",
    }
    assert (piece.format, piece.hashtag_count, piece.render_status) == (
        "text",
        1,
        RenderStatus.NONE,
    )


def test_an_imported_post_keeps_its_words_and_gets_the_checks_findings_as_warnings(
    alice: Tenant,
):
    text = "12,500원로 즐기는 오후예요. #연남동"
    run(alice, csv_bytes([post_row(1, 채널="스레드", 제목="", 본문=text)]))

    piece = ContentPiece.objects.get()
    assert piece.fields["text"] == text
    found = piece.quality_findings.get(rule="particle")
    assert (found.source, found.severity, found.after) == ("import", "warning", "12,500원으로")


def test_a_naver_blog_post_is_split_into_its_sections(alice: Tenant):
    report = run(
        alice,
        csv_bytes(
            [
                post_row(
                    1,
                    채널="네이버 블로그",
                    제목="연남동 카페 온기",
                    본문=BLOG,
                    태그="연남동카페, 소금빵",
                )
            ]
        ),
    )

    assert report.imported, [str(e) for e in report.errors]
    fields = ContentPiece.objects.get().fields
    assert fields["intro"] == "연남동 골목의 작은 카페를 소개해요."
    assert [s["heading"] for s in fields["sections"]] == ["소금빵", "커피", "찾아오는 길"]
    assert fields["tags"] == ["연남동카페", "소금빵"]
    assert "연남동 카페" in fields["place_keywords"]


def test_a_second_import_of_the_same_file_changes_nothing(alice: Tenant):
    data = csv_bytes([post_row(1), post_row(2, 채널="threads", 제목="")])
    run(alice, data)

    report = run(alice, data)

    assert report.imported and [r.action for r in report.rows] == [UNCHANGED, UNCHANGED]
    assert ContentPiece.objects.count() == 2
    assert PieceRevision.objects.count() == 2


def test_a_changed_row_becomes_a_new_revision_of_the_same_piece(alice: Tenant):
    run(alice, csv_bytes([post_row(1)]))

    report = run(alice, csv_bytes([post_row(1, 본문="딸기 라떼 이번 주까지!", 시간="오후 3:30")]))

    assert [(r.action, r.changes) for r in report.rows] == [(UPDATE, ["본문", "날짜·시간"])]
    piece = ContentPiece.objects.get()
    assert piece.fields["caption"] == "딸기 라떼 이번 주까지!"
    assert piece.planned_for == dt.datetime(2026, 3, 2, 6, 30, tzinfo=dt.UTC)
    assert [r.source for r in piece.revisions.all()] == ["import", "import"]


def test_a_published_post_is_not_changed_by_an_import(alice: Tenant):
    run(alice, csv_bytes([post_row(1)]))
    ContentPiece.objects.update(status=ContentPiece.Status.PUBLISHED)

    report = run(alice, csv_bytes([post_row(1, 본문="고친 글")]))

    assert [str(e) for e in report.errors] == [
        "2행: 이미 게시된 글이라 바꿀 수 없어요. 게시된 글은 기록으로 남겨 둡니다."
    ]
    assert ContentPiece.objects.get().fields["caption"] != "고친 글"


def test_an_image_url_is_fetched_kept_once_and_leads_the_piece(alice: Tenant, images):
    images.files["/spring.jpg"] = image_bytes(size=(320, 400))
    row = post_row(1, 이미지=f"{images.url}/spring.jpg")

    run(alice, csv_bytes([row]))
    report = run(alice, csv_bytes([row, post_row(2, 이미지=f"{images.url}/spring.jpg")]))

    assert [r.action for r in report.rows] == [UNCHANGED, CREATE]
    photo = Photo.objects.get(business=alice.business)
    assert set(ContentPiece.objects.values_list("photo", flat=True)) == {photo.pk}
    assert ContentPiece.objects.get(import_key="P1").template == "gradient_headline"
    assert images.requests == ["/spring.jpg", "/spring.jpg"]  # once per import, not per row


def test_an_image_url_that_moved_is_followed(alice: Tenant, images):
    images.files["/new/spring.jpg"] = image_bytes()
    images.redirects["/old.jpg"] = "/new/spring.jpg"

    report = run(alice, csv_bytes([post_row(1, 이미지=f"{images.url}/old.jpg")]), dry_run=True)

    assert report.ok, [str(e) for e in report.errors]
    assert images.requests == ["/old.jpg", "/new/spring.jpg"]


def test_an_image_url_that_is_not_an_image_or_not_there_is_a_row_error(alice: Tenant, images):
    images.files["/note.jpg"] = b"not a picture at all"
    rows = [
        post_row(1, 이미지=f"{images.url}/note.jpg"),
        post_row(2, 이미지=f"{images.url}/missing.jpg"),
        post_row(3, 이미지="ftp://example.com/a.jpg"),
    ]

    report = run(alice, csv_bytes(rows), dry_run=True)

    texts = [str(e) for e in report.errors]
    assert texts[0].startswith("2행 '이미지': ")
    assert texts[1] == "3행 '이미지': 주소가 404 응답을 돌려줬어요. 주소가 맞는지 확인해 주세요."
    assert texts[2] == "4행 '이미지': http:// 또는 https:// 로 시작하는 주소만 받을 수 있어요."


def test_an_image_on_this_servers_own_network_is_refused(alice: Tenant, images, settings):
    settings.IMPORT_IMAGE_ALLOW_PRIVATE = False
    images.files["/a.jpg"] = image_bytes()

    report = run(alice, csv_bytes([post_row(1, 이미지=f"{images.url}/a.jpg")]), dry_run=True)

    assert [str(e) for e in report.errors] == [
        "2행 '이미지': 내부 네트워크 주소(127.0.0.1)는 열 수 없어요."
    ]
    assert images.requests == []


def test_an_image_named_in_the_file_comes_from_the_files_uploaded_with_it(alice: Tenant):
    rows = [post_row(1, 이미지="photos/Spring.JPG"), post_row(2, 이미지="missing.jpg")]

    report = run(alice, csv_bytes(rows), images={"spring.jpg": image_bytes()}, dry_run=True)

    assert not report.rows[0].errors
    assert [str(e) for e in report.errors] == [
        "3행 '이미지': 'missing.jpg' 파일이 없어요. 이미지 파일을 함께 올리거나 http(s) 주소를 적어 주세요."
    ]


def test_bad_rows_are_each_reported_and_a_dry_run_writes_nothing(alice: Tenant):
    rows = [
        post_row(1),
        post_row(2, 날짜="3월 2일"),
        post_row(3, 시간="25:00"),
        post_row(4, 채널="페이스북"),
        post_row(5, 채널="유튜브 쇼츠"),
        post_row(6, 제목="이 제목은 인스타그램 이미지에 넣기에는 너무나도 길어요"),
        post_row(7, 날짜="2026-02-28"),
        post_row(8, 채널="블로그", 본문="문단이 하나뿐이에요."),
    ]

    report = run(alice, csv_bytes(rows), dry_run=True)

    texts = [str(e) for e in report.errors]
    assert texts == [
        "3행 '날짜': 날짜를 읽을 수 없어요. 2026-03-02처럼 적어 주세요.",
        "4행 '시간': 시간을 읽을 수 없어요. 14:30처럼 적어 주세요.",
        "5행 '채널': 알 수 없는 채널이에요. 인스타그램, 네이버 블로그, 스레드 중 하나로 적어 주세요.",
        "6행 '채널': 유튜브 쇼츠는 영상이 있어야 해서 가져올 수 없어요. 인스타그램, 네이버 블로그, "
        "스레드 중 하나로 적어 주세요.",
        "7행 '제목': 이미지 제목은 1–28자여야 합니다.",
        "8행 '날짜': 지난 시각이에요. 앞으로의 날짜와 시간을 적어 주세요.",
        "9행 '본문': 네이버 블로그 글은 '## 소제목' 줄로 시작하는 문단이 3–8개 있어야 해요.",
    ]
    assert report.rows[0].action == CREATE
    assert ContentPiece.objects.count() == 0
    assert Photo.objects.count() == 0


def test_a_real_run_with_a_bad_row_imports_nothing(alice: Tenant):
    report = run(alice, csv_bytes([post_row(1), post_row(2, 본문="")]))

    assert not report.imported
    assert ContentPiece.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORTED).exists()


def test_a_whole_organization_imports_by_the_shops_key_or_name(alice: Tenant):
    second = BusinessFactory(organization=alice.organization, name="둘째 가게", import_key="B2")
    rows = [
        post_row(1, 사업장="앨리스 베이커리"),
        post_row(1, 사업장="B2"),  # the same key in another shop is another post
        post_row(3, 사업장="없는 가게"),
    ]

    report = run(alice, csv_bytes(rows), business=None, organization=alice.organization)

    assert [str(e) for e in report.errors] == [
        "4행 '사업장': '없는 가게' 사업장을 찾을 수 없어요. 사업장의 가져오기 키나 상호를 적어 주세요."
    ]
    report = run(alice, csv_bytes(rows[:2]), business=None, organization=alice.organization)
    assert report.imported
    assert set(ContentPiece.objects.values_list("business", flat=True)) == {
        alice.business.pk,
        second.pk,
    }


def test_the_same_key_twice_for_one_shop_is_an_error(alice: Tenant):
    report = run(alice, csv_bytes([post_row(1), post_row(1)]), dry_run=True)

    assert [str(e) for e in report.errors] == [
        "3행 '키': 2행과 같은 키예요. 키는 행마다 달라야 해요."
    ]


def test_another_organization_cannot_import_into_your_business(alice: Tenant, bob: Tenant):
    with pytest.raises(PermissionDenied):
        posts_import(
            data=csv_bytes([post_row(1)]),
            file_name="posts.csv",
            actor=bob.user,
            dry_run=True,
            business=alice.business,
        )


@pytest.mark.parametrize(
    "text", ["2026-03-02", "2026.3.2", "2026/03/02", "2026. 3. 2.", "2026년 3월 2일", "20260302",
             "2026-03-02 00:00"],
)  # fmt: skip
def test_dates_read_as_spreadsheets_write_them(text: str):
    assert parse_date(text) == dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [("14:00", 14, 0), ("9:05", 9, 5), ("14:00:00", 14, 0), ("오후 2:00:00", 14, 0),
     ("오전 12:30", 0, 30), ("2:00 PM", 14, 0), ("14시", 14, 0), ("14시 30분", 14, 30)],
)  # fmt: skip
def test_times_read_as_spreadsheets_write_them(text: str, hour: int, minute: int):
    assert parse_time(text) == dt.time(hour, minute)


# --- The API and the admin -----------------------------------------------------------------


def test_the_api_imports_posts_with_their_image_files(alice: Tenant):
    api = alice.api()
    data = csv_bytes([post_row(1, 이미지="spring.jpg")])

    def post(dry_run: str) -> object:
        return api.post(
            "/api/v1/imports/",
            {
                "file": SimpleUploadedFile("posts.csv", data, content_type="text/csv"),
                "kind": "posts",
                "business": alice.business.pk,
                "dry_run": dry_run,
                "images": [SimpleUploadedFile("spring.jpg", image_bytes(), "image/jpeg")],
            },
            format="multipart",
        )

    preview = post("true")
    assert preview.status_code == 200, preview.json()
    assert ContentPiece.objects.count() == 0
    done = post("false")
    assert done.status_code == 201, done.json()
    assert done.json()["created"] == 1
    assert ContentPiece.objects.get().photo is not None


def test_the_api_answers_404_for_another_organizations_business(alice: Tenant, bob: Tenant):
    response = bob.api().post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("p.csv", csv_bytes([post_row(1)])), "kind": "posts",
         "business": alice.business.pk},
        format="multipart",
    )  # fmt: skip

    assert response.status_code == 404
    assert ContentPiece.objects.count() == 0


def test_the_admin_imports_posts_from_the_content_list(alice: Tenant):
    client = alice.client()
    assert (
        "/admin/content/contentpiece/import/"
        in client.get("/admin/content/contentpiece/").content.decode()
    )

    preview = client.post(
        "/admin/content/contentpiece/import/",
        {"target": f"business:{alice.business.pk}",
         "file": SimpleUploadedFile("posts.csv", csv_bytes([post_row(1, 이미지="a.jpg")])),
         "images": [SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg")]},
    )  # fmt: skip
    assert preview.status_code == 200
    assert "봄 신메뉴 1" in preview.content.decode()
    done = client.post("/admin/content/contentpiece/import/", {"token": preview.context["token"]})

    assert done.status_code == 302
    assert ContentPiece.objects.get().photo is not None


def test_the_sample_posts_file_in_the_docs_imports_into_the_sample_shops(alice: Tenant):
    examples = settings.BASE_DIR / "docs" / "examples"
    shops_import(
        organization=alice.organization,
        data=(examples / "import-shops.csv").read_bytes(),
        file_name="import-shops.csv",
        actor=alice.user,
        dry_run=False,
    )

    report = run(
        alice,
        (examples / "import-posts.csv").read_bytes(),
        business=None,
        organization=alice.organization,
    )

    assert report.imported, [str(e) for e in report.errors]
    assert sorted(ContentPiece.objects.values_list("channel", flat=True)) == [
        "instagram",
        "naver_blog",
        "threads",
    ]


def test_a_file_without_an_image_column_keeps_the_pieces_image(alice: Tenant):
    run(alice, csv_bytes([post_row(1, 이미지="a.jpg")]), images={"a.jpg": image_bytes()})
    row = post_row(1, 본문="딸기 라떼 이번 주까지!")
    del row["이미지"]

    report = run(alice, csv_bytes([row]))

    assert [(r.action, r.changes) for r in report.rows] == [(UPDATE, ["본문"])]
    piece = ContentPiece.objects.get()
    assert piece.photo is not None and piece.template == "gradient_headline"


def test_the_api_answers_404_when_the_business_is_not_in_the_organization_given(
    alice: Tenant, bob: Tenant
):
    MembershipFactory(organization=bob.organization, user=alice.user)

    response = alice.api().post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("p.csv", csv_bytes([post_row(1)])), "kind": "posts",
         "business": alice.business.pk, "organization": bob.organization.pk},
        format="multipart",
    )  # fmt: skip

    assert response.status_code == 404


def test_the_api_refuses_more_image_files_than_it_documents(alice: Tenant):
    images = [SimpleUploadedFile(f"{n}.jpg", b"x") for n in range(51)]
    sheet = SimpleUploadedFile("posts.csv", "날짜,시간,채널,본문\n".encode())

    answer = alice.api().post(
        "/api/v1/imports/",
        {"file": sheet, "kind": "posts", "business": alice.business.pk, "images": images},
        format="multipart",
    )

    assert answer.status_code == 400 and "images" in answer.json()["error"]["fields"]
