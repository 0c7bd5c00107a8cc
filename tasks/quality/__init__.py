"""Quality: the Great Expectations gate (``validation``), the rules it runs (``validation_checks``) and the
tracing of failing rows to the units held back (``blame``)."""
