from django.urls import reverse
from django.utils.translation import gettext_lazy as _

CAPABILITIES = [
    ("academy", _("Academy")),
    ("competitions", _("Competitions")),
    ("credentials", _("Credentials")),
    ("talent", _("Talent")),
    ("ventures", _("Ventures")),
    ("impact", _("Impact")),
]


BUILT = {"competitions": "competitions:list", "academy": "academy:catalogue", "credentials": "credentials:home"}


def navigation(request):
    path = request.path
    items = []
    certifications_url = reverse("academy:certifications")
    for slug, label in CAPABILITIES:
        url = reverse(BUILT[slug]) if slug in BUILT else reverse("core:capability", args=[slug])
        items.append({"url": url, "label": label, "active": path.startswith(url)})
        if slug == "academy":  # certifications live in the academy but are a destination of their own
            items[-1]["active"] = items[-1]["active"] and not path.startswith(certifications_url)
            items.append({"url": certifications_url, "label": _("Certifications"),
                          "active": path.startswith(certifications_url)})
    orgs_url = reverse("core:organization_list")
    items.append({"url": orgs_url, "label": _("Organizations"), "active": path.startswith(orgs_url)})
    return {"nav_items": items}
