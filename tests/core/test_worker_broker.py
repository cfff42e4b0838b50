"""A task sent through a real broker is executed by a real `forward worker` process.

Runs against Redis and RabbitMQ when they are reachable (FORWARD_TEST_REDIS_URL, FORWARD_TEST_AMQP_URL);
skipped otherwise, and failed instead of skipped when FORWARD_REQUIRE_SERVICES=1 (CI).
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.core import mail
from django.utils import timezone

from forward.core.models import Invitation
from forward.core.services import invitation_from_token
from tests.conftest import service_unavailable
from tests.workers import BROKERS, reachable, wait_until


@pytest.mark.services
@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_a_real_worker_sends_the_invitation_email(broker, transactional_db, people, worker_for):
    url = BROKERS[broker]
    if not reachable(url):
        service_unavailable(f"{broker} broker not reachable at {url}")
    invitation = Invitation.objects.create(
        organization=people.org, email=f"new.student.{broker}@uni.test", key=uuid.uuid4().hex,
        invited_by=people.admin, expires_at=timezone.now() + timedelta(days=7),
    )
    queue = f"test-{broker}-{uuid.uuid4().hex[:8]}"
    worker = worker_for(url, queue)

    sender = Celery("forward-test-sender", broker=url, set_as_current=False)
    sender.send_task("forward.core.send_invitation_email", args=[invitation.pk], queue=queue)

    try:
        wait_until(lambda: Invitation.objects.get(pk=invitation.pk).sent_at, worker=worker)
    except BaseException:
        print(Path(worker.log_path).read_text(errors="replace")[-4000:])
        raise
    # The email went out from the worker process (file backend), not from this test process.
    assert mail.outbox == []
    sent = [p.read_text() for p in (Path(settings.DATA_DIR) / "mail").glob("*.log")]
    ours = [text for text in sent if f"To: new.student.{broker}@uni.test" in text]
    assert len(ours) == 1
    token = re.search(r"/invitations/([^/\s]+)/", ours[0]).group(1)
    assert invitation_from_token(token) == invitation
