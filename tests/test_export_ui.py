"""The Export page and the download buttons under every chart, run through app.py (AppTest)."""

from __future__ import annotations

import re

import pytest

from kek_data.export import images
from ui import exports


def _run(app_test, page: str):
    at = app_test()
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_slug_for_file_names():
    assert exports.slug("Pfad & Lücke") == "pfad-luecke"
    assert exports.slug("mitglied-scope-dew21") == "mitglied-scope-dew21"
    assert exports.slug("CO₂-Budget") == "co2-budget"
    assert exports.slug("???") == "export"


def test_every_chart_gets_png_svg_pdf_buttons(app_test):
    at = _run(app_test, "pages/ueberblick.py")
    labels = [b.label for b in at.download_button]
    assert {"PNG", "SVG", "PDF"} <= set(labels)
    assert labels.count("PNG") == labels.count("SVG") == labels.count("PDF") >= 1


def test_export_page_offers_deck_package_and_charts(app_test):
    at = _run(app_test, "pages/export.py")
    assert [s.value for s in at.header] == [
        "Sitzungsfoliensatz", "Datenpaket", "Einzelnes Diagramm"
    ]  # fmt: skip
    labels = [b.label for b in at.download_button]
    assert "Datenpaket (ZIP) herunterladen" in labels and "PNG" in labels
    assert [s.label for s in at.selectbox][:2] == ["Berichtsjahr", "Diagramm"]
    assert at.multiselect[0].label == "Mitglieder mit eigener Folie"
    assert len(at.multiselect[0].value) == 10


@pytest.mark.skipif(not images.browser_path().exists(), reason="Chromium fehlt")
def test_deck_button_builds_a_deck(app_test):
    at = _run(app_test, "pages/export.py")
    at.multiselect[0].set_value(["dsw21"])
    at.selectbox[0].set_value(2024)
    at.button[0].click().run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.main.error, [e.value for e in at.main.error]
    labels = [b.label for b in at.download_button]
    deck = next(lab for lab in labels if lab.startswith("KEK_Sitzungsfoliensatz_2024_"))
    assert re.fullmatch(
        r"KEK_Sitzungsfoliensatz_2024_\d{4}-\d\d-\d\d\.pptx herunterladen \(\d+,\d MB\)", deck
    )


def test_deck_label_german_decimal_and_real_extension():
    assert (
        exports.deck_label("KEK_Sitzungsfoliensatz_2025_2026-12-01.pptx", 1_512_345)
        == "KEK_Sitzungsfoliensatz_2025_2026-12-01.pptx herunterladen (1,5 MB)"
    )


def test_member_chart_choice(app_test):
    at = _run(app_test, "pages/export.py")
    chart = next(s for s in at.selectbox if s.label == "Diagramm")
    chart.set_value("mitglied").run()
    assert not at.exception
    assert any(s.label == "Mitglied" for s in at.selectbox)
