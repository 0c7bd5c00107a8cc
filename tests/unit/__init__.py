"""Unit tests: pure functions and in-process checks (no Prefect run, server, browser, corpus or S3)."""
