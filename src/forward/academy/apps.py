from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "forward.academy"
    label = "academy"
    verbose_name = _("Academy")

    def ready(self) -> None:
        from . import awards, discussions

        awards.register()  # credentials certifies a run's cohort through academy's rules

        from . import home as home_cards

        home_cards.register()  # cards on the home page (core.home)
        discussions.register()  # course and run boards: who reads, posts and moderates
