"""A round's data files: what the host uploads is what participants see and download, a new upload of
the same name replaces the old file (and its stored copy), and nothing is left behind on failure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from forward.competitions import services
from forward.competitions.models import DataFile, Phase
from forward.core.models import AuditEvent
from tests.competitions.conftest import upload
from tests.conftest import client_for


def data_folder(world, phase=None) -> str:
    phase = phase or world.phase
    return f"competitions/{world.competition.pk}/phase-{phase.number}/data"


def stored_names(world, phase=None) -> list[str]:
    return sorted(default_storage.listdir(data_folder(world, phase))[1])


def download(world, user, datafile) -> bytes:
    response = client_for(user).get(f"/competitions/{world.competition.slug}/data/{datafile.pk}/download/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_data_file_is_listed_with_its_name_size_and_description_and_audited(fresh_storage, world, team):
    datafile = services.datafile_upload(actor=world.host_user, phase=world.phase,
                                        upload=upload(b"id,x\n1,2\n", "train.csv"), description="Training rows")
    datafile.refresh_from_db()
    assert (datafile.name, datafile.size, datafile.description) == ("train.csv", 9, "Training rows")
    assert datafile.file.startswith(data_folder(world) + "/") and datafile.file.endswith(".csv")
    assert stored_names(world) == [datafile.file.rsplit("/", 1)[1]]
    assert download(world, world.alice, datafile) == b"id,x\n1,2\n"
    html = client_for(world.alice).get(f"/competitions/{world.competition.slug}/data/").content.decode()
    assert "train.csv" in html and "Training rows" in html and "9\xa0bytes" in html
    event = AuditEvent.objects.get(action="datafile.upload")
    assert (event.actor, event.organization, event.target) == (world.host_user, world.host_org, "train.csv")


def test_a_data_file_without_a_description_or_content_has_neither(world):
    datafile = services.datafile_upload(actor=world.host_user, phase=world.phase, upload=upload(b"", "empty.csv"))
    datafile.refresh_from_db()
    assert (datafile.name, datafile.size, datafile.description) == ("empty.csv", 0, "")


def test_a_data_files_name_is_made_safe_and_short(world):
    windows = services.datafile_upload(actor=world.host_user, phase=world.phase,
                                       upload=upload(b"a\n", "C:\\Users\\me\\train.csv"))
    assert DataFile.objects.get(pk=windows.pk).name == "C:_Users_me_train.csv"
    nameless = services.datafile_upload(actor=world.host_user, phase=world.phase,
                                        upload=SimpleUploadedFile(None, b"a\n"))
    assert DataFile.objects.get(pk=nameless.pk).name == "data"
    long = services.datafile_upload(actor=world.host_user, phase=world.phase,
                                    upload=upload(b"a\n", "n" * 246 + ".csv"), description="d" * 400)
    long = DataFile.objects.get(pk=long.pk)
    assert long.name == "n" * 200 and long.description == "d" * 300


def test_uploading_a_file_of_the_same_name_replaces_it_and_its_stored_copy(fresh_storage, world, team):
    first = services.datafile_upload(actor=world.host_user, phase=world.phase,
                                     upload=upload(b"id,x\n1,2\n", "train.csv"), description="v1")
    second = services.datafile_upload(actor=world.host_user, phase=world.phase,
                                      upload=upload(b"id,x\n1,3\n4,5\n", "train.csv"), description="v2")
    assert second.pk == first.pk and DataFile.objects.filter(phase=world.phase).count() == 1
    second.refresh_from_db()
    assert (second.size, second.description) == (13, "v2")
    assert download(world, world.alice, second) == b"id,x\n1,3\n4,5\n"
    assert stored_names(world) == [second.file.rsplit("/", 1)[1]]  # the first upload's copy is gone
    assert not default_storage.exists(first.file)


def test_uploading_other_files_leaves_the_files_already_there(fresh_storage, world, team):
    train = services.datafile_upload(actor=world.host_user, phase=world.phase,
                                     upload=upload(b"train\n", "train.csv"))
    test = services.datafile_upload(actor=world.host_user, phase=world.phase, upload=upload(b"test\n", "test.csv"))
    start = world.phase.ends_at + timedelta(days=1)
    final = services.phase_add(actor=world.host_user, competition=world.competition, name="Final",
                               starts_at=start, ends_at=start + timedelta(days=5))
    final_train = services.datafile_upload(actor=world.host_user, phase=final,
                                           upload=upload(b"final train\n", "train.csv"))
    assert len({train.pk, test.pk, final_train.pk}) == 3
    assert download(world, world.alice, train) == b"train\n"
    assert download(world, world.alice, test) == b"test\n"
    assert download(world, world.alice, final_train) == b"final train\n"
    assert len(stored_names(world)) == 2 and len(stored_names(world, final)) == 1


def test_an_upload_that_cannot_be_recorded_leaves_no_stored_file(fresh_storage, world):
    start = world.phase.ends_at + timedelta(days=1)
    gone = services.phase_add(actor=world.host_user, competition=world.competition, name="Final",
                              starts_at=start, ends_at=start + timedelta(days=5))
    Phase.objects.filter(pk=gone.pk).delete()  # deleted while the host was uploading to it
    with pytest.raises(IntegrityError):
        services.datafile_upload(actor=world.host_user, phase=gone, upload=upload(b"id,x\n1,2\n", "train.csv"))
    assert stored_names(world, gone) == []
    assert not DataFile.objects.exists() and not AuditEvent.objects.filter(action="datafile.upload").exists()
