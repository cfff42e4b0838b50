"""Credentials no longer point at academy or competitions: the old foreign keys go, and at most
one batch per source is queued or running at a time (two clicks create one batch)."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):

    dependencies = [
        ("credentials", "0003_sources_data"),
    ]

    operations = [
        migrations.RemoveField(model_name="credential", name="competition"),
        migrations.RemoveField(model_name="credential", name="course"),
        migrations.RemoveField(model_name="credential", name="holding"),
        migrations.RemoveField(model_name="credential", name="programme"),
        migrations.RemoveField(model_name="credential", name="run"),
        migrations.RemoveField(model_name="issuancebatch", name="competition"),
        migrations.RemoveField(model_name="issuancebatch", name="run"),
        migrations.AddConstraint(
            model_name="issuancebatch",
            constraint=models.UniqueConstraint(condition=Q(status__in=["queued", "running"]), fields=("source",),
                                               name="one_open_batch_per_source"),
        ),
    ]
