"""Shared fixtures: one deterministic demo database, AppTest wired like a browser session.

The demo generator (kek_data/demo.py, fixed seed) is the single fixture source for unit tests,
AppTest and browser tests alike.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kek_data import db, demo

ROOT = Path(__file__).resolve().parent.parent
#: No background rebuild of the public static site after every write in the tests (it would
#: start Chromium in hundreds of them); tests/test_public_site.py turns it on where it tests it.
os.environ.setdefault("KEK_PUBLIC_SITE", "aus")


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded demo database built once per session; copy it, don't write to it."""
    path = tmp_path_factory.mktemp("template") / "demo.duckdb"
    con = db.connect(path)
    demo.seed(con)
    con.execute("CHECKPOINT")
    con.close()
    return path


@pytest.fixture
def seeded_db(demo_db_template: Path, tmp_path: Path) -> Path:
    """Path of a private copy of the seeded demo database."""
    target = tmp_path / "kek.duckdb"
    shutil.copy(demo_db_template, target)
    return target


@pytest.fixture
def con(seeded_db: Path):
    """An open connection to a private seeded database."""
    connection = db.connect(seeded_db)
    yield connection
    connection.close()


def _clear_streamlit_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_test(seeded_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable]:
    """Factory for AppTest of app.py on a private seeded DB, run like a browser would run it.

    AppTest resets ``PagesManager.uses_pages_directory`` on every run and, because a ``pages/``
    folder lies beside app.py, would then start a switched-to page *alone* (old multipage mode);
    ``ui.frame.require_app`` then reruns it through app.py (tested in tests/test_app.py). We pin
    the flag to False so that every other test runs once, as a browser does after that switch.
    """
    from streamlit.runtime import pages_manager
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1 import app_test as app_test_module

    base = pages_manager.PagesManager

    class BrowserLikePagesManager(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:
            base.uses_pages_directory = False
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(app_test_module, "PagesManager", BrowserLikePagesManager)
    monkeypatch.setenv("KEK_DB", str(seeded_db))
    _clear_streamlit_caches()

    def make() -> AppTest:
        return AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)

    yield make
    _clear_streamlit_caches()
