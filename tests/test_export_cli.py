"""``python -m kek_data export deck|chart|data``: files written, German errors with exit code 1."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image
from pptx import Presentation

from kek_data import cli
from kek_data.export import images

needs_browser = pytest.mark.skipif(
    not images.browser_path().exists(), reason="Chromium für den Bildexport fehlt"
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["export", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_data(capsys, seeded_db, tmp_path):
    out = tmp_path / "daten.zip"
    code, stdout, _ = run(capsys, "data", "--out", str(out), "--db", str(seeded_db))
    assert code == 0 and "Datenpaket gespeichert" in stdout
    assert "README.txt" in zipfile.ZipFile(out).namelist()


@needs_browser
def test_export_chart_png_and_svg(capsys, seeded_db, tmp_path):
    png = tmp_path / "netzwerk.png"
    code, stdout, _ = run(capsys, "chart", "netzwerk", "--format", "png", "--out", str(png),
                          "--db", str(seeded_db))  # fmt: skip
    assert code == 0 and "2560 × 1440 px" in stdout
    assert Image.open(png).size == (2560, 1440)
    svg = tmp_path / "dew21.svg"
    code, _, _ = run(capsys, "chart", "mitglied", "--member", "dew21", "--out", str(svg),
                     "--db", str(seeded_db))  # fmt: skip
    assert code == 0 and "DEW21: Emissionen nach Energieträger" in svg.read_text("utf-8")


@needs_browser
def test_export_deck_with_members_year_and_date(capsys, seeded_db, tmp_path):
    out = tmp_path / "sitzung.pptx"
    args = ["--year", "2024", "--members", "edg,dsw21", "--date", "20.05.2026"]
    code, stdout, err = run(capsys, "deck", "--out", str(out), *args, "--db", str(seeded_db))
    assert code == 0 and "Foliensatz gespeichert" in stdout
    assert "100 %  Fertig: 14 Folien." in err
    prs = Presentation(io.BytesIO(out.read_bytes()))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == "Klimaschutz im KEK-Netzwerk: Stand 2024"
    assert titles[3:5] == ["Dortmunder Stadtwerke AG (DSW21)", "Entsorgung Dortmund GmbH (EDG)"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["chart", "torte", "--out", "x.png"], "Unbekanntes Diagramm „torte“"),
        (["chart", "mitglied", "--out", "x.png"], "braucht ein Mitglied"),
        (["chart", "netzwerk", "--out", "x.gif"], "Unbekanntes Format „gif“"),
        (["chart", "netzwerk", "--format", "svg", "--out", "x.png"], "Endung .svg"),
        (["deck", "--out", "x.pdf"], "Endung .pptx"),
        (["deck", "--out", "x.pptx", "--year", "zwanzig"], "kein Jahr"),
        (["deck", "--out", "x.pptx", "--year", "2031"], "außerhalb"),
        (["deck", "--out", "x.pptx", "--date", "2026-05-20"], "TT.MM.JJJJ"),
        (["deck", "--out", "x.pptx", "--members", "xyz"], "Unbekanntes Mitglied „xyz“"),
        (["data", "--out", "x.zip", "--year", "1999"], "Für 1999 liegen keine Daten vor"),
        (["data", "--out", "kein/ordner/x.zip"], "gibt es nicht"),
    ],
)
def test_errors_are_german_on_stderr_with_exit_1(capsys, seeded_db, tmp_path, monkeypatch, args,
                                                 message):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run(capsys, *args, "--db", str(seeded_db))
    assert code == 1 and stdout == ""
    last = err.strip().splitlines()[-1]
    assert last.startswith("Fehler: ") and message in last


def test_missing_database(capsys, tmp_path):
    code, _, err = run(capsys, "data", "--out", str(tmp_path / "x.zip"), "--db",
                       str(tmp_path / "fehlt.duckdb"))  # fmt: skip
    assert code == 1 and "gibt es nicht" in err and "init" in err
    assert not (tmp_path / "fehlt.duckdb").exists()
