"""The shop's settings on its page and the archive: pause and resume, archive and
restore, and erase with the typed name and its date, cancelable; in Korean, by role."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from marketing.models import Business
from tests.conftest import Tenant

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def post(tenant: Tenant, name: str, business: Business | None = None, **data: str):
    business = business or tenant.business
    return tenant.client().post(reverse(f"owner:{name}", args=[business.pk]), data)


def test_the_shops_page_offers_its_settings_to_managers_and_owners_only(alice, charlie):
    url = reverse("marketing:business_detail", args=[alice.business.pk])

    owners = alice.client().get(url).content.decode()
    staffs = charlie.client().get(url).content.decode()

    assert "사업장 관리" in owners and "완전히 지우기" in owners and "보관하기" in owners
    assert "사업장 관리" not in staffs


def test_archiving_hides_the_shop_and_the_archive_finds_and_restores_it(alice):
    archived = post(alice, "business_archive")

    assert archived["Location"] == reverse("owner:archive")
    dashboard = alice.client().get(reverse("marketing:dashboard"))
    assert dashboard.status_code == 200  # not sent to the wizard: the archive is linked
    assert list(dashboard.context["businesses"]) == []
    assert reverse("owner:archive") in dashboard.content.decode()
    archive = alice.client().get(reverse("owner:archive")).content.decode()
    assert alice.business.name in archive and "다시 꺼내기" in archive

    restored = post(alice, "business_restore")

    assert restored["Location"] == reverse("marketing:business_detail", args=[alice.business.pk])
    alice.business.refresh_from_db()
    assert alice.business.archived_at is None


def test_erase_with_a_wrong_name_is_refused_in_korean(alice):
    response = post(alice, "business_erase", confirm="앨리스")

    assert any("이름이 맞지 않아요" in m for m in messages_of(response))
    alice.business.refresh_from_db()
    assert alice.business.archived_at is None and alice.business.erase_after is None


def test_erase_shows_the_date_it_will_happen_and_can_be_called_off(alice, settings):
    settings.BUSINESS_ERASE_GRACE_DAYS = 7
    with time_machine.travel(NOW, tick=False):
        response = post(alice, "business_erase", confirm=alice.business.name)
    archive = alice.client().get(reverse("owner:archive")).content.decode()

    assert response["Location"] == reverse("owner:archive")
    assert "2026-11-30 10:00" in archive  # seven days on, on the shop's clock (Asia/Seoul)
    assert "완전 삭제 취소" in archive

    post(alice, "business_erase_cancel")

    alice.business.refresh_from_db()
    assert alice.business.erase_after is None and alice.business.archived_at is not None
    assert "완전 삭제 취소" not in alice.client().get(reverse("owner:archive")).content.decode()


def test_pause_and_resume_from_the_shops_page(alice):
    post(alice, "business_pause")
    page = alice.client().get(reverse("marketing:business_detail", args=[alice.business.pk]))

    assert "게시를 멈춰 두었어요" in page.content.decode()

    post(alice, "business_resume")
    alice.business.refresh_from_db()
    assert alice.business.paused_at is None


def test_staff_are_told_they_may_not_archive(charlie):
    response = post(charlie, "business_archive")

    assert any("매니저 이상" in m for m in messages_of(response))
    charlie.business.refresh_from_db()
    assert charlie.business.archived_at is None


def test_bob_gets_404_for_alices_shop_settings(alice, bob):
    for name in ("business_pause", "business_archive", "business_erase"):
        assert post(bob, name, alice.business, confirm=alice.business.name).status_code == 404

    alice.business.refresh_from_db()
    assert alice.business.archived_at is None and alice.business.paused_at is None
    assert alice.business.name not in bob.client().get(reverse("owner:archive")).content.decode()
