from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_plans(sender: AppConfig, **kwargs: Any) -> None:
    from marketing.plans import plans_install

    plans_install()


class MarketingConfig(AppConfig):
    name = "marketing"
    verbose_name = _("사업장과 조직")

    def ready(self) -> None:
        # After every migrate and every test flush, so the plans are always there.
        post_migrate.connect(_install_plans, sender=self)
