"""The ``forward`` command. Thin: it sets up Django and calls the apps."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .env import ConfigError

DESCRIPTION = """\
Forward runs digital-talent programmes: academy, credentials, competitions, talent, ventures, impact.

Settings come from FORWARD_* environment variables (see the README's configuration table).
"""


def _fail(message: str, code: int = 2) -> None:
    print(f"forward: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forward.settings")
    import django

    django.setup()


def _check_database() -> None:
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise ConfigError("FORWARD_DATABASE_URL", f"cannot connect to the database ({first_line})") from exc


def _check_broker() -> None:
    from django.conf import settings

    from .celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:  # no FORWARD_BROKER_URL
        raise ConfigError(
            "FORWARD_BROKER_URL",
            "is not set; a worker needs a broker, e.g. redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672//",
        )
    conn = app.connection_for_write()
    try:
        conn.ensure_connection(max_retries=1, timeout=5)
    except Exception as exc:  # kombu raises transport-specific errors
        raise ConfigError("FORWARD_BROKER_URL", f"cannot reach the broker at {conn.as_uri()} ({exc})") from exc
    finally:
        conn.release()


def _demo_environment(data_dir: Path, host: str, port: int) -> None:
    """Defaults that make the demo work with nothing configured. Set variables still win."""
    import base64  # here, not at the top: `forward score` starts faster without them
    import secrets

    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    os.environ.setdefault("FORWARD_DATA_DIR", str(data_dir))
    if not os.environ.get("FORWARD_SECRET_KEY"):
        os.environ.setdefault("FORWARD_SECRET_KEY_FILE", str(key_file))
    credential_key_file = data_dir / "credential_key"
    if not credential_key_file.exists():
        credential_key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(), encoding="utf-8")
        credential_key_file.chmod(0o600)
    if not os.environ.get("FORWARD_CREDENTIAL_KEYS"):
        os.environ.setdefault("FORWARD_CREDENTIAL_KEYS_FILE", str(credential_key_file))
    os.environ.setdefault("FORWARD_EMAIL_BACKEND", "console")
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    os.environ.setdefault("FORWARD_SITE_URL", f"http://{shown_host}:{port}")
    hosts = {"localhost", "127.0.0.1", "[::1]", host if ":" not in host else f"[{host}]"}
    if host in ("0.0.0.0", "::"):  # noqa: S104
        hosts.add("*")
    os.environ.setdefault("FORWARD_ALLOWED_HOSTS", ",".join(sorted(hosts)))


def _serve(host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    from .wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type information
        def load_config(self):
            self.cfg.set("bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", os.environ.get("FORWARD_ACCESS_LOG", "-"))
            self.cfg.set("timeout", 120)
            self.cfg.set("forwarded_allow_ips", os.environ.get("FORWARD_FORWARDED_ALLOW_IPS", "127.0.0.1"))
            # Gunicorn's control socket sits at one path per user ($HOME/.gunicorn), so two servers on
            # one machine would fight over it; Forward does not use it.
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self):
            return application

    Server().run()


def cmd_demo(args: argparse.Namespace) -> None:
    data_dir = Path(args.data_dir or os.environ.get("FORWARD_DATA_DIR") or "forward-data").resolve()
    _demo_environment(data_dir, args.host, args.port)
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from . import demo

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _check_database()
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    created = demo.load()
    site = settings.SITE_URL
    built_for = data_dir / "site_url"  # the address the demo's credentials and links name
    if created or not built_for.exists():
        built_for.write_text(site, encoding="utf-8")
    print()
    print("Forward demo" + (" (demo data created)" if created else " (reusing the data in " + str(data_dir) + ")"))
    print(f"  Open      {site}/")
    earlier = built_for.read_text(encoding="utf-8").strip()
    if earlier != site:
        print(f"  Note      the demo data was created for {earlier}/: its credentials name that address, so they")
        print(f"            verify only when served there. Serve it there, or remove {data_dir} to start afresh.")
    print(f"  Data      {data_dir}")
    print("  Emails    printed below in this terminal (verification links, invitations)")
    print("  Accounts  (password for all: " + demo.DEMO_PASSWORD + ")")
    for email, role in demo.demo_accounts():
        print(f"    {email:<34} {role}")
    print()
    sys.stdout.flush()
    if not args.no_serve:
        _serve(args.host, args.port, workers=args.workers, threads=4)


def cmd_serve(args: argparse.Namespace) -> None:
    _setup_django()
    _check_database()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        _fail("the database has unapplied migrations; run: forward manage migrate")
    _serve(args.host, args.port, workers=args.workers, threads=args.threads)


def cmd_worker(args: argparse.Namespace, extra: list[str]) -> None:
    _setup_django()
    _check_broker()
    _check_database()
    from .celery import app

    argv = ["worker", f"--loglevel={args.loglevel}", f"--concurrency={args.concurrency}", *extra]
    if args.beat:
        argv.append("--beat")  # Celery beat sends the periodic jobs; the embedded scheduler stays off
    elif not args.no_periodic:
        from .core import periodic

        periodic.attach_to_worker()
    app.worker_main(argv)


def cmd_manage(extra: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forward.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["forward manage", *extra])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="forward", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="run Forward on SQLite with demo data (creates it once, then reuses it)",
                          description="Create the data directory and a SQLite database, migrate, load demo "
                          "data once and serve it. A second run reuses the data.")
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    demo.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    demo.add_argument("--data-dir", help="data directory (default $FORWARD_DATA_DIR or ./forward-data)")
    demo.add_argument("--workers", type=int, default=2, help="web server processes (default 2)")
    demo.add_argument("--no-serve", action="store_true", help="prepare the data and exit")

    serve = sub.add_parser("serve", help="production web server (gunicorn) configured by FORWARD_* settings",
                           description="Serve Forward with gunicorn. Needs FORWARD_SECRET_KEY; use "
                           "FORWARD_DATABASE_URL for PostgreSQL and FORWARD_BROKER_URL for workers.")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
    serve.add_argument("--threads", type=int, default=4)

    worker = sub.add_parser("worker", help="background worker (Celery) for FORWARD_BROKER_URL; run any number",
                            description="Start a Celery worker. Extra arguments go to `celery worker`, "
                            "e.g. forward worker -- -Q scoring.")
    worker.add_argument("--loglevel", default="INFO")
    worker.add_argument("--concurrency", type=int, default=os.cpu_count() or 1)

    worker.add_argument("--no-periodic", action="store_true",
                        help="do not take part in scheduling the periodic jobs (requeue stuck scoring, "
                        "finalize ended rounds); by default every worker does, and one at a time sends them")
    worker.add_argument("--beat", action="store_true",
                        help="run Celery beat in this worker instead of the built-in scheduler; no longer "
                        "required, since every worker schedules the periodic jobs by default")

    sub.add_parser("manage", help="Django management commands, e.g. forward manage migrate", add_help=False)
    sub.add_parser("score", help="score a submission against a solution locally: forward score SOLUTION "
                   "SUBMISSION --metric NAME", add_help=False)
    sub.add_parser("match", help="run a stable matching offline: forward match INPUT.json "
                   "[--optimal students|openings] [--out OUTPUT.json]", add_help=False)
    sub.add_parser("schedule", help="build a networking event's meeting schedule offline: forward schedule "
                   "INPUT.json [--out OUTPUT.json] [--time-limit SECONDS]", add_help=False)
    sub.add_parser("verify", help="verify a credential (JWT or JSON) offline: forward verify FILE --keys JWKS "
                   "[--status LIST] or --fetch", add_help=False)
    sub.add_parser("submit", help="submit predictions to a competition through the API: forward submit "
                   "COMPETITION FILE [-m MESSAGE]", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] == "manage":
        try:
            cmd_manage(argv[1:])
        except ConfigError as exc:
            _fail(str(exc))
        return
    if argv and argv[0] == "score":
        from .scoring.cli import main as score_main

        raise SystemExit(score_main(argv[1:]))
    if argv and argv[0] == "match":
        from .matching.cli import main as match_main

        raise SystemExit(match_main(argv[1:]))
    if argv and argv[0] == "schedule":
        from .matching.schedule_cli import main as schedule_main

        raise SystemExit(schedule_main(argv[1:]))
    if argv and argv[0] == "verify":
        from .vc.cli import main as verify_main

        raise SystemExit(verify_main(argv[1:]))
    if argv and argv[0] == "submit":
        from .submit_client import main as submit_main

        raise SystemExit(submit_main(argv[1:]))
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        raise SystemExit(0)
    try:
        if args.command == "demo":
            cmd_demo(args)
        elif args.command == "serve":
            cmd_serve(args)
        elif args.command == "worker":
            cmd_worker(args, extra)
    except ConfigError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
