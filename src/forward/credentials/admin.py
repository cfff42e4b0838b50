"""What operators see of credentials in /admin/: read-only. Issuing signs and allocates a status
list index, and revoking re-signs the issuer's status list: both only through services."""

from django.contrib import admin

from forward.core.admin import ReadOnlyAdmin

from .models import Credential, IssuanceBatch, SigningKey, StatusList


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ["name", "recipient", "issuer", "kind", "issued_at", "revoked_at"]
    list_filter = ["kind", "issued_at", "revoked_at"]
    search_fields = ["=uuid", "name", "recipient__email", "recipient__name", "issuer__name", "achievement_key",
                     "=source"]
    list_select_related = ["recipient", "issuer"]
    date_hierarchy = "issued_at"


@admin.register(IssuanceBatch)
class IssuanceBatchAdmin(ReadOnlyAdmin):
    list_display = ["pk", "title", "source", "status", "total", "issued", "requested_by", "created_at",
                    "finished_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["title", "=source", "requested_by__email"]
    list_select_related = ["requested_by"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    """Rotating a key is done from the issued-credentials page (audited); private halves never show."""

    list_display = ["organization", "token", "created_at", "retired_at"]
    list_filter = ["created_at", "retired_at"]
    search_fields = ["organization__name", "organization__slug", "=token"]
    list_select_related = ["organization"]
    fields = ["organization", "token", "rsa_public_pem", "created_at", "retired_at"]


@admin.register(StatusList)
class StatusListAdmin(ReadOnlyAdmin):
    list_display = ["organization", "number", "next_index", "size", "revocations", "published_at"]
    search_fields = ["organization__name", "organization__slug"]
    list_select_related = ["organization"]
    exclude = ["published"]  # the signed list; served at its public URL
