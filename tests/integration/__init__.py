"""Integration tests: flow runs, a Prefect server, S3 (moto), the browser, subprocesses and the real corpus."""
