import zoneinfo

from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Show a signed-in person the site in their language and time zone.

    An explicit choice in the language switcher (the cookie) wins over the profile, so a person can
    look at a page in another language without changing their profile.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from django.conf import settings

            if user.preferred_language and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
                translation.activate(user.preferred_language)
                request.LANGUAGE_CODE = translation.get_language()
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone or "UTC"))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
