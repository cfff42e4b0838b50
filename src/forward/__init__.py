"""Forward: a platform for running digital-talent programmes at national scale."""

from .celery import app as celery_app

__all__ = ["celery_app"]
__version__ = "0.1.0"
