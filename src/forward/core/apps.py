from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "forward.core"
    label = "core"
    verbose_name = _("People and organizations")

    def ready(self) -> None:
        from forward import celery  # noqa: F401 - makes the Celery app current for shared tasks
        from forward.core import checks  # noqa: F401 - registers the system checks
        from forward.core import home as home_cards

        home_cards.register("core.operator", home_cards.operator_cards)  # the home page: organizations awaiting verification
