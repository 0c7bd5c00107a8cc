"""Configuration files of the repo (deployments/*.yaml): read once, a clear ConfigError naming the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tasks.errors import ConfigError

_REPO_DEPLOYMENTS = Path(__file__).resolve().parents[1] / "deployments"
_PACKAGED_DEPLOYMENTS = Path(__file__).resolve().parent / "_deployments"  # the wheel's copy (pyproject force-include)


def deployment_file(name: str) -> Path:
    """A default configuration file: the checkout's deployments/NAME, else the copy installed with the package."""
    repo = _REPO_DEPLOYMENTS / name
    return repo if repo.exists() or not (_PACKAGED_DEPLOYMENTS / name).exists() else _PACKAGED_DEPLOYMENTS / name


def read_yaml(where: Path, what: str) -> Any:
    """The file's YAML document ({} when empty); a missing or invalid file is a ConfigError."""
    try:
        return yaml.safe_load(where.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{where}: cannot read {what}: {exc}") from None
