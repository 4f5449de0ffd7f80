"""Area typologies: hierarchical (Ward) and k-means clustering on standardised indicators,
the number of clusters chosen by the silhouette coefficient, clusters ordered by an index
and described by their characteristic indicators; principal components with loadings.

Internal roles: computed from the internal values (fis.indizes.Indexdaten); only cluster labels,
standardised profiles and loadings are shown. Public roles: computed from the published, suppressed
values only (areas with a hidden value or below the population minimum are not typed), and types
with fewer areas than ``mindest_typgroesse`` are not shown (:func:`kleine_typen_ausblenden`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

from fis.indizes import standardisieren as z_wert

METHODEN = {"ward": "hierarchisch (Ward)", "kmeans": "k-means"}


def matrix(werte: pd.DataFrame, stichtag: date, ebene: int, indikatoren: list[str]) -> pd.DataFrame:
    """Areas × indicators at one Stichtag, only areas with every indicator."""
    w = werte[(werte["stichtag"] == stichtag) & (werte["ebene"] == ebene) & werte["indikator_id"].isin(indikatoren)]
    breit = w.pivot_table(index="raum_id", columns="indikator_id", values="wert", aggfunc="first")
    return breit.reindex(columns=indikatoren).dropna()


def standardisieren(x: pd.DataFrame) -> pd.DataFrame:
    """z-scores per column, as for the indices (fis.indizes.standardisieren)."""
    return x.apply(lambda spalte: z_wert(spalte, "zwert"))


def cluster(z: pd.DataFrame, k: int, methode: str = "ward", seed: int = 0) -> np.ndarray:
    """Cluster labels 0 … k−1."""
    if methode == "ward":
        return fcluster(linkage(z.to_numpy(), method="ward"), t=k, criterion="maxclust") - 1
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(z.to_numpy())


def guete(z: pd.DataFrame, methode: str, k_bereich: range = range(2, 9)) -> pd.DataFrame:
    """Silhouette coefficient and within-cluster sum of squares (elbow) for each k."""
    rows = []
    for k in k_bereich:
        if k >= len(z):
            break
        labels = cluster(z, k, methode)
        if len(set(labels)) < 2:
            continue
        wss = sum(((z[labels == c] - z[labels == c].mean()) ** 2).to_numpy().sum() for c in set(labels))
        rows.append({"k": k, "silhouette": float(silhouette_score(z.to_numpy(), labels)), "wss": float(wss)})
    return pd.DataFrame(rows, columns=["k", "silhouette", "wss"])


@dataclass(frozen=True)
class Typologie:
    methode: str
    k: int
    typen: pd.DataFrame          # raum_id, typ (1 = least Belastung … k), cluster (raw label)
    profile: pd.DataFrame        # typ × indicator: mean z-score
    beschreibung: dict[int, str]  # typ → characteristic indicators in words
    guete: pd.DataFrame
    silhouette: float


def typisieren(x: pd.DataFrame, k: int | None, methode: str, ordnung: pd.Series | None,
               namen: dict[str, str], polaritaet: dict[str, str]) -> Typologie:
    """Cluster areas (rows of ``x``) into types. ``k`` None: the k with the best silhouette.
    Types are numbered by the mean of ``ordnung`` (e.g. an index value; else the mean
    Belastung of the standardised, polarity-signed indicators): type 1 = least Belastung."""
    z = standardisieren(x)
    g = guete(z, methode)
    if k is None:
        k = int(g.loc[g["silhouette"].idxmax(), "k"]) if len(g) else 2
    labels = cluster(z, k, methode)
    vorzeichen = pd.Series({c: -1.0 if polaritaet.get(c) == "hoch_gut" else 1.0 for c in z.columns})
    belastung = (z * vorzeichen).mean(axis=1) if ordnung is None else ordnung.reindex(z.index)
    mittel = belastung.groupby(labels).mean().sort_values()
    typ_von = {c: i + 1 for i, c in enumerate(mittel.index)}
    typen = pd.DataFrame({"raum_id": z.index, "cluster": labels, "typ": [typ_von[c] for c in labels]})
    profile = z.groupby(typen["typ"].to_numpy()).mean()
    profile.index.name = "typ"
    beschreibung = {}
    for t, zeile in profile.iterrows():
        hoch = [namen.get(c, c) for c, v in zeile.sort_values(ascending=False).items() if v >= 0.5][:3]
        tief = [namen.get(c, c) for c, v in zeile.sort_values().items() if v <= -0.5][:3]
        teile = ([f"hoch: {', '.join(hoch)}"] if hoch else []) + ([f"niedrig: {', '.join(tief)}"] if tief else [])
        beschreibung[int(t)] = "; ".join(teile) or "nahe am Durchschnitt"
    sil = float(silhouette_score(z.to_numpy(), labels)) if 1 < k < len(z) else float("nan")
    return Typologie(methode, k, typen, profile, beschreibung, g, sil)


def kleine_typen_ausblenden(t: Typologie, mindest: int) -> tuple[Typologie, list[str]]:
    """The typology without types of fewer than ``mindest`` areas (their mean profile would be the
    profile of single areas), the remaining types numbered 1 … k' in their order; and the areas
    left untyped."""
    groesse = t.typen["typ"].value_counts()
    klein = set(groesse[groesse < mindest].index)
    if not klein:
        return t, []
    weg = t.typen.loc[t.typen["typ"].isin(klein), "raum_id"].tolist()
    bleiben = [int(i) for i in sorted(set(t.typen["typ"]) - klein)]
    neu = {alt: i + 1 for i, alt in enumerate(bleiben)}
    typen = t.typen[~t.typen["typ"].isin(klein)].assign(typ=lambda d: d["typ"].map(neu))
    profile = t.profile.loc[bleiben].rename(index=neu)
    profile.index.name = "typ"
    beschreibung = {neu[a]: t.beschreibung[a] for a in bleiben}
    return Typologie(t.methode, len(bleiben), typen.reset_index(drop=True), profile, beschreibung, t.guete,
                     t.silhouette), weg


@dataclass(frozen=True)
class Hauptkomponenten:
    ladungen: pd.DataFrame       # indicator × component (correlation of indicator and component)
    erklaert: pd.Series          # share of variance explained per component
    werte: pd.DataFrame          # raum_id × component scores


def hauptkomponenten(x: pd.DataFrame, n: int | None = None) -> Hauptkomponenten:
    """Principal components of the standardised indicators; loadings as correlations.
    ``n`` None: the components with eigenvalue ≥ 1 (Kaiser criterion, at least 2)."""
    z = standardisieren(x)
    pca = PCA().fit(z.to_numpy())
    eigen = pca.explained_variance_ * (len(z) - 1) / len(z)
    n = n or max(2, int((eigen >= 1).sum()))
    n = min(n, z.shape[1])
    namen = [f"K{i + 1}" for i in range(n)]
    ladungen = pd.DataFrame(pca.components_[:n].T * np.sqrt(eigen[:n]), index=z.columns, columns=namen)
    werte = pd.DataFrame(pca.transform(z.to_numpy())[:, :n], index=z.index, columns=namen)
    return Hauptkomponenten(ladungen, pd.Series(pca.explained_variance_ratio_[:n], index=namen), werte)
