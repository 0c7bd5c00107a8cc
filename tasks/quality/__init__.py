"""Quality: the Great Expectations gate (``validation``), the native GX expectation of each check
(``expectations``), the rules' derived columns and their row-by-row reading in polars (``validation_checks``),
and the tracing of failing rows to the units held back (``blame``). The checks themselves are declared in
``schemas/checks.py`` and ``schemas/suites.py``."""
