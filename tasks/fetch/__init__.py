"""Fetching: the one HTTP funnel (rate limit, User-Agent, retries, mirror mapping, host allowlist), the
machine-wide SEC budget, the fetch-through raw archive (``source``) and RSS/Atom feeds. The only stage that
imports ``requests``."""
