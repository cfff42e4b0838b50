import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify

from forward.competitions import services, submissions
from forward.competitions.models import Competition, Phase
from forward.core.models import AuditEvent
from tests.competitions.conftest import predictions_csv, solution_csv, upload


def test_only_members_of_the_host_organization_create_competitions(world):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        services.competition_create(actor=world.outsider, host=world.host_org, title="X", metric="auc",
                                    starts_at=now, ends_at=now + timedelta(days=1))
    c = services.competition_create(actor=world.host_member, host=world.host_org, title="Churn", metric="logloss",
                                    starts_at=now, ends_at=now + timedelta(days=1))
    assert c.status == "draft" and c.phases.count() == 1



def test_a_competitions_address_comes_from_its_title_and_is_never_taken_twice(world):
    now = timezone.now()

    def create(title):
        return services.competition_create(actor=world.host_user, host=world.host_org, title=title, metric="auc",
                                           starts_at=now, ends_at=now + timedelta(days=1)).slug

    assert world.competition.slug == "repeat-buyers"
    assert create("Churn Forecast 2025") == "churn-forecast-2025"
    assert create("Churn  forecast 2025!") == "churn-forecast-2025-2"
    assert create("!!!") == "competition" and create("???") == "competition-2"
    assert create("Churn forecast 2025?") == "churn-forecast-2025-3"
    # A long title gives its first 70 characters, and a number after them still fits the 80 allowed.
    title = "Forecasting the monthly demand for every product in every store of a large retail chain"
    slug = create(title)
    assert slug == slugify(title)[:70] and len(slug) == 70 and slug.startswith("forecasting-the-monthly-demand")
    assert create(title) == slugify(title)[:70] + "-2"


def test_a_teams_invite_code_is_twelve_url_safe_characters_never_the_same_twice(world):
    # 9 random bytes (72 bits), written in 12 characters a member can paste into a link or a message.
    codes = []
    for i, user in enumerate([world.alice, world.bob]):
        services.register(user=user, competition=world.competition)
        codes.append(services.team_create(user=user, competition=world.competition, name=f"Team {i}").invite_code)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{12}", code) for code in codes), codes
    assert codes[0] != codes[1]

def test_an_unknown_metric_is_refused_with_the_valid_names(world):
    now = timezone.now()
    with pytest.raises(ValidationError) as err:
        services.competition_create(actor=world.host_user, host=world.host_org, title="X", metric="accuracy2",
                                    starts_at=now, ends_at=now + timedelta(days=1))
    assert "auc" in str(err.value)


@pytest.mark.parametrize("content, words", [
    (b"id,target,Usage\n1,1,Public\n1,0,Private\n2,1,Public\n3,0,Private\n", "duplicate"),
    (b"id,target,Usage\n1,1,Public\n2,0,Public\n3,1,Public\n4,0,Public\n", "Private"),
    (b"id,target,Usage\n1,1,Public\n2,1,Public\n3,1,Private\n4,0,Private\n", "class"),
    (b"id,target\n1,1\n2,0\n", "Usage"),
])
def test_a_bad_solution_is_refused_and_the_old_one_kept(world, content, words):
    before = Phase.objects.get(pk=world.phase.pk).solution_file
    with pytest.raises(ValidationError) as err:
        services.solution_upload(actor=world.host_user, phase=world.phase, upload=upload(content, "solution.csv"))
    assert words.lower() in str(err.value).lower()
    assert Phase.objects.get(pk=world.phase.pk).solution_file == before


def test_publishing_needs_a_solution(world):
    now = timezone.now()
    c = services.competition_create(actor=world.host_user, host=world.host_org, title="New", metric="auc",
                                    starts_at=now, ends_at=now + timedelta(days=1))
    with pytest.raises(ValidationError, match="solution"):
        services.competition_publish(actor=world.host_user, competition=c)
    services.solution_upload(actor=world.host_user, phase=c.phases.get(), upload=upload(solution_csv()))
    assert services.competition_publish(actor=world.host_user, competition=c).status == "published"


def test_edits_after_publishing_are_logged(world):
    services.competition_update(actor=world.host_user, competition=world.competition, prize="A trip to Hangzhou")
    event = AuditEvent.objects.filter(action="competition.edit").get()
    assert event.data["changed"]["prize"]["to"] == "A trip to Hangzhou"
    assert event.actor == world.host_user


def test_another_organizations_admin_cannot_edit_or_upload(world):
    with pytest.raises(PermissionDenied):
        services.competition_update(actor=world.other_host, competition=world.competition, title="Hijacked")
    with pytest.raises(PermissionDenied):
        services.solution_upload(actor=world.other_host, phase=world.phase, upload=upload(solution_csv()))
    assert Competition.objects.get(pk=world.competition.pk).title == "Repeat buyers"


def test_advancing_the_top_teams_to_the_next_round(world, team):
    from forward.competitions import submissions
    from tests.competitions.conftest import predictions_csv

    submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    later = world.phase.ends_at + timedelta(days=1)
    final = services.phase_add(actor=world.host_user, competition=world.competition, name="Final",
                               starts_at=later, ends_at=later + timedelta(days=3))
    assert final.advanced_only
    assert services.phase_advance(actor=world.host_user, phase=final, top_n=5) == 1
    assert list(final.advancements.values_list("team_id", flat=True)) == [team.pk]


def _create_form(world, **fields):
    from tests.conftest import client_for

    now = timezone.localtime()
    data = {"host": world.host_org.pk, "title": "Next basket", "metric": "auc", "eligibility": "open",
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"), "ends_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "team_size_limit": 3, "daily_limit": 5, "final_limit": 2, "max_submission_mb": 10, **fields}
    return client_for(world.host_user).post("/competitions/new/", data)


def test_the_form_creates_a_map_at_k_competition_from_map_at_k_and_k(world):
    response = _create_form(world, metric="map@K", map_k="3")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Competition.objects.get(title="Next basket").metric == "map@3"


def test_the_form_accepts_a_concrete_map_at_k_like_the_cli_and_the_service(world):
    response = _create_form(world, metric="map@12")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Competition.objects.get(title="Next basket").metric == "map@12"


@pytest.mark.parametrize("fields, words", [
    ({"metric": "map@K"}, "Give K for map@K"),
    ({"metric": "map@K", "map_k": "0"}, "greater than or equal to 1"),
    ({"metric": "map@0"}, "Select a valid choice"),
    ({"metric": "auc", "map_k": "5"}, "only for map@K"),
])
def test_the_form_explains_a_missing_or_misplaced_k(world, fields, words):
    response = _create_form(world, **fields)
    assert response.status_code == 200 and words in response.content.decode()
    assert not Competition.objects.filter(title="Next basket").exists()


def test_the_service_explains_map_at_k_without_a_number(world):
    now = timezone.now()
    with pytest.raises(ValidationError, match="map@K needs K"):
        services.competition_create(actor=world.host_user, host=world.host_org, title="X", metric="map@K",
                                    starts_at=now, ends_at=now + timedelta(days=1))


def test_a_hidden_solution_is_stored_under_the_private_prefix_as_csv_whatever_its_upload_is_called(world):
    # Files under private/ are never served by URL; the name a host's file had does not matter.
    phase = services.solution_upload(actor=world.host_user, phase=world.phase,
                                     upload=upload(solution_csv(), "ground truth.TXT"))
    assert re.fullmatch(rf"private/competitions/{world.competition.pk}/phase-1/[0-9a-f]{{32}}\.csv",
                        phase.solution_file), phase.solution_file


def test_a_new_solution_replaces_the_old_one_whose_file_goes_and_records_when(world):
    old = Phase.objects.get(pk=world.phase.pk)
    assert default_storage.exists(old.solution_file)
    before = timezone.now()
    phase = services.solution_upload(actor=world.host_user, phase=old, upload=upload(solution_csv(), "v2.csv"))
    assert phase.solution_file != old.solution_file and default_storage.exists(phase.solution_file)
    assert not default_storage.exists(old.solution_file)  # deleted once the change is committed
    stored = Phase.objects.get(pk=phase.pk)
    assert stored.solution_file == phase.solution_file
    assert before <= stored.solution_uploaded_at <= timezone.now()
    # The host's audit log says who replaced it, for which organization, and how many rows it has.
    event = AuditEvent.objects.filter(action="solution.upload").first()
    assert (event.actor, event.organization, event.target) == (world.host_user, world.host_org, str(phase))
    assert (event.data["rows"], event.data["public_rows"]) == (stored.solution_rows, stored.solution_public_rows)


def test_once_a_team_has_submitted_the_solution_is_refused_with_the_reason_and_nothing_changes(world, team):
    submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    before = Phase.objects.get(pk=world.phase.pk)
    files = set(default_storage.listdir(f"private/competitions/{world.competition.pk}/phase-1")[1])
    with pytest.raises(ValidationError) as refused:
        services.solution_upload(actor=world.host_user, phase=before, upload=upload(solution_csv(), "v2.csv"))
    assert refused.value.messages == ["Teams have already submitted to this round; its solution cannot change."]
    after = Phase.objects.get(pk=world.phase.pk)
    assert (after.solution_file, after.solution_uploaded_at) == (before.solution_file, before.solution_uploaded_at)
    assert set(default_storage.listdir(f"private/competitions/{world.competition.pk}/phase-1")[1]) == files
