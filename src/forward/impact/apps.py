from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "forward.impact"
    label = "impact"
    verbose_name = _("Impact")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the platform's measures at start-up, so a test that swaps the registry for
        # measures of its own (and restores it) never sees them registered halfway through.
        from . import home as home_cards
        from . import sources  # noqa: F401

        home_cards.register()  # cards on the home page (core.home)
