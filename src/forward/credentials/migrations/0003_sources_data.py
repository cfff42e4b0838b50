"""Fill each credential's and batch's source (and a run credential's university) from the old
foreign keys. It reads academy and competitions as they were then; the models no longer do."""

from django.db import migrations


def forwards(apps, schema_editor):
    Credential = apps.get_model("credentials", "Credential")
    IssuanceBatch = apps.get_model("credentials", "IssuanceBatch")
    CourseRun = apps.get_model("academy", "CourseRun")
    Competition = apps.get_model("competitions", "Competition")
    Shared = Credential.shared_with.through

    # The most specific reference first: a course credential names its run (its course is the run's).
    for field, prefix in (("run_id", "academy.run"), ("programme_id", "academy.programme"),
                          ("holding_id", "academy.holding"), ("competition_id", "competitions.competition")):
        pending = Credential.objects.filter(source="", **{f"{field}__isnull": False})
        for pk, ref in pending.values_list("pk", field).iterator(chunk_size=2000):
            Credential.objects.filter(pk=pk).update(source=f"{prefix}:{ref}")

    universities = dict(CourseRun.objects.values_list("pk", "university_id"))
    links = []
    for pk, run_id in Credential.objects.filter(run_id__isnull=False).values_list("pk", "run_id").iterator(
            chunk_size=2000):
        if universities.get(run_id):
            links.append(Shared(credential_id=pk, organization_id=universities[run_id]))
        if len(links) >= 2000:
            Shared.objects.bulk_create(links, ignore_conflicts=True)
            links = []
    Shared.objects.bulk_create(links, ignore_conflicts=True)

    runs = {run.pk: run for run in CourseRun.objects.select_related("course").filter(
        pk__in=IssuanceBatch.objects.filter(run_id__isnull=False).values("run_id"))}
    competitions = {c.pk: c for c in Competition.objects.filter(
        pk__in=IssuanceBatch.objects.filter(competition_id__isnull=False).values("competition_id"))}
    for batch in IssuanceBatch.objects.all().iterator(chunk_size=500):
        if batch.run_id:
            run = runs[batch.run_id]
            batch.source = f"academy.run:{run.pk}"
            batch.title = f"{run.course.title} · {run.cohort}"[:300]
            batch.back_url = f"/academy/runs/{run.pk}/"
            batch.organization_id = run.university_id
        else:
            competition = competitions[batch.competition_id]
            batch.source = f"competitions.competition:{competition.pk}"
            batch.title = competition.title[:300]
            batch.back_url = f"/competitions/{competition.slug}/"
            batch.organization_id = competition.host_id
        batch.save(update_fields=["source", "title", "back_url", "organization"])


def backwards(apps, schema_editor):
    Credential = apps.get_model("credentials", "Credential")
    IssuanceBatch = apps.get_model("credentials", "IssuanceBatch")
    CourseRun = apps.get_model("academy", "CourseRun")
    courses = dict(CourseRun.objects.values_list("pk", "course_id"))
    fields = {"academy.run": "run_id", "academy.programme": "programme_id", "academy.holding": "holding_id",
              "competitions.competition": "competition_id"}
    for pk, source in Credential.objects.exclude(source="").values_list("pk", "source").iterator(chunk_size=2000):
        prefix, _, key = source.rpartition(":")
        if prefix in fields and key.isdigit():
            changes = {fields[prefix]: int(key)}
            if prefix == "academy.run":
                changes["course_id"] = courses.get(int(key))
            Credential.objects.filter(pk=pk).update(**changes)
    for batch in IssuanceBatch.objects.all().iterator(chunk_size=500):
        prefix, _, key = batch.source.rpartition(":")
        if prefix == "academy.run":
            IssuanceBatch.objects.filter(pk=batch.pk).update(run_id=int(key))
        elif prefix == "competitions.competition":
            IssuanceBatch.objects.filter(pk=batch.pk).update(competition_id=int(key))
        else:
            batch.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("academy", "0006_certification_retakes_question_area"),
        ("competitions", "0001_initial"),
        ("credentials", "0002_sources"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
