from django.urls import path, register_converter

from . import views

app_name = "credentials"


class KeyAlgConverter:
    regex = "rs256|ed25519"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(KeyAlgConverter, "keyalg")

urlpatterns = [
    path("", views.home, name="home"),
    path("verify/", views.verify_page, name="verify"),
    path("issued/", views.issued, name="issued"),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
    path("batches/<int:batch_id>/retry/", views.batch_retry, name="batch_retry"),
    path("issuers/<slug:slug>", views.issuer, name="issuer"),
    path("issuers/<slug:slug>/jwks.json", views.jwks, name="jwks"),
    path("issuers/<slug:slug>/keys/<str:token>-<keyalg:alg>", views.key, name="key"),
    path("issuers/<slug:slug>/rotate/", views.rotate_key, name="rotate_key"),
    path("issuers/<slug:slug>/badges/", views.badge_art_page, name="badge_art"),
    path("issuers/<slug:slug>/badges/preview.svg", views.badge_art_preview, name="badge_art_preview"),
    path("badge-art/<str:digest>-<int:width>.png", views.badge_art_file, name="badge_art_file"),
    path("status/<slug:slug>/<int:number>", views.status_list, name="status_list"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/credential.json", views.download_json, name="json"),
    path("<uuid:uuid>/credential.jwt", views.download_jwt, name="jwt"),
    path("<uuid:uuid>/certificate.pdf", views.download_pdf, name="pdf"),
    path("<uuid:uuid>/badge.svg", views.badge_svg, name="badge_svg"),
    path("<uuid:uuid>/badge.png", views.badge_png, name="badge_png"),
    path("<uuid:uuid>/revoke/", views.revoke, name="revoke"),
]
