"""What content announces to the apps above it, so it never calls back into them."""

from __future__ import annotations

from django.dispatch import Signal

# A piece reached a settled status (ready or failed), sent once that change commits.
# Arguments: piece_id (int), campaign_id (int | None).
piece_settled = Signal()
