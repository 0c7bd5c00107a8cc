"""XBRL facts as one long frame: from SEC's companyfacts JSON (pure: bytes in, frame out).

Inline XBRL documents give the same columns plus a segment (axis, member); see tasks.xbrl.inline_xbrl.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

import polars as pl

from tasks.dates import iso_date
from tasks.errors import ParseError

FACT_SCHEMA = pl.Schema({
    "taxonomy": pl.String(), "concept": pl.String(), "unit": pl.String(), "start": pl.Date(), "end": pl.Date(),
    "value": pl.Float64(), "accn": pl.String(), "fy": pl.Int32(), "fp": pl.String(), "form": pl.String(),
    "filed": pl.Date(), "frame": pl.String(), "axis": pl.String(), "member": pl.String(),
})

# Forms whose facts describe the company's periods. Proxy statements (DEF 14A), registration statements
# and 8-Ks carry facts too, sometimes with the wrong scale or a different scope; they never count.


def parse_companyfacts(
    body: bytes, url: str, *, concepts: Collection[str] | None = None
) -> tuple[dict[str, Any], pl.DataFrame]:
    """(entity: cik and name, facts) of a companyfacts JSON; ``concepts`` limits the facts kept."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(url, "json", f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("facts"), dict):
        raise ParseError(url, "facts", "no 'facts' object: not a companyfacts document")
    entity = {"cik": f"{int(data.get('cik') or 0):010d}", "name": str(data.get("entityName") or "")}
    wanted = set(concepts) if concepts is not None else None
    columns: dict[str, list[Any]] = {name: [] for name in FACT_SCHEMA}
    for taxonomy, by_concept in data["facts"].items():
        if not isinstance(by_concept, dict):
            raise ParseError(url, f"facts.{taxonomy}", "expected an object of concepts")
        for concept, body_ in by_concept.items():
            if wanted is not None and concept not in wanted:
                continue
            for unit, facts in (body_.get("units") or {}).items():
                for i, fact in enumerate(facts):
                    try:
                        value = float(fact["val"])
                        end = iso_date(fact["end"])
                        start = iso_date(fact.get("start"))
                        filed = iso_date(fact.get("filed"))
                    except (KeyError, TypeError, ValueError) as exc:
                        raise ParseError(url, f"facts.{taxonomy}.{concept}.units.{unit}[{i}]",
                                         f"malformed fact: {exc!r}") from None
                    columns["taxonomy"].append(taxonomy)
                    columns["concept"].append(concept)
                    columns["unit"].append(unit)
                    columns["start"].append(start)
                    columns["end"].append(end)
                    columns["value"].append(value)
                    columns["accn"].append(fact.get("accn"))
                    columns["fy"].append(fact.get("fy"))
                    columns["fp"].append(fact.get("fp"))
                    columns["form"].append(fact.get("form"))
                    columns["filed"].append(filed)
                    columns["frame"].append(fact.get("frame"))
                    columns["axis"].append(None)
                    columns["member"].append(None)
    return entity, pl.DataFrame(columns, schema=FACT_SCHEMA)
