# The shared skill list moves from academy to core (talent matches on it too). The table stays
# where it is: only Django's idea of which app owns it changes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_organization_verification"),
        ("academy", "0006_certification_retakes_question_area"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Skill",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("slug", models.SlugField(max_length=80, unique=True)),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                    ],
                    options={"db_table": "academy_skill", "ordering": ["name"], "verbose_name": "skill",
                             "verbose_name_plural": "skills"},
                ),
            ],
        ),
    ]
