"""House rules that keep the split between core and shell."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_fis_package_never_imports_streamlit():
    offenders = [p for p in (ROOT / "fis").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


SEITEN = sorted((ROOT / "seiten").glob("*.py"))


def test_the_pages_are_found():
    assert len(SEITEN) >= 6                      # a renamed folder must not make the checks below vacuous
    assert not (ROOT / "pages").exists()         # Streamlit would list a pages/ folder on its own


def test_pages_and_app_contain_no_sql_and_no_duckdb():
    for path in [ROOT / "app.py", *SEITEN]:
        text = path.read_text(encoding="utf-8")
        assert "duckdb" not in _imports(path), path
        assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\s", text), path


def test_pages_stay_short():
    for path in SEITEN:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 150, path


FARBE = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|rgb\(\s*\"?#")


def test_every_colour_comes_from_the_palette():
    """One palette for app, slides and reports (fis/palette.py): no colour written anywhere else."""
    dateien = [ROOT / "app.py", ROOT / "server.py", *(ROOT / "fis").rglob("*.py"), *(ROOT / "ui").rglob("*.py"),
               *SEITEN, *(ROOT / "ui").glob("*.css"), *(ROOT / "fis").rglob("*.typ")]
    treffer = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in dateien if p.name != "palette.py"
               for m in FARBE.finditer(p.read_text(encoding="utf-8"))]
    assert treffer == []


def test_ampel_chips_have_aa_contrast():
    from fis.palette import AMPEL, kontrast
    for farbe, a in AMPEL.items():
        assert kontrast(a.text, a.hintergrund) >= 4.5, farbe


SQL = re.compile(r"\b(SELECT|INSERT INTO|DELETE FROM|CREATE (TABLE|VIEW)|UPDATE \w+ SET)\b")


def test_no_sql_outside_the_store_package():
    """Every SQL statement lives in fis/store/: no DuckDB import, no connection, no statement elsewhere."""
    dateien = [ROOT / "app.py", ROOT / "server.py", *(ROOT / "fis").rglob("*.py"), *(ROOT / "ui").rglob("*.py"),
               *SEITEN]
    draussen = [p for p in dateien if (ROOT / "fis" / "store") not in p.parents]
    assert len(draussen) > 60
    treffer = []
    for p in draussen:
        text = p.read_text(encoding="utf-8")
        if "duckdb" in _imports(p):
            treffer.append(f"{p.relative_to(ROOT)}: import duckdb")
        treffer += [f"{p.relative_to(ROOT)}: {m.group(0)}" for m in re.finditer(r"\.con\b", text)]
        treffer += [f"{p.relative_to(ROOT)}: {m.group(0)}" for m in SQL.finditer(text)
                    if p.suffix == ".py" and p.name != "tasten.py"]       # tasten.py: a DOM tag name in JS
    assert treffer == []


def _handformatiert(tree: ast.AST) -> list[int]:
    """Lines that format numbers by hand: ``.replace(".", ",")``, or a replace on an f-string whose
    number has a thousands separator (``f"{n:,}".replace(",", ".")``)."""
    zeilen = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "replace"):
            continue
        args = [a.value for a in node.args if isinstance(a, ast.Constant)]
        empfaenger = node.func.value
        tausender = isinstance(empfaenger, ast.JoinedStr) and any(
            isinstance(w, ast.FormattedValue) and w.format_spec is not None and "," in ast.unparse(w.format_spec)
            for w in empfaenger.values)
        if args == [".", ","] or tausender:
            zeilen.append(node.lineno)
    return zeilen


def test_numbers_are_formatted_only_in_fis_format():
    """German number text comes from fis/format.py (one formatter): no hand-made decimal commas elsewhere."""
    dateien = [ROOT / "app.py", *(ROOT / "fis").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), *SEITEN]
    treffer = [f"{p.relative_to(ROOT)}:{z}" for p in dateien if p != ROOT / "fis" / "format.py"
               for z in _handformatiert(ast.parse(p.read_text(encoding="utf-8")))]
    assert treffer == []
    assert _handformatiert(ast.parse('x = f"{n:,}".replace(",", ".")\ny = str(v).replace(".", ",")')) == [1, 2]


def _module() -> dict[str, Path]:
    dateien = [*(ROOT / "fis").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    return {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p for p in dateien}


def _beim_laden(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The imports a module runs when it is imported (its body, also inside top-level if/try)."""
    out: list = []

    def durch(body):
        for n in body:
            if isinstance(n, (ast.Import, ast.ImportFrom)):
                out.append(n)
            elif isinstance(n, ast.If) and "TYPE_CHECKING" not in ast.unparse(n.test):
                durch(n.body)
                durch(n.orelse)
            elif isinstance(n, ast.Try):
                for teil in (n.body, n.orelse, n.finalbody, *(h.body for h in n.handlers)):
                    durch(teil)
    durch(tree.body)
    return out


def test_no_import_cycle_in_fis_and_ui():
    """The modules form layers: following the imports a module runs when loaded never leads back to it."""
    module = _module()
    kanten: dict[str, set[str]] = {}
    for name, pfad in module.items():
        ziele = set()
        for n in _beim_laden(ast.parse(pfad.read_text(encoding="utf-8"))):
            namen = [a.name for a in n.names] if isinstance(n, ast.Import) else \
                [n.module or "", *(f"{n.module}.{a.name}" for a in n.names)]
            ziele |= {z for z in namen if z in module and z != name}
        kanten[name] = ziele
    assert "fis.store" in kanten["fis.ingest.werte"] and "ui.zugang" in kanten["ui.cache"]

    zustand: dict[str, int] = {}
    zyklen = []

    def besuche(m: str, pfad: list[str]) -> None:
        zustand[m] = 1
        for z in sorted(kanten[m]):
            if zustand.get(z) == 1:
                zyklen.append(" → ".join([*pfad[pfad.index(z):], z]))
            elif z not in zustand:
                besuche(z, [*pfad, z])
        zustand[m] = 2

    for m in sorted(kanten):
        if m not in zustand:
            besuche(m, [m])
    assert zyklen == []


def test_imports_inside_functions_say_why():
    """Imports belong at the top; one inside a function avoids a real cost and says which (comment on its line
    or the line above)."""
    ohne = []
    for pfad in [ROOT / "app.py", ROOT / "server.py", *_module().values(), *SEITEN]:
        zeilen = pfad.read_text(encoding="utf-8").splitlines()
        for fn in ast.walk(ast.parse("\n".join(zeilen))):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for n in ast.walk(fn):
                    if isinstance(n, (ast.Import, ast.ImportFrom)) and "#" not in zeilen[n.lineno - 1] \
                            and not zeilen[n.lineno - 2].strip().startswith("#"):
                        ohne.append(f"{pfad.relative_to(ROOT)}:{n.lineno}")
    assert ohne == []


def test_no_module_over_500_lines():
    """A module that grows past 500 lines is split by concern (as fis/store/, fis/cli/, ui/datenpflege/)."""
    dateien = [ROOT / "app.py", ROOT / "server.py", *(ROOT / "fis").rglob("*.py"), *(ROOT / "ui").rglob("*.py"),
               *SEITEN]
    lang = {str(p.relative_to(ROOT)): n for p in dateien
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert lang == {}


def test_one_german_name_per_verb():
    """Loading is „lade_“, computing „berechne_“, describing „beschreibe_“ – in the store as in the core."""
    englisch = re.compile(r"^(load|compute|describe)_")
    treffer = []
    for p in [*(ROOT / "fis").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), *SEITEN]:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and englisch.match(node.name):
                treffer.append(f"{p.relative_to(ROOT)}: {node.name}")
    assert treffer == []
