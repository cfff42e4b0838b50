from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "forward.discussions"
    label = "discussions"
    verbose_name = _("Discussions")

    def ready(self) -> None:
        from . import home

        home.register_cards()  # operators' card on the home page: reports waiting for a moderator
