"""Static files are served by WhiteNoise straight from the package; the list of them is made once per
process (forward.core.middleware.StaticFilesMiddleware), and a change of the static settings gets a
list of its own."""

from pathlib import Path

from django.http import HttpResponse
from django.test import Client, override_settings

import forward
from forward.core.middleware import StaticFilesMiddleware

CSS = Path(forward.__file__).parent / "static" / "forward" / "forward.css"


def test_the_sites_stylesheet_is_served_as_it_is_in_the_package(db):
    response = Client().get("/static/forward/forward.css")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    assert b"".join(response.streaming_content) == CSS.read_bytes()
    assert Client().get("/static/forward/no-such-file.css").status_code == 404


def test_a_second_chain_reuses_the_list_and_other_settings_make_their_own():
    def chain():
        return StaticFilesMiddleware(lambda request: HttpResponse())

    first, second = chain(), chain()
    assert "/static/forward/forward.css" in first.files and "/static/admin/css/base.css" in first.files
    assert second.files["/static/forward/forward.css"] is first.files["/static/forward/forward.css"]
    with override_settings(WHITENOISE_MAX_AGE=7):
        other = chain()
    assert other.files["/static/forward/forward.css"] is not first.files["/static/forward/forward.css"]
    headers = dict(other.files["/static/forward/forward.css"].get_response("GET", {}).headers)
    assert headers["Cache-Control"] == "max-age=7, public"
