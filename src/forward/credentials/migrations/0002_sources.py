"""Credentials name their source as the awarding app does ("academy.run:42") instead of pointing
at academy or competitions rows, and list the organizations that see them read-only (a course run's
university). This adds the new columns; 0003 fills them from the old foreign keys, 0004 drops those
(three migrations: each its own transaction on PostgreSQL, so no table is altered with pending
trigger events)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_organization_verification"),
        ("credentials", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="credential",
            name="source",
            field=models.CharField(blank=True, db_index=True, max_length=80),
        ),
        migrations.AddField(
            model_name="credential",
            name="shared_with",
            field=models.ManyToManyField(blank=True, related_name="+", to="core.organization"),
        ),
        migrations.AddField(
            model_name="issuancebatch",
            name="source",
            field=models.CharField(db_index=True, default="", max_length=80),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="issuancebatch",
            name="title",
            field=models.CharField(default="", max_length=300),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="issuancebatch",
            name="back_url",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="issuancebatch",
            name="organization",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to="core.organization"),
        ),
        migrations.RemoveConstraint(
            model_name="issuancebatch",
            name="batch_for_run_or_competition",
        ),
    ]
