from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "forward.academy"
    label = "academy"
    verbose_name = _("Academy")

    def ready(self) -> None:
        from . import awards, discussions
        from . import home as home_cards

        awards.register()  # credentials certifies a run's cohort through academy's rules

        home_cards.register()  # cards on the home page (core.home)
        discussions.register()  # course and run boards: who reads, posts and moderates
