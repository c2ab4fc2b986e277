"""Roles, consent, pseudonyms, the total rule and the login mapping, on the small literal DB.

tests/small.py: members a, b, c; 2025 counted values a 50, b 18, c 50 (C with its complete 2024),
network 118 t CO₂e. Every expectation below can be checked by hand from that table.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kek_data import access, accounts, db, report
from kek_data.errors import AccessDenied, LoginError, UnknownMember, UsageError
from kek_data.viewer import CITY, NETWORK_MANAGER, PUBLIC, Viewer, parse
from tests import small


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("access") / "small.duckdb"
    small.build(path).close()
    return path


@pytest.fixture
def scon(small_template: Path, tmp_path: Path):
    path = tmp_path / "small.duckdb"
    shutil.copy(small_template, path)
    con = db.connect(path)
    yield con
    con.close()


MANAGER = Viewer("netzwerk", name="Netzwerk", user="nm@example.org")


def _consent(con, **levels: str) -> None:
    for member_id, level in levels.items():
        access.set_consent(con, MANAGER, member_id, level, "Test")


def test_parse_roles():
    assert parse("mitglied:DSW21") == Viewer("mitglied", "dsw21")
    assert parse("stadt").sees_all_members and not parse("stadt").writes
    assert parse("Öffentlich") == Viewer("oeffentlich")
    for bad, words in [("chef", "Unbekannte Rolle"), ("mitglied", "fehlt das Mitglied"),
                       ("stadt:dsw21", "Nur die Rolle mitglied")]:  # fmt: skip
        with pytest.raises(UsageError, match=words):
            parse(bad)
    assert Viewer("mitglied", "a", "Anna", "anna@a.de").audience == Viewer("mitglied", "a")


def test_writes_per_role():
    a, b = Viewer("mitglied", "a"), Viewer("mitglied", "b")
    access.check_write(NETWORK_MANAGER, "b")
    access.check_write(a, "a")
    refused = [(a, "b", "nur Daten Ihrer eigenen"), (CITY, "a", "Rolle Stadt"),
               (PUBLIC, "a", "anmelden"), (b, "a", "nicht für „a“")]  # fmt: skip
    for viewer, member, words in refused:
        with pytest.raises(AccessDenied, match=words):
            access.check_write(viewer, member)
    with pytest.raises(AccessDenied, match="Nur das Netzwerkmanagement"):
        access.check_manage(CITY)


def test_pseudonym_letters():
    assert access.pseudonym(0) == ("mitglied-a", "Mitglied A")
    assert access.pseudonym(25) == ("mitglied-z", "Mitglied Z")
    assert access.pseudonym(26) == ("mitglied-aa", "Mitglied AA")


def test_consent_is_recorded_and_checked(scon):
    assert {m: c.level for m, c in access.consents(scon).items()} == dict.fromkeys("abc", "intern")
    got = access.set_consent(scon, MANAGER, "a", "nur im Gesamtwert", "Mail vom 1.12.")
    assert (got.level, got.set_by, got.label) == ("gesamt", "nm@example.org", "nur im Gesamtwert")
    before = scon.execute("SELECT count(*) FROM member_consent").fetchone()[0]
    for viewer, member, level, error in [
        (Viewer("mitglied", "a"), "a", "namentlich", AccessDenied),
        (CITY, "a", "namentlich", AccessDenied),
        (MANAGER, "x", "namentlich", UnknownMember),
        (MANAGER, "a", "öffentlich", UsageError),
    ]:
        with pytest.raises(error):
            access.set_consent(scon, viewer, member, level)
    assert scon.execute("SELECT count(*) FROM member_consent").fetchone()[0] == before
    history = access.consent_history(scon, Viewer("mitglied", "b"))
    assert history.empty  # b sees its own decisions only
    assert list(access.consent_history(scon, CITY)["member_id"]) == ["a"]


def test_consent_decides_names_pseudonyms_and_totals(scon):
    _consent(scon, a="namentlich", b="gesamt", c="intern")
    # c sees everyone it may (a by name, b as "Mitglied A"): nobody withheld → total shown
    rep = report.build(scon, Viewer("mitglied", "c"))
    assert list(rep.member) == ["a", "c", "mitglied-a"]
    alias = rep.member["mitglied-a"]
    assert (alias.name, alias.short_name, alias.sector) == ("Mitglied A", "Mitglied A", "–")
    assert alias.kpi.latest == 18.0 and alias.target.source == "nicht veröffentlicht"
    assert rep.network.latest == 118.0
    assert set(rep.detail["member_id"]) == set(rep.counted["member_id"]) == {"a", "c", "mitglied-a"}
    assert "b" not in set(rep.completeness["member_id"])
    # a sees b as pseudonym, c not at all: the total would give c = 118 − 50 − 18 → withheld
    for viewer in (Viewer("mitglied", "a"), Viewer("mitglied", "b")):
        rep = report.build(scon, viewer)
        assert "c" not in rep.member and rep.network.series == {} and rep.network.latest is None
        assert rep.paths["actual"].isna().all() and rep.paths["members_path"].isna().all()
        # nor through the network target: its base is the withheld 2023 total
        assert rep.network_target.base_value is None and rep.network.base is None
        assert rep.network.path == {} and rep.network.budget is None
        assert rep.paths["network_path"].isna().all()
    assert list(report.build(scon, Viewer("mitglied", "b")).member) == ["a", "b"]
    # the public: a by name; b and c withheld (two) → total shown
    rep = report.build(scon, PUBLIC)
    assert list(rep.member) == ["a"] and rep.network.latest == 118.0
    assert rep.coverage_text() == "2025: 2 von 3 Mitgliedern vollständig · 1 Mitglied mit 2024"
    # network management and city: everything by name
    for viewer in (NETWORK_MANAGER, CITY):
        rep = report.build(scon, viewer)
        assert list(rep.member) == ["a", "b", "c"] and rep.network.latest == 118.0
        assert rep.coverage_text() == "2025: 2 von 3 Mitgliedern vollständig · C mit 2024"


def test_total_needs_three_contributors(scon):
    vis = access.visibility(scon, PUBLIC)
    assert not access.total_shown(vis, ["a", "b"])
    assert access.total_shown(vis, ["a", "b", "c"])  # all three withheld (intern): no one inferable
    assert access.total_shown(access.visibility(scon, CITY), ["a"])
    _consent(scon, a="namentlich", b="namentlich")
    assert not access.total_shown(access.visibility(scon, PUBLIC), ["a", "b", "c"])  # c = rest


def test_login_mapping_claims_and_table(scon):
    names = accounts.ClaimNames()
    claims = {"sub": "u1", "email": "Anna@A.de", "name": "Anna", "groups": ["x", "kek:mitglied:a"]}
    viewer = accounts.resolve(scon, claims, names)
    assert viewer == Viewer("mitglied", "a", "Anna", "anna@a.de")
    assert accounts.resolve(scon, {"sub": "u2", "groups": "kek:stadt"}).role == "stadt"
    bare = {"sub": "u3", "groups": ["kek:mitglied"], "kek_member": "b"}
    assert accounts.resolve(scon, bare).member_id == "b"
    custom = accounts.ClaimNames(role="roles", member="org", prefix="")
    assert accounts.resolve(scon, {"sub": "u4", "roles": ["netzwerk"]}, custom).manages
    for bad, words in [({"sub": "u5"}, "keiner Rolle"),
                       ({"sub": "u6", "groups": ["kek:stadt", "kek:netzwerk"]}, "mehrere Rollen"),
                       ({"sub": "u7", "groups": ["kek:mitglied:zz"]}, "ungültig"),
                       ({"groups": ["kek:stadt"]}, "keine Kennung")]:  # fmt: skip
        with pytest.raises(LoginError, match=words):
            accounts.resolve(scon, bad)
    with pytest.raises(LoginError) as refused:  # a login learns no list of the members
        accounts.resolve(scon, {"sub": "u7", "groups": ["kek:mitglied:zz"]})
    assert "„zz“" in str(refused.value) and "Bekannt" not in str(refused.value)
    # the login table wins over claims; keyed by subject or (verified) e-mail; 'none' revokes
    assert accounts.assign(scon, MANAGER, "Anna@A.de", "mitglied:b") == (
        "email:anna@a.de", "mitglied", "b")  # fmt: skip
    assert accounts.resolve(scon, claims).member_id == "b"
    unverified = claims | {"email_verified": False}
    assert accounts.resolve(scon, unverified).member_id == "a"  # unverified e-mail: not a key
    accounts.assign(scon, MANAGER, "sub:u1", "none")
    with pytest.raises(LoginError, match="gesperrt"):
        accounts.resolve(scon, claims)
    with pytest.raises(AccessDenied):
        accounts.assign(scon, Viewer("mitglied", "a"), "x@y.de", "netzwerk")
    with pytest.raises(UsageError):
        accounts.assign(scon, MANAGER, "anna", "stadt")
    table = accounts.logins(scon, CITY)
    assert list(table["user_key"]) == ["email:anna@a.de", "sub:u1"]
    assert set(table["set_by"]) == {"nm@example.org"}
