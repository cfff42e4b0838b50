"""Uploaded badge art: an issuer's admins give an achievement their own badge, which the credentials
issued from then on carry as their Open Badges image (and show in the wallet, on the credential and
verify pages and in the PDF); credentials issued before keep what their signed document says."""

from __future__ import annotations

import io
import json
import re
import struct
import zlib
from urllib.parse import quote

import jsonschema
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forward.academy.awards import course_achievement_id
from forward.core.models import AuditEvent, OrganizationKind
from forward.credentials import badge_files, selectors, services, sources
from forward.credentials.models import BadgeArt, Credential, CredentialKind
from tests.conftest import client_for, make_organization, make_user

from .conftest import release
from .test_issuing import SCHEMA
from .test_thirdparty import _documents, _verify, node  # noqa: F401 - the Node.js verifier, reused

ORANGE = (250, 120, 20)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def picture(size=(300, 150), colour=ORANGE, fmt="PNG", name="badge.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge canvas (a decompression bomb, made cheaply)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.fixture
def w(cohort):
    w = cohort
    w.achievement_id = course_achievement_id(w.course)
    w.page = f"/credentials/issuers/{w.university.slug}/badges/"
    w.unverified_admin = make_user("admin@new.test", "New Admin")
    w.unverified = make_organization(creator=w.unverified_admin, name="New University",
                                     kind=OrganizationKind.UNIVERSITY, country="MY", verified=False)
    return w


def upload(w, actor=None, file=None) -> BadgeArt:
    return services.badge_art_upload(actor=actor or w.admin, organization=w.university,
                                     achievement_id=w.achievement_id, upload=file or picture())


def image_of(credential: Credential) -> dict:
    return json.loads(credential.document)["credentialSubject"]["achievement"]["image"]


def get_png(path: str) -> Image.Image:
    response = client_for(None).get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/png", path
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


# --- the page ----------------------------------------------------------------------------------------

def test_the_issuers_page_lists_what_it_issues_with_the_generated_badge_and_says_when_art_applies(
        w, django_assert_max_num_queries):
    client = client_for(w.admin)
    page = client.get(w.page).content.decode()
    assert "Cloud Computing Fundamentals" in page and 'data-testid="generated-art"' in page
    assert "Uploaded art applies to credentials issued from now on." in page
    assert f'value="{w.achievement_id}"' in page
    # the generated badge is drawn for the issuer's people (drafts' titles are theirs to see)
    preview = client.get(f"{w.page}preview.svg?achievement={quote(w.achievement_id)}")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert preview["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert client.get(f"{w.page}preview.svg?achievement=https://elsewhere.example/x").status_code == 404
    # the issued-credentials page and the organization's page link to it
    assert f'href="{w.page}"' in client.get("/credentials/issued/").content.decode()
    assert f'href="{w.page}"' in client.get(f"/organizations/{w.university.slug}/").content.decode()
    assert w.page not in client_for(w.plain_member).get(f"/organizations/{w.university.slug}/").content.decode()
    # operators manage every organization: the issued page links the art of those that have issued
    assert w.page not in client_for(w.operator).get("/credentials/issued/").content.decode()
    release(w)
    assert f'href="{w.page}"' in client_for(w.operator).get("/credentials/issued/").content.decode()
    with django_assert_max_num_queries(12):  # whatever the number of achievements
        assert client.get(w.page).status_code == 200


def test_every_awarding_app_names_what_an_organization_issues(w):
    from forward.academy.awards import certification_achievement_id
    from forward.academy.models import Assessment, AssessmentKind, Certification, CertificationLevel
    from forward.competitions.awards import competition_achievement_id
    from forward.competitions.models import Competition

    exam = Assessment.objects.create(course=None, kind=AssessmentKind.EXAM, title="Exam")
    certification = Certification.objects.create(slug="cloud-pro", title="Cloud Professional", track="Cloud",
                                                 level=CertificationLevel.PROFESSIONAL, exam=exam,
                                                 owner=w.university)
    competition = Competition.objects.create(slug="churn", title="Churn Challenge", host=w.university, metric="auc")
    found = {a.id: a for a in sources.achievements(w.university)}
    assert found[w.achievement_id].kind == CredentialKind.COURSE_COMPLETION
    assert found[certification_achievement_id(certification)].facts == {"level": 2}
    assert found[competition_achievement_id(competition)].kind == CredentialKind.COMPETITION
    assert not any("#" in key for key in found)
    assert sources.achievements(w.other_university) == []


# --- issuing with uploaded art --------------------------------------------------------------------------

def test_an_upload_becomes_a_square_png_served_under_strict_headers(w):
    client = client_for(w.admin)
    response = client.post(w.page, {"achievement": w.achievement_id, "picture": picture()}, follow=True)
    assert "Badge art saved. Credentials issued from now on carry it; those already issued keep theirs." in \
        response.content.decode()
    art = BadgeArt.objects.get(organization=w.university)
    assert art.achievement_id == w.achievement_id and art.uploaded_by == w.admin
    assert AuditEvent.objects.filter(action="badge_art.replaced", organization=w.university).exists()
    big = get_png(badge_files.path(art.digest))
    assert big.size == (600, 600) and big.mode == "RGBA"
    assert big.getpixel((300, 5))[3] == 0 and big.getpixel((300, 300)) == (*ORANGE, 255)  # padded, not cut
    assert get_png(badge_files.path(art.digest, 192)).size == (192, 192)
    response = client_for(None).get(badge_files.path(art.digest))
    assert response["X-Content-Type-Options"] == "nosniff" and "immutable" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    again = client_for(None).get(badge_files.path(art.digest), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert 'data-testid="uploaded-art"' in client.get(w.page).content.decode()
    for wrong in ("0" * 64 + "-600", f"{art.digest}-100", "../../etc/passwd-600"):
        assert client_for(None).get(f"/credentials/badge-art/{wrong}.png").status_code == 404


def test_new_credentials_carry_the_uploaded_art_and_still_validate_and_verify(w):
    upload(w)
    release(w)
    credential = Credential.objects.get(recipient=w.top, kind=CredentialKind.COURSE_ACHIEVEMENT)
    digest = BadgeArt.objects.get().digest
    image = image_of(credential)
    assert image == {"id": f"{settings.SITE_URL}/credentials/badge-art/{digest}-600.png", "type": "Image",
                     "caption": selectors.badge(credential).caption}
    jsonschema.validate(json.loads(credential.document), SCHEMA, cls=jsonschema.Draft201909Validator)
    assert selectors.verify_data(credential.document).ok and selectors.verify_data(credential.jwt).ok
    assert get_png(image["id"].removeprefix(settings.SITE_URL)).size == (600, 600)
    # both of the course's certificates share its art
    completion = Credential.objects.get(recipient=w.top, kind=CredentialKind.COURSE_COMPLETION)
    assert image_of(completion)["id"] == image["id"]


def test_pages_show_the_uploaded_art_of_credentials_issued_after_it(w):
    upload(w)
    release(w)
    credential = Credential.objects.get(recipient=w.pass_, kind=CredentialKind.COURSE_COMPLETION)
    digest = BadgeArt.objects.get().digest
    holder = client_for(w.pass_)
    wallet = holder.get("/credentials/").content.decode()
    assert f'src="/credentials/badge-art/{digest}-192.png"' in wallet
    page = client_for(None).get(f"/credentials/{credential.uuid}/").content.decode()
    assert re.search(rf'<img class="badge-art" src="/credentials/badge-art/{digest}-600.png"', page)
    assert f'<meta property="og:image" content="http://testserver/credentials/{credential.uuid}/badge.png">' in page
    assert "Badge (SVG)" not in page
    # the credential's own badge addresses give the art its document names
    assert get_png(f"/credentials/{credential.uuid}/badge.png").getpixel((300, 300)) == (*ORANGE, 255)
    svg = client_for(None).get(f"/credentials/{credential.uuid}/badge.svg")
    assert svg.status_code == 302 and svg["Location"] == f"/credentials/badge-art/{digest}-600.png"
    verified = client_for(None).post("/credentials/verify/", {"credential": credential.jwt}).content.decode()
    assert f'src="/credentials/badge-art/{digest}-600.png"' in verified
    # the PDF draws it: the badge's square is orange
    document = pdfium.PdfDocument(holder.get(f"/credentials/{credential.uuid}/certificate.pdf").content)
    try:
        pdf_page = document[0]
        [badge] = list(pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        left, bottom, right, top = badge.get_bounds()
        rendered = pdf_page.render(scale=1).to_pil().convert("RGB")
        middle = rendered.getpixel((int((left + right) / 2), int(pdf_page.get_height() - (bottom + top) / 2)))
        assert all(abs(a - b) < 12 for a, b in zip(middle, ORANGE, strict=True)), middle
    finally:
        document.close()


def test_credentials_issued_before_keep_their_badge_and_removing_goes_back_to_generated(w):
    release(w)
    before = Credential.objects.get(recipient=w.pass_, kind=CredentialKind.COURSE_COMPLETION)
    signed = before.document
    assert image_of(before)["id"].endswith(f"/credentials/{before.uuid}/badge.png")
    art = upload(w)
    before.refresh_from_db()
    assert before.document == signed  # never re-signed
    page = client_for(None).get(f"/credentials/{before.uuid}/").content.decode()
    assert f'src="/credentials/{before.uuid}/badge.svg"' in page and "badge-art/" not in page
    # a credential issued now carries the art ...
    awards = [a for a in academy_awards(w) if a.recipient == w.merit]
    later = next(a for a in awards if a.kind == CredentialKind.COURSE_COMPLETION)
    later.recipient, later.achievement_key = w.outsider, "course:again"
    (with_art,) = services.issue([later])
    assert art.digest in image_of(with_art)["id"]
    # ... and after removing it, new ones are generated again while that one keeps its art
    response = client_for(w.admin).post(w.page, {"achievement": w.achievement_id, "remove": "1"}, follow=True)
    assert "Badge art removed." in response.content.decode()
    assert not BadgeArt.objects.exists()
    later.achievement_key = "course:once-more"
    (generated,) = services.issue([later])
    assert image_of(generated)["id"].endswith(f"/credentials/{generated.uuid}/badge.png")
    assert art.digest in client_for(None).get(f"/credentials/{with_art.uuid}/").content.decode()
    assert get_png(f"/credentials/{with_art.uuid}/badge.png").getpixel((300, 300)) == (*ORANGE, 255)


def academy_awards(w):
    from forward.academy.awards import run_awards

    return run_awards(run=w.uni_run)


def test_another_issuers_art_never_reaches_a_credential(w):
    """Art is the issuer's: another organization cannot upload for an achievement it does not issue."""
    with pytest.raises(ValidationError):
        services.badge_art_upload(actor=w.other_admin, organization=w.other_university,
                                  achievement_id=w.achievement_id, upload=picture())
    release(w)
    assert not BadgeArt.objects.exists()
    assert "/badge-art/" not in Credential.objects.filter(issuer=w.university).first().document


# --- bad uploads ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "name", "says"), [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "art.svg",
     "not a picture we can read (SVG and other formats are not accepted)"),
    (b"%PDF-1.7 not a picture", "art.pdf", "not a picture we can read"),
    (png_header_only(20_000, 20_000), "bomb.png", "too many pixels (at most 40 megapixels)"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024), "huge.png", "pictures may be at most 5 MB"),
])
def test_bad_uploads_get_a_clear_error_and_nothing_is_stored(w, data, name, says):
    response = client_for(w.admin).post(w.page, {"achievement": w.achievement_id,
                                                 "picture": SimpleUploadedFile(name, data)}, follow=True)
    page = response.content.decode()
    assert says in page and "Upload a JPEG, PNG, WebP or GIF picture of at most 5 MB." in page
    assert not BadgeArt.objects.exists()


def test_no_file_or_an_unknown_achievement_is_refused_with_a_reason(w):
    client = client_for(w.admin)
    page = client.post(w.page, {"achievement": w.achievement_id}, follow=True).content.decode()
    assert "Choose a picture to upload." in page
    page = client.post(w.page, {"achievement": "https://elsewhere.example/course", "picture": picture()},
                       follow=True).content.decode()
    assert "NTU does not issue that achievement." in page
    assert not BadgeArt.objects.exists()


# --- who may ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "allowed"), [("anonymous", False), ("plain_member", False), ("student", False),
                                              ("other_admin", False), ("unverified_admin", False),
                                              ("admin", True), ("operator", True)])
def test_only_the_issuers_admins_and_operators_upload_and_remove(w, who, allowed):
    user = None if who == "anonymous" else getattr(w, who)
    client = client_for(user)
    page = client.get(w.page)
    preview = client.get(f"{w.page}preview.svg?achievement={quote(w.achievement_id)}")
    posted = client.post(w.page, {"achievement": w.achievement_id, "picture": picture()})
    assert BadgeArt.objects.exists() == allowed
    if allowed:
        assert page.status_code == 200 and preview.status_code == 200 and posted.status_code == 302
        client.post(w.page, {"achievement": w.achievement_id, "remove": "1"})
        assert not BadgeArt.objects.exists()
    elif who == "anonymous":
        assert "/accounts/login/" in page["Location"] and "/accounts/login/" in posted["Location"]
    else:
        assert page.status_code == preview.status_code == posted.status_code == 403
        upload(w)
        assert client.post(w.page, {"achievement": w.achievement_id, "remove": "1"}).status_code == 403
        assert BadgeArt.objects.exists()
        with pytest.raises(PermissionDenied):
            services.badge_art_remove(actor=user, organization=w.university, achievement_id=w.achievement_id)


def test_an_unverified_organizations_admin_cannot_give_its_own_achievements_art(w):
    from forward.academy.models import Course

    course = Course.objects.create(slug="draft-course", title="Draft", owner=w.unverified)
    client = client_for(w.unverified_admin)
    assert client.get(f"/credentials/issuers/{w.unverified.slug}/badges/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.badge_art_upload(actor=w.unverified_admin, organization=w.unverified,
                                  achievement_id=course_achievement_id(course), upload=picture())
    # and the issued-credentials page offers badge art only for verified organizations
    assert "badge-art-links" not in client.get("/credentials/issued/").content.decode()


def test_third_party_verifiers_accept_a_credential_with_uploaded_art(node, w, tmp_path):  # noqa: F811
    upload(w)
    release(w)
    credential = Credential.objects.get(recipient=w.top, kind=CredentialKind.COURSE_ACHIEVEMENT)
    assert "/credentials/badge-art/" in image_of(credential)["id"]
    report = _verify(node, tmp_path, _documents([credential]),
                     [{"name": "with art", "json": json.loads(credential.document), "jwt": credential.jwt}])
    ok = report["with art"]
    assert ok["dataIntegrity"] == {"verified": True, "errors": [], "statusChecked": True, "revoked": False}, ok
    assert ok["jwt"]["verified"], ok
