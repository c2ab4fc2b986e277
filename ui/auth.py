"""Login: who is looking, from Streamlit's OIDC login (``st.user``) or the demo mode.

STUB (issue 9 in progress): the demo mode's start role only. ``KEK_DEMO_ROLE`` (e.g.
``mitglied:dsw21``) sets it; default network management.
"""

from __future__ import annotations

import os

from kek_data.viewer import NETWORK_MANAGER, Viewer, parse


def current_viewer() -> Viewer:
    """The viewer of this session (authorisation comes from here, never from widget values)."""
    spec = os.environ.get("KEK_DEMO_ROLE", "")
    return parse(spec, user="demo", name="Demo") if spec else NETWORK_MANAGER
