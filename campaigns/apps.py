from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def refresh_on_piece_settled(*, campaign_id: int | None, **kwargs: Any) -> None:
    """A campaign's status follows its pieces: roll it up whenever one of them settles."""
    from campaigns.services import campaign_refresh_status

    if campaign_id is not None:
        campaign_refresh_status(campaign_id=campaign_id)


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("캠페인")

    def ready(self) -> None:
        from content.signals import piece_settled

        piece_settled.connect(refresh_on_piece_settled, dispatch_uid="campaigns.refresh_status")
