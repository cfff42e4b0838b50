from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

CAPABILITIES = [
    ("academy", _("Academy")),
    ("competitions", _("Competitions")),
    ("credentials", _("Credentials")),
    ("talent", _("Jobs & internships")),
    ("ventures", _("Ventures")),
    ("impact", _("Impact")),
]


BUILT = {"competitions": "competitions:list", "academy": "academy:catalogue", "credentials": "credentials:home",
         "talent": "talent:opening_list", "ventures": "ventures:home", "impact": "impact:public"}


def navigation(request):
    # Lazy: built only when a page shows them (nav_items: one query for a signed-in person;
    # talent_nav: one query for a signed-in person).
    return {"nav_items": SimpleLazyObject(lambda: _nav_items(request)),
            "talent_nav": SimpleLazyObject(lambda: _talent_items(request)),
            "ventures_nav": SimpleLazyObject(lambda: _ventures_items(request))}


def _nav_roles(user) -> dict[str, bool]:
    """What a signed-in person uses, for the navigation: one query. Instructors are found through
    the academy's run-instructors table without core importing the academy."""
    from django.db.models import Exists, OuterRef

    from forward.core.models import ACTING_ROLES, Membership, OrganizationKind, Role, User

    def member(**filters):
        return Exists(Membership.objects.filter(user_id=OuterRef("pk"), **filters))

    teaching = user.teaching_runs.through if hasattr(user, "teaching_runs") else None
    flags = {
        "admin": member(role=Role.ADMIN),
        "employer": member(role__in=ACTING_ROLES, organization__kind=OrganizationKind.EMPLOYER),
        "university": member(role__in=ACTING_ROLES, organization__kind=OrganizationKind.UNIVERSITY),
        "ventures": member(organization__kind__in=[OrganizationKind.INVESTOR, OrganizationKind.STARTUP,
                                                   OrganizationKind.INNOVATION_CENTRE]),
    }
    if teaching is not None:
        flags["teaching"] = Exists(teaching.objects.filter(user_id=OuterRef("pk")))
    row = User.objects.filter(pk=user.pk).annotate(**flags).values(*flags).first() or {}
    return {name: bool(row.get(name)) for name in ("admin", "employer", "university", "ventures", "teaching")}


def _nav_items(request) -> list[dict]:
    """Every destination, each marked `primary` when this person uses it (shown in the bar); the rest
    go under "More". Anonymous visitors: the public ones."""
    from forward.core.permissions import is_operator

    path = request.path
    user = request.user
    signed_in = user.is_authenticated
    operator = is_operator(user)
    roles = _nav_roles(user) if signed_in else {}
    certifications_url = reverse("academy:certifications")
    teaching_url = reverse("academy:teaching")
    verify_url = reverse("credentials:verify")
    primary = {"academy", "competitions"}
    primary |= {"credentials", "talent"} if signed_in else {"verify", "impact", "organizations"}
    if roles.get("teaching") or roles.get("university"):
        primary.add("teaching")
    if roles.get("employer"):
        primary.add("talent_tools")
    if roles.get("ventures"):
        primary.add("ventures")
    if roles.get("admin") or operator:
        primary.add("organizations")
    if operator:
        primary |= {"impact", "teaching"}
    items = []

    def add(key: str, url: str, label, active: bool | None = None) -> None:
        items.append({"key": key, "url": url, "label": label, "primary": key in primary,
                      "active": path.startswith(url) if active is None else active})

    for slug, label in CAPABILITIES:
        url = reverse(BUILT[slug]) if slug in BUILT else reverse("core:capability", args=[slug])
        if slug == "talent":  # the openings, and the talent pages around them
            add(slug, url, label, path.startswith(url.rsplit("/", 2)[0] + "/")
                and not path.startswith(reverse("talent:employer_home")))
            if signed_in:
                add("talent_tools", reverse("talent:employer_home"), _("Talent tools"))
        elif slug == "academy":  # certifications and teaching live in the academy but are destinations of their own
            add(slug, url, _("Learn") if signed_in else _("Courses"), path.startswith(url)
                and not path.startswith(certifications_url) and not path.startswith(teaching_url))
            add("certifications", certifications_url, _("Certifications"))
            if signed_in:
                add("teaching", teaching_url, _("Teaching"))
        elif slug == "credentials":
            add(slug, url, label, path.startswith(url) and not path.startswith(verify_url))
            if not signed_in:
                add("verify", verify_url, _("Verify"))
        else:
            add(slug, url, label)
    add("organizations", reverse("core:organization_list"), _("Organizations"))
    # Role tools nobody gave this person (teaching, an employer's openings) are not offered at all.
    items = [item for item in items if item["primary"] or item["key"] not in ("teaching", "talent_tools")]
    primary_items = [item for item in items if item["primary"]]
    return primary_items + [item for item in items if not item["primary"]]


def _talent_items(request) -> list[dict]:
    """The tabs of the talent pages (templates/talent/_nav.html): the openings, and for a signed-in
    person the openings ranked for them, their profile, applications and matching rounds, and the
    openings of the employers they prepare them for."""
    from forward.core.models import ACTING_ROLES, OrganizationKind
    from forward.core.permissions import is_member_of_kind, is_operator

    path = request.path
    names = [("talent:opening_list", _("Jobs & internships"))]
    user = request.user
    if user.is_authenticated:
        names += [("talent:recommended", _("Openings for you")), ("talent:profile", _("My profile")),
                  ("talent:applications", _("My applications")), ("talent:round_list", _("Matching rounds"))]
        if is_operator(user) or is_member_of_kind(user, [OrganizationKind.EMPLOYER], roles=ACTING_ROLES):
            names.append(("talent:employer_home", _("Our openings")))
    items = []
    for name, label in names:
        url = reverse(name)
        items.append({"url": url, "label": label, "active": path.startswith(url)})
    return items


def _ventures_items(request) -> list[dict]:
    """The tabs of the ventures pages (ventures/_nav.html): the overview, the directory, and for a
    signed-in person their introductions; for investors their pipeline."""
    from forward.ventures import permissions as ventures_permissions

    path = request.path
    names = [("ventures:home", _("Overview")), ("ventures:startup_list", _("Startups")),
             ("ventures:investor_list", _("Investors"))]
    user = request.user
    if user.is_authenticated:
        names.append(("ventures:intro_list", _("Introductions")))
        if ventures_permissions.is_investor(user):
            names.append(("ventures:pipeline", _("Pipeline")))
    names += [("ventures:call_list", _("Cohorts")), ("ventures:event_list", _("Events")),
              ("ventures:centre", _("Innovation centre"))]
    # Pages that belong under a tab without sharing its path.
    also = {"ventures:call_list": ("ventures:judging", "ventures:call_list"),
            "ventures:startup_list": ("ventures:my_startup",), "ventures:investor_list": ("ventures:my_fund",),
            "ventures:pipeline": ("ventures:investment_list",)}
    items = []
    home = reverse("ventures:home")
    applications = home + "applications/"
    for name, label in names:
        url = reverse(name)
        prefixes = [url, *(reverse(other) for other in also.get(name, ()))]
        if name == "ventures:call_list":
            prefixes.append(applications)
        active = path == url if url == home else any(path.startswith(prefix) for prefix in prefixes)
        items.append({"url": url, "label": label, "active": active})
    return items
