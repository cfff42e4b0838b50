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
    # Lazy: built only when a page shows them (talent_nav: one query for a signed-in person).
    return {"nav_items": SimpleLazyObject(lambda: _nav_items(request)),
            "talent_nav": SimpleLazyObject(lambda: _talent_items(request)),
            "ventures_nav": SimpleLazyObject(lambda: _ventures_items(request))}


def _nav_items(request) -> list[dict]:
    path = request.path
    items = []
    certifications_url = reverse("academy:certifications")
    for slug, label in CAPABILITIES:
        url = reverse(BUILT[slug]) if slug in BUILT else reverse("core:capability", args=[slug])
        items.append({"url": url, "label": label, "active": path.startswith(url)})
        if slug == "talent":  # the openings, and the talent pages around them
            items[-1]["active"] = path.startswith(url.rsplit("/", 2)[0] + "/")
        if slug == "academy":  # certifications live in the academy but are a destination of their own
            items[-1]["active"] = items[-1]["active"] and not path.startswith(certifications_url)
            items.append({"url": certifications_url, "label": _("Certifications"),
                          "active": path.startswith(certifications_url)})
    orgs_url = reverse("core:organization_list")
    items.append({"url": orgs_url, "label": _("Organizations"), "active": path.startswith(orgs_url)})
    return items


def _talent_items(request) -> list[dict]:
    """The tabs of the talent pages (templates/talent/_nav.html): the openings, and for a signed-in
    person the openings ranked for them, their profile, applications and matching rounds, and the
    openings of the employers they prepare them for."""
    from forward.core.models import ACTING_ROLES, Membership, OrganizationKind

    path = request.path
    names = [("talent:opening_list", _("Jobs & internships"))]
    user = request.user
    if user.is_authenticated:
        names += [("talent:recommended", _("Openings for you")), ("talent:profile", _("My profile")),
                  ("talent:applications", _("My applications")), ("talent:round_list", _("Matching rounds"))]
        if user.is_staff or Membership.objects.filter(user=user, role__in=ACTING_ROLES,
                                                      organization__kind=OrganizationKind.EMPLOYER).exists():
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
