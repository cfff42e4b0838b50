"""What credentials tells the apps that read achievements (talent, impact) without knowing them.

`holdings_changed` is sent after the transaction that issued or revoked credentials commits, with
`user_ids`: the recipients whose holdings changed. Receivers keep their own indexes of verified
achievements fresh (talent.profiles); they read the credentials themselves, through selectors.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

holdings_changed = Signal()


def announce(user_ids: Iterable[int | str]) -> None:
    """Send holdings_changed for these recipients once the current transaction commits."""
    ids = sorted({int(pk) for pk in user_ids})
    if ids:
        transaction.on_commit(lambda: holdings_changed.send(sender=None, user_ids=ids))
