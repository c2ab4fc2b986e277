"""Chart images through the one kaleido browser: sizes, content, thread safety, export tweaks."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image, ImageStat

from kek_data import db, report
from kek_data.export import figures, images
from kek_data.viewer import NETWORK_MANAGER

pytestmark = pytest.mark.skipif(
    not images.browser_path().exists(), reason="Chromium für den Bildexport fehlt"
)


@pytest.fixture(scope="module")
def snap(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> report.Report:
    path = tmp_path_factory.mktemp("bilder") / "kek.duckdb"
    shutil.copy(demo_db_template, path)
    con = db.connect(path)
    yield report.build(con, NETWORK_MANAGER)
    con.close()


def small(title: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=[2020, 2021], y=[1, 2]))
    fig.update_layout(title={"text": title})
    return fig


def test_png_has_presentation_size_and_is_not_blank(snap):
    png = images.render(figures.build_from(snap, "netzwerk"))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (2560, 1440) == images.PRESENTATION.pixels
    stat = ImageStat.Stat(image.convert("L"))
    assert stat.var[0] > 500  # a blank or single-colour image has ~0
    colours = image.resize((384, 216)).getcolors(maxcolors=100_000)
    assert len(colours) > 50


def test_svg_and_pdf_carry_title_source_demo_and_german_numbers(snap):
    fig = figures.build_from(snap, "netzwerk")
    svg = images.render(fig, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert "Quelle: KEK-Klimadashboard, Stand 15.03.2026" in svg
    assert "DEMODATEN (FIKTIV)" in svg
    assert "Emissionen des Netzwerks" in svg
    assert "250.000" in svg  # German thousands separator on the axis
    pdf = images.render(fig, "pdf")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000


def test_member_chart_png_for_slides(snap):
    size = images.Size(704, 466, 2)
    png = images.render(figures.build_from(snap, "mitglied", "dew21"), "png", size)
    assert Image.open(io.BytesIO(png)).size == (1408, 932)


def test_concurrent_callers_each_get_their_own_image():
    """kaleido issue #444: without the lock, images went to the wrong thread."""
    results: dict[tuple[int, int], str] = {}
    errors: list[BaseException] = []

    def work(thread: int) -> None:
        try:
            for i in range(4):
                title = f"Bild-{thread}-{i}"
                svg = images.render(small(title), "svg", images.Size(300, 300, 1))
                results[(thread, i)] = svg.decode("utf-8")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(results) == 16
    for (thread, i), svg in results.items():
        assert f"Bild-{thread}-{i}" in svg
        assert sum(f"Bild-{thread}-{j}" in svg for j in range(4)) == 1


def test_reused_page_renders_the_same_bytes():
    a, b = small("A"), go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2], name="B"))
    first = images.render(a, "png", images.Size(400, 300, 1))
    images.render(b, "pdf", images.Size(400, 300, 1))
    assert images.render(a, "png", images.Size(400, 300, 1)) == first


def test_batch_on_two_tabs_gives_the_bytes_of_render_and_keeps_others_waiting():
    """A Batch (the deck's charts) renders on two tabs; each chart has the bytes render gives,
    and a render from another thread waits for the batch instead of mixing in (issue 13)."""
    figs = {f"b{i}": small(f"Stapel {i}") for i in range(4)}
    size = images.Size(400, 300, 1)
    other: dict[str, bytes] = {}
    with images.Batch(parallel=2) as batch:
        for key, fig in figs.items():
            batch.submit(key, fig, "png", size)
        thread = threading.Thread(target=lambda: other.setdefault("x", images.render(
            small("Stapel 0"), "png", size)))  # fmt: skip
        thread.start()
        got = {key: batch.get(key) for key in figs}
        assert "x" not in other  # still waiting for the lock
    thread.join(60)
    assert got == {key: images.render(fig, "png", size) for key, fig in figs.items()}
    assert other["x"] == got["b0"]


def test_prepare_keeps_pixel_distances_and_does_not_touch_the_figure():
    fig = go.Figure(go.Bar(x=[2020, 2021], y=[1, 2]))
    fig.update_layout(margin={"t": 80, "b": 80}, legend={"y": -0.2})
    fig.add_annotation(text="Quelle", xref="paper", yref="paper", x=0, y=-0.3)
    fig.add_annotation(text="DEMO", xref="paper", yref="paper", x=1, y=1.06)
    spec = images.prepare(fig, 1280, 720)
    screen, export = 450 - 160, 720 - 160
    source, demo = spec["layout"]["annotations"]
    assert source["y"] == pytest.approx(-0.3 * screen / export)
    assert demo["y"] == pytest.approx(1 + 0.06 * screen / export)
    assert spec["layout"]["legend"]["y"] == pytest.approx(-0.2 * screen / export)
    assert (spec["layout"]["width"], spec["layout"]["height"]) == (1280, 720)
    assert fig.layout.annotations[0].y == -0.3 and fig.layout.width is None


def test_prepare_fits_long_titles_and_crowded_axes():
    """A year axis with a tick every year (2015–2025) thins out on a narrow image."""
    fig = go.Figure(go.Bar(x=list(range(2015, 2026)), y=[1] * 11))
    fig.update_xaxes(dtick=1)
    narrow = images.prepare(fig, 300, 460)["layout"]
    assert narrow["xaxis"]["dtick"] == 5 and narrow["xaxis"]["tick0"] == 2015
    wide = images.prepare(fig, 1280, 720)["layout"]
    assert wide["xaxis"]["dtick"] == 1
    long = small("Ein sehr langer Titel " * 4)
    layout = images.prepare(long, 500, 400)["layout"]
    assert "<br>" in layout["title"]["text"]
    assert layout["margin"]["t"] > 100
    categories = go.Figure(go.Bar(x=[f"Mitglied Nummer {i}" for i in range(10)], y=[1] * 10))
    categories.add_annotation(text="Quelle", xref="paper", yref="paper", x=0, y=0, yshift=-55)
    turned = images.prepare(categories, 700, 460)["layout"]
    assert turned["xaxis"]["tickangle"] == 30
    assert turned["annotations"][0]["yshift"] < -55
    assert turned["margin"]["b"] > 80


def test_invalid_requests_raise_german_errors():
    with pytest.raises(images.ImageExportError, match="Bildformat"):
        images.render(small("x"), "gif")  # type: ignore[arg-type]
    with pytest.raises(images.ImageExportError, match="Bildgröße"):
        images.render(small("x"), "png", images.Size(50, 50, 1))
    with pytest.raises(images.ImageExportError, match="zu klein"):
        images.prepare(small("x"), 400, 200)


def test_browser_path_from_environment(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/opt/chrome/chrome")
    assert images.browser_path() == Path("/opt/chrome/chrome")
    monkeypatch.delenv("BROWSER_PATH")
    assert images.browser_path() in (images.HEADLESS_SHELL, images.CHROMIUM)
    monkeypatch.setenv("KEK_KALEIDO_RELOAD_EVERY", "kaputt")
    assert images.reload_every() == 25


def _own_browsers() -> list[int]:
    """Process ids of the Chromium processes this test process started (its descendants)."""
    parent: dict[int, int] = {}
    names: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, rest = stat.read_text().split(" (", 1)
            name, fields = rest.rsplit(") ", 1)
        except (OSError, ValueError):
            continue
        parent[int(pid)], names[int(pid)] = int(fields.split()[1]), name

    def mine(pid: int) -> bool:
        while pid > 1:
            pid = parent.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    return [p for p, n in names.items() if "chrom" in n and mine(p)]


CRASH_CHILD = """
import json, os, signal
from kek_data.export import images
from tests.test_export_images import _own_browsers, small

out = {}
images.render(small("vorher"), "svg", images.Size(300, 300, 1))
browsers = _own_browsers()
out["browsers"] = len(browsers)
for pid in browsers:
    os.kill(pid, signal.SIGKILL)
try:
    images.render(small("während"), "svg", images.Size(300, 300, 1))
    out["during"] = "ok"
except images.ImageExportError as exc:
    out["during"] = str(exc)
svg = images.render(small("danach"), "svg", images.Size(300, 300, 1)).decode("utf-8")
out["after"] = "danach" in svg and images.is_running()
print("RESULT " + json.dumps(out), flush=True)
os._exit(0)  # no interpreter shutdown: the dead browser's threads may still be unwinding
"""


def test_crashed_browser_is_restarted_on_the_next_call():
    """Chromium killed under the exporter: a German error (or success), then a new browser.

    Runs in a child process: the killed browser leaves kaleido's threads printing tracebacks,
    and CPython 3.11 formats tracebacks with ``ast`` whose state is not thread-safe, which can
    break pytest's own ``ast`` use later ("AST constructor recursion depth mismatch").
    """
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", CRASH_CHILD], cwd=root, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, done.stderr[-3000:]
    out = json.loads(lines[-1].removeprefix("RESULT "))
    assert out["browsers"] > 0, "kein eigener Chromium-Prozess gefunden"
    assert out["during"] == "ok" or "abgestürzt" in out["during"], out["during"]
    assert out["after"] is True
