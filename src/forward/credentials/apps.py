from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "forward.credentials"
    label = "credentials"
    verbose_name = _("Credentials")

    def ready(self) -> None:
        from . import home as home_cards

        home_cards.register()  # cards on the home page (core.home)
