"""Settings: environment (prefix EARNINGS_LAKE_) and CLI options. Nothing is read at import time."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tasks.errors import ConfigError

SEC_HOSTS = frozenset({"www.sec.gov", "data.sec.gov"})
SEC_MAX_RATE = 10.0
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


class Settings(BaseSettings):
    """Every knob of a run. Build with :func:`load_settings` to get a clear ConfigError."""

    model_config = SettingsConfigDict(env_prefix="EARNINGS_LAKE_", extra="ignore")

    sec_user_agent: str = Field(
        default="", description="User-Agent for SEC requests: a name and an e-mail address (SEC rule)."
    )
    lake: str = Field(default="./lake", description="Local folder or s3://bucket/prefix.")
    mirror: str | None = Field(default=None, description="Serve https://HOST/PATH from MIRROR/HOST/PATH.")
    rate_limit: float = Field(default=9.0, gt=0, description="Requests per second to SEC hosts.")
    news_rate_limit: float = Field(default=2.0, gt=0, description="Requests per second per news host.")
    timeout: float = Field(default=30.0, gt=0, description="Seconds to wait for a response.")
    max_bytes: int = Field(default=100_000_000, gt=0, description="Largest response body accepted.")
    max_retries: int = Field(default=5, ge=0, description="Retries after the first attempt.")
    backoff_base: float = Field(default=0.5, ge=0, description="First backoff, seconds (doubles each retry).")
    backoff_max: float = Field(default=60.0, ge=0, description="Longest single backoff, seconds.")
    lockout_seconds: float = Field(default=600.0, ge=0, description="Pause after SEC's rate-limit block page.")
    sec_budget_file: str = Field(
        default="", description="File holding the machine's shared SEC budget (default ~/.cache/earnings-lake/"
                                "sec-budget.json; 'off' keeps the budget to one process).")
    sec_shared_limit: bool = Field(
        default=False, description="Also take a slot of the Prefect global concurrency limit 'sec-edgar' for each SEC "
                                   "request, so workers on several machines share SEC's budget (one Prefect API call "
                                   "per request; needs a Prefect server).")
    news_hosts: list[str] = Field(default_factory=list, description="Extra hosts news fetching may reach.")
    release_pages: str | None = Field(
        default=None, description="YAML of newsroom release feeds per ticker (default: deployments/release_pages.yaml)."
    )
    workers: int = Field(default=4, ge=1, le=32, description="Concurrent task runs of an ingest on threads: companies "
                                                               "fetched, parsed and read at once.")

    @field_validator("rate_limit")
    @classmethod
    def _sec_cap(cls, value: float) -> float:
        if value > SEC_MAX_RATE:
            raise ValueError(f"SEC allows at most {SEC_MAX_RATE:g} requests/s; refusing rate_limit={value:g}")
        return value

    @field_validator("mirror")
    @classmethod
    def _mirror_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not re.match(r"^https?://[^/]+", value):
            raise ValueError(f"mirror must be an http(s) URL, got {value!r}")
        return value.rstrip("/")

    def require_sec_user_agent(self) -> str:
        """The User-Agent, or a ConfigError saying why SEC would refuse it."""
        agent = self.sec_user_agent.strip()
        if not agent:
            raise ConfigError(
                "EARNINGS_LAKE_SEC_USER_AGENT is not set: SEC refuses anonymous bots. "
                'Set it to a name and an e-mail address, e.g. "Jane Doe jane@example.com".'
            )
        if not _EMAIL.search(agent):
            raise ConfigError(
                f"EARNINGS_LAKE_SEC_USER_AGENT={agent!r} has no e-mail address; SEC requires one "
                '(e.g. "Jane Doe jane@example.com").'
            )
        return agent


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with non-None overrides (CLI options) on top."""
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from None
