"""The server entry (./scripts/start, the service): the Streamlit app (app.py) behind the sign-in of
local users (ui/anmeldung.py), so that a signed-in user stays signed in across a reload, a new tab and
a shared link. ``streamlit run server.py`` finds the ``app`` below; AppTests run app.py directly."""

import os

import streamlit as st
from starlette.middleware import Middleware

from ui.anmeldung import Anmeldung

# tells app.py (same process) that sign-ins go through the sign-in page and its session cookie
os.environ["FIS_ANMELDUNG_HTTP"] = "1"

app = st.App("app.py", middleware=[Middleware(Anmeldung)])
