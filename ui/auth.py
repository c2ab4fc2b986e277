"""Login: who is looking, from Streamlit's OIDC login (``st.user``) or the Demo-Modus.

Why: every query, export and write takes the :class:`Viewer` of this session, and that viewer
must come from the server side, never from widget values, query parameters or headers.

- **Login** (``[auth]`` in ``.streamlit/secrets.toml``): ``st.user`` holds the claims of the ID
  token (in Streamlit's signed cookie; a tampered cookie is no login). Streamlit does not check
  the token's ``exp``: :func:`expired` does, an expired login is the public view with a new
  "Anmelden". :func:`kek_data.accounts.resolve` maps the claims to a role (claim names from
  ``[kek]``: ``role_claim``, ``member_claim``, ``role_prefix``); a :class:`LoginError` gives the
  public view and its German message in the sidebar. Not logged in: :data:`PUBLIC`.
- **Demo-Modus** (no ``[auth]``): the visitor picks a demo role in the sidebar (kept in
  ``st.session_state``, so it is the visitor's own choice — demo only); start role
  ``KEK_DEMO_ROLE`` (e.g. ``mitglied:dsw21``), default Netzwerkmanagement. It refuses to run on a
  database without the demo flag (real data need a login).

The viewer's ``user`` is the real user (e-mail or ``sub:…``; in the demo ``demo:<role>``), which
every submission, rollback and consent change records.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kek_data import access
from kek_data.accounts import ClaimNames, resolve
from kek_data.errors import KekError, LoginError
from kek_data.viewer import DEMO_USER, NETWORK_MANAGER, PUBLIC, Viewer, parse
from ui import data
from ui.text import plain

#: ``st.session_state`` key of the demo role (a ``ROLE[:MEMBER]`` spec).
DEMO_KEY = "kek_demo_role"
DEMO_ENV = "KEK_DEMO_ROLE"
DEMO_TITLE = "Demo-Modus – keine Anmeldung"
EXPIRED = "Ihre Anmeldung ist abgelaufen. Bitte erneut anmelden."
SETUP_HINT = (
    "Für echte Daten die Anmeldung in `.streamlit/secrets.toml` einrichten (Abschnitte `[auth]` "
    "und `[kek]`, Vorlage `.streamlit/secrets.toml.example`, siehe README „Anmeldung und Rollen“)."
)
_REQUIRED_AUTH = ("redirect_uri", "cookie_secret")
_REQUIRED_PROVIDER = ("client_id", "client_secret", "server_metadata_url")


@dataclass(frozen=True)
class Login:
    """This session's login state: the viewer and what the sidebar says about it."""

    viewer: Viewer
    demo: bool  # Demo-Modus (no [auth] configured)
    logged_in: bool = False  # a valid, unexpired login (possibly without a role)
    message: str = ""  # German message: login without role, expired login


def _secrets() -> Mapping[str, object]:
    """The secrets (``{}`` without a secrets file); a file that exists but cannot be read is an
    error on the page, never a silent Demo-Modus."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except FileNotFoundError:  # StreamlitSecretNotFoundError: none, or unreadable
        files = st.get_option("secrets.files") or []
        if any(Path(f).is_file() for f in files):
            st.error(
                "Die Datei secrets.toml kann nicht gelesen werden (TOML-Fehler?). Bitte die "
                "Datei prüfen; bis dahin startet das Dashboard nicht.",
                icon=":material/error:",
            )
            st.stop()
        return {}


def auth_section() -> Mapping[str, object] | None:
    """``[auth]`` of the secrets, or None (Demo-Modus)."""
    section = _secrets().get("auth")
    return section if isinstance(section, Mapping) else None


def _kek() -> Mapping[str, object]:
    kek = _secrets().get("kek")
    return kek if isinstance(kek, Mapping) else {}


def provider_name(auth: Mapping[str, object], kek: Mapping[str, object]) -> str | None:
    """The provider ``st.login`` uses: ``[kek] provider``, else the only ``[auth.<name>]``
    section, else None (provider keys directly under ``[auth]``)."""
    if kek.get("provider"):
        return str(kek["provider"])
    names = [k for k, v in auth.items() if isinstance(v, Mapping)]
    return names[0] if names else None


def config_problems(auth: Mapping[str, object], kek: Mapping[str, object]) -> list[str]:
    """What ``[auth]`` lacks for a login (German, names only — never values)."""
    missing = [f"[auth] {k}" for k in _REQUIRED_AUTH if not auth.get(k)]
    if not str(auth.get("redirect_uri", "")).endswith("/oauth2callback"):
        missing.append("[auth] redirect_uri muss auf /oauth2callback enden")
    name = provider_name(auth, kek)
    section = auth.get(name) if name else auth
    if name and "_" in name:
        missing.append(f"[auth.{name}]: kein „_“ im Namen")
    if not isinstance(section, Mapping):
        missing.append(f"[auth.{name}]")
    else:
        where = f"[auth.{name}]" if name else "[auth]"
        missing += [f"{where} {k}" for k in _REQUIRED_PROVIDER if not section.get(k)]
    return missing


def claim_names() -> ClaimNames:
    """Claim names from ``[kek]`` (``role_claim``, ``member_claim``, ``role_prefix``)."""
    kek = _kek()
    default = ClaimNames()
    return ClaimNames(
        role=str(kek.get("role_claim", default.role)),
        member=str(kek.get("member_claim", default.member)),
        prefix=str(kek.get("role_prefix", default.prefix)),
    )


def expired(claims: Mapping[str, object], now: float | None = None) -> bool:
    """Whether the ID token's ``exp`` [s since 1970, UTC] has passed; a token without a
    readable ``exp`` counts as expired (OIDC requires it)."""
    try:
        exp = float(claims.get("exp"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return exp <= (time.time() if now is None else now)


def login() -> Login:
    """The login state of this session (see module doc); may stop the page with a German error
    (unreadable or incomplete secrets, Demo-Modus on real data, a bad ``KEK_DEMO_ROLE``).

    Worked out once per script run (app.py, the sidebar and the page all ask): the memo is tied
    to this run's ``ScriptRunContext.cursors``, a new object at the start of every run, so every
    page view (and every callback's run) checks the login and the token's ``exp`` afresh."""
    ctx = get_script_run_ctx()
    memo = st.session_state.get(_RUN_LOGIN) if ctx is not None else None
    if memo is not None and memo[0] is ctx.cursors:
        return memo[1]
    result = _login()
    if ctx is not None:
        st.session_state[_RUN_LOGIN] = (ctx.cursors, result)
    return result


_RUN_LOGIN = "_kek_login_of_this_run"


def _login() -> Login:
    auth = auth_section()
    if auth is None:
        return _demo()
    problems = config_problems(auth, _kek())
    if problems:
        st.error(
            "Die Anmeldung in secrets.toml ist unvollständig: " + "; ".join(problems) + ". "
            "Siehe README „Anmeldung und Rollen“.",
            icon=":material/error:",
        )
        st.stop()
    if not st.user.is_logged_in:
        return Login(PUBLIC, demo=False)
    claims = st.user.to_dict()
    if expired(claims):
        return Login(PUBLIC, demo=False, message=EXPIRED)
    try:
        with data.cursor() as cur:
            viewer = resolve(cur, claims, claim_names())
    except LoginError as exc:
        return Login(PUBLIC, demo=False, logged_in=True, message=str(exc))
    return Login(viewer, demo=False, logged_in=True)


def current_viewer() -> Viewer:
    """The viewer of this session (authorisation comes from here, never from widget values)."""
    return login().viewer


# --- Demo-Modus ---------------------------------------------------------------------------------


def demo_roles() -> dict[str, str]:
    """Demo role spec → German label, in the sidebar's order (every member by short name)."""
    return _demo_roles(data.db_file())


@st.cache_data(show_spinner=False)
def _demo_roles(db_path: str) -> dict[str, str]:
    members = data.members(NETWORK_MANAGER.audience, db_path)
    roles = {"netzwerk": "Netzwerkmanagement", "stadt": "Stadt"}
    for member_id, short_name in zip(members["member_id"], members["short_name"], strict=True):
        roles[f"mitglied:{member_id}"] = f"Mitglied: {short_name}"
    roles["oeffentlich"] = "Öffentlich (nicht angemeldet)"
    return roles


def _start_role(roles: Mapping[str, str]) -> str:
    spec = os.environ.get(DEMO_ENV, "").strip()
    if not spec:
        return "netzwerk"
    try:
        viewer = parse(spec)
        with data.cursor() as cur:
            access.check_viewer(cur, viewer)
    except KekError as exc:
        st.error(f"{DEMO_ENV}={plain(spec)} ist ungültig: {plain(exc)}", icon=":material/error:")
        st.stop()
    if viewer.spec not in roles:  # pragma: no cover - check_viewer knows every member
        st.error(f"{DEMO_ENV}={plain(spec)} ist keine Demo-Rolle.", icon=":material/error:")
        st.stop()
    return viewer.spec


def _demo() -> Login:
    if not data.context(data.db_file()).demo or data.has_real_data(data.db_file()):
        st.error(
            "Demo-Modus – keine Anmeldung eingerichtet, aber diese Datenbank enthält echte Daten "
            "(keine Demodaten). Ohne Anmeldung zeigt das Dashboard sie nicht. " + SETUP_HINT,
            icon=":material/lock:",
        )
        st.stop()
    roles = demo_roles()
    if st.session_state.get(DEMO_KEY) not in roles:
        st.session_state[DEMO_KEY] = _start_role(roles)
    spec = str(st.session_state[DEMO_KEY])
    viewer = parse(spec, user=DEMO_USER + spec, name=f"Demo · {roles[spec]}")
    return Login(viewer, demo=True, logged_in=viewer.sees_member_data)


# --- sidebar ------------------------------------------------------------------------------------


def role_text(viewer: Viewer) -> str:
    """The role as the sidebar says it: "Netzwerkmanagement", "Mitglied (DSW21)"."""
    if viewer.role != "mitglied":
        return viewer.role_label
    members = data.members(viewer.audience, data.db_file())
    own = members[members["member_id"] == viewer.member_id]["short_name"]
    return f"Mitglied ({own.iloc[0] if len(own) else viewer.member_id})"


def login_button(key: str) -> bool:
    """ "Anmelden" (``st.login`` with the configured provider); False (nothing shown) in the
    Demo-Modus."""
    auth = auth_section()
    if auth is None:
        return False
    name = provider_name(auth, _kek())
    st.button(
        "Anmelden",
        key=key,
        icon=":material/login:",
        type="primary",
        on_click=st.login,
        args=(name,) if name else (),
    )
    return True


def login_hint(key: str) -> None:
    """The public page's way in: "Anmelden", in the Demo-Modus where to pick a role; nothing
    for a login without role (its "Abmelden" is in the sidebar)."""
    state = login()
    if state.demo:
        st.caption(f"{DEMO_TITLE}: die Rolle in der Seitenleiste wählen.")
    elif not state.logged_in:
        login_button(key)


def notice() -> None:
    """The login's message once, at the top of the public page: a login without role ("… ist
    angemeldet, aber noch keiner Rolle zugeordnet …") or an expired one (escaped: it quotes the
    name from the token)."""
    state = login()
    if state.message:
        icon = ":material/person_off:" if state.logged_in else ":material/schedule:"
        st.info(plain(state.message), icon=icon)


def sidebar(viewer: Viewer) -> None:
    """Who is logged in with which role, and "Abmelden" / "Anmelden"; in the Demo-Modus the
    role choice. User-provided text (names from the token) is shown escaped."""
    state = login()
    with st.sidebar:
        if state.demo:
            st.warning(f"**{DEMO_TITLE}**", icon=":material/science:")
            roles = demo_roles()
            st.selectbox(
                "Demo-Rolle",
                options=list(roles),
                format_func=roles.__getitem__,
                key=DEMO_KEY,
                help="Nur im Demo-Modus: jede Rolle ausprobieren. Mit eingerichteter Anmeldung "
                "kommt die Rolle aus der Anmeldung.",
            )
            return
        if state.logged_in and viewer.sees_member_data:
            st.markdown(f"Angemeldet: **{plain(viewer.label)}** · Rolle {plain(role_text(viewer))}")
        elif state.logged_in:
            st.markdown("Angemeldet ohne Rolle · öffentliche Ansicht")
        else:
            st.markdown("Nicht angemeldet · öffentliche Ansicht")
        if state.logged_in:
            st.button("Abmelden", key="kek-logout", icon=":material/logout:", on_click=st.logout)
        else:
            login_button("kek-login-sidebar")
