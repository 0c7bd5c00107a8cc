"""Configuration files of the repo (deployments/*.yaml): read once, a clear ConfigError naming the file."""

from __future__ import annotations

from importlib import resources
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


def schema_yaml(name: str, what: str) -> dict[str, Any]:
    """A reviewed vocabulary shipped in the ``schemas`` package (schemas/NAME): a mapping, else a ConfigError."""
    try:
        data = yaml.safe_load(resources.files("schemas").joinpath(name).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"schemas/{name}: cannot read {what}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"schemas/{name}: expected a mapping at the top level")
    return data


def read_yaml(where: Path, what: str) -> Any:
    """The file's YAML document ({} when empty); a missing or invalid file is a ConfigError."""
    try:
        return yaml.safe_load(where.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{where}: cannot read {what}: {exc}") from None
