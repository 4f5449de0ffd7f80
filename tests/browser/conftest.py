"""Fixtures of the browser tests: one Streamlit server on the demo per test module (reading only)."""

from __future__ import annotations

import pytest

from tests.browser.helfer import streamlit_server


@pytest.fixture(scope="module")
def demo_server(demo_db_file):
    """The URL of a server on the session's demo database, shared by the tests of one module that only read."""
    with streamlit_server({"FIS_DB": str(demo_db_file)}) as url:
        yield url
