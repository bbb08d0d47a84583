"""mutualplan's own exceptions: adapters translate library errors into these."""

from __future__ import annotations


class MutualplanError(Exception):
    """Base of every error mutualplan raises on purpose."""


class InputError(MutualplanError):
    """The input can't be used; the message says what to fix."""


class NoPlanTableError(InputError):
    """A sheet has no row that reads as the header of a plan table."""


class LinkInvalidError(InputError):
    """A link that is not one mutualplan made (tampered, truncated, or for another purpose)."""


class LinkExpiredError(InputError):
    """A sealed link that was ours, but whose time is up or which was revoked: ask for a new one."""


class LinkRefusedError(InputError):
    """A sealed link that is ours and current, for someone who may not use it (not on the customer side)."""


class ProtectedTabError(InputError):
    """An edit to a tab only the plan owner may edit."""


class WorkbookError(MutualplanError):
    """A workbook could not be read or written; the message says why."""


class NotFoundError(InputError):
    """A plan, spreadsheet or tab that does not exist."""


class StoreError(MutualplanError):
    """The store can't be used; the message says why and what to do."""


class StoreUnreachableError(StoreError):
    """The store can't be reached or is busy: the same work may well succeed later."""


class UnreadableEventError(StoreError):
    """A stored event whose kind, trust or moment is not one mutualplan wrote."""

    def __init__(self, message: str, seq: int) -> None:
        super().__init__(message)
        self.seq = seq


class UnsignedSnapshotError(StoreError):
    """A plan's newest snapshot is not what the store's key signed: edited outside mutualplan."""


class SyncConflictError(StoreError):
    """Another sync of the same plan stored its result first; sync again from the newer snapshot.
    first_seq: the first Log line the losing sync had written (the Log is mended from there)."""

    first_seq: int | None = None


class GoogleApiError(WorkbookError):
    """A Google API call failed: status is the HTTP status (0 when none came back), reason Google's
    machine-readable reason, detail Google's own message, rate_limited whether Google asked us to slow
    down."""

    def __init__(
        self, message: str, status: int = 0, reason: str = "", *, rate_limited: bool = False, detail: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.rate_limited = rate_limited
        self.detail = detail

    @property
    def passing(self) -> bool:
        """Whether the same call may well succeed later: a quota, an outage, or no answer at all."""
        return self.rate_limited or self.status in (0, 429) or self.status >= 500


class SecretKeyError(MutualplanError):
    """The server has no usable secret key."""


class GrantRevokedError(GoogleApiError):
    """Google no longer takes an account's authorisation (invalid_grant): only its user can mend it."""


class CrmError(MutualplanError):
    """A CRM call failed: status is the HTTP status (0 when none came back), code the CRM's own error code
    (STRING_TOO_LONG, INVALID_SESSION_ID, PROPERTY_DOESNT_EXIST …), retry_after the seconds it asked for."""

    def __init__(self, message: str, status: int = 0, code: str = "", retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after = retry_after

    @property
    def passing(self) -> bool:
        """Whether the same call may well succeed later: a limit, an outage, or no answer at all."""
        return self.status in (0, 429, 503) or self.status >= 500 or self.code == "REQUEST_LIMIT_EXCEEDED"


class CrmRevokedError(CrmError):
    """The CRM no longer takes the seller's sign-in (a refresh refused): only they can mend it."""
