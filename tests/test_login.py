"""Login and roles: the OIDC login against a real provider, the Demo-Modus, the public page.

Browser part (marked ``browser``): one ``oidc-provider-mock`` and one ``streamlit run`` with login
for the whole module (tests/oidc.py); Debian's Chromium logs in as a member, the city and
network management, logs out, and checks expired and tampered logins and every page address
without login. AppTest part: the Demo-Modus and the ``exp`` check with a seeded ``st.user``.
"""

from __future__ import annotations

import io
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from kek_data import db
from kek_data.viewer import Viewer
from tests.browser import chromium, wait_until_idle
from tests.oidc import (
    SECRETS,
    dashboard_with_login,
    local_context,
    login,
    logout,
    nav_titles,
    provider,
    set_user,
    sidebar_text,
)

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_TITLE = "Fortschritt des Netzwerks"
MEMBER_PAGES = ["Überblick", "Mitglied", "Vergleich", "Pfad & Lücke", "Ziele", "Zielabgleich",
                "Strom & Verträge", "Maßnahmen", "Netzwerkarbeit", "Berichtsrunde",
                "Berichtsstände", "Daten", "Daten hochladen", "Export", "Methodik"]  # fmt: skip
#: Every page address of the dashboard (app.py's st.Page files) and a made-up one.
ADDRESSES = ["", "mitglied", "vergleich", "pfad", "strom", "massnahmen", "netzwerkarbeit",
             "berichtsrunde", "berichtsstaende", "daten", "hochladen", "export", "methodik",
             "zugaenge", "fernwaerme", "oeffentlich", "gibt-es-nicht"]  # fmt: skip
USERS = {
    "mia": {"email": "mia@dsw21.example", "name": "Mia Muster", "groups": ["kek:mitglied:dsw21"]},
    "nora": {"email": "nora@kek.example", "name": "Nora Netz", "groups": ["kek:netzwerk"]},
    "sven": {"email": "sven@stadt.example", "name": "Sven Stadt", "groups": ["kek:stadt"]},
    "otto": {"email": "otto@example.org", "name": "Otto Ohnerolle"},
}


# --- browser: real provider, real server ---------------------------------------------------------


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    with provider(tmp_path_factory.mktemp("idp")) as url:
        for sub, claims in USERS.items():
            set_user(url, sub, claims)
        yield url


@pytest.fixture(scope="module")
def app(demo_db_template, tmp_path_factory, idp):
    with dashboard_with_login(demo_db_template, tmp_path_factory.mktemp("app"), idp) as dash:
        yield dash


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _page(browser, width: int = 1280):
    ctx = local_context(browser, width)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return ctx, page, errors


def _settled(page) -> None:
    """Lighter than wait_until_idle (no chart drawing): the script run has finished."""
    page.wait_for_selector("h1", timeout=30000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"] button')", timeout=30000
    )
    page.wait_for_timeout(300)


def _no_error(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.locator("[data-testid='stMain']").inner_text()


def _is_public(page) -> None:
    assert page.locator("h1").first.inner_text().strip() == PUBLIC_TITLE
    assert page.locator("[data-testid='stSidebarNav'] a").count() == 0
    _no_error(page)


@pytest.mark.browser
def test_member_logs_in_sees_member_pages_and_logs_out(browser, app):
    ctx, page, errors = _page(browser)
    page.goto(app.url)
    wait_until_idle(page)
    _is_public(page)
    assert "Nicht angemeldet" in sidebar_text(page)
    login(page, app.url, "mia")
    assert page.locator("h1").first.inner_text().strip() == "Überblick"
    assert "Angemeldet: Mia Muster · Rolle Mitglied (DSW21)" in sidebar_text(page)
    assert nav_titles(page) == MEMBER_PAGES
    page.goto(f"{app.url}/hochladen")
    wait_until_idle(page)
    assert page.locator("h1").first.inner_text().strip() == "Daten hochladen"
    _no_error(page)
    logout(page, app.url)
    _is_public(page)
    assert "Nicht angemeldet" in sidebar_text(page)
    assert not [c for c in ctx.cookies() if c["name"].startswith("_streamlit_user")]
    ctx.close()
    assert not errors, errors


@pytest.mark.browser
@pytest.mark.parametrize(
    ("sub", "role", "pages"),
    [
        ("nora", "Netzwerkmanagement", MEMBER_PAGES),
        ("sven", "Stadt", [p for p in MEMBER_PAGES if p != "Daten hochladen"]),
    ],
)
def test_network_and_city_see_their_pages(browser, app, sub, role, pages):
    ctx, page, errors = _page(browser)
    login(page, app.url, sub)
    assert f"Rolle {role}" in sidebar_text(page)
    titles = nav_titles(page)
    extra = ["Zugänge"] if (ROOT / "pages/zugaenge.py").exists() else []
    if role == "Netzwerkmanagement" and (ROOT / "pages/fernwaerme.py").exists():
        extra.append("Fernwärme-Faktoren")
    assert titles == pages + extra, titles
    if role == "Stadt":  # the upload page's address gives the city the default page
        page.goto(f"{app.url}/hochladen")
        wait_until_idle(page)
        assert page.locator("h1").first.inner_text().strip() == "Überblick"
    ctx.close()
    assert not errors, errors


@pytest.mark.browser
def test_login_without_role_is_public_with_message(browser, app):
    ctx, page, _ = _page(browser)
    login(page, app.url, "otto")
    _is_public(page)
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Otto Ohnerolle ist angemeldet, aber noch keiner Rolle zugeordnet" in main
    assert "Angemeldet ohne Rolle" in sidebar_text(page)
    assert page.get_by_role("button", name="Abmelden").count() == 1
    ctx.close()


@pytest.mark.browser
def test_expired_token_gives_public_page_and_login_again(browser, app, idp):
    """The ID token's exp lies 30 s in the past: Authlib accepts it at the callback (120 s
    leeway), Streamlit keeps the cookie — our check in ui/auth.py makes it the public view;
    "Anmelden" then logs in again."""
    set_user(idp, "alt", {**USERS["mia"], "exp": int(time.time()) - 30})
    ctx, page, errors = _page(browser)
    login(page, app.url, "alt")
    _is_public(page)
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Ihre Anmeldung ist abgelaufen" in main and "Mia Muster" not in sidebar_text(page)
    assert page.get_by_role("button", name="Anmelden").count() >= 1
    set_user(idp, "alt", USERS["mia"])  # a fresh token on the next login
    login(page, app.url, "alt")
    assert "Angemeldet: Mia Muster · Rolle Mitglied (DSW21)" in sidebar_text(page)
    ctx.close()
    assert not errors, errors


@pytest.mark.browser
def test_tampered_cookie_gives_public_page(browser, app):
    ctx, page, errors = _page(browser)
    login(page, app.url, "mia")
    assert "Angemeldet: Mia Muster" in sidebar_text(page)
    cookies = ctx.cookies()
    user = next(c for c in cookies if c["name"] == "_streamlit_user")
    value = user["value"]
    i = len(value) // 2  # inside the signed payload
    forged = value[:i] + ("A" if value[i] != "A" else "B") + value[i + 1 :]
    ctx.clear_cookies()
    ctx.add_cookies([{**c, "value": forged} if c is user else c for c in cookies])
    page.goto(app.url)
    wait_until_idle(page)
    _is_public(page)
    assert "Mia Muster" not in sidebar_text(page)
    ctx.close()
    assert not errors, errors


@pytest.mark.browser
def test_every_address_without_login_is_the_public_page(browser, app):
    ctx, page, errors = _page(browser)
    for path in ADDRESSES:
        page.goto(f"{app.url}/{path}")
        _settled(page)
        _is_public(page)
        body = page.locator("[data-testid='stMain']").inner_text()
        for hidden in ("Sparkasse", "Hafen", "Caritas", "Diakonie", "Kirchenkreis"):
            assert hidden not in body, (path, hidden)  # consent gesamt / intern
    ctx.close()
    assert not errors, errors


@pytest.mark.browser
def test_secrets_appear_in_no_page_export_or_log(browser, app):
    """Network management opens every page and downloads the data package; the secrets of
    secrets.toml are in none of them, nor in the server's log."""
    ctx, page, _ = _page(browser)
    seen: list[str] = [page.content()]
    login(page, app.url, "nora")
    for path in [p for p in ADDRESSES[:9] if p != "export"] + ["export"]:  # export last
        page.goto(f"{app.url}/{path}")
        _settled(page)
        seen.append(page.content())
        seen.append(sidebar_text(page))
    with page.expect_download(timeout=60000) as dl:
        page.get_by_role("button", name="Datenpaket (ZIP) herunterladen").click()
    data = Path(dl.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist()
        seen += [z.read(n).decode("latin-1") for n in z.namelist()]
    seen.append("\n".join(f"{c['name']}={c['value']}" for c in ctx.cookies()))
    logout(page, app.url)
    ctx.close()
    seen.append(app.log.read_text(errors="replace"))
    for secret in SECRETS:
        assert not [i for i, text in enumerate(seen) if secret in text], secret


# --- AppTest: Demo-Modus and the exp check ------------------------------------------------------


def _sidebar_texts(at) -> str:
    parts = [m.value for m in at.sidebar.markdown] + [w.value for w in at.sidebar.warning]
    parts += [i.value for i in at.sidebar.info] + [c.value for c in at.sidebar.caption]
    return "\n".join(parts)


def test_demo_mode_starts_in_the_role_of_kek_demo_role(app_test, monkeypatch):
    monkeypatch.setenv("KEK_DEMO_ROLE", "mitglied:dsw21")
    at = app_test().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Demo-Modus – keine Anmeldung" in _sidebar_texts(at)
    role = at.sidebar.selectbox(key="kek_demo_role")
    assert role.value == "mitglied:dsw21"
    assert at.title[0].value == "Überblick"
    role.set_value("oeffentlich").run()
    assert at.title[0].value == PUBLIC_TITLE
    assert any("Rolle in der Seitenleiste" in c.value for c in at.main.caption)
    assert not at.button  # no "Anmelden" without a provider
    assert not at.exception


def test_demo_mode_default_is_network_management(app_test, monkeypatch):
    monkeypatch.delenv("KEK_DEMO_ROLE", raising=False)
    at = app_test().run()
    assert at.sidebar.selectbox(key="kek_demo_role").value == "netzwerk"
    options = at.sidebar.selectbox(key="kek_demo_role").options
    assert len(options) == 13 and "Mitglied: DSW21" in options  # 2 + 10 members + public


@pytest.mark.parametrize("spec", ["chef", "mitglied", "mitglied:xyz", "stadt:dsw21"])
def test_demo_mode_bad_start_role_is_a_german_error(app_test, monkeypatch, spec):
    monkeypatch.setenv("KEK_DEMO_ROLE", spec)
    at = app_test().run()
    assert not at.exception
    assert at.error and "KEK_DEMO_ROLE" in at.error[0].value and "ungültig" in at.error[0].value
    assert not at.title  # nothing else


def test_demo_mode_refuses_a_database_without_demo_flag(app_test, monkeypatch, tmp_path):
    from tests.ingest_util import csv_bytes, do_import

    path = tmp_path / "real.duckdb"
    con = db.connect(path)
    do_import(con, path, csv_bytes(["2024;Strom;100000;kWh;;"]))
    con.close()
    monkeypatch.setenv("KEK_DB", str(path))
    at = app_test().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.title
    text = at.error[0].value
    assert "echte Daten" in text and "secrets.toml" in text and "README" in text


@pytest.mark.parametrize("user", ["nm@example.org", "demo:mitglied:dsw21"])
def test_demo_mode_refuses_real_data_over_the_demo_seed(user, app_test, seeded_db):
    """Demo data with one real import (a login, the CLI) is real data: no Demo-Modus. An upload
    in the Demo-Modus itself (``demo:…``, no login behind it) keeps the database a demo."""
    from kek_data.ingest.upload import import_file
    from tests.ingest_util import csv_bytes

    con = db.connect(seeded_db)
    viewer = Viewer("mitglied", "dsw21", user=user)
    import_file(con, seeded_db, csv_bytes(["2026;Strom;100000;kWh;;"]), "k.csv", "dsw21", viewer)
    con.close()
    at = app_test().run()
    assert not at.exception, [e.value for e in at.exception]
    refused = bool(at.error) and "echte Daten" in at.error[0].value
    assert refused == (user == "nm@example.org")


@pytest.mark.parametrize("user", ["nm@example.org", "demo:netzwerk"])
def test_demo_mode_refuses_a_network_target_entered_with_a_login(user, app_test, seeded_db):
    """A version of the network target entered by a real user is real data (its source text
    may be internal); the file's version and one entered in the Demo-Modus are not."""
    from kek_data import targets

    con = db.connect(seeded_db)
    manager = Viewer("netzwerk", user=user)
    now = targets.current(con, manager)["netzwerk"]
    targets.add_version(con, manager, targets.Draft.of(now))
    con.close()
    at = app_test().run()
    assert not at.exception, [e.value for e in at.exception]
    refused = bool(at.error) and "echte Daten" in at.error[0].value
    assert refused == (user == "nm@example.org")


def _with_login(at, user: dict) -> object:
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "stadt": {"client_id": "c", "client_secret": "s", "server_metadata_url": "http://x/"},
    }
    at.user = user
    return at


def test_login_claims_give_the_member_view(app_test):
    claims = {"is_logged_in": True, "sub": "mia", **USERS["mia"], "exp": time.time() + 600}
    at = _with_login(app_test(), claims).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Überblick"
    assert "Angemeldet: **Mia Muster** · Rolle Mitglied \\(DSW21\\)" in _sidebar_texts(at)
    assert [b.label for b in at.sidebar.button] == ["Abmelden"]


@pytest.mark.parametrize("exp", [-1, -3600, None, "morgen"])
def test_expired_or_missing_exp_is_public(app_test, exp):
    claims = {"is_logged_in": True, "sub": "mia", **USERS["mia"]}
    if exp is not None:
        claims["exp"] = time.time() + exp if isinstance(exp, int) else exp
    at = _with_login(app_test(), claims).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == PUBLIC_TITLE
    assert "Ihre Anmeldung ist abgelaufen" in at.main.info[0].value
    assert "Nicht angemeldet" in _sidebar_texts(at)
    assert "Anmelden" in [b.label for b in at.button]


def test_not_logged_in_is_public_with_login_button(app_test):
    at = _with_login(app_test(), {"is_logged_in": False}).run()
    assert at.title[0].value == PUBLIC_TITLE
    assert [b.label for b in at.sidebar.button] == ["Anmelden"]
    assert "Anmelden" in [b.label for b in at.main.button]
    assert "Demo-Modus" not in _sidebar_texts(at)


def test_incomplete_login_config_stops_with_german_error(app_test):
    at = _with_login(app_test(), {"is_logged_in": False})
    del at.secrets["auth"]["cookie_secret"]
    at.run()
    assert not at.title
    assert "unvollständig" in at.error[0].value and "cookie_secret" in at.error[0].value


def test_secrets_example_is_complete_and_holds_placeholders_only():
    from ui import auth

    example = tomllib.loads((ROOT / ".streamlit/secrets.toml.example").read_text("utf-8"))
    assert auth.config_problems(example["auth"], example["kek"]) == []
    assert auth.provider_name(example["auth"], example["kek"]) == "stadt"
    assert example["auth"]["stadt"]["client_secret"].startswith("HIER-")
    assert example["auth"]["cookie_secret"].startswith("HIER-")
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".streamlit/secrets.toml" in ignored


def test_names_from_the_token_are_shown_as_text(app_test):
    evil = "**Evil** ![x](http://127.0.0.1:9/x.png) :red[rot]"
    claims = {"is_logged_in": True, "sub": "e", "name": evil, "exp": time.time() + 600,
              "groups": ["kek:netzwerk"]}  # fmt: skip
    at = _with_login(app_test(), claims).run()
    side = _sidebar_texts(at)
    assert "![x](" not in side and "**Evil**" not in side and ":red[" not in side
    claims["groups"] = []
    at = _with_login(app_test(), claims).run()
    text = at.main.info[0].value
    assert "keiner Rolle zugeordnet" in text and "![x](" not in text and "**Evil**" not in text
    assert [b.label for b in at.button] == ["Abmelden"]  # no "Anmelden" while logged in
