"""Files of competitions: the shared stored-file helpers (forward.core.storage)."""

from django.core.files.storage import default_storage

from forward.core.storage import (
    SUBMISSION_SUFFIXES,
    StoredFileTooLarge,
    delete,
    local_path,
    save,
    suffix_of,
    upload_path,
)

__all__ = ["SUBMISSION_SUFFIXES", "StoredFileTooLarge", "default_storage", "delete", "local_path", "save", "suffix_of", "upload_path"]
