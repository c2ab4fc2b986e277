"""Accounts: from a login's ID-token claims to a :class:`Viewer`.

Why: the city's identity provider says who someone is; this module says what that person may do.
Two sources, in this order:

1. the **login table** ``user_roles`` in the database, keyed by the token's subject
   (``sub:<sub>``) or e-mail (``email:<address>``, only if the provider does not mark it
   unverified), managed by network management (:func:`assign`); role ``none`` revokes;
2. the token's **claims**: the role claim (default ``groups``; a string or a list) holds values
   like ``kek:netzwerk``, ``kek:stadt``, ``kek:mitglied:dsw21`` (prefix configurable); a bare
   ``kek:mitglied`` takes the member from the member claim (default ``kek_member``).

A login that maps to no role, or to two different roles, raises :class:`LoginError` (the page
then shows the public view with that message) — never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from kek_data import access
from kek_data import named_sql as db
from kek_data.errors import AccessDenied, LoginError, UnknownMember, UsageError
from kek_data.viewer import Viewer, parse


@dataclass(frozen=True)
class ClaimNames:
    """Which ID-token claims carry role and member (``[kek]`` in ``secrets.toml``)."""

    role: str = "groups"
    member: str = "kek_member"
    prefix: str = "kek:"


def user_keys(claims: Mapping[str, object]) -> tuple[str, str]:
    """The login table keys of a token: (``sub:<sub>``, ``email:<address>`` or "")."""
    sub = str(claims.get("sub") or "")
    email = str(claims.get("email") or "").strip().lower()
    if claims.get("email_verified") is False:
        email = ""
    return (f"sub:{sub}" if sub else "", f"email:{email}" if email else "")


def display_name(claims: Mapping[str, object]) -> str:
    """The name for the sidebar: ``name``, else ``email``, else the subject."""
    return str(claims.get("name") or claims.get("email") or claims.get("sub") or "")


def user_id(claims: Mapping[str, object]) -> str:
    """Who acted, as recorded with writes: the e-mail if known, else ``sub:<subject>``."""
    sub_key, email_key = user_keys(claims)
    return email_key.removeprefix("email:") or sub_key


def _from_claims(claims: Mapping[str, object], names: ClaimNames) -> set[str]:
    raw = claims.get(names.role)
    values = [raw] if isinstance(raw, str) else list(raw or []) if isinstance(raw, list) else []
    member = str(claims.get(names.member) or "").strip().lower()
    specs = set()
    for value in values:
        text = str(value).strip().lower()
        if names.prefix and not text.startswith(names.prefix.lower()):
            continue
        spec = text[len(names.prefix) :]
        if spec == "mitglied" and member:
            spec = f"mitglied:{member}"
        specs.add(spec)
    return specs


def resolve(
    con: duckdb.DuckDBPyConnection,
    claims: Mapping[str, object],
    names: ClaimNames | None = None,
) -> Viewer:
    """The viewer of a logged-in user (see module doc); :class:`LoginError` if none or unclear."""
    names = names or ClaimNames()
    sub_key, email_key = user_keys(claims)
    who, label = user_id(claims), display_name(claims)
    if not sub_key:
        raise LoginError("Die Anmeldung enthält keine Kennung (sub). Bitte erneut anmelden.")
    rows = db.query_rows(con, "user_role_current", sub_key=sub_key, email_key=email_key or "-")
    if rows:
        role, member = rows[0]
        if role == "none":
            raise LoginError(
                f"Der Zugang von {label} ist gesperrt. Bitte an das Netzwerkmanagement wenden."
            )
        specs = {f"mitglied:{member}" if role == "mitglied" else str(role)}
    else:
        specs = _from_claims(claims, names)
    if not specs:
        raise LoginError(
            f"{label} ist angemeldet, aber noch keiner Rolle zugeordnet. Bitte an das "
            "Netzwerkmanagement wenden; bis dahin gilt die öffentliche Ansicht."
        )
    if len(specs) > 1:
        raise LoginError(
            f"Die Anmeldung von {label} nennt mehrere Rollen ({', '.join(sorted(specs))}). "
            "Bitte an das Netzwerkmanagement wenden; bis dahin gilt die öffentliche Ansicht."
        )
    try:
        viewer = parse(specs.pop(), user=who, name=label)
        access.check_viewer(con, viewer)
    except UsageError as exc:
        raise LoginError(f"Die Rolle der Anmeldung von {label} ist ungültig: {exc}") from exc
    except UnknownMember as exc:  # without the list of members (check_member names them all)
        raise LoginError(
            f"Die Rolle der Anmeldung von {label} ist ungültig: das Mitglied "
            f"„{viewer.member_id}“ gibt es im Netzwerk nicht. Bitte an das Netzwerkmanagement "
            "wenden; bis dahin gilt die öffentliche Ansicht."
        ) from exc
    if viewer.role == "oeffentlich":
        raise LoginError(f"{label} hat nur die öffentliche Ansicht.")
    return viewer


def assign(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, user_key: str, spec: str
) -> tuple[str, str, str | None]:
    """Record that the login ``user_key`` (``sub:…``, ``email:…`` or an e-mail address) has the
    role ``spec`` (``netzwerk``, ``stadt``, ``mitglied:dsw21``, ``none``); network management only.
    """
    access.check_manage(viewer, "Zugänge vergeben")
    key = user_key.strip()
    if "@" in key and not key.startswith(("email:", "sub:")):
        key = f"email:{key}"
    if key.startswith("email:"):
        key = key.lower()
    if not key.startswith(("email:", "sub:")) or len(key.split(":", 1)[1]) == 0:
        raise UsageError(
            f"Unbekannter Zugang „{user_key}“: bitte eine E-Mail-Adresse, email:ADRESSE oder "
            "sub:KENNUNG angeben."
        )
    if spec.strip().lower() == "none":
        role, member = "none", None
    else:
        target = parse(spec)
        if target.role == "oeffentlich":
            raise UsageError("Die öffentliche Ansicht braucht keinen Zugang (Rolle none sperrt).")
        access.check_viewer(con, target)
        role, member = target.role, target.member_id
    db.execute(
        con, "insert_user_role", user_key=key, role=role, member_id=member,
        set_at=datetime.now().replace(microsecond=0), set_by=viewer.user or viewer.label,
    )  # fmt: skip
    return key, role, member


def logins(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> pd.DataFrame:
    """The current login table (user_key, role, member_id, set_at, set_by); network and city."""
    if not viewer.sees_all_members:
        raise AccessDenied("Die Zugänge sieht nur das Netzwerkmanagement und die Stadt.")
    return db.query_df(con, "user_roles_current")
