"""District heat per network and year (kek_data/district_heat.py): hand-computed on a literal DB.

Fixture (fixed here, not from data/): Fernwärme at the German average 198 g CO₂e/kWh (record
1990, status „Annahme“), two members:

    member  year  Fernwärme kWh   German average      network factor 120 g/kWh from 2022
    a       2021    1.000.000     198 t               198 t (no network factor yet: fallback)
    a       2022    1.000.000     198 t               120 t
    a       2023    1.000.000     198 t               120 t (record of 2022, „übertragen“)
    b       2021–2023 500.000     99 t each           99 t (not assigned: German average)

t CO₂e = kWh × g / 10⁶: 1.000.000 × 198 / 10⁶ = 198; × 120 / 10⁶ = 120; 500.000 × 198 / 10⁶ = 99.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from kek_data import cli, db, district_heat, factor_years, methodology
from kek_data.errors import AccessDenied, DistrictHeatErrors
from kek_data.viewer import CITY, NETWORK_MANAGER, PUBLIC, Viewer

NM = NETWORK_MANAGER
NET = "dew21-innenstadt"
METHOD = "AGFW FW 309-6 (Carnot-Methode)"
SOURCE = "Bescheinigung DEW21 vom 01.03.2023"
FALLBACK = "Bundesdurchschnitt (kein lokaler Netzfaktor hinterlegt)"
MEMBERS = [("a", "Organisation A", "A", "Test", 1), ("b", "Organisation B", "B", "Test", 2)]
KWH = {"a": 1_000_000.0, "b": 500_000.0}  # Fernwärme per year 2021–2023 [kWh]
TABLES = ("heat_networks", "heat_network_factors", "member_heat_networks")


def build(path: Path):
    """The literal database of the module docstring; an open connection."""
    con = db.connect(path)
    con.execute("DELETE FROM members")
    con.executemany("INSERT INTO members VALUES (?, ?, ?, ?, ?)", MEMBERS)
    con.execute("DELETE FROM emission_factors")
    con.execute(
        "INSERT INTO emission_factors VALUES ('fernwaerme', 1990, 198, 'Annahme', "
        "'Bundesdurchschnitt', 'tests/test_district_heat.py')"
    )
    for member_id, kwh in KWH.items():
        sid = con.execute(
            "INSERT INTO submissions (member_id, submitted_by, submitted_at, file_name, sha256, "
            "size_bytes, n_rows, status) VALUES (?, 'test', ?, 'heat.csv', ?, 1, 3, 'imported') "
            "RETURNING submission_id",
            [member_id, datetime(2026, 3, 15, 12, 0), f"{member_id:0>64}"],
        ).fetchone()[0]
        for line, year in enumerate((2021, 2022, 2023), 2):
            con.execute(
                "INSERT INTO activity (submission_id, line_no, member_id, year, carrier_id, "
                "quantity, unit) VALUES (?, ?, ?, ?, 'fernwaerme', ?, 'kWh')",
                [sid, line, member_id, year, kwh],
            )
    return con


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "heat.duckdb"
    build(p).close()
    return p


@pytest.fixture
def con(path: Path):
    connection = db.connect(path)
    yield connection
    connection.close()


def t_by_year(con, member_id: str) -> dict[int, float]:
    """[t CO₂e] of the member's Fernwärme per year, from the view ``emissions``."""
    rows = con.execute(
        "SELECT year, round(sum(t_co2e), 6) FROM emissions WHERE member_id = ? GROUP BY year "
        "ORDER BY year",
        [member_id],
    ).fetchall()
    return {int(y): float(t) for y, t in rows}


def counts(con) -> tuple[int, ...]:
    return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)


def network_from_2022(con) -> None:
    """Network NET with 120 g/kWh from 2022; member a on it from 2021."""
    district_heat.save_network(con, NM, NET, "DEW21 Innenstadt", "DEW21")
    district_heat.set_factor(con, NM, NET, 2022, "120", METHOD, SOURCE)
    district_heat.assign(con, NM, "a", NET, 2021)


def test_without_networks_every_year_is_the_marked_german_average(con):
    assert t_by_year(con, "a") == {2021: 198.0, 2022: 198.0, 2023: 198.0}
    assert factor_years.lines(factor_years.read(con, NM)) == [f"Fernwärme 2021–2023: {FALLBACK}"]
    used = district_heat.used(con, NM)
    assert {(u.member_id, u.year, u.g_co2e_per_kwh, u.fallback) for u in used} == {
        (m, y, 198.0, True) for m in "ab" for y in (2021, 2022, 2023)
    }


def test_a_network_factor_from_2022_gives_hand_computed_values(con):
    network_from_2022(con)
    assert t_by_year(con, "a") == {2021: 198.0, 2022: 120.0, 2023: 120.0}
    assert t_by_year(con, "b") == {2021: 99.0, 2022: 99.0, 2023: 99.0}  # not assigned
    # network management: b all years and a 2021 on the German average; a 2023 carried
    assert factor_years.lines(factor_years.read(con, NM)) == [
        f"Fernwärme 2021–2023: {FALLBACK}",
        f"Fernwärme (Netz {NET}) 2023: Faktor aus 2022 übertragen",
    ]
    own = factor_years.read(con, Viewer("mitglied", "a"))
    assert factor_years.lines(own) == [
        f"Fernwärme 2021: {FALLBACK}",
        f"Fernwärme (Netz {NET}) 2023: Faktor aus 2022 übertragen",
    ]
    used = {u.year: u for u in district_heat.used(con, Viewer("mitglied", "a"))}
    assert [(u.origin, u.network_id, u.factor_year, u.g_co2e_per_kwh) for u in used.values()] == [
        ("bund", None, 1990, 198.0),
        ("netz", NET, 2022, 120.0),
        ("netz", NET, 2022, 120.0),
    ]
    assert (used[2023].kwh, used[2023].t_co2e) == (1_000_000.0, 120.0)


def test_withdrawing_the_2022_record_brings_back_198(con):
    network_from_2022(con)
    district_heat.withdraw_factor(con, NM, NET, "2022")
    assert t_by_year(con, "a") == {2021: 198.0, 2022: 198.0, 2023: 198.0}
    assert district_heat.factors(con) == []
    assert factor_years.lines(factor_years.read(con, NM)) == [f"Fernwärme 2021–2023: {FALLBACK}"]
    history = district_heat.history(con, NM)  # append-only: both records kept, newest current
    assert [(f.g_co2e_per_kwh, f.status, f.current) for f in history] == [
        (None, "zurückgezogen", True),
        (120.0, "", False),
    ]
    assert history[1].method == METHOD and history[1].entered_by == NM.label


def test_a_changed_factor_changes_every_year_it_applies_to(con):
    network_from_2022(con)
    district_heat.set_factor(con, NM, NET, 2022, "110,5", METHOD, SOURCE, "vorläufig")
    assert t_by_year(con, "a") == {2021: 198.0, 2022: 110.5, 2023: 110.5}
    assert factor_years.lines(factor_years.read(con, NM))[1:] == [
        f"Fernwärme (Netz {NET}) 2022: vorläufig",
        f"Fernwärme (Netz {NET}) 2023: Faktor aus 2022 übertragen, vorläufig",
    ]
    district_heat.set_factor(con, NM, NET, 2023, 90, METHOD, SOURCE)  # own record for 2023
    assert t_by_year(con, "a")[2023] == 90.0


def test_reassigning_to_none_brings_back_the_fallback(con):
    network_from_2022(con)
    district_heat.assign(con, NM, "a", district_heat.NO_NETWORK, 2023)
    assert t_by_year(con, "a") == {2021: 198.0, 2022: 120.0, 2023: 198.0}
    district_heat.assign(con, NM, "a", None, 2021)  # replaces the 2021 assignment
    assert t_by_year(con, "a") == {2021: 198.0, 2022: 198.0, 2023: 198.0}
    assert factor_years.lines(factor_years.read(con, NM)) == [f"Fernwärme 2021–2023: {FALLBACK}"]
    assert [(a.network_id, a.valid_from) for a in district_heat.assignments(con, NM)] == [
        (None, 2021),
        (None, 2023),
    ]


def problems(call) -> dict[str, str]:
    with pytest.raises(DistrictHeatErrors) as exc:
        call()
    return {e.field: str(e) for e in exc.value.errors}


def test_every_problem_names_its_field_and_nothing_is_written(con):
    network_from_2022(con)
    before = counts(con)
    next_year = date.today().year + 1
    everything_wrong = problems(
        lambda: district_heat.set_factor(con, NM, "nix", 1980, "abc", " ", "", "")
    )
    assert everything_wrong == {
        "network_id": f"Netz: „nix“ ist nicht eingetragen (bekannt: {NET}).",
        "valid_from": f"Jahr: 1980 liegt außerhalb von 1990 bis {next_year - 1}.",
        "value": "Faktor [g CO₂e/kWh]: „abc“ ist keine Zahl.",
        "method": "Allokationsverfahren: bitte angeben, z. B. „AGFW FW 309-6 (Carnot-Methode)“.",
        "source": "Quelle: bitte angeben (z. B. Bescheinigung des Netzbetreibers mit Datum).",
    }
    too_high = problems(lambda: district_heat.set_factor(con, NM, NET, 2022, "1.000,5", "m", "s"))
    assert too_high == {
        "value": "Faktor [g CO₂e/kWh]: 1.000,5 liegt außerhalb von 0 bis 1.000 g CO₂e/kWh."
    }
    assert set(problems(lambda: district_heat.set_factor(con, NM, NET, 2022, -1, "m", "s"))) == {
        "value"
    }
    assert problems(lambda: district_heat.set_factor(con, NM, NET, next_year, 0, "m", "s")) == {
        "valid_from": f"Jahr: {next_year} liegt außerhalb von 1990 bis {next_year - 1}."
    }
    assert problems(lambda: district_heat.set_factor(con, NM, NET, "22", 1, "m", "s")) == {
        "valid_from": "Jahr: „22“ ist keine Jahreszahl (z. B. 2022)."
    }
    assert problems(lambda: district_heat.withdraw_factor(con, NM, NET, 2021)) == {
        "valid_from": f"Jahr: Netz {NET} hat ab 2021 keinen Faktor zum Zurückziehen."
    }
    assert problems(lambda: district_heat.assign(con, NM, "zz", "nix", 2022)) == {
        "member_id": "Mitglied: „zz“ ist kein Mitglied des Netzwerks.",
        "network_id": f"Netz: „nix“ ist nicht eingetragen (bekannt: {NET}).",
    }
    bad_id = problems(lambda: district_heat.save_network(con, NM, "DEW 21", "  "))
    assert set(bad_id) == {"network_id", "name"}
    assert bad_id["network_id"].startswith("Netz: „DEW 21“ geht nicht als Kennung")
    assert bad_id["name"] == "Name: bitte angeben (z. B. „DEW21 Innenstadt“)."
    assert "network_id" in problems(lambda: district_heat.save_network(con, NM, "keins", "X"))
    assert counts(con) == before
    assert t_by_year(con, "a") == {2021: 198.0, 2022: 120.0, 2023: 120.0}


@pytest.mark.parametrize("viewer", [Viewer("mitglied", "a"), CITY, PUBLIC], ids=str)
def test_only_the_network_management_writes(con, viewer):
    network_from_2022(con)
    before = counts(con)
    for call in (
        lambda: district_heat.save_network(con, viewer, "x", "X"),
        lambda: district_heat.set_factor(con, viewer, NET, 2023, 1, METHOD, SOURCE),
        lambda: district_heat.withdraw_factor(con, viewer, NET, 2022),
        lambda: district_heat.assign(con, viewer, "a", None, 2022),
    ):
        with pytest.raises(AccessDenied, match="Nur das Netzwerkmanagement darf"):
            call()
    assert counts(con) == before


def test_readers_follow_the_viewer(con):
    network_from_2022(con)
    district_heat.assign(con, NM, "b", None, 2021)
    b = Viewer("mitglied", "b")
    assert [a.member_id for a in district_heat.assignments(con, b)] == ["b"]
    assert {u.member_id for u in district_heat.used(con, b)} == {"b"}
    assert district_heat.assignments(con, PUBLIC) == [] and district_heat.used(con, PUBLIC) == []
    assert len(district_heat.assignments(con, CITY)) == 2
    assert len(district_heat.history(con, CITY)) == 1
    with pytest.raises(AccessDenied):
        district_heat.history(con, b)
    # networks and factors in force are reference data: everyone reads them
    assert [f.g_co2e_per_kwh for f in district_heat.factors(con)] == [120.0]


def test_the_demo_has_no_district_heat_data_and_marks_its_fallback(demo_db_template):
    con = db.connect(demo_db_template, read_only=True)
    try:
        assert district_heat.networks(con) == [] and district_heat.factors(con) == []
        assert district_heat.assignments(con, NM) == []
        used = district_heat.used(con, NM)
        assert used and all(u.fallback and u.g_co2e_per_kwh == 198.0 for u in used)
    finally:
        con.close()


def test_the_methodik_section_explains_networks_and_the_fallback():
    s = methodology.section("fernwaerme")
    assert s.title == "Fernwärme: Faktoren je Netz und Jahr"
    text = s.markdown
    assert "198 g CO₂e/kWh" in s.short and "Ersatzwert" in s.short
    for words in ("AGFW FW 309-6", "Arbeitswert-", "Carnot-", "Exergie-Methode", FALLBACK,
                  "Zuordnung ab einem Jahr", "auf alle Jahre, für die er gilt",
                  "Faktor aus 2022 übertragen"):  # fmt: skip
        assert words in text, words


# --- command line -------------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_happy_path(capsys, path):
    d = ("--db", str(path))
    code, out, err = run(capsys, "fernwaerme", *d)
    assert (code, err) == (0, "") and "Netze: noch keine eingetragen." in out
    code, out, _ = run(capsys, "fernwaerme", "netz", NET, "--name", "DEW21 Innenstadt",
                       "--operator", "DEW21", *d)  # fmt: skip
    assert (code, out) == (0, f"Fernwärmenetz {NET} gespeichert: DEW21 Innenstadt.\n")
    code, out, _ = run(capsys, "fernwaerme", "faktor", NET, "2022", "123,4", "--method", METHOD,
                       "--source", SOURCE, "--status", "vorläufig", *d)  # fmt: skip
    assert (code, out) == (0, f"Faktor von Netz {NET} ab 2022: 123,4 g CO₂e/kWh gespeichert.\n")
    code, out, _ = run(capsys, "fernwaerme", "zuordnen", "a", NET, "--ab", "2021", *d)
    assert (code, out) == (0, f"a ab 2021: Netz {NET} gespeichert.\n")
    code, out, _ = run(capsys, "fernwaerme", *d)
    assert f"  {NET} ab 2022: 123,4 g CO₂e/kWh · {METHOD} · Quelle: {SOURCE} · vorläufig" in out
    assert f"  a ab 2021: {NET}" in out
    code, out, _ = run(capsys, "fernwaerme", "--json", "--as", "mitglied:a", *d)
    data = json.loads(out)
    assert [a["member_id"] for a in data["assignments"]] == ["a"] and "history" not in data
    assert [(u["year"], u["origin"], round(u["t_co2e"], 6)) for u in data["used"]] == [
        (2021, "bund", 198.0), (2022, "netz", 123.4), (2023, "netz", 123.4),
    ]  # fmt: skip
    code, out, _ = run(capsys, "fernwaerme", "faktor", NET, "2022", "--withdraw", *d)
    assert (code, out) == (0, f"Faktor von Netz {NET} ab 2022 zurückgezogen.\n")
    con = db.connect(path)
    try:
        assert t_by_year(con, "a") == {2021: 198.0, 2022: 198.0, 2023: 198.0}
        assert district_heat.history(con, NM)[1].entered_by.startswith("cli:")
    finally:
        con.close()


def test_cli_errors_name_the_option_exit_1_and_write_nothing(capsys, path):
    d = ("--db", str(path))
    run(capsys, "fernwaerme", "netz", NET, "--name", "DEW21 Innenstadt", *d)
    con = db.connect(path)
    before = counts(con)
    con.close()
    code, out, err = run(capsys, "fernwaerme", "faktor", "nix", "1980", "1.5", *d)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"Fehler: NETZ: „nix“ ist nicht eingetragen (bekannt: {NET}).",
        f"Fehler: JAHR: 1980 liegt außerhalb von 1990 bis {date.today().year}.",
        "Fehler: WERT: „1.5“ ist mehrdeutig: Tausenderpunkte müssen von genau drei Ziffern "
        "gefolgt sein (meinten Sie „1,5“?).",
        "Fehler: --method: bitte angeben, z. B. „AGFW FW 309-6 (Carnot-Methode)“.",
        "Fehler: --source: bitte angeben (z. B. Bescheinigung des Netzbetreibers mit Datum).",
        "Nichts wurde gespeichert.",
    ]
    code, _, err = run(capsys, "fernwaerme", "zuordnen", "zz", NET, "--ab", "19", *d)
    assert code == 1 and "Fehler: MITGLIED: „zz“ ist kein Mitglied" in err
    assert "Fehler: --ab: „19“ ist keine Jahreszahl (z. B. 2022)." in err
    code, _, err = run(capsys, "fernwaerme", "netz", "Groß", "--name", "X", *d)
    assert code == 1 and err.startswith("Fehler: ID: „Groß“ geht nicht als Kennung")
    code, _, err = run(capsys, "fernwaerme", "faktor", NET, "2022", "5", "--withdraw", *d)
    assert (code, err) == (1, "Fehler: WERT: mit --withdraw keinen Wert angeben.\n")
    code, _, err = run(capsys, "fernwaerme", "faktor", NET, "2022", "120", "--method", METHOD,
                       "--source", SOURCE, "--as", "mitglied:a", *d)  # fmt: skip
    assert code == 1 and err.startswith("Fehler: Nur das Netzwerkmanagement darf")
    con = db.connect(path)
    try:
        assert counts(con) == before
    finally:
        con.close()


# --- the manager page ---------------------------------------------------------------------------

PAGE = "pages/fernwaerme.py"


def test_the_manager_page_writes_and_shows_the_entries(app_test, monkeypatch, seeded_db):
    monkeypatch.setenv("KEK_DEMO_ROLE", "netzwerk")
    at = app_test()
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Fernwärme-Faktoren"
    assert "Noch keine Netze eingetragen." in [i.value for i in at.info]
    at.text_input(key="kek-h-id").input(NET)
    at.text_input(key="kek-h-name").input("DEW21 Innenstadt")
    at.button(key="kek-h-net-save").click().run()
    assert not at.exception and not at.main.error, [e.value for e in at.main.error]
    assert list(at.dataframe[0].value["Kennung"]) == [NET]
    # a factor: German number, method and source; the table shows it in German format
    at.selectbox(key="kek-h-f-net").set_value(NET)
    at.number_input(key="kek-h-f-year").set_value(2022)
    at.text_input(key="kek-h-f-value").input("123,4")
    at.text_input(key="kek-h-f-method").input(METHOD)
    at.text_input(key="kek-h-f-source").input(SOURCE)
    at.button(key="kek-h-f-save").click().run()
    assert not at.exception and not at.main.error, [e.value for e in at.main.error]
    factors = at.dataframe[1].value
    assert factors.iloc[0].to_dict() == {
        "Netz": NET, "gültig ab": "2022", "Faktor [g CO₂e/kWh]": "123,4",
        "Allokationsverfahren": METHOD, "Quelle": SOURCE, "Status": "",
    }  # fmt: skip
    # an assignment; then a bad factor: German error, nothing written
    at.selectbox(key="kek-h-a-member").set_value("dew21")
    at.selectbox(key="kek-h-a-net").set_value(NET)
    at.number_input(key="kek-h-a-year").set_value(2022)
    at.button(key="kek-h-a-save").click().run()
    assert not at.exception and not at.main.error
    assert "DEW21 ab 2022: DEW21 Innenstadt (dew21-innenstadt)." in [
        s.value.replace("\\", "") for s in at.success
    ]
    assigned = at.dataframe[-1].value
    assert assigned.iloc[0].to_dict() == {"Mitglied": "DEW21", "ab": "2022",
                                          "Netz": f"DEW21 Innenstadt ({NET})"}  # fmt: skip
    at.text_input(key="kek-h-f-value").input("5000")
    at.text_input(key="kek-h-f-method").input(METHOD)
    at.text_input(key="kek-h-f-source").input(SOURCE)
    at.button(key="kek-h-f-save").click().run()
    (error,) = [e.value.replace("\\", "") for e in at.main.error]
    assert "Faktor [g CO₂e/kWh]: 5000 liegt außerhalb von 0 bis 1.000 g CO₂e/kWh." in error
    con = db.connect(seeded_db)
    try:
        assert [f.g_co2e_per_kwh for f in district_heat.history(con, NM)] == [123.4]
        assert district_heat.history(con, NM)[0].entered_by == "demo:netzwerk"
        dew21 = {u.year: u for u in district_heat.used(con, NM) if u.member_id == "dew21"}
        assert dew21[2022].origin == "netz" and dew21[2021].fallback
    finally:
        con.close()


def test_data_package_marks_each_member_with_its_own_factor(seeded_db):
    """Members on a network and members on the German average differ in the same year."""
    from kek_data import report
    from kek_data.export import package

    demo = db.connect(seeded_db)
    district_heat.save_network(demo, NM, NET, "DEW21 Innenstadt", "DEW21")
    district_heat.set_factor(demo, NM, NET, 2022, "120", METHOD, SOURCE)
    district_heat.assign(demo, NM, "fhdo", NET, 2015)
    snap = report.build(demo, NM)
    table = next(t for t in package.build_tables(snap, demo) if t.name == "emissionen").frame
    rows = table[(table["year"] == 2023) & (table["carrier_id"] == "fernwaerme")]
    note = dict(zip(rows["member_id"], rows["factor_note"], strict=True))
    assert note["fhdo"] == "Faktor aus 2022 übertragen"
    assert note["stadt"] == "Bundesdurchschnitt (kein lokaler Netzfaktor hinterlegt)"
    fh = rows.set_index("member_id").loc["fhdo"]
    assert fh["t_co2e"] == pytest.approx(fh["kwh"] * 120 / 1e6)
    demo.close()
