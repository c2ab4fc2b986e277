"""Exports for presentations: chart images, CSV/XLSX tables, the data package and the meeting deck.

``images`` (Plotly → PNG/SVG/PDF, one kaleido browser, a lock), ``tables`` (German CSV, XLSX,
formula-safe), ``figures`` (named charts as of a reporting year), ``package`` (ZIP with README),
``deck`` with ``slides`` and ``wording`` (the PPTX "Sitzungsfoliensatz"), ``commands`` (CLI).
"""
