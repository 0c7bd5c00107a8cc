"""Prefect flows and the CLI. Importing the package, before any flow module imports Prefect, sends the package's
loggers (``earnings_lake.*``) to each flow run's logs — for the CLI and for workers that load these flows alike —
and keeps them on the terminal only outside a run. The user's own settings win."""

import os

os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "earnings_lake")
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
