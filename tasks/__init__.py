"""Plain functions of earnings-lake, one sub-package per stage (no Prefect here: flows/ composes them).

    fetch ──► sec ──► earnings ──┐
      │        └────► xbrl ──────┼──► quality ──► storage
      └──────► news ─────────────┘

``fetch`` (HTTP funnel, raw archive, feeds) · ``sec`` (EDGAR listings and indexes) · ``earnings`` (releases →
guidance, actuals) · ``xbrl`` (facts → quarterly financials, segments, capex) · ``news`` (articles → figures →
claims checked) · ``quality`` (the Great Expectations gate) · ``storage`` (the lake, publishing, readers).
Shared concepts sit at the top: ``errors`` (the error tree), ``config`` (settings), ``config_files``
(deployments/ data), ``fiscal`` and ``quarters`` (fiscal periods), ``progress``.
"""
