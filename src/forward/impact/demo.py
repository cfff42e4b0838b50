"""Two years of generated programme activity behind the impact numbers, and the published targets."""

from __future__ import annotations

import random


def load(*, rng: random.Random) -> None:
    """Filled in by the impact demo (see the README's Impact section)."""
