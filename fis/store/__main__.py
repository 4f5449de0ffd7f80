"""``python -m fis.store``: the schema of a new database as text (for the snapshot ``tests/daten/schema.txt``)."""

from fis.store import Store
from fis.store.schema import beschreibung

with Store.open(":memory:") as store:
    print(beschreibung(store.con), end="")
