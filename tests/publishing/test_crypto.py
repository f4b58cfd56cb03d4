"""Channel secrets are ciphertext in the database, and the keys rotate without loss."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from publishing import crypto
from publishing.models import ChannelAccount
from tests.factories import ChannelAccountFactory

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _stored(account: ChannelAccount, column: str) -> str:
    """The column as the database holds it, past the field's decryption."""
    table = connection.ops.quote_name(ChannelAccount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",
            [account.pk],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_database_holds_ciphertext_and_the_code_reads_plain_text():
    account = ChannelAccountFactory(
        access_token="IGQVJ-plain-access", refresh_token="1//plain-refresh", api_password="pw-123"
    )

    for column, plain in [
        ("access_token", "IGQVJ-plain-access"),
        ("refresh_token", "1//plain-refresh"),
        ("api_password", "pw-123"),
    ]:
        raw = _stored(account, column)
        assert plain not in raw
        assert raw.startswith("gAAAAA")  # a Fernet token
        assert crypto.decrypt(raw) == plain

    account.refresh_from_db()
    assert (account.access_token, account.refresh_token, account.api_password) == (
        "IGQVJ-plain-access",
        "1//plain-refresh",
        "pw-123",
    )


@pytest.mark.django_db
def test_an_empty_secret_stays_empty_in_the_database():
    account = ChannelAccountFactory(access_token="", refresh_token="")

    assert _stored(account, "access_token") == ""
    assert _stored(account, "refresh_token") == ""


@pytest.mark.django_db
def test_rotation_re_encrypts_every_secret_with_the_first_key():
    with override_settings(TOKEN_ENCRYPTION_KEYS=[OLD_KEY]):
        instagram = ChannelAccountFactory(access_token="ig-token")
        youtube = ChannelAccountFactory(
            platform="youtube_shorts", access_token="ya29-token", refresh_token="1//refresh"
        )
        ChannelAccountFactory(platform="naver_blog", mode="assisted", access_token="")

    with override_settings(TOKEN_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        out = io.StringIO()
        call_command("rotate_token_keys", stdout=out)

    assert "Re-encrypted 3 secret(s) in 2 account(s)" in out.getvalue()
    new_only = Fernet(NEW_KEY.encode())
    assert new_only.decrypt(_stored(instagram, "access_token").encode()) == b"ig-token"
    assert new_only.decrypt(_stored(youtube, "refresh_token").encode()) == b"1//refresh"
    with override_settings(TOKEN_ENCRYPTION_KEYS=[NEW_KEY]):  # the old key can go now
        youtube.refresh_from_db()
        assert (youtube.access_token, youtube.refresh_token) == ("ya29-token", "1//refresh")


@pytest.mark.django_db
def test_a_key_dropped_before_rotation_is_reported_by_account_and_fails_the_command(alice):
    with override_settings(TOKEN_ENCRYPTION_KEYS=[OLD_KEY]):
        lost = ChannelAccountFactory(
            business=alice.business, display_name="bakery_official", access_token="ig-token"
        )
    with override_settings(TOKEN_ENCRYPTION_KEYS=[NEW_KEY]):
        readable = ChannelAccountFactory(access_token="fresh-token")

        with pytest.raises(crypto.TokenUnreadable, match="rotate_token_keys"):
            ChannelAccount.objects.get(pk=lost.pk)
        with pytest.raises(CommandError) as failure:
            call_command("rotate_token_keys", stdout=io.StringIO())

        readable.refresh_from_db()
        assert readable.access_token == "fresh-token"  # the others still rotated
    message = str(failure.value)
    assert f"#{lost.pk} 앨리스 베이커리 · instagram · bakery_official" in message
    assert "1 account(s) have secrets no key in TOKEN_ENCRYPTION_KEYS can decrypt" in message


@pytest.mark.django_db
def test_rotation_leaves_the_accounts_last_change_time_alone():
    with override_settings(TOKEN_ENCRYPTION_KEYS=[OLD_KEY]):
        account = ChannelAccountFactory(access_token="ig-token")
    before = ChannelAccount.objects.filter(pk=account.pk).values_list("updated_at", flat=True)[0]

    with override_settings(TOKEN_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        call_command("rotate_token_keys", stdout=io.StringIO())
        after = ChannelAccount.objects.filter(pk=account.pk).values_list("updated_at", flat=True)[0]

    assert after == before
