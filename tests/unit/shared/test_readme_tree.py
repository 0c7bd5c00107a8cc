"""The README's module tree lists exactly the modules of flows/, tasks/ (each stage package) and schemas/."""

from __future__ import annotations

import re

from tests.support.paths import REPO

MARKER = "<!-- module tree"


def readme_tree() -> dict[str, set[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text[text.index(MARKER):].split("```text\n", 1)[1].split("```", 1)[0]
    tree: dict[str, set[str]] = {}
    folder = ""
    for line in block.splitlines():
        if not line.startswith(" "):
            folder, line = line.split(maxsplit=1)[0], line.split(maxsplit=1)[1]
        tree.setdefault(folder, set()).update(line.split())
    return tree


def code_tree() -> dict[str, set[str]]:
    folders = ["flows/", "schemas/", "tasks/"] + [f"tasks/{p.name}/" for p in (REPO / "tasks").iterdir()
                                                  if (p / "__init__.py").exists()]
    return {f: {p.stem for p in (REPO / f).glob("*.py") if p.stem != "__init__"} for f in folders}


def test_readme_tree_matches_the_code() -> None:
    assert readme_tree() == code_tree()
    assert all(re.fullmatch(r"[a-z_]+", m) for mods in readme_tree().values() for m in mods)
