"""Network work: who sees and writes, validation, the append-only status log, the deck summary,
the demo year (kek_data/network.py, network_meetings.py, network_demo.py)."""

from __future__ import annotations

from datetime import date

import pytest

from kek_data import db, emissions, network
from kek_data import network_meetings as nm
from kek_data.errors import AccessDenied, NetworkErrors
from kek_data.viewer import CITY, NETWORK_MANAGER, PUBLIC, Viewer

DAY = date(2026, 12, 2)  # the demo's "today"
MANAGER = Viewer(role="netzwerk", name="Lea Brandt", user="lea@kek.example")
DSW21 = Viewer(role="mitglied", member_id="dsw21", user="mia@dsw21.example")


def _counts(con) -> tuple:
    tables = ("working_groups", "meetings", "agenda_items", "decisions", "actions",
              "action_status_log", "meeting_participants")  # fmt: skip
    return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)


def test_demo_year_is_complete_and_flagged(con):
    groups = network.groups(con, NETWORK_MANAGER)
    meetings = network.meetings(con, NETWORK_MANAGER)
    assert len(groups) == 3 and all(len(g.members) >= 5 for g in groups)
    kinds = [m.kind for m in meetings if date(2025, 12, 1) <= m.held_on <= date(2026, 11, 30)]
    assert kinds.count(network.NETZWERKTREFFEN) == 4  # quarterly
    assert kinds.count("öffentliche Veranstaltung") == 1
    assert kinds.count(network.AG_SITZUNG) >= 6
    upcoming = [m for m in meetings if m.held_on > DAY]
    assert len(upcoming) == 2 and all(m.agenda and not m.decisions for m in upcoming)
    open_ = [a for a in network.actions(con, NETWORK_MANAGER, DAY) if a.is_open]
    ages = {a.age_days(DAY) for a in open_}
    assert len(open_) >= 8 and min(ages) < 30 < 300 < max(ages)
    assert any(a.overdue(DAY) for a in open_) and not all(a.overdue(DAY) for a in open_)
    for table in ("working_groups", "meetings", "decisions", "actions", "action_status_log"):
        assert con.execute(f"SELECT bool_and(is_demo) FROM {table}").fetchone()[0], table
    assert not emissions.has_real_data(con)


def test_demo_actions_link_to_demo_measures_when_there_are_some(con):
    measures = network.measures(con)
    linked = [a for a in network.actions(con, NETWORK_MANAGER, DAY) if a.measure_id]
    if not measures:  # the measures (migration 008) are not there: actions stay unlinked
        assert linked == []
    else:
        assert all(a.measure_id in measures for a in linked)


def test_reads_network_internal(con):
    for viewer in (NETWORK_MANAGER, CITY, DSW21):
        assert network.meetings(con, viewer) and network.actions(con, viewer, DAY)
    for read in (network.groups, network.meetings, network.actions):
        with pytest.raises(AccessDenied):
            read(con, PUBLIC)
    assert network.deck_actions(con, PUBLIC, DAY) is None


def test_only_network_management_writes(con):
    before = _counts(con)
    for viewer in (DSW21, CITY, PUBLIC):
        with pytest.raises(AccessDenied):
            nm.create_meeting(con, viewer, "10.12.2026", network.NETZWERKTREFFEN, "Treffen")
        with pytest.raises(AccessDenied):
            nm.create_group(con, viewer, "AG Neu")
    assert _counts(con) == before


def test_manager_records_a_meeting_with_results(con):
    gid = nm.create_group(con, MANAGER, "AG Beschaffung", "Grüne Beschaffung", ["edg", "fhdo"])
    mid = nm.create_meeting(
        con, MANAGER, "20.11.2026", network.AG_SITZUNG, "AG Beschaffung: Auftakt", "EDG",
        gid, ["fhdo", "edg"], ["Begrüßung", "  ", "Ziele"], ["Die AG tagt halbjährlich."],
        [network.ActionInput("Kriterienliste entwerfen", "edg", "T. Wagner", "2027-01-31")],
        today=DAY,
    )  # fmt: skip
    meeting = next(m for m in network.meetings(con, MANAGER) if m.meeting_id == mid)
    assert meeting.participants == ("edg", "fhdo")  # the network's order
    assert meeting.agenda == ("Begrüßung", "Ziele") and meeting.group_name == "AG Beschaffung"
    action = next(a for a in network.actions(con, MANAGER, DAY) if a.meeting_id == mid)
    assert (action.status, action.due_on, action.owner_member_id) == (
        "offen",
        date(2027, 1, 31),
        "edg",
    )
    row = con.execute("SELECT created_by, is_demo FROM meetings WHERE meeting_id = ?", [mid])
    assert row.fetchone() == ("lea@kek.example", False)
    assert emissions.has_real_data(con)  # a real meeting is real data


def test_every_problem_at_once_naming_the_field_nothing_written(con):
    before = _counts(con)
    with pytest.raises(NetworkErrors) as exc:
        nm.create_meeting(
            con, MANAGER, "31.02.2026", "Stammtisch", " ", participants=["dsw21", "xyz"],
            actions=[network.ActionInput("A", "dsw21", due_on="01.01.2020"),
                     network.ActionInput("", None, "", "kein Datum", measure_id=999999)],
        )  # fmt: skip
    text = str(exc.value)
    assert "Datum: „31.02.2026“ ist kein gültiges Datum" in text
    assert "Art: „Stammtisch“ geht nicht" in text and "Titel: bitte angeben." in text
    assert "Teilnehmende: xyz ist kein Mitglied" in text
    assert "Aufgabe 2 – Aufgabe: bitte angeben." in text
    assert "Aufgabe 2 – Verantwortlich: bitte ein Mitglied oder eine Person angeben." in text
    assert "Aufgabe 2 – fällig am: „kein Datum“ ist kein gültiges Datum" in text
    assert "Aufgabe 2 – Maßnahme: Maßnahme 999999 gibt es nicht." in text
    with pytest.raises(NetworkErrors, match="fällig am: 01.01.2020 liegt vor dem Treffen"):
        early = network.ActionInput("A", "dsw21", due_on="01.01.2020")
        nm.create_meeting(con, MANAGER, "01.06.2026", network.NETZWERKTREFFEN, "T", actions=[early])
    with pytest.raises(NetworkErrors, match="Arbeitsgruppe: bei einer Arbeitsgruppensitzung"):
        nm.create_meeting(con, MANAGER, "01.06.2026", network.AG_SITZUNG, "AG ohne Gruppe")
    with pytest.raises(NetworkErrors, match="Beschlüsse: Beschlüsse und Aufgaben erst ab"):
        nm.create_meeting(con, MANAGER, "10.12.2026", network.NETZWERKTREFFEN, "Künftig",
                          decisions=["Vorab beschlossen"], today=DAY)  # fmt: skip
    with pytest.raises(NetworkErrors, match="Name: eine Arbeitsgruppe „ag mobilität"):
        nm.create_group(con, MANAGER, "ag mobilität & fuhrpark")
    assert _counts(con) == before


def _open_of(con, member: str) -> network.Action:
    return next(
        a for a in network.actions(con, MANAGER, DAY) if a.is_open and a.owner_member_id == member
    )


def test_status_log_is_append_only(con):
    action = _open_of(con, "hafen")
    log = network.action_log(con, MANAGER, action.action_id)
    nm.set_status(con, MANAGER, action.action_id, "verschoben", "01.12.2026", "Angebot fehlt",
                  "31.03.2027", today=DAY)  # fmt: skip
    nm.set_status(con, MANAGER, action.action_id, "erledigt", DAY, "", today=DAY)
    after = network.action_log(con, MANAGER, action.action_id)
    assert after[: len(log)] == log and len(after) == len(log) + 2  # earlier entries unchanged
    assert [e[1] for e in after[-2:]] == ["verschoben", "erledigt"]
    (now,) = [a for a in network.actions(con, MANAGER, DAY) if a.action_id == action.action_id]
    assert (now.status, now.due_on, now.is_open) == ("erledigt", date(2027, 3, 31), False)
    view = con.execute("SELECT status, due_on FROM current_actions WHERE action_id = ?",
                       [action.action_id]).fetchone()  # fmt: skip
    assert view == ("erledigt", date(2027, 3, 31))  # the view says the same
    # the day before, the action was still open with its old due date
    (then,) = [a for a in network.actions(con, MANAGER, date(2026, 11, 30))
               if a.action_id == action.action_id]  # fmt: skip
    assert (then.status, then.due_on) == ("offen", action.due_on)


def test_member_marks_only_its_own_actions_done_with_a_comment(con):
    own, other = _open_of(con, "dsw21"), _open_of(con, "hafen")
    before = _counts(con)
    with pytest.raises(AccessDenied, match="nur seine eigenen Aufgaben"):
        nm.set_status(con, DSW21, other.action_id, "erledigt", comment="x", today=DAY)
    with pytest.raises(AccessDenied, match="nur als erledigt"):
        nm.set_status(con, DSW21, own.action_id, "verschoben", comment="x", today=DAY)
    with pytest.raises(AccessDenied):
        nm.set_status(con, CITY, own.action_id, "erledigt", comment="x", today=DAY)
    with pytest.raises(NetworkErrors, match="Kommentar: bitte angeben"):
        nm.set_status(con, DSW21, own.action_id, "erledigt", today=DAY)
    with pytest.raises(NetworkErrors, match="Stand vom: 01.01.2026 liegt nicht zwischen"):
        nm.set_status(con, DSW21, own.action_id, "erledigt", "01.01.2026", "ok", today=DAY)
    assert _counts(con) == before
    nm.set_status(con, DSW21, own.action_id, "erledigt", comment="Markterkundung versandt",
                  today=DAY)  # fmt: skip
    entry = network.action_log(con, DSW21, own.action_id)[-1]
    assert entry[1:5] == ("erledigt", DAY, None, "Markterkundung versandt")
    assert entry[5] == "mia@dsw21.example"


def test_deck_summary_since_the_last_netzwerktreffen(con):
    """Deck of 10.12.2026: the last Netzwerktreffen is 24.09.2026; open = every action agreed
    before 10.12. and open that day (10 in the demo: a03, a06, a07, a10, a12, a13, a15–a18),
    overdue first; done since 24.09.: a11 (29.09.) and a14 (12.11.)."""
    d = network.deck_actions(con, NETWORK_MANAGER, date(2026, 12, 10))
    assert d.previous.held_on == date(2026, 9, 24)
    assert len(d.open) == 10 and all(a.is_open for a in d.open)
    flags = [a.overdue(d.meeting) for a in d.open]
    assert flags == sorted(flags, reverse=True) and flags.count(True) == 5  # a03 a06 a07 a10 a13
    assert sorted(a.status_on for a in d.done) == [date(2026, 9, 29), date(2026, 11, 12)]
    # a deck of a past meeting shows that day's state: the PV template (done 10.09.) was open
    june = network.deck_actions(con, NETWORK_MANAGER, date(2026, 6, 18))
    assert june.previous.held_on == date(2026, 3, 12)
    assert any(a.text.startswith("Vorlage für PV") for a in june.open)
    assert [a.status_on for a in june.done] == [date(2026, 4, 22), date(2026, 5, 27)]


@pytest.mark.parametrize(
    ("days", "text"),
    [(0, "seit heute"), (1, "seit 1 Tag"), (47, "seit 47 Tagen"), (55, "seit 55 Tagen"),
     (56, "seit 8 Wochen"), (300, "seit 42 Wochen")],
)  # fmt: skip
def test_age_text(days, text):
    assert network.age_text(days) == text


def test_owner_due_and_measure_texts(con):
    names = network.naming(con, CITY)
    a = _open_of(con, "sparkasse")
    assert network.owner_text(a, names) == "Sparkasse (J. Fischer)"
    # a member sees Sparkasse (consent „gesamt“) neither by name nor by pseudonym
    assert network.owner_text(a, network.naming(con, DSW21)) == (
        "weiteres Mitglied (Ansprechperson eines weiteren Mitglieds)"
    )
    hidden = network.Measure(2, "hafen", "Landstrom", "geplant", None, False)
    assert network.measure_text(hidden, DSW21, network.naming(con, DSW21)) == (
        "Maßnahme eines weiteren Mitglieds"
    )
    assert network.due_text(a, DAY).endswith("– überfällig")
    m = network.Measure(1, "dew21", "Abwärme", "geplant", None, False)
    assert network.measure_text(m, DSW21, names) == "Maßnahme von DEW21"
    assert network.measure_text(m, CITY, names) == "Abwärme (DEW21)"
    public = network.Measure(1, "dew21", "Abwärme", "geplant", None, True)
    assert network.measure_text(public, DSW21, names) == "Abwärme (DEW21)"
    assert db.query_rows(con, "network_has_relation", name="meetings")[0][0]


def _slide_texts(con, viewer, meeting: date) -> list[str]:
    """The texts of the slide „Offene Aufgaben …“ of a deck for ``meeting`` (no charts)."""
    from kek_data import report
    from kek_data.export import deck

    d = deck._Deck(report.build(con, viewer), meeting, {}, {})
    d.open_actions(con, viewer)
    out = []
    for s in d.prs.slides:
        for shape in s.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out += [" | ".join(c.text for c in row.cells) for row in shape.table.rows]
    return out


def test_deck_slide_open_actions(con):
    text = _slide_texts(con, NETWORK_MANAGER, date(2026, 12, 10))
    assert text[0] == "Offene Aufgaben seit dem letzten Treffen"
    assert any("10 offen, davon 5 überfällig · letztes Netzwerktreffen am 24.09.2026" in t
               for t in text)  # fmt: skip
    rows = [t for t in text if t.count(" | ") == 5]
    assert rows[0] == "Aufgabe | Verantwortlich | vereinbart | offen | fällig | Maßnahme"
    assert rows[1] == ("Liste der Gebäude mit Baujahr der Heizung zusammenstellen | "
                       "Ev. Kirchenkreis (P. Schulte) | 22.01.2026 | seit 46 Wochen | "
                       "30.06.2026 – überfällig | –")  # fmt: skip
    assert len(rows) == 11  # header + 10 open actions
    done = next(t for t in text if t.startswith("Seit dem letzten Netzwerktreffen erledigt"))
    assert "Fortschrittsbericht für den Umweltausschuss entwerfen" in done
    assert _slide_texts(con, PUBLIC, date(2026, 12, 10)) == []  # network-internal


def test_demo_actions_find_their_measures_by_member_and_title(tmp_path):
    """With measures in the database (here a stand-in for migration 008's view), the demo
    actions link to them by (member, title); a missing title stays unlinked."""
    from kek_data import demo

    con = db.connect(tmp_path / "kek.duckdb")
    try:
        if db.query_rows(con, "network_has_relation", name="current_measures")[0][0]:
            pytest.skip("the real measures are there (test_demo_actions_link_… covers them)")
        con.execute(
            "CREATE TABLE current_measures (measure_id BIGINT, member_id VARCHAR, title VARCHAR, "
            "status VARCHAR, group_id BIGINT, visibility VARCHAR)"
        )
        con.execute(
            "INSERT INTO current_measures VALUES (7, 'dsw21', "
            "'Ladeinfrastruktur auf den Betriebshöfen', 'geplant', 2, 'intern'), (8, 'dew21', "
            "'Fernwärme Innenstadt mit industrieller Abwärme', 'in Umsetzung', 1, 'öffentlich')"
        )
        demo.seed(con)
        linked = {a.text: a.measure_id for a in network.actions(con, NETWORK_MANAGER, DAY)
                  if a.measure_id}  # fmt: skip
        assert linked == {"Markterkundung Ladepunkte vorbereiten": 7,
                          "Einsparung der Umstellung des Innenstadtnetzes belegen": 8}  # fmt: skip
        names = network.naming(con, DSW21)
        shown = {network.measure_text(m, DSW21, names) for m in network.measures(con).values()}
        assert shown == {"Ladeinfrastruktur auf den Betriebshöfen (DSW21)",
                         "Fernwärme Innenstadt mit industrieller Abwärme (DEW21)"}  # fmt: skip
        hafen = Viewer(role="mitglied", member_id="hafen")
        names = network.naming(con, hafen)
        assert network.measure_text(network.measures(con)[7], hafen, names) == (
            "Maßnahme von DSW21"
        )
    finally:
        con.close()


def test_command_line_lists_meetings_and_open_actions(seeded_db, capsys):
    import json

    from kek_data import cli

    assert cli.main(["netzwerk", "--json", "--db", str(seeded_db), "--as", "mitglied:dsw21"]) == 0
    data = json.loads(capsys.readouterr().out)
    upcoming = [m for m in data["meetings"] if m["upcoming"]]
    assert [m["held_on"] for m in upcoming] == sorted(m["held_on"] for m in upcoming)
    past = [m["held_on"] for m in data["meetings"] if not m["upcoming"]]
    assert past == sorted(past, reverse=True)
    assert data["open_actions"] and all(a["status"] in network.OPEN for a in data["open_actions"])
    text = json.dumps(data, ensure_ascii=False)
    assert "DEW21" in text and "weiteres Mitglied" in text  # dew21 namentlich
    for hidden in ("sparkasse", "Sparkasse", "hafen", "Hafen AG", "J. Fischer", "Mitglied A"):
        assert hidden not in text, hidden
    assert cli.main(["netzwerk", "--db", str(seeded_db)]) == 0
    assert "Offene Aufgaben:" in capsys.readouterr().out
    assert cli.main(["netzwerk", "--db", str(seeded_db), "--as", "oeffentlich"]) == 1
    assert "intern" in capsys.readouterr().err


def test_naming_per_role(con):
    """Member A sees a namentlich member by name and a gesamt/intern one as „weiteres Mitglied“
    (never as pseudonym) on page data, deck slide and members' lists; management sees all."""
    from ui import network_view as view

    member = network.naming(con, DSW21)
    assert (member.member("dsw21"), member.member("dew21")) == ("DSW21", "DEW21")
    assert member.member("sparkasse") == member.member("ekkdo") == "weiteres Mitglied"
    assert member.members(("dsw21", "dew21", "hafen", "ekkdo", "caritas")) == (
        "DSW21, DEW21 und 3 weitere Mitglieder"
    )
    assert member.members(("hafen",)) == "1 weiteres Mitglied"
    assert network.naming(con, CITY).member("sparkasse") == "Sparkasse"
    assert network.naming(con, MANAGER).member("ekkdo") == "Ev. Kirchenkreis"
    work = {
        "naming": member,
        "measures": network.measures(con),
        "groups": network.groups(con, DSW21),
        "meetings": network.meetings(con, DSW21),
    }
    acts = [a for a in network.actions(con, DSW21, DAY) if a.is_open]
    page = view.action_rows(acts, work, DSW21, DAY).to_csv() + view.group_rows(work, DSW21).to_csv()
    deck = " ".join(_slide_texts(con, DSW21, DAY))
    for text in (page, deck):
        assert "weiteres Mitglied" in text
        for hidden in (
            "Sparkasse",
            "Hafen AG",
            "Kirchenkreis",
            "Caritas",
            "Diakonie",
            "J. Fischer",
            "Mitglied A",
        ):
            assert hidden not in text, hidden
    assert "Sparkasse" in " ".join(_slide_texts(con, CITY, DAY))
