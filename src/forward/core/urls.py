from django.urls import path

from . import views, views_faces

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/verification/", views.verification_queue, name="verification_queue"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("organizations/<slug:slug>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<slug:slug>/verification/", views.organization_verification,
         name="organization_verification"),
    path("organizations/<slug:slug>/invite/", views.organization_invite, name="organization_invite"),
    path("organizations/<slug:slug>/invitations/<int:invitation_id>/cancel/", views.invitation_cancel,
         name="invitation_cancel"),
    path("organizations/<slug:slug>/members/<int:membership_id>/remove/", views.membership_remove,
         name="membership_remove"),
    path("organizations/<slug:slug>/members/<int:membership_id>/role/", views.membership_role,
         name="membership_role"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("account/profile/", views.profile, name="profile"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("language/", views.set_language, name="set_language"),
    path("organizations/<slug:slug>/logo/", views_faces.organization_logo, name="organization_logo"),
    path("account/avatar/", views_faces.avatar, name="avatar"),
    path("faces/<str:kind>/<str:digest>-<int:width>.webp", views_faces.face_file, name="face_file"),
    path("art/thumbnail/<str:glyph>/<str:seed>.svg", views_faces.art_thumbnail, name="art_thumbnail"),
    path("art/banner/<str:seed>.svg", views_faces.art_banner, name="art_banner"),
    path("art/<str:shape>/<str:seed>/<str:text>.svg", views_faces.art_mark, name="art_mark"),
    path("<slug:slug>/", views.capability, name="capability"),
]
