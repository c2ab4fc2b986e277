"""Start the dashboard with its libraries already loaded: ``python scripts/serve.py run app.py …``.

Why: ``streamlit run`` imports an app's modules only when the first session runs the script, so
the first visitor after every start waited for pandas, Plotly, DuckDB and our own modules
(about 0,6–0,8 s of a 1,3–1,6 s first page, bench/bench_load.py). Loading them here, before the
server starts, is what ``gunicorn --preload`` does for other Python web apps: the start takes
that much longer, the first page does not. The arguments are ``streamlit``'s own (scripts/run.sh).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402, F401
import pandas  # noqa: E402, F401
import plotly.graph_objects  # noqa: E402, F401
import pyarrow  # noqa: E402, F401
from streamlit.web import cli  # noqa: E402

import kek_data.export.figures  # noqa: E402, F401
import kek_data.report  # noqa: E402, F401
import ui.auth  # noqa: E402, F401
import ui.exports  # noqa: E402, F401
import ui.frame  # noqa: E402, F401
import ui.page_charts  # noqa: E402, F401

if __name__ == "__main__":
    sys.argv = ["streamlit", *sys.argv[1:]]
    sys.exit(cli.main(prog_name="streamlit"))
