"""An issuer's badge art page draws each achievement's generated badge as its holders will get it."""

from urllib.parse import quote

import pytest

from forward.academy.awards import certification_achievement_id, course_achievement_id
from forward.academy.models import Assessment, AssessmentKind, Certification, CertificationLevel
from forward.credentials.models import Credential, CredentialKind
from tests.conftest import client_for

from .conftest import release


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def test_a_courses_preview_is_the_badge_its_completion_certificates_carry(cohort):
    w = cohort
    page = f"/credentials/issuers/{w.university.slug}/badges/"
    preview = client_for(w.admin).get(f"{page}preview.svg?achievement={quote(course_achievement_id(w.course))}")
    assert preview.status_code == 200
    release(w)
    completion = Credential.objects.get(recipient=w.pass_, kind=CredentialKind.COURSE_COMPLETION)
    held = client_for(None).get(f"/credentials/{completion.uuid}/badge.svg")
    assert held.status_code == 200
    assert preview.content.decode() == held.content.decode()  # same shape, words and colours


def test_the_badge_art_page_names_a_certifications_level_on_its_generated_badge(cohort):
    w = cohort
    exam = Assessment.objects.create(course=None, kind=AssessmentKind.EXAM, title="Exam")
    certification = Certification.objects.create(slug="cloud-pro", title="Cloud Professional", track="Cloud",
                                                 level=CertificationLevel.EXPERT, exam=exam, owner=w.university)
    client = client_for(w.admin)
    html = client.get(f"/credentials/issuers/{w.university.slug}/badges/").content.decode()
    assert "Generated badge · Cloud Professional · Certification · Expert" in html
    svg = client.get(f"/credentials/issuers/{w.university.slug}/badges/preview.svg"
                     f"?achievement={quote(certification_achievement_id(certification))}").content.decode()
    assert "Cloud Professional" in svg and "EXPERT" in svg.upper()
