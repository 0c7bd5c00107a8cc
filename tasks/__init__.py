"""Plain functions of earnings-lake, one sub-package per stage (no Prefect here: flows/ composes them).

    fetch ──► sec ──► earnings ──┐
      │        └────► xbrl ──────┼──► quality ──► storage
      └──────► news ─────────────┘

``fetch`` (HTTP funnel, raw archive, feeds) · ``sec`` (EDGAR listings and indexes) · ``earnings`` (releases →
guidance, actuals) · ``xbrl`` (facts → quarterly financials, segments, capex) · ``news`` (articles → figures →
claims checked) · ``quality`` (the Great Expectations gate) · ``storage`` (the lake, publishing, readers).
Shared concepts sit at the top, one module each: ``errors`` (the error tree), ``config`` (settings),
``config_files`` (deployments/ data), ``fiscal`` (``FiscalPeriod``), ``quarters`` (YTD → quarters), ``numbers``
(number parsing), ``dates`` (date parsing), ``forms`` (SEC forms and items), ``markup`` (text of XML/HTML),
``progress``.
"""
