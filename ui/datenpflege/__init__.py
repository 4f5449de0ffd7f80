"""The Datenpflege page, one module per tab; what the tabs share is in :mod:`ui.datenpflege.gemeinsam`.

All checking and writing happens in :mod:`fis.ingest` through the registry of delivery kinds
(:mod:`fis.ingest.arten`), the same code the command line runs; these modules only draw."""
