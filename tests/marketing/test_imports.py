"""Importing shops from a spreadsheet: the service, the API and the admin page."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.imports import CREATE, UNCHANGED, UPDATE, parse_won, read_table
from marketing.imports import COLUMNS, shops_import
from marketing.models import AuditEvent, Business, Membership, Organization, Plan
from tests.conftest import Tenant
from tests.factories import BusinessFactory, MembershipFactory, OrganizationFactory, UserFactory

HEADER = [
    "키",
    "상호",
    "업종",
    "동네",
    "전화번호",
    "말투",
    "강점",
    "메뉴1",
    "메뉴1 가격",
    "대표 메뉴",
]


def shop_row(n: int, **changes: str) -> dict[str, str]:
    row = {
        "키": f"S{n:03d}",
        "상호": f"가게 {n}",
        "업종": "카페" if n % 2 else "bakery",
        "동네": "서울 마포구 연남동",
        "전화번호": f"02-000-{n:04d}",
        "말투": "friendly",
        "강점": "직접 굽는 빵|창가 자리",
        "메뉴1": "아메리카노",
        "메뉴1 가격": "4,500원",
        "대표 메뉴": "아메리카노",
    }
    row.update(changes)
    return row


def csv_bytes(rows: list[dict[str, str]], *, encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def agency(alice: Tenant) -> Organization:
    """Alice's second organization: an agency on a plan with room for exactly 200 shops."""
    plan = Plan.objects.create(code="agency-200", name="Agency", max_businesses=200)
    organization = OrganizationFactory(name="앨리스 대행사", plan=plan, kind="agency")
    MembershipFactory(organization=organization, user=alice.user, role=Membership.Role.OWNER)
    return organization


def run(organization: Organization, tenant: Tenant, data: bytes, *, dry_run: bool = False):
    return shops_import(
        organization=organization,
        data=data,
        file_name="shops.csv",
        actor=tenant.user,
        dry_run=dry_run,
    )


# --- The service -------------------------------------------------------------------------


def test_a_200_shop_csv_imported_twice_leaves_200_shops(agency: Organization, alice: Tenant):
    data = csv_bytes([shop_row(n) for n in range(1, 201)])

    first = run(agency, alice, data)
    second = run(agency, alice, data)

    assert first.imported and first.count(CREATE) == 200, [str(e) for e in first.errors]
    assert second.imported and second.count(UNCHANGED) == 200
    assert second.count(CREATE) == second.count(UPDATE) == 0
    assert agency.businesses.count() == 200
    shop = agency.businesses.get(import_key="S007")
    assert (shop.name, shop.industry, shop.phone) == ("가게 7", "cafe", "02-000-0007")
    assert shop.selling_points == ["직접 굽는 빵", "창가 자리"]
    assert [(p.name, p.price, p.is_signature) for p in shop.products.all()] == [
        ("아메리카노", 4500, True)
    ]


def test_a_second_import_updates_the_shop_whose_key_matches_and_says_what_changed(
    agency: Organization, alice: Tenant
):
    run(agency, alice, csv_bytes([shop_row(1), shop_row(2)]))

    report = run(
        agency,
        alice,
        csv_bytes([shop_row(1, 동네="서울 마포구 망원동", **{"메뉴1 가격": "5000"}), shop_row(2)]),
    )

    assert [(r.action, r.changes) for r in report.rows] == [
        (UPDATE, ["동네", "메뉴 (아메리카노)"]),
        (UNCHANGED, []),
    ]
    shop = agency.businesses.get(import_key="S001")
    assert shop.area == "서울 마포구 망원동"
    assert shop.products.get().price == 5000
    assert agency.businesses.count() == 2


def test_an_xlsx_workbook_imports_like_the_csv(agency: Organization, alice: Tenant):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["키", "상호", "업종", "동네", "위도", "경도", "메뉴1", "메뉴1 가격"])
    sheet.append(
        ["X1", "카페 온기", "카페", "서울 마포구 연남동", 37.5621234, 126.925, "소금빵", 3800]
    )
    sheet.append([None] * 8)  # a blank row is skipped
    sheet.append(
        ["X2", "빵집 하루", "베이커리·제과점", "서울 성동구 성수동", None, None, None, None]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(agency, alice, buffer.getvalue())

    assert report.imported, [str(e) for e in report.errors]
    assert [r.row for r in report.rows] == [2, 4]
    onggi = agency.businesses.get(import_key="X1")
    assert str(onggi.latitude) == "37.562123"
    assert onggi.products.get().price == 3800
    assert agency.businesses.get(import_key="X2").industry == "bakery"


def test_a_cp949_csv_as_korean_excel_saves_it_imports(agency: Organization, alice: Tenant):
    data = csv_bytes([shop_row(1, 상호="카페 온기")], encoding="cp949")

    report = run(agency, alice, data)

    assert report.imported, [str(e) for e in report.errors]
    assert agency.businesses.get().name == "카페 온기"


def test_bad_rows_are_each_reported_by_row_and_column_and_a_dry_run_writes_nothing(
    agency: Organization, alice: Tenant
):
    rows = [
        shop_row(1),
        shop_row(2, 업종="우주정거장"),
        shop_row(3, 상호=""),
        shop_row(4, **{"메뉴1 가격": "사천오백"}),
        shop_row(5, 키="S001"),
        shop_row(6, 말투="sassy"),
    ]

    report = run(agency, alice, csv_bytes(rows), dry_run=True)

    assert not report.ok and not report.imported
    texts = [str(e) for e in report.errors]
    assert texts[0].startswith("3행 '업종': '우주정거장'")
    assert "4행 '상호': 비어 있어요." in texts
    assert "5행 '메뉴1 가격': 숫자로 적어 주세요 (예: 3800)." in texts
    assert "6행 '키': 2행과 같은 키예요. 키는 행마다 달라야 해요." in texts
    assert any(t.startswith("7행 '말투'") for t in texts)
    assert report.rows[0].action == CREATE and not report.rows[0].errors
    assert agency.businesses.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORTED).exists()


def test_a_real_run_with_one_bad_row_imports_nothing(agency: Organization, alice: Tenant):
    report = run(agency, alice, csv_bytes([shop_row(1), shop_row(2, 동네="")]))

    assert not report.imported
    assert [str(e) for e in report.errors] == ["3행 '동네': 비어 있어요."]
    assert agency.businesses.count() == 0


def test_a_dry_run_of_a_good_file_says_what_would_happen_and_writes_nothing(
    agency: Organization, alice: Tenant
):
    BusinessFactory(organization=agency, name="가게 1", import_key="S001")

    report = run(agency, alice, csv_bytes([shop_row(1), shop_row(2)]), dry_run=True)

    assert report.ok and not report.imported
    assert [r.action for r in report.rows] == [UPDATE, CREATE]
    assert agency.businesses.count() == 1
    assert agency.businesses.get().phone == ""


def test_a_file_that_would_pass_the_plans_shop_limit_is_refused_before_anything_is_written(
    agency: Organization, alice: Tenant
):
    agency.plan.max_businesses = 3
    agency.plan.save()
    BusinessFactory(organization=agency)

    report = run(agency, alice, csv_bytes([shop_row(n) for n in range(1, 4)]))

    assert not report.imported
    assert "2곳만 더 만들 수 있는데, 이 파일은 3곳을 새로 만들어요" in str(report.file_errors[0])
    assert agency.businesses.count() == 1


def test_a_shop_made_before_it_had_a_key_is_matched_once_by_its_name(
    agency: Organization, alice: Tenant
):
    existing = BusinessFactory(organization=agency, name="가게 1", import_key="")

    report = run(agency, alice, csv_bytes([shop_row(1)]))

    assert report.rows[0].action == UPDATE and "키" in report.rows[0].changes
    existing.refresh_from_db()
    assert existing.import_key == "S001"
    assert agency.businesses.count() == 1


def test_the_import_is_recorded_in_the_audit_log(agency: Organization, alice: Tenant):
    run(agency, alice, csv_bytes([shop_row(1), shop_row(2)]))

    event = AuditEvent.objects.get(organization=agency, action=AuditEvent.Action.IMPORTED)
    assert event.actor == alice.user
    assert "새로 2건" in event.summary
    assert event.detail["created"] == 2


def test_bob_cannot_import_shops_into_alices_organization(alice: Tenant, bob: Tenant):
    with pytest.raises(PermissionDenied):
        run(alice.organization, bob, csv_bytes([shop_row(1)]))

    assert alice.organization.businesses.count() == 1


def test_a_client_viewer_cannot_import_shops(alice: Tenant):
    viewer = UserFactory(email="client@example.com")
    MembershipFactory(
        organization=alice.organization,
        user=viewer,
        role=Membership.Role.CLIENT,
        business=alice.business,
    )

    with pytest.raises(PermissionDenied):
        shops_import(
            organization=alice.organization,
            data=csv_bytes([shop_row(1)]),
            file_name="shops.csv",
            actor=viewer,
            dry_run=True,
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "파일이 비어 있어요."),
        ("키,상호\nS1,가게".encode(), "필요한 열이 없어요: '업종', '동네'."),
        (b"\xd0\xcf\x11\xe0 old excel", "예전 엑셀 형식(.xls)"),
        (b"PK\x03\x04 not really a zip", "엑셀 파일을 열 수 없어요."),
        (b"\xff\xfe\xff\x00\x81", "글자를 읽을 수 없는 파일이에요."),
    ],
)
def test_a_file_that_is_not_a_shops_table_is_refused_as_a_whole(
    agency: Organization, alice: Tenant, data: bytes, message: str
):
    report = run(agency, alice, data, dry_run=True)

    assert len(report.file_errors) == 1 and message in str(report.file_errors[0])


def test_a_tab_separated_file_with_english_column_names_reads_too():
    table = read_table("key\tname\tindustry\tarea\nS1\t카페\tcafe\t연남동\n".encode(), COLUMNS)

    assert table.rows == [(2, {"key": "S1", "name": "카페", "industry": "cafe", "area": "연남동"})]


@pytest.mark.parametrize("text", ["3800", "3,800", "3,800원", "₩3,800", " 3800 "])
def test_prices_read_as_people_write_them(text: str):
    assert parse_won(text) == 3800


# --- The API -----------------------------------------------------------------------------


def upload(data: bytes, name: str = "shops.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_api_dry_run_answers_200_with_the_report_and_writes_nothing(
    agency: Organization, alice: Tenant
):
    response = alice.api().post(
        "/api/v1/imports/",
        {"file": upload(csv_bytes([shop_row(1)])), "kind": "shops",
         "organization": agency.pk, "dry_run": "true"},
        format="multipart",
    )  # fmt: skip

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["dry_run"], body["imported"], body["created"]) == (True, False, 1)
    assert body["rows"][0] == {
        "row": 2, "key": "S001", "label": "가게 1", "action": "create", "changes": [], "errors": []
    }  # fmt: skip
    assert agency.businesses.count() == 0


def test_the_api_imports_with_201_and_again_without_duplicates(agency: Organization, alice: Tenant):
    api = alice.api()
    data = csv_bytes([shop_row(1), shop_row(2)])

    def post() -> dict:
        response = api.post(
            "/api/v1/imports/",
            {"file": upload(data), "kind": "shops", "organization": agency.pk},
            format="multipart",
        )
        assert response.status_code == 201, response.json()
        return response.json()

    assert post()["created"] == 2
    assert post()["unchanged"] == 2
    assert agency.businesses.count() == 2


def test_the_api_answers_400_with_every_rows_errors_and_imports_nothing(
    agency: Organization, alice: Tenant
):
    response = alice.api().post(
        "/api/v1/imports/",
        {"file": upload(csv_bytes([shop_row(1, 업종="?"), shop_row(2, 동네="")])),
         "kind": "shops", "organization": agency.pk},
        format="multipart",
    )  # fmt: skip

    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "import_rejected"
    assert [e["text"][:7] for e in body["report"]["errors"]] == ["2행 '업종'", "3행 '동네'"]
    assert body["report"]["invalid"] == 2
    assert agency.businesses.count() == 0


def test_the_api_refuses_a_request_without_a_file_in_the_one_error_format(alice: Tenant):
    response = alice.api().post("/api/v1/imports/", {"kind": "shops"}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]


def test_bob_gets_a_404_importing_into_alices_organization(alice: Tenant, bob: Tenant):
    response = bob.api().post(
        "/api/v1/imports/",
        {"file": upload(csv_bytes([shop_row(1)])), "kind": "shops",
         "organization": alice.organization.pk},
        format="multipart",
    )  # fmt: skip

    assert response.status_code == 404
    assert alice.organization.businesses.count() == 1


def test_a_member_of_one_organization_need_not_name_it(bob: Tenant):
    response = bob.api().post(
        "/api/v1/imports/",
        {"file": upload(csv_bytes([shop_row(1)])), "kind": "shops", "dry_run": "true"},
        format="multipart",
    )

    assert response.status_code == 200, response.json()


# --- The admin ---------------------------------------------------------------------------


def test_the_admin_import_page_previews_then_imports_on_confirmation(
    agency: Organization, alice: Tenant
):
    client = alice.client()
    changelist = client.get("/admin/marketing/business/")
    assert "/admin/marketing/business/import/" in changelist.content.decode()

    preview = client.post(
        "/admin/marketing/business/import/",
        {
            "target": f"organization:{agency.pk}",
            "file": upload(csv_bytes([shop_row(1), shop_row(2)])),
        },
    )

    page = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="import-preview"' in page and "가게 2" in page and "새로 만듦" in page
    assert agency.businesses.count() == 0
    token = preview.context["token"]
    assert token

    done = client.post("/admin/marketing/business/import/", {"token": token})

    assert done.status_code == 302
    assert agency.businesses.count() == 2
    again = client.post("/admin/marketing/business/import/", {"token": token})
    assert again.status_code == 302 and agency.businesses.count() == 2  # a token is used once


def test_the_admin_preview_shows_each_bad_row_and_offers_no_confirmation(
    agency: Organization, alice: Tenant
):
    response = alice.client().post(
        "/admin/marketing/business/import/",
        {"target": f"organization:{agency.pk}", "file": upload(csv_bytes([shop_row(1, 업종="?")]))},
    )

    assert "2행 &#x27;업종&#x27;" in response.content.decode()
    assert response.context["token"] == ""


def test_bob_cannot_choose_alices_organization_in_the_admin(alice: Tenant, bob: Tenant):
    response = bob.client().post(
        "/admin/marketing/business/import/",
        {
            "target": f"organization:{alice.organization.pk}",
            "file": upload(csv_bytes([shop_row(1)])),
        },
    )

    assert response.status_code == 200
    assert "target" in response.context["form"].errors
    assert Business.objects.filter(organization=alice.organization).count() == 1


def test_the_sample_shops_file_in_the_docs_imports_cleanly(agency: Organization, alice: Tenant):
    data = (settings.BASE_DIR / "docs" / "examples" / "import-shops.csv").read_bytes()

    report = run(agency, alice, data)

    assert report.imported, [str(e) for e in report.errors]
    onggi = agency.businesses.get(import_key="ONGI-001")
    assert (onggi.industry, onggi.tone, onggi.brand_primary_color) == (
        "cafe",
        "friendly",
        "#6B4F3A",
    )
    assert agency.businesses.get(import_key="HARU-002").tone == "calm"
    assert agency.businesses.get(import_key="SOOM-003").products.get().is_signature


def test_when_the_plan_fills_up_during_the_import_every_row_is_rolled_back(
    agency: Organization, alice: Tenant, monkeypatch: pytest.MonkeyPatch
):
    agency.plan.max_businesses = 1
    agency.plan.save()
    monkeypatch.setattr("marketing.imports._room_error", lambda *args: "")  # as if room was left

    report = run(agency, alice, csv_bytes([shop_row(1), shop_row(2)]))

    assert not report.imported
    assert str(report.errors[0]).startswith("3행: Agency 요금제는 사업장을 1곳까지")
    assert agency.businesses.count() == 0


def test_two_rows_of_one_name_do_not_both_take_the_shop_that_had_no_key(
    agency: Organization, alice: Tenant
):
    BusinessFactory(organization=agency, name="가게 1", import_key="")

    report = run(agency, alice, csv_bytes([shop_row(1), shop_row(2, 상호="가게 1")]))

    assert [r.action for r in report.rows] == [UPDATE, CREATE]
    assert sorted(agency.businesses.values_list("import_key", flat=True)) == ["S001", "S002"]


def test_an_empty_upload_is_read_and_reported_as_empty(alice: Tenant):
    response = alice.api().post(
        "/api/v1/imports/",
        {"file": upload(b""), "kind": "shops", "dry_run": "true"},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["report"]["errors"][0]["text"] == "파일이 비어 있어요."
