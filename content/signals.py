"""What content announces to the apps above it, so it never calls back into them."""

from __future__ import annotations

from django.dispatch import Signal

# A piece reached a settled status (ready or failed), sent once that change commits.
# Arguments: piece_id (int), campaign_id (int | None).
piece_settled = Signal()

# A piece's copy is about to change (a hand edit, a swap, a restore or a rewrite), sent
# inside the transaction that changes it. Receivers take back what the old copy set going
# (publishing unschedules it) or raise content.revisions.PieceLocked to refuse the change,
# which rolls the whole change back. Arguments: piece_id (int), actor (User | None: who
# changes it; None for the system).
piece_changing = Signal()
