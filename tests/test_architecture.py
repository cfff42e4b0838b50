"""The dependency rules ARCHITECTURE.md states, checked on the source: achievements flow one way
(academy and competitions hand credentials plain awards; credentials imports neither), and the pure
libraries import no Django."""

import ast
import re
from pathlib import Path

import pytest

import forward

SRC = Path(forward.__file__).parent
CAPABILITIES = ("academy", "competitions", "talent", "ventures", "impact")
MODEL_REFERENCE = re.compile(rf"({'|'.join(CAPABILITIES)})\.[A-Za-z_]\w*")  # "academy.CourseRun", "academy.courserun"


def _modules(package: str):
    for path in sorted((SRC / package).rglob("*.py")):
        if "migrations" not in path.relative_to(SRC).parts:
            yield path


def _imports(path: Path) -> set[str]:
    """Every module a file imports, absolute, relative imports resolved against its package."""
    package = ["forward", *path.relative_to(SRC).with_suffix("").parts[:-1]]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)  # from forward import academy
    return found


def _string_model_references(path: Path) -> list[str]:
    """Strings that name another app's model ("academy.CourseRun") as Django's lazy references do."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and MODEL_REFERENCE.fullmatch(node.value)]


def test_the_import_reader_resolves_relative_imports(tmp_path):
    path = SRC / "credentials" / "views.py"
    imports = _imports(path)
    assert "forward.credentials.services" in imports and "django.urls" in imports


@pytest.mark.parametrize("path", list(_modules("credentials")), ids=lambda p: str(p.relative_to(SRC)))
def test_credentials_imports_no_capability_that_awards(path):
    """Academy and competitions decide who earned what and hand credentials a plain `Award`;
    credentials signs, stores, revokes and verifies, and never reaches back into them (nor into the
    apps that read achievements from it)."""
    bad = sorted(m for m in _imports(path) if any(m == f"forward.{app}" or m.startswith(f"forward.{app}.")
                                                  for app in CAPABILITIES))
    assert not bad, f"{path.relative_to(SRC)} imports {bad}"


def test_credentials_models_reference_no_other_capabilitys_models():
    path = SRC / "credentials" / "models.py"
    assert _string_model_references(path) == []
    # The check does find them: the first migration had foreign keys into academy and competitions.
    assert "academy.courserun" in _string_model_references(SRC / "credentials" / "migrations" / "0001_initial.py")


def test_the_migration_state_of_credentials_points_at_no_capability():
    """What the migrations build is what the models say: no foreign key into academy or competitions."""
    from django.apps import apps

    for model in apps.get_app_config("credentials").get_models():
        for field in [*model._meta.fields, *model._meta.many_to_many]:  # its own, not other apps' reverse ones
            if field.related_model is not None:
                assert field.related_model._meta.app_label not in CAPABILITIES, f"{model.__name__}.{field.name}"


@pytest.mark.parametrize("path", list(_modules("talent")), ids=lambda p: str(p.relative_to(SRC)))
def test_talent_reads_achievements_only_through_credentials(path):
    """The talent pool knows what someone achieved from their credentials (issued, unrevoked), never
    from academy or competitions directly; the shared skill list is core's."""
    bad = sorted(m for m in _imports(path) if any(m == f"forward.{app}" or m.startswith(f"forward.{app}.")
                                                  for app in ("academy", "competitions", "ventures", "impact")))
    assert not bad, f"{path.relative_to(SRC)} imports {bad}"


def test_the_migration_state_of_talent_points_at_no_sibling():
    from django.apps import apps

    for model in apps.get_app_config("talent").get_models():
        for field in [*model._meta.fields, *model._meta.many_to_many]:
            if field.related_model is not None:
                assert field.related_model._meta.app_label not in ("academy", "competitions"), \
                    f"{model.__name__}.{field.name}"


@pytest.mark.parametrize("library", ["scoring", "vc", "matching"])
def test_pure_libraries_import_no_django(library):
    for path in _modules(library):
        bad = sorted(m for m in _imports(path) if m == "django" or m.startswith("django."))
        assert not bad, f"{path.relative_to(SRC)} imports {bad}"


@pytest.mark.parametrize("path", list(_modules("discussions")), ids=lambda p: str(p.relative_to(SRC)))
def test_discussions_imports_no_capability(path):
    """A board belongs to a course, a run or a competition by an opaque reference; academy and
    competitions register who reads, posts and moderates (discussions/boards.py), and discussions
    never reaches back into them."""
    bad = sorted(m for m in _imports(path) if any(m == f"forward.{app}" or m.startswith(f"forward.{app}.")
                                                  for app in CAPABILITIES))
    assert not bad, f"{path.relative_to(SRC)} imports {bad}"


def test_the_migration_state_of_discussions_points_at_no_capability():
    from django.apps import apps

    assert _string_model_references(SRC / "discussions" / "models.py") == []
    for model in apps.get_app_config("discussions").get_models():
        for field in [*model._meta.fields, *model._meta.many_to_many]:
            if field.related_model is not None:
                assert field.related_model._meta.app_label not in CAPABILITIES, f"{model.__name__}.{field.name}"


INTERFACE_MODULE = re.compile(
    r"forward(\.[a-z_]+)?\.("
    r"(views|forms|api|demo|emails|admin|urls|apps|tasks|home)(_[a-z_]+)?"
    r"|allauth_strings|context_processors|middleware|adapters|checks|settings|cli|testing|testing_s3"
    r"|api_auth|api_common|asgi|wsgi|__main__|celery|submit_client|env)"
)


def test_mypy_is_strict_for_all_but_the_interface_layer():
    """Services, selectors, permissions, models and the pure libraries are checked strictly: the
    one override that relaxes mypy may name only views, forms, the API, the admin, demo data and
    the like, and only modules that exist."""
    import tomllib

    config = tomllib.loads((SRC.parent.parent / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["strict"] is True
    (relaxed,) = [o for o in config["overrides"] if o.get("disallow_untyped_defs") is False]
    source = SRC.parent
    for module in relaxed["module"]:
        assert INTERFACE_MODULE.fullmatch(module), f"{module} is not an interface module"
        path = source / (module.replace(".", "/") + ".py")
        assert path.exists(), f"{module} is listed but has no file"
