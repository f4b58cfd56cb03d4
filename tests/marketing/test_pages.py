from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from marketing.models import Business
from tests.conftest import Tenant

REPO = Path(__file__).resolve().parents[2]


def test_a_bad_business_form_shows_field_errors_in_korean_and_keeps_what_was_typed(alice: Tenant):
    response = alice.client().post(
        reverse("marketing:business_create"),
        {
            "organization": alice.organization.pk,
            "name": "새 가게",
            "industry": "cafe",
            "area": "",
            "description": "아침 8시에 문을 여는 동네 카페",
            "brand_primary_color": "파랑",
            "brand_secondary_color": "#FFFFFF",
            "price_range": "moderate",
            "tone": "friendly",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"area", "brand_primary_color"}
    assert "#RRGGBB 형식의 색상 코드를 입력해 주세요." in html
    assert "아침 8시에 문을 여는 동네 카페" in html
    assert not Business.objects.filter(name="새 가게").exists()


def test_an_owner_adds_a_business_with_one_selling_point_per_line(alice: Tenant):
    response = alice.client().post(
        reverse("marketing:business_create"),
        {
            "organization": alice.organization.pk,
            "name": "새 가게",
            "industry": "bakery",
            "area": "서울 마포구 망원동",
            "selling_points": "천연발효종\n\n당일 생산 ",
            "brand_primary_color": "#112233",
            "brand_secondary_color": "#FFFFFF",
            "price_range": "moderate",
            "tone": "friendly",
        },
    )

    business = Business.objects.get(name="새 가게")
    assert response.status_code == 302
    assert business.organization == alice.organization
    assert business.selling_points == ["천연발효종", "당일 생산"]


def test_the_owner_picks_no_organization_when_they_have_only_one(alice: Tenant):
    form = alice.client().get(reverse("marketing:business_create")).context["form"]

    assert form.fields["organization"].widget.is_hidden
    assert form.fields["organization"].initial == alice.organization


def _social_settings_with(env: dict[str, str]) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(' '.join(a for a in s.INSTALLED_APPS if '.providers.' in a));"
        "print(' '.join(a['client_id'] for p in s.SOCIALACCOUNT_PROVIDERS.values()"
        " for a in p['APPS']))"
    )
    keys = ("_CLIENT_ID", "_CLIENT_SECRET")
    clean = {k: v for k, v in os.environ.items() if not k.endswith(keys)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_social_logins_are_switched_on_only_when_their_keys_are_configured():
    assert _social_settings_with({}) == ["", ""]
    assert _social_settings_with(
        {"NAVER_CLIENT_ID": "naver-id", "NAVER_CLIENT_SECRET": "s", "KAKAO_CLIENT_ID": "half"}
    ) == ["allauth.socialaccount.providers.naver", "naver-id"]


def test_the_login_page_works_without_any_social_login(client, db):
    html = client.get(reverse("account_login")).content.decode()

    assert 'name="login"' in html
    assert "/accounts/naver/login/" not in html
