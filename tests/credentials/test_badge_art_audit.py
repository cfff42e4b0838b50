"""Badge art in the audit log and per issuer: uploading and removing record who did it, for which
issuer and achievement (and which picture); removing one achievement's art leaves the issuer's other
art, and another issuer's, alone."""

from __future__ import annotations

from forward.academy.awards import course_achievement_id
from forward.academy.models import Course
from forward.core.models import AuditEvent
from forward.credentials import selectors, services
from forward.credentials.models import BadgeArt
from tests.conftest import client_for

from .test_badge_uploads import _media, picture, w  # noqa: F401 - the badge art world, reused


def test_uploading_and_removing_art_are_audited_with_who_which_issuer_and_achievement(w):  # noqa: F811
    client = client_for(w.admin)
    client.post(w.page, {"achievement": w.achievement_id, "picture": picture()})
    digest = BadgeArt.objects.get().digest
    replaced = AuditEvent.objects.get(action="badge_art.replaced")
    assert (replaced.actor, replaced.organization, replaced.target, replaced.data) == (
        w.admin, w.university, w.achievement_id, {"digest": digest})

    client.post(w.page, {"achievement": w.achievement_id, "remove": "1"})
    removed = AuditEvent.objects.get(action="badge_art.removed")
    assert (removed.actor, removed.organization, removed.target) == (w.admin, w.university, w.achievement_id)
    # removing art that is not there any more records nothing
    client.post(w.page, {"achievement": w.achievement_id, "remove": "1"})
    assert AuditEvent.objects.filter(action="badge_art.removed").count() == 1


def test_removing_one_achievements_art_keeps_the_issuers_other_art_and_other_issuers_art(w):  # noqa: F811
    # ZJU gave its course "data-201" art, then renamed the course; NTU now has a course "data-201"
    theirs = Course.objects.create(slug="data-201", title="Data at ZJU", owner=w.other_university)
    services.badge_art_upload(actor=w.other_admin, organization=w.other_university,
                              achievement_id=course_achievement_id(theirs), upload=picture())
    shared_id = course_achievement_id(theirs)
    Course.objects.filter(pk=theirs.pk).update(slug="data-201-zju")
    ours = Course.objects.create(slug="data-201", title="Data Engineering", owner=w.university)
    assert course_achievement_id(ours) == shared_id

    client = client_for(w.admin)
    for achievement in (w.achievement_id, shared_id):
        client.post(w.page, {"achievement": achievement, "picture": picture()})
    assert client.get(w.page).content.decode().count('data-testid="uploaded-art"') == 2

    response = client.post(w.page, {"achievement": shared_id, "remove": "1"}, follow=True)
    page = response.content.decode()
    assert "Badge art removed." in page
    assert page.count('data-testid="uploaded-art"') == 1  # the course's art is still there
    assert set(selectors.uploaded_art(organization=w.university)) == {w.achievement_id}
    assert set(selectors.uploaded_art(organization=w.other_university)) == {shared_id}  # ZJU's is its own
