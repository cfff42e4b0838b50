"""forward manage course_import PATH --owner ORG — create a course from a bundle, or update it in place."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from forward.academy import bundle
from forward.core.models import Organization


class Command(BaseCommand):
    help = ("Import a course from a folder, or a .zip, of Markdown + YAML files. A course of the same "
            "organization with the bundle's slug is updated in place; learners' records stay.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a course folder or a .zip")
        parser.add_argument("--owner", required=True, help="slug of the organization that owns the course")

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["path"]
        owner: str = options["owner"]
        organization = Organization.objects.filter(slug=owner).first()
        if organization is None:
            raise CommandError(_("No organization has the slug “%(slug)s”.") % {"slug": owner})
        source = Path(path)
        if not source.exists():
            raise CommandError(_("%(path)s does not exist.") % {"path": path})
        try:
            if source.is_dir():
                course = bundle.import_dir(path=source, owner=organization)
            else:
                course = bundle.import_zip(source=source, owner=organization)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except OSError as exc:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror or exc}) \
                from None
        self.stdout.write(_("Imported “%(title)s” (%(slug)s), %(status)s.")
                          % {"title": course.title, "slug": course.slug, "status": course.get_status_display()})
