"""Prefect flows and the CLI. Importing the package before Prefect sends the package's loggers (``earnings_lake.*``)
to each flow run's logs, for workers that load these flows as well as for the CLI."""

import os

os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "earnings_lake")
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
