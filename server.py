"""The server entry (./scripts/start, the service): the Streamlit app (app.py) behind the sign-in of
local users (ui/anmeldung.py), so that a signed-in user stays signed in across a reload, a new tab and
a shared link. ``streamlit run server.py`` finds the ``app`` below; AppTests run app.py directly."""

import os
import sys

import streamlit as st
from starlette.middleware import Middleware

from fis.pfade import benutzerdatei_pfad, config_ordner
from fis.config_lesen import lade_konfiguration
from fis.zugang import Benutzerdatei, einzelplatz_erlaubt, einzelplatz_verweigert
from ui.anmeldung import Anmeldung

# Without users every visitor has every right: refuse to serve the network that way.
_adresse = st.get_option("server.address")
if (not einzelplatz_erlaubt(_adresse) and lade_konfiguration(config_ordner()).zugang.anmeldung == "lokal"
        and not Benutzerdatei(benutzerdatei_pfad()).vorhanden()):
    print(f"Fehler: {einzelplatz_verweigert(_adresse, benutzerdatei_pfad())}", file=sys.stderr)
    sys.exit(2)

# tells app.py (same process) that sign-ins go through the sign-in page and its session cookie
os.environ["FIS_ANMELDUNG_HTTP"] = "1"
# native readers of uploads (GDAL) run in a helper process: a crash on a malicious file spares the server
os.environ.setdefault("FIS_PARSER_ISOLIERT", "1")

app = st.App("app.py", middleware=[Middleware(Anmeldung)])
