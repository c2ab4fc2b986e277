"""A new target version reaches every surface; the old one stays in the history.

Demo database: DSW21's target is −50 % by 2030, neutral 2040 (Basis 2015). A version entered in
the Demo-Modus (so the Demo-Modus still shows the database) sets −70 % by 2030, neutral 2035.
Checked on Überblick (Ambitionslücke), Mitglied, Pfad & Lücke, Zielabgleich, the deck and the
data package; every expected text is read from the same report the surfaces read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from pptx import Presentation

from kek_data import db, report, target_history, targets
from kek_data.export import deck, package
from kek_data.viewer import NETWORK_MANAGER
from tests.ingest_util import DEMO_NM
from tests.test_access_read import page_text
from ui.data import data_changed

NEW = "−70 % bis 2030, neutral 2035 (Basis 2015)"
OLD = "−50 % bis 2030, neutral 2040 (Basis 2015)"


def _unescaped(text: str) -> str:
    """Page text without the Markdown escapes of ui.text.plain ("\\(Basis 2015\\)")."""
    return re.sub(r"\\(.)", r"\1", text)


def _surfaces(con, app_test, monkeypatch) -> dict[str, str]:
    """The text of every surface that shows DSW21's target or a figure made from it."""
    monkeypatch.setenv("KEK_DEMO_ROLE", "netzwerk")
    out = {}
    at = app_test()
    at.run()
    out["ueberblick"] = _unescaped(page_text(at))
    for page in ("mitglied", "pfad", "zielabgleich"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        out[page] = _unescaped(page_text(at))
    prs = Presentation(io.BytesIO(deck.build_deck(con, NETWORK_MANAGER, members=["dsw21"])))
    out["deck"] = "\n".join(
        p.text for s in prs.slides for sh in s.shapes if sh.has_text_frame
        for p in sh.text_frame.paragraphs
    )  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(package.build_package(con, NETWORK_MANAGER))) as zf:
        text = zf.read("csv/kennzahlen.csv").decode("utf-8-sig")
        rows = csv.reader(io.StringIO(text), delimiter=";")
        out["package"] = "\n".join(";".join(r) for r in rows)
    return out


def test_a_new_version_changes_every_surface_and_the_old_stays(seeded_db, app_test, monkeypatch):
    con = db.connect(seeded_db)
    before_rep = report.build(con, NETWORK_MANAGER)
    before = _surfaces(con, app_test, monkeypatch)
    assert OLD in before["mitglied"] and OLD in before["deck"] and OLD in before["package"]
    now = targets.current(con, NETWORK_MANAGER)["dsw21"]
    draft = targets.Draft.of(now)
    draft = targets.Draft(**{**draft.__dict__, "milestones": {2030: 70.0}, "neutrality_year": 2035,
                             "source": "Vereinbarung vom 01.12.2026",
                             "agreed_on": date(2026, 12, 1)})  # fmt: skip
    targets.add_version(con, DEMO_NM, draft)
    data_changed()  # what the Ziele page does after a save (the caches are per process)
    after_rep = report.build(con, NETWORK_MANAGER)
    after = _surfaces(con, app_test, monkeypatch)
    # the report: 2030 path of DSW21 = 70.616,92 × 0,3 = 21.185 t (was × 0,5 = 35.308 t)
    own = after_rep.member["dsw21"].target
    assert own.describe() == NEW
    assert own.path([2030])[2030] == pytest.approx(0.3 * own.base_value)
    for name in ("mitglied", "deck", "package"):
        assert NEW in after[name] and OLD not in after[name], name
    assert "Vereinbarung vom 01.12.2026" in after["package"]
    for name, text in after.items():
        assert text != before[name], name  # every surface moved
    # Überblick: the Ambitionslücke 2030 follows the new pledge (read from the same report)
    gap_before, gap_after = before_rep.ambition_gap(2030), after_rep.ambition_gap(2030)
    assert gap_after.pledged < gap_before.pledged
    assert gap_after.value_text() in after["ueberblick"]
    assert gap_before.value_text() not in after["ueberblick"]
    # the history keeps the old version, with what changed
    new, old = target_history.versions(con, NETWORK_MANAGER, "dsw21")
    assert new.in_force and not old.in_force and old.target.describe() == OLD
    assert "Meilenstein 2030: −50 % → −70 %" in new.changes
    assert "Neutralitätsjahr: 2040 → 2035" in new.changes
    con.close()
