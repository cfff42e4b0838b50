from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenturesConfig(AppConfig):
    name = "forward.ventures"
    label = "ventures"
    verbose_name = _("Ventures")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import home as home_cards

        home_cards.register()  # cards on the home page (core.home)
