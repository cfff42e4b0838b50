"""Forward: a platform for running digital-talent programmes at national scale.

Kept free of imports so that pure libraries (``forward.scoring``) load fast; the Celery app is
loaded when Django starts (``forward.core.apps``).
"""

__version__ = "0.1.0"
