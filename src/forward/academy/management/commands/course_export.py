"""forward manage course_export SLUG OUT — write a course as Markdown + YAML (OUT.zip, or a folder)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from forward.academy import bundle
from forward.academy.models import Course


class Command(BaseCommand):
    help = "Export a course to a folder, or to a .zip, of Markdown + YAML files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the course's slug")
        parser.add_argument("out", help="a path ending in .zip, or a folder (an earlier export there is replaced)")

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["slug"]
        out: str = options["out"]
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(_("No course has the slug “%(slug)s”.") % {"slug": slug})
        target = Path(out)
        try:
            if target.suffix.lower() == ".zip":
                data = bundle.export_zip(course=course)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            else:
                bundle.export_dir(course=course, path=target)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except OSError as exc:
            raise CommandError(_("Cannot write %(path)s: %(error)s") % {"path": out, "error": exc.strerror or exc}) \
                from None
        self.stdout.write(_("Exported “%(title)s” to %(path)s.") % {"title": course.title, "path": out})
