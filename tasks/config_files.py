"""Configuration files of the repo (deployments/*.yaml): read once, a clear ConfigError naming the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tasks.errors import ConfigError


def read_yaml(where: Path, what: str) -> Any:
    """The file's YAML document ({} when empty); a missing or invalid file is a ConfigError."""
    try:
        return yaml.safe_load(where.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{where}: cannot read {what}: {exc}") from None
