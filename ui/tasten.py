"""Keyboard and presenter-clicker navigation for the presentation: ArrowRight, PageDown and Space go
forward, ArrowLeft and PageUp back, Home and End to the first and last slide (a clicker sends PageDown
/ PageUp). A components-v2 element with a few lines of JavaScript; it sends one trigger per key."""

from __future__ import annotations

import streamlit as st

_JS = """
export default function(component) {
  const { setTriggerValue } = component;
  const tasten = {ArrowRight: "weiter", PageDown: "weiter", " ": "weiter", Spacebar: "weiter",
                  ArrowLeft: "zurueck", PageUp: "zurueck", Home: "erste", End: "letzte"};
  if (window.__fisTasten) { document.removeEventListener("keydown", window.__fisTasten); }
  window.__fisTasten = (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const ziel = e.target && e.target.tagName;
    if (ziel === "INPUT" || ziel === "TEXTAREA" || ziel === "SELECT") return;
    const was = tasten[e.key];
    if (!was) return;
    e.preventDefault();
    setTriggerValue("taste", was);
  };
  document.addEventListener("keydown", window.__fisTasten);
  return () => { document.removeEventListener("keydown", window.__fisTasten); window.__fisTasten = null; };
}
"""

_TASTEN = st.components.v2.component("fis_praesentation_tasten", js=_JS)


def taste(key: str = "pr_tasten") -> str | None:
    """The navigation key pressed since the last run ('weiter', 'zurueck', 'erste', 'letzte') or None."""
    ergebnis = _TASTEN(key=key, on_taste_change=lambda: None)
    return getattr(ergebnis, "taste", None)
