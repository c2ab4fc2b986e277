"""The reporting round (kek_data.rounds) on the small literal database (tests/small.py).

Hand-computed figures of tests/small.py [t CO₂e]: A 70 → 60 → 50, B 20 → 20 → 18, C 50 → 50 → 20
(2025 partial: Heizöl missing). A 2023 → 2024: total −14,3 %, Strom 100.000 → 90.000 kWh
(−10 %), Heizöl 100.000 → 80.000 kWh (−20 %, 6 t).
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest

from kek_data import db, rounds
from kek_data.errors import AccessDenied, RoundError
from kek_data.viewer import CITY, NETWORK_MANAGER, PUBLIC, Viewer
from tests import small

TODAY = date(2026, 6, 10)
MANAGER = Viewer(role="netzwerk", name="Netzwerk", user="nm@kek.de")
A = Viewer(role="mitglied", member_id="a", name="Mia", user="mia@a.de")


@pytest.fixture
def scon(tmp_path):
    con = small.build(tmp_path / "small.duckdb")
    yield con
    con.close()


def _open(con, year=2024, pct=25.0, at=datetime(2026, 1, 10, 9, 0)):
    rounds.open_round(con, MANAGER, year, date(2026, 5, 31), pct, at=at)


def _row(con, member_id, year=2024, today=TODAY):
    return rounds.overview(con, NETWORK_MANAGER, year, today).row(member_id)


def test_jump_flags_with_hand_computed_numbers(scon):
    _open(scon, pct=25.0)
    assert _row(scon, "a").jumps == ()  # −14,3 % and −20 % are within 25 %
    _open(scon, pct=10.0, at=datetime(2026, 1, 11, 9, 0))  # a new version of the round
    flags = {j.subject: j for j in _row(scon, "a").jumps}
    assert set(flags) == {"gesamt", "heizoel"}  # Strom −10 % is not more than 10 %
    assert flags["gesamt"].previous == pytest.approx(70.0)
    assert flags["gesamt"].current == pytest.approx(60.0)
    assert flags["gesamt"].change_pct == pytest.approx(-100 / 7)  # −14,29 %
    assert flags["heizoel"].unit == "kWh" and flags["heizoel"].change_pct == pytest.approx(-20.0)
    assert _row(scon, "b").jumps == () and _row(scon, "c").jumps == ()


def test_partial_year_is_no_total_jump(scon):
    rounds.open_round(scon, MANAGER, 2025, date(2026, 5, 31), 10.0, at=datetime(2026, 1, 10))
    # C 2025 is partial (50 → 20 t): no total jump; Strom unchanged; Heizöl not in both years
    assert _row(scon, "c", 2025).jumps == ()
    # A 2025: 60 → 50 t (−16,7 %), Strom 90.000 → 80.000 (−11,1 %), Heizöl −25 %
    assert {j.subject for j in _row(scon, "a", 2025).jumps} == {"gesamt", "strom", "heizoel"}
    assert _row(scon, "b", 2025).jumps == ()  # −10 % exactly: not more than 10 %


def test_status_transitions_and_refusals(scon):
    _open(scon)
    row = _row(scon, "a")
    assert row.status == "eingereicht" and row.derived  # an upload holds 2024
    with pytest.raises(RoundError, match="Status: ein Mitglied kann nur"):
        rounds.set_status(scon, A, 2024, "a", "geprüft")
    with pytest.raises(AccessDenied):
        rounds.set_status(scon, A, 2024, "b", "eingereicht")
    with pytest.raises(AccessDenied):
        rounds.add_note(scon, A, 2024, "b", "begruendung", "fremd")
    with pytest.raises(AccessDenied, match="Stadt liest"):
        rounds.set_status(scon, CITY, 2024, "a", "geprüft")
    with pytest.raises(AccessDenied):
        rounds.overview(scon, PUBLIC, 2024)
    with pytest.raises(AccessDenied):
        rounds.add_note(scon, A, 2024, "a", "frage", "Darf ich fragen?")
    with pytest.raises(RoundError, match="nur weiter zu „geprüft“"):
        rounds.set_status(scon, MANAGER, 2024, "a", "freigegeben")
    rounds.set_status(scon, MANAGER, 2024, "a", "geprüft")
    with pytest.raises(RoundError, match="Kommentar: bitte angeben"):
        rounds.set_status(scon, MANAGER, 2024, "a", "angefragt")
    rounds.set_status(scon, MANAGER, 2024, "a", "freigegeben")
    assert _row(scon, "a").status == "freigegeben"
    assert [m.member_id for m in rounds.overview(scon, A, 2024).members] == ["a"]  # own row only
    assert len(rounds.overview(scon, CITY, 2024).members) == 3
    with pytest.raises(RoundError, match="Berichtsjahr: für 2023 ist noch keine"):
        rounds.set_status(scon, MANAGER, 2023, "a", "geprüft")


def test_release_needs_settled_jumps_answers_and_reason(scon):
    _open(scon, pct=10.0)
    rounds.set_status(scon, MANAGER, 2024, "a", "geprüft")
    with pytest.raises(RoundError, match="2 offene Sprünge"):
        rounds.set_status(scon, MANAGER, 2024, "a", "freigegeben")
    with pytest.raises(RoundError, match="Kommentar: bitte angeben"):
        rounds.add_note(scon, A, 2024, "a", "sprung", " ", subject="heizoel",
                        resolution="bestätigt")  # fmt: skip
    with pytest.raises(RoundError, match="Ergebnis"):
        rounds.add_note(scon, A, 2024, "a", "sprung", "ok", subject="heizoel", resolution="x")
    for subject in ("gesamt", "heizoel"):
        rounds.add_note(scon, A, 2024, "a", "sprung", "Neue Brennwertkessel.", subject=subject,
                        resolution="bestätigt")  # fmt: skip
    qid = rounds.add_note(scon, MANAGER, 2024, "a", "frage", "Kessel seit wann?")
    with pytest.raises(RoundError, match="1 offene Frage"):
        rounds.set_status(scon, MANAGER, 2024, "a", "freigegeben")
    rounds.add_note(scon, A, 2024, "a", "antwort", "Seit März 2024.", reply_to=qid)
    with pytest.raises(RoundError, match="Frage: bitte eine offene Frage"):
        rounds.add_note(scon, A, 2024, "a", "antwort", "Nochmal.", reply_to=qid)
    row = _row(scon, "a")
    assert row.open_jumps == () and not row.open_questions and not row.blockers()
    rounds.set_status(scon, MANAGER, 2024, "a", "freigegeben")


def _make_b_behind(con) -> None:
    """B −60 % by 2030: path 2024 = 20 × (1 − 0,6 / 7) = 18,29 t; 20 t is more than 5 % above."""
    con.execute("UPDATE target_milestones SET reduction_pct = 60 WHERE target_id = "
                "(SELECT target_id FROM targets WHERE owner = 'b')")  # fmt: skip


def test_reason_needed_when_behind_the_own_path(scon):
    _make_b_behind(scon)
    _open(scon)
    b, c = _row(scon, "b"), _row(scon, "c")
    assert b.behind and b.reason_missing and b.blockers() == ["Begründung fehlt"]
    assert not c.behind  # C 50 t against 47,86 t: yellow, within the tolerance
    rounds.add_note(scon, Viewer(role="mitglied", member_id="b", user="b@b.de"), 2024, "b",
                    "begruendung", "Mehr Fläche.")  # fmt: skip
    rounds.add_note(scon, MANAGER, 2024, "b", "begruendung", "Neue Halle in Betrieb.")
    b = _row(scon, "b")
    assert b.reason.text == "Neue Halle in Betrieb." and not b.reason_missing  # newest counts
    assert [n.text for n in b.notes] == ["Mehr Fläche.", "Neue Halle in Betrieb."]  # history


def test_late_with_a_fixed_today_and_derived_submission(scon):
    _open(scon)
    rounds.set_status(scon, MANAGER, 2024, "a", "angefragt", "Bitte Heizöl prüfen.",
                      at=datetime(2026, 4, 1, 9, 0))  # fmt: skip
    assert _row(scon, "a", today=date(2026, 5, 31)).late_days is None  # due day not passed
    row = _row(scon, "a", today=TODAY)
    assert row.status == "angefragt" and row.late_days == 10
    assert _row(scon, "b", today=TODAY).late_days is None  # eingereicht: not late
    # a new upload after the set-back makes the year eingereicht again (derived)
    sid = scon.execute(
        "INSERT INTO submissions (member_id, submitted_by, submitted_at, file_name, sha256, "
        "size_bytes, n_rows, status) VALUES ('a', 'mia@a.de', ?, 'neu.csv', ?, 1, 1, "
        "'imported') RETURNING submission_id", [datetime(2026, 6, 5, 8, 0), "f" * 64],
    ).fetchone()[0]  # fmt: skip
    scon.execute(
        "INSERT INTO activity (submission_id, line_no, member_id, year, carrier_id, quantity, "
        "unit) VALUES (?, 2, 'a', 2024, 'strom', 90000, 'kWh')",
        [sid],
    )
    row = _row(scon, "a", today=TODAY)
    assert row.status == "eingereicht" and row.derived and row.late_days is None


def test_logs_are_append_only(scon):
    _open(scon)
    rounds.set_status(scon, MANAGER, 2024, "a", "geprüft")
    rounds.add_note(scon, MANAGER, 2024, "a", "frage", "Erste Frage")
    before = {t: scon.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()  # noqa: S608
              for t in ("report_rounds", "round_status_log", "round_notes")}  # fmt: skip
    _open(scon, pct=30.0, at=datetime(2026, 2, 1, 9, 0))
    rounds.set_status(scon, MANAGER, 2024, "a", "eingereicht", "zurück: Datei fehlerhaft")
    rounds.add_note(scon, MANAGER, 2024, "a", "frage", "Zweite Frage")
    for table, rows in before.items():
        after = scon.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608
        assert after[: len(rows)] == rows and len(after) == len(rows) + 1, table
    assert rounds.rounds(scon, MANAGER)[2024].jump_pct == 30.0  # newest version wins
    assert rounds.rounds(scon, MANAGER)[2024].opened_at == datetime(2026, 1, 10, 9, 0)


def test_round_validation_names_the_field(scon):
    with pytest.raises(RoundError) as err:
        rounds.open_round(scon, MANAGER, 2024, "31.05.2026", 0.0)
    assert "Frist: bitte ein Datum" in str(err.value) and "Sprung-Schwelle" in str(err.value)
    with pytest.raises(RoundError, match="Frist: die Frist muss nach dem Berichtsjahr 2024"):
        rounds.open_round(scon, MANAGER, 2024, date(2024, 12, 31))
    with pytest.raises(AccessDenied):
        rounds.open_round(scon, A, 2024, date(2025, 5, 31))
    assert rounds.rounds(scon, MANAGER) == {}  # nothing written


def test_frozen_year(scon):
    _open(scon)
    scon.execute("INSERT INTO report_freezes VALUES (1, 2024, ?, 'nm', '', 'x.duckdb', '', 1, 10, "
                 "'{}', false)", [datetime(2026, 7, 1)])  # fmt: skip
    ov = rounds.overview(scon, NETWORK_MANAGER, 2024, TODAY)
    assert ov.frozen and {m.status for m in ov.members} == {"eingefroren"}
    with pytest.raises(RoundError, match="eingefroren"):
        rounds.set_status(scon, MANAGER, 2024, "a", "geprüft")


def test_reason_on_the_deck_member_slide(scon):
    from pptx import Presentation

    from kek_data.export import deck, images

    if not images.browser_path().exists():
        pytest.skip("Chromium für den Bildexport fehlt")
    _make_b_behind(scon)
    _open(scon)
    rounds.add_note(scon, MANAGER, 2024, "b", "begruendung", "Neue Halle in Betrieb.")
    rounds.add_note(scon, MANAGER, 2024, "a", "begruendung", "A ist auf Kurs.")
    data = deck.build_deck(scon, NETWORK_MANAGER, year=2024, members=["a", "b"])
    found = {}
    for slide in Presentation(io.BytesIO(data)).slides:
        title = slide.shapes.title.text_frame.text if slide.shapes.title else ""
        for shape in slide.shapes:
            if shape.name == "Begründung":
                found[title] = shape.text_frame.text
    assert found == {"Organisation B": "Begründung 2024: Neue Halle in Betrieb."}  # A: on track
    assert db.query_rows(scon, "round_frozen", year=2024)[0][0] is False


def test_demo_rounds_and_real_data(con):
    from kek_data import emissions

    ov = rounds.overview(con, NETWORK_MANAGER, 2025, date(2026, 12, 2))
    assert ov.round.due_on == date(2026, 5, 31) and ov.round.jump_pct == 15.0
    assert ov.n_released == 6 and ov.n_late == 2
    late = {m.member_id: m.late_days for m in ov.members if m.late_days is not None}
    assert late == {"caritas": 185, "diakonie": 185}  # 31.05. → 02.12.2026
    assert sum(len(m.open_questions) for m in ov.members) == 1
    spark = ov.row("sparkasse")
    assert [j.subject for j in spark.jumps] == ["benzin"] and spark.open_jumps == ()
    assert ov.row("dsw21").behind and ov.row("dsw21").reason is not None
    new = rounds.overview(con, NETWORK_MANAGER, 2026, date(2026, 12, 2))
    assert new.round.due_on == date(2027, 5, 31)
    assert {m.status for m in new.members} == {"angefragt"} and new.n_late == 0
    assert not emissions.has_real_data(con)  # demo rounds are demo data
    rounds.add_note(con, MANAGER, 2026, "dsw21", "frage", "Kommt die Meldung bis Mai?")
    assert emissions.has_real_data(con)  # an entry of a real login is real data
