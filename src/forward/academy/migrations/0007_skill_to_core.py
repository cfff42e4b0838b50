# The shared skill list now belongs to core (see core 0003): academy's courses and certifications
# point at it; no table changes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0006_certification_retakes_question_area"),
        ("core", "0003_skill"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="course", name="skills",
                    field=models.ManyToManyField(blank=True, related_name="courses", to="core.skill"),
                ),
                migrations.AlterField(
                    model_name="certification", name="skills",
                    field=models.ManyToManyField(blank=True, related_name="certifications", to="core.skill"),
                ),
                migrations.DeleteModel(name="Skill"),
            ],
        ),
    ]
