"""Who is looking at the dashboard, and what they may see.

Why: every query that returns member data takes a :class:`Viewer` and binds its filter as
parameters (``$all_members``, ``$member_id``), so login and roles can be added without rewriting
queries. Today the dashboard always runs as the network manager.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["netzwerk", "mitglied", "oeffentlich"]


@dataclass(frozen=True)
class Viewer:
    """A person looking at the data: network manager (all members), member (own data), public."""

    role: Role
    member_id: str | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if self.role == "mitglied" and not self.member_id:
            raise ValueError("a member viewer needs a member_id")

    @property
    def sees_all_members(self) -> bool:
        """True for the network manager, who sees every member's data."""
        return self.role == "netzwerk"

    @property
    def sees_member_data(self) -> bool:
        """False for the public, who see aggregated network figures only."""
        return self.role != "oeffentlich"

    def params(self) -> dict[str, object]:
        """The bound parameters of the member filter used in every member query."""
        return {
            "all_members": self.sees_all_members,
            "member_id": self.member_id if self.role == "mitglied" else "",
        }

    @property
    def label(self) -> str:
        """German label of the role, for the sidebar."""
        names = {
            "netzwerk": "Netzwerkmanagement",
            "mitglied": "Mitglied",
            "oeffentlich": "Öffentlich",
        }
        return self.name or names[self.role]


#: The only viewer until login arrives.
NETWORK_MANAGER = Viewer(role="netzwerk", name="Netzwerkmanagement")
PUBLIC = Viewer(role="oeffentlich", name="Öffentlichkeit")
