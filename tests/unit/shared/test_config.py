from __future__ import annotations

import pytest

from tasks.config import load_settings
from tasks.errors import ConfigError


def test_user_agent_missing_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="SEC_USER_AGENT is not set"):
        load_settings().require_sec_user_agent()


def test_user_agent_without_email_is_refused() -> None:
    with pytest.raises(ConfigError, match="has no e-mail address"):
        load_settings(sec_user_agent="Jane Doe").require_sec_user_agent()


def test_rate_above_sec_limit_is_refused() -> None:
    with pytest.raises(ConfigError, match="at most 10 requests/s"):
        load_settings(rate_limit=11)


def test_environment_prefix_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EARNINGS_LAKE_LAKE", "s3://bucket/prefix")
    monkeypatch.setenv("EARNINGS_LAKE_RATE_LIMIT", "5")
    settings = load_settings(mirror="http://127.0.0.1:9/")
    assert (settings.lake, settings.rate_limit, settings.mirror) == ("s3://bucket/prefix", 5.0, "http://127.0.0.1:9")
    assert load_settings(rate_limit=3).rate_limit == 3.0


def test_mirror_must_be_a_url() -> None:
    with pytest.raises(ConfigError, match="mirror must be an http"):
        load_settings(mirror="ftp.example")
