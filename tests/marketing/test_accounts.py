from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from marketing.demo import DEMO_PASSWORD, SAMPLE_MENU, demo_seed
from marketing.models import Business, Membership, Organization, Plan, User


@pytest.mark.django_db
def test_signing_up_gives_the_owner_an_organization_of_their_own(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.owner@example.com",
            "password1": "s3cure-pass-word",
            "password2": "s3cure-pass-word",
        },
    )

    user = User.objects.get(email="new.owner@example.com")
    membership = Membership.objects.get(user=user)
    assert response.status_code == 302
    assert membership.role == Membership.Role.OWNER
    assert membership.organization.plan.code == "starter"
    assert "new.owner" in membership.organization.name


@pytest.mark.django_db
def test_a_bad_sign_up_explains_itself_in_korean_and_keeps_the_email(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.owner@example.com", "password1": "short", "password2": "other"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "new.owner@example.com" in html
    assert not User.objects.filter(email="new.owner@example.com").exists()
    assert any("\uac00" <= ch <= "\ud7a3" for ch in str(response.context["form"].errors))


def _seed(settings):
    return demo_seed(
        owner_email=settings.DEMO_OWNER_EMAIL, operator_email=settings.DEMO_OPERATOR_EMAIL
    )


@pytest.mark.django_db
def test_the_demo_login_works_and_shows_the_sample_business(client, settings):
    demo = demo_seed(
        owner_email=settings.DEMO_OWNER_EMAIL, operator_email=settings.DEMO_OPERATOR_EMAIL
    )

    logged_in = client.login(email=settings.DEMO_OWNER_EMAIL, password=DEMO_PASSWORD)
    page = client.get(reverse("marketing:business_detail", args=[demo.business.pk]))
    admin_page = client.get(reverse("admin:marketing_business_changelist"))

    assert logged_in
    assert "카페 온기" in page.content.decode()
    assert "소금빵" in page.content.decode()
    assert "카페 온기" in admin_page.content.decode()


@pytest.mark.django_db
def test_seeding_the_demo_twice_changes_nothing(settings):
    _seed(settings)
    counts = (User.objects.count(), Organization.objects.count(), Business.objects.count())

    again = demo_seed(
        owner_email=settings.DEMO_OWNER_EMAIL, operator_email=settings.DEMO_OPERATOR_EMAIL
    )

    assert not again.created
    assert (User.objects.count(), Organization.objects.count(), Business.objects.count()) == counts
    assert again.business.products.count() == len(SAMPLE_MENU)


@pytest.mark.django_db
def test_the_demo_operator_can_send_a_task_probe(client, settings):
    demo = _seed(settings)
    client.force_login(demo.operator)

    response = client.get(reverse("admin:core_taskprobe_add"))

    assert demo.operator.is_superuser
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_password_reset_mail_goes_out(client, settings):
    _seed(settings)

    client.post(reverse("account_reset_password"), {"email": settings.DEMO_OWNER_EMAIL})

    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_default_plans_carry_the_quotas_from_settings(settings):
    quotas = dict(Plan.objects.values_list("code", "monthly_piece_quota"))

    assert quotas == settings.PLAN_MONTHLY_PIECE_QUOTAS
