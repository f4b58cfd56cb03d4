from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


def _install_plans(sender: AppConfig, **kwargs: Any) -> None:
    from marketing.plans import plans_install

    plans_install()


def _remove_file(field_name: str) -> Any:
    """A post_delete receiver: the deleted row's file leaves storage once the delete is
    committed (a rolled-back delete keeps it)."""

    def receiver(sender: type, instance: Any, **kwargs: Any) -> None:
        field = getattr(instance, field_name)
        if field and field.name:
            name, storage = field.name, field.storage
            transaction.on_commit(lambda: storage.delete(name))

    return receiver


class MarketingConfig(AppConfig):
    name = "marketing"
    verbose_name = _("사업장과 조직")

    def ready(self) -> None:
        # After every migrate and every test flush, so the plans are always there.
        post_migrate.connect(_install_plans, sender=self)
        # A deleted photo is gone, file and all (the library, a menu item's picture).
        photo, product = self.get_model("Photo"), self.get_model("Product")
        post_delete.connect(_remove_file("image"), sender=photo, weak=False)
        post_delete.connect(_remove_file("photo"), sender=product, weak=False)
