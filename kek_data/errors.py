"""Named exceptions of the KEK core; every message is German and says what to do."""

from __future__ import annotations


class KekError(Exception):
    """Base class: a problem the user can act on (the message is shown as is)."""


class DatabaseError(KekError):
    """The database file cannot be opened, migrated or is inconsistent."""


class AccessDenied(KekError):
    """The viewer may not see the requested data."""


class UnknownMember(KekError):
    """A member id that is not one of the network's members."""
