"""Who is looking at the dashboard, and what the role allows.

Why: every query, export and write takes a :class:`Viewer`; authorisation is decided here and in
:mod:`kek_data.access` from the server-side login (``st.user`` and the database), never from
widget values, query parameters or headers. Roles:

- ``netzwerk`` (Netzwerkmanagement): sees and exports everything, writes for every member,
  manages members, consent and logins.
- ``stadt`` (Stadt, e.g. Umweltamt): sees and exports everything, writes nothing.
- ``mitglied``: its own data, uploads and rollbacks for itself only; other members only as their
  publication consent allows (:mod:`kek_data.access`).
- ``oeffentlich``: not logged in; aggregated network figures and the members named by consent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from kek_data.errors import UsageError

Role = Literal["netzwerk", "stadt", "mitglied", "oeffentlich"]
ROLES: tuple[Role, ...] = ("netzwerk", "stadt", "mitglied", "oeffentlich")

#: ``Viewer.user`` of the Demo-Modus (no login): ``demo:<role spec>``; what it uploads stays demo.
DEMO_USER = "demo:"

#: German name of each role (sidebar, exports, messages).
ROLE_LABELS: dict[str, str] = {
    "netzwerk": "Netzwerkmanagement",
    "stadt": "Stadt",
    "mitglied": "Mitglied",
    "oeffentlich": "Öffentlich",
}


@dataclass(frozen=True)
class Viewer:
    """A person looking at (or writing) the data.

    ``member_id`` is the own organisation of a ``mitglied``; ``name`` is shown in the sidebar;
    ``user`` is the real user (subject or e-mail of the login, ``cli:<os user>`` on the command
    line) recorded with every submission, rollback and consent change.
    """

    role: Role
    member_id: str | None = None
    name: str = ""
    user: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role == "mitglied" and not self.member_id:
            raise ValueError("a member viewer needs a member_id")
        if self.role != "mitglied" and self.member_id:
            raise ValueError("only a member viewer has a member_id")

    @property
    def sees_all_members(self) -> bool:
        """True for network management and city: every member's data, whatever the consent."""
        return self.role in ("netzwerk", "stadt")

    @property
    def sees_member_data(self) -> bool:
        """False for the public, who see aggregates and consented names only."""
        return self.role != "oeffentlich"

    @property
    def manages(self) -> bool:
        """True for network management: members, consent, logins, targets."""
        return self.role == "netzwerk"

    def writes_for(self, member_id: str) -> bool:
        """Whether the viewer may upload or roll back data of ``member_id``."""
        return self.role == "netzwerk" or (self.role == "mitglied" and member_id == self.member_id)

    @property
    def writes(self) -> bool:
        """Whether the viewer may write data for any member at all."""
        return self.role in ("netzwerk", "mitglied")

    def params(self) -> dict[str, object]:
        """The bound parameters of the row filter of member queries (files, history, rows):
        ``$all_members`` for network and city, else only ``$member_id`` (own organisation)."""
        return {
            "all_members": self.sees_all_members,
            "member_id": self.member_id if self.role == "mitglied" else "",
        }

    @property
    def audience(self) -> Viewer:
        """The viewer without person (role and member only): the key of shared caches, so all
        users of one role and member share one cached result."""
        return replace(self, name="", user="")

    @property
    def role_label(self) -> str:
        """German name of the role: "Netzwerkmanagement", "Stadt", "Mitglied", "Öffentlich"."""
        return ROLE_LABELS[self.role]

    @property
    def label(self) -> str:
        """Name for the sidebar and exports (the person's name, else the role)."""
        return self.name or self.role_label

    @property
    def spec(self) -> str:
        """The role in the command-line form: ``netzwerk``, ``stadt``, ``mitglied:dsw21``."""
        return f"mitglied:{self.member_id}" if self.role == "mitglied" else self.role


def parse(spec: str, *, user: str = "", name: str = "") -> Viewer:
    """The viewer of ``ROLE[:MEMBER]`` (``--as mitglied:dsw21``, ``KEK_DEMO_ROLE``).

    The member id is checked against the database by the caller (:func:`access.check_member`).
    """
    text = spec.strip().lower()
    role, _, member = text.partition(":")
    role = {"netzwerkmanagement": "netzwerk", "öffentlich": "oeffentlich"}.get(role, role)
    if role not in ROLES:
        raise UsageError(
            f"Unbekannte Rolle „{spec}“. Erlaubt: netzwerk, stadt, mitglied:MITGLIED, oeffentlich "
            "(z. B. mitglied:dsw21)."
        )
    if role == "mitglied" and not member:
        raise UsageError(
            f"Bei der Rolle mitglied fehlt das Mitglied: „{spec}“ → z. B. mitglied:dsw21."
        )
    if role != "mitglied" and member:
        raise UsageError(f"Nur die Rolle mitglied nimmt ein Mitglied an: „{spec}“.")
    return Viewer(role=role, member_id=member or None, name=name, user=user)  # type: ignore[arg-type]


#: The command line without --as, and the start role of the demo mode.
NETWORK_MANAGER = Viewer(role="netzwerk", name="Netzwerkmanagement")
CITY = Viewer(role="stadt", name="Stadt")
PUBLIC = Viewer(role="oeffentlich", name="Öffentlichkeit")
