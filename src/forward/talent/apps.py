from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "forward.talent"
    label = "talent"
    verbose_name = _("Talent")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from forward.credentials.signals import holdings_changed

        from .profiles import on_holdings_changed

        # Issuing and revoking announce after commit: the verified index follows the credentials.
        holdings_changed.connect(on_holdings_changed, dispatch_uid="talent.profiles.refresh")

        from . import home as home_cards

        home_cards.register()  # cards on the home page (core.home)
