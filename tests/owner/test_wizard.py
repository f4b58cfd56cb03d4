"""The first-run wizard: sign-up lands in it, each step saves and resumes, bad input is
answered in Korean without losing anything, and the last step makes a week of posts."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.models import Campaign
from marketing.models import Business, Organization, Plan, User
from publishing.models import ChannelAccount
from sandbox.meta import FakeInstagram, FakeThreads
from sandbox.youtube import FakeYouTube
from tests.conftest import Tenant

pytestmark = pytest.mark.django_db
Step = Business.SetupStep


def _jpeg(name: str = "menu.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 120, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def signed_up(client) -> User:
    client.post("/accounts/signup/", {"email": "new@example.com", "password1": "s3cure-pass-word"})
    return User.objects.get(email="new@example.com")


@pytest.fixture
def simulators(settings) -> Iterator[None]:
    with (
        FakeInstagram() as ig,
        FakeThreads() as th,
        FakeYouTube(client_id="sandbox", client_secret="sandbox") as yt,
    ):
        settings.SANDBOX_INSTAGRAM_URL = ig.url
        settings.SANDBOX_THREADS_URL = th.url
        settings.SANDBOX_YOUTUBE_URL = yt.url
        yield


def test_sign_up_lands_in_the_wizard(client, signed_up):
    assert client.get("/app/", follow=False)["Location"] == "/app/start/"
    page = client.get("/app/start/")
    assert "어떤 가게인가요?" in page.content.decode()
    assert 'aria-current="step"' in page.content.decode()


def test_the_shop_step_fills_sensible_defaults_from_the_industry(client, signed_up):
    response = client.post(
        "/app/start/", {"name": "연남 커피", "industry": "cafe", "area": "서울 마포구 연남동"}
    )

    business = Business.objects.get(name="연남 커피")
    assert response["Location"] == f"/app/start/{business.pk}/photos/"
    assert business.setup_step == Step.PHOTOS
    assert business.tone == "friendly" and "직장인" in business.target_customers


def test_missing_fields_are_named_in_korean_tied_to_their_fields_and_kept(client, signed_up):
    response = client.post("/app/start/", {"name": "연남 커피", "industry": "", "area": ""})

    html = response.content.decode()
    assert response.status_code == 400
    assert "업종을 골라 주세요." in html and "가게가 있는 동네를 적어 주세요." in html
    assert 'value="연남 커피"' in html
    assert 'aria-invalid="true"' in html and 'id="id_area_error"' in html
    assert not Business.objects.exists()


def test_photos_upload_at_once_and_a_bad_file_is_refused_by_name(client, signed_up):
    client.post("/app/start/", {"name": "가게", "industry": "bakery", "area": "부산"})
    business = Business.objects.get()
    fake = SimpleUploadedFile("menu2.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")

    response = client.post(
        f"/app/start/{business.pk}/photos/",
        {"photos": [_jpeg(), _jpeg("b.jpg"), fake]},
        follow=True,
    )

    business.refresh_from_db()
    assert business.photos.count() == 2 and business.setup_step == Step.MENU
    assert "menu2.jpg" in response.content.decode()  # the refused one, by its name
    assert "대표 메뉴와 강점" in response.content.decode()


def test_the_wizard_resumes_where_it_was_left(client, signed_up):
    client.post("/app/start/", {"name": "가게", "industry": "bakery", "area": "부산"})
    business = Business.objects.get()
    client.post(f"/app/start/{business.pk}/photos/", {"skip": "1"})

    again = client.get("/app/start/")

    assert again["Location"] == f"/app/start/{business.pk}/menu/"
    dashboard = client.get("/app/start/?new=1")
    assert dashboard.status_code == 200  # a second shop can still be started


def test_quick_products_are_saved_and_bad_prices_explained(client, signed_up):
    client.post("/app/start/", {"name": "가게", "industry": "bakery", "area": "부산"})
    business = Business.objects.get()
    url = f"/app/start/{business.pk}/menu/"

    bad = client.post(url, {"name": ["소금빵", "크루아상"], "price": ["3,500원", "비쌈"]})
    good = client.post(url, {"name": ["소금빵", "", "크루아상"], "price": ["3,500원", "", ""]})

    assert bad.status_code == 400 and "2번째 줄: 가격은 숫자로" in bad.content.decode()
    assert 'value="비쌈"' in bad.content.decode()  # what was typed stays
    assert good.status_code == 302
    assert dict(business.products.values_list("name", "price")) == {
        "소금빵": 3500,
        "크루아상": None,
    }


def test_trial_accounts_connect_in_one_tap_against_the_simulators(client, signed_up, simulators):
    client.post("/app/start/", {"name": "가게", "industry": "bakery", "area": "부산"})
    business = Business.objects.get()
    # Pro connects every channel (Starter stops at two: tests/marketing/test_limits.py).
    Organization.objects.filter(pk=business.organization_id).update(
        plan=Plan.objects.get(code="pro")
    )
    Business.objects.filter(pk=business.pk).update(setup_step=Step.CHANNELS)

    response = client.post(f"/app/start/{business.pk}/channels/", {"trial": "1"})

    accounts = ChannelAccount.objects.filter(business=business, mode=ChannelAccount.Mode.SANDBOX)
    assert sorted(accounts.values_list("platform", flat=True)) == [
        "instagram",
        "threads",
        "youtube_shorts",
    ]
    assert all(a.access_token for a in accounts)
    assert response["Location"] == f"/app/start/{business.pk}/campaign/"


def test_a_simulator_that_is_down_is_reported_and_the_step_stays(client, signed_up, settings):
    settings.SANDBOX_INSTAGRAM_URL = "http://127.0.0.1:9"  # nothing listens there
    client.post("/app/start/", {"name": "가게", "industry": "bakery", "area": "부산"})
    business = Business.objects.get()
    Business.objects.filter(pk=business.pk).update(setup_step=Step.CHANNELS)

    response = client.post(f"/app/start/{business.pk}/channels/", {"trial": "1"}, follow=True)

    assert "체험용 계정을 연결하지 못했어요" in response.content.decode()
    business.refresh_from_db()
    assert business.setup_step == Step.CHANNELS


def test_the_last_step_makes_a_week_on_every_channel_and_finishes(client, signed_up):
    client.post("/app/start/", {"name": "가게", "industry": "bakery", "area": "부산"})
    business = Business.objects.get()

    response = client.post(
        f"/app/start/{business.pk}/campaign/", {"goal": "awareness", "offer": "첫 주 10% 할인"}
    )

    campaign = Campaign.objects.get(business=business)
    business.refresh_from_db()
    assert response["Location"] == f"/app/campaigns/{campaign.pk}/"
    assert sorted(campaign.channels) == sorted(
        ["instagram", "naver_blog", "youtube_shorts", "threads"]
    )
    assert campaign.pieces.count() >= 4 and business.setup_step == Step.DONE
    assert client.get("/app/start/").status_code == 200  # nothing left unfinished


def test_another_persons_shop_is_not_reachable_through_the_wizard(alice: Tenant, bob: Tenant):
    client = bob.client()
    for step in ("photos", "menu", "channels", "campaign"):
        assert client.get(f"/app/start/{alice.business.pk}/{step}/").status_code == 404


def test_without_gemini_the_menu_step_says_why_no_strengths_came(client, signed_up):
    from content.models import PhotoAnalysis
    from tests.factories import PhotoFactory

    client.post("/app/start/", {"name": "가게", "industry": "bakery", "area": "부산"})
    business = Business.objects.get()
    photo = PhotoFactory(business=business)
    PhotoAnalysis.objects.create(
        photo=photo, error="사진 분석은 Gemini 연결이 있어야 쓸 수 있습니다."
    )

    html = client.get(f"/app/start/{business.pk}/menu/").content.decode()

    assert "사진 분석은 Gemini 연결이 있어야" in html and "살펴보는 중" not in html


def test_menu_items_the_photos_show_join_the_menu_with_one_tap(client, signed_up):
    from content.models import PhotoAnalysis
    from tests.factories import PhotoFactory

    client.post("/app/start/", {"name": "가게", "industry": "bakery", "area": "부산"})
    business = Business.objects.get()
    PhotoAnalysis.objects.create(
        photo=PhotoFactory(business=business),
        description="빵",
        selling_points=["갓 구운 빵"],
        products=["소금빵", "크루아상"],
    )
    url = f"/app/start/{business.pk}/menu/"

    page = client.get(url).content.decode()
    tapped = client.post(url, {"accept": "소금빵"}, follow=True).content.decode()
    forged = client.post(url, {"accept": "없는 메뉴"})

    assert "사진 속 메뉴" in page and 'value="소금빵"' in page
    assert "메뉴에 넣었어요: 소금빵" in tapped and 'value="소금빵"' not in tapped
    assert forged.status_code == 302
    assert list(business.products.values_list("name", flat=True)) == ["소금빵"]
    business.refresh_from_db()
    assert business.setup_step == Step.PHOTOS  # tapping does not move on


def test_a_voice_memo_prefills_the_menu_rows_and_the_first_weeks_goal_and_offer(client, signed_up):
    from content.models import VoiceMemo

    client.post("/app/start/", {"name": "가게", "industry": "cafe", "area": "서울"})
    business = Business.objects.get()
    VoiceMemo.objects.create(
        business=business,
        audio="voice/memo.wav",
        mime_type="audio/wav",
        duration_s=12,
        status=VoiceMemo.Status.DONE,
        transcript="딸기 라떼가 새로 나와요. 첫 주는 천 원 할인해요.",
        facts={"goal": "new_menu", "offer": "첫 주 1,000원 할인", "products": ["딸기 라떼"]},
    )

    menu = client.get(f"/app/start/{business.pk}/menu/").content.decode()
    week = client.get(f"/app/start/{business.pk}/campaign/").content.decode()

    assert 'value="딸기 라떼"' in menu and "받아 적었어요" in menu
    assert re.search(r'<input[^>]*value="new_menu"[^>]*checked', week)
    assert 'value="첫 주 1,000원 할인"' in week


def test_a_price_too_large_to_be_a_price_is_a_row_problem(client, signed_up):
    client.post("/app/start/", {"name": "가게", "industry": "bakery", "area": "부산"})
    business = Business.objects.get()

    response = client.post(
        f"/app/start/{business.pk}/menu/", {"name": ["전화"], "price": ["01012345678999"]}
    )

    assert response.status_code == 400 and "가격이 너무 커요" in response.content.decode()
    assert not business.products.exists()
