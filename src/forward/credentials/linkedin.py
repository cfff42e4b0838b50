"""LinkedIn's "Add to profile" link, which opens the holder's profile with a new certification filled in.

Documented at https://addtoprofile.linkedin.com/. LinkedIn asks for month and year only.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode

ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def add_to_profile_url(*, name: str, organization_name: str, issued_on: date, valid_until: date | None,
                       cert_url: str, cert_id: str) -> str:
    params: dict[str, str | int] = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organization_name,
        "issueYear": issued_on.year,
        "issueMonth": issued_on.month,
    }
    if valid_until is not None:
        params["expirationYear"] = valid_until.year
        params["expirationMonth"] = valid_until.month
    params["certUrl"] = cert_url
    params["certId"] = cert_id
    return f"{ADD_TO_PROFILE}?{urlencode(params, quote_via=quote)}"
