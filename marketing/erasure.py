"""Erasing a business for good: every row that hangs from it (campaigns, pieces,
publications and their attempts, photos, reports…), the files those rows hold, and one
line in the audit log that outlives it.

When is ``publishing.lifecycle``'s to decide (after the grace period, or at once for a
shop with no history); this module is how. It finds the rows the way Django's own delete
does (a deletion Collector), so a model added later under Business is erased, files and
all, without a line here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.files.storage import Storage
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from marketing.audit import Action, audit
from marketing.models import Business, User

logger = logging.getLogger(__name__)


def has_history(business: Business) -> bool:
    """Whether anything was ever made for the shop (a campaign or a piece): such a shop is
    archived, never deleted at once."""
    return business.campaigns.exists() or business.pieces.exists()


def business_erase(business: Business, *, actor: User | None, why: str) -> None:
    """Delete the business, everything under it and, once the delete commits, their
    stored files. The audit log keeps the shop's name, who and why. Call it inside the
    transaction that checked the business may go (holding its row)."""
    collector = Collector(using=router.db_for_write(Business))
    collector.collect([business])
    files = _stored_files(collector)
    # Not tied to the business by its key: the row is about to go.
    audit(
        business.organization_id,
        Action.ERASED,
        _("%(name)s 사업장을 완전히 지웠어요 (%(why)s)") % {"name": business.name, "why": why},
        actor=actor,
        business_id=business.pk,
        name=business.name,
        files=len(files),
    )
    collector.delete()
    transaction.on_commit(lambda: _remove(files))


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _stored_files(collector: Collector) -> list[tuple[Storage, str]]:
    found: list[tuple[Storage, str]] = []
    for model, instances in collector.data.items():
        for field in _file_fields(model):
            names = (field.value_from_object(obj).name for obj in instances)
            found += [(field.storage, name) for name in names if name]
    for queryset in collector.fast_deletes:  # rows deleted without being loaded
        for field in _file_fields(queryset.model):
            stored = queryset.values_list(field.attname, flat=True)
            found += [(field.storage, name) for name in stored if name]
    return found


def _remove(files: Iterable[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # a file already gone, or storage that is down: the rows are gone
            logger.warning("could not remove %s after erasing its business", name)
