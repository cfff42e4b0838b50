from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "forward.competitions"
    label = "competitions"
    verbose_name = _("Competitions")

    def ready(self) -> None:
        from . import awards, discussions
        from . import home as home_cards

        awards.register()  # credentials certifies a competition's placings through competitions' rules

        home_cards.register()  # cards on the home page (core.home)
        discussions.register()  # the competition's board: who reads, posts and moderates
