from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _release_for_change(sender: Any, piece_id: int, actor: Any = None, **kwargs: Any) -> None:
    from publishing.services import release_for_change

    release_for_change(piece_id, actor)


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("게시")

    def ready(self) -> None:
        from content.signals import piece_changing

        piece_changing.connect(_release_for_change, dispatch_uid="publishing.release_for_change")
