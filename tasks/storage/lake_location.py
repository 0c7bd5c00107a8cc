"""Where a lake may live: checked before any network work, with one line naming the place and the problem."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tasks.errors import ConfigError

LAKE_FOLDERS = ("raw", "curated", "quarantine", "docs", "state")


def check_lake_location(lake: str) -> None:
    """Refuse the filesystem root, a file, a folder inside another lake, or a place that cannot be written.
    S3 lakes are checked by their first write (credentials come from boto3's chain)."""
    if lake.startswith("s3://"):
        return
    path = Path(lake).expanduser().resolve()
    if path == Path(path.anchor):
        raise ConfigError(f"lake {lake!r} is the filesystem root: name a folder for the lake")
    if path.exists() and not path.is_dir():
        raise ConfigError(f"lake {lake!r} is a file, not a folder")
    for parent in path.parents:
        if (parent.name in LAKE_FOLDERS and (parent.parent / "curated" / "_catalog.json").exists()) or (
                parent.name in LAKE_FOLDERS and (parent.parent / "raw").is_dir()
                and (parent.parent / "curated").is_dir()):
            raise ConfigError(f"lake {lake!r} is inside another lake's {parent.name}/ ({parent.parent}): "
                              f"choose a folder outside it")
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is None or not os.access(existing, os.W_OK):
        raise ConfigError(f"lake {lake!r} cannot be written (no write permission on {existing})")
    if path.exists():
        try:
            with tempfile.NamedTemporaryFile(dir=path, prefix=".write-check-"):
                pass
        except OSError as exc:
            raise ConfigError(f"lake {lake!r} cannot be written: {exc.strerror}") from None
