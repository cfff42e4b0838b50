"""forward manage course_import PATH --owner ORG — create or update a course from a bundle."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from forward.academy import bundle
from forward.core.models import Organization


class Command(BaseCommand):
    help = "Import a course from a folder or a .zip of Markdown + YAML files (updates it if it exists)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--owner", required=True, help="slug of the organization that owns the course")

    def handle(self, *args, path, owner, **options):
        organization = Organization.objects.filter(slug=owner).first()
        if organization is None:
            raise CommandError(f"No organization has the slug {owner!r}.")
        source = Path(path)
        if not source.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            if source.is_dir():
                course = bundle.import_dir(path=source, owner=organization)
            else:
                course = bundle.import_zip(data=source.read_bytes(), owner=organization)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Imported {course.title} ({course.slug}), {course.status}")
