"""EDGAR: URLs, filing indexes and forms (``edgar``), the submissions listing and filing fetches (``filings``),
and the earnings calendar predicted from past Item 2.02 8-Ks."""
