"""Streamlit-only helpers shared by the pages: cached data access, the page frame, chart display.

The core (``kek_data``) never imports this package or Streamlit.
"""
