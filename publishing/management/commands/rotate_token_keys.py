"""``manage.py rotate_token_keys``: re-encrypt every stored channel secret with the
first key of TOKEN_ENCRYPTION_KEYS.

Rotation: put the new key first (``TOKEN_ENCRYPTION_KEYS=new,old``), run this, then
drop the old key. Each account is read through its encrypted fields (any listed key
decrypts) and saved back (the first key encrypts), under a row lock so a token refresh
running at the same time is not overwritten with the old token.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from publishing.crypto import TokenUnreadable
from publishing.models import ChannelAccount

SECRET_FIELDS = ("access_token", "refresh_token", "api_password")


class Command(BaseCommand):
    help = "Re-encrypt every stored channel token and API password with the first key."

    def handle(self, *args: Any, **options: Any) -> None:
        secrets = 0
        accounts = 0
        unreadable: list[str] = []
        for pk in ChannelAccount.objects.order_by("pk").values_list("pk", flat=True):
            try:
                rotated = self._rotate(pk)
            except TokenUnreadable:
                unreadable.append(_describe(pk))
                continue
            if rotated:
                secrets += rotated
                accounts += 1
        self.stdout.write(
            f"Re-encrypted {secrets} secret(s) in {accounts} account(s) with the first key "
            "of TOKEN_ENCRYPTION_KEYS."
        )
        if unreadable:
            raise CommandError(
                f"{len(unreadable)} account(s) have secrets no key in TOKEN_ENCRYPTION_KEYS "
                "can decrypt: " + "; ".join(unreadable) + ". Put back the key they were "
                "encrypted with (after the new one) and run this again, or have the owner "
                "reconnect these accounts."
            )

    def _rotate(self, pk: int) -> int:
        """Re-encrypt one account's secrets; returns how many it had."""
        with transaction.atomic():
            account = ChannelAccount.objects.select_for_update().filter(pk=pk).first()
            if account is None:  # deleted meanwhile
                return 0
            present = [name for name in SECRET_FIELDS if getattr(account, name)]
            if present:
                account.save(update_fields=present)
            return len(present)


def _describe(pk: int) -> str:
    """The account named without touching its encrypted columns."""
    row = (
        ChannelAccount.objects.filter(pk=pk)
        .values("business__name", "platform", "mode", "display_name", "external_id")
        .first()
    )
    if row is None:
        return f"#{pk}"
    name = row["display_name"] or row["external_id"] or row["mode"]
    return f"#{pk} {row['business__name']} · {row['platform']} · {name} ({row['mode']})"
