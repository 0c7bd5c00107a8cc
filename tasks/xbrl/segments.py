"""Inline XBRL segment facts → ``segment_revenue``: one row per fiscal quarter (and year) × axis × member,
with the members' sum checked against total revenue (a mismatch is flagged, never dropped).

Members that break down another member of the same axis (NVIDIA's Compute and Networking inside Data
Center) are found by their sums, labelled "Parent: Child", and left out of the axis total.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import polars as pl

from schemas.financials import SEGMENT_REVENUE
from tasks.xbrl.financials import METRIC_CONCEPTS, UNIT, metric_periods, period_row
from tasks.xbrl.inline_xbrl import member_label

SEGMENT_AXES = ("srt:ProductOrServiceAxis", "us-gaap:StatementBusinessSegmentsAxis", "srt:StatementGeographicalAxis")
ROUNDING = 500_000  # facts are stated in $ millions: each member may be off by half a million
MAX_GROUP = 12
MAX_MEMBERS_SEARCHED = 14  # 2^14 subsets at most per period and axis


def segment_revenue(facts: pl.DataFrame, *, ticker: str, cik: str, fiscal_year_end: str) -> pl.DataFrame:
    revenue = METRIC_CONCEPTS["revenue"]
    totals = metric_periods(facts, revenue, fiscal_year_end, years=True)
    segmented = facts.filter(pl.col("axis").is_in(list(SEGMENT_AXES)) & pl.col("concept").is_in(list(revenue)))
    segmented = segmented.with_columns(
        pl.col("member").map_elements(member_label, return_dtype=pl.String).alias("label"))
    rows: list[dict[str, Any]] = []
    for (axis, label), group in segmented.partition_by("axis", "label", as_dict=True).items():
        member = group.sort("filed")["member"][-1]
        for period, (concept, derived) in metric_periods(group, revenue, fiscal_year_end, years=True,
                                                         dimensioned=True).items():
            total = totals.get(period)
            same_span = total is not None and (total[1].start, total[1].end) == (derived.start, derived.end)
            rows.append({**period_row(ticker, cik, period, derived), "axis": axis, "member": member, "label": label,
                         "concept": concept, "value": derived.value, "unit": UNIT, "derivation": derived.derivation,
                         "accessions": list(derived.accessions),
                         "total_revenue": total[1].value if same_span and total else None})
    if not rows:
        return SEGMENT_REVENUE.empty()
    return check_sums(rows)


def _children(values: dict[str, float]) -> dict[str, str]:
    """child label → parent label, for members that sum exactly (within rounding) to another member."""
    found: dict[str, str] = {}
    labels = sorted(values, key=lambda k: values[k])
    for parent in labels:
        others = [m for m in labels if m != parent and m not in found and values[m] < values[parent]]
        for size in (2, 3, 4):
            for group in combinations(others, size):
                if abs(sum(values[m] for m in group) - values[parent]) <= ROUNDING * size:
                    found.update(dict.fromkeys(group, parent))
                    break
            else:
                continue
            break
    return found


def _partitions(values: dict[str, float], total: float) -> list[list[str]]:
    """Disjoint groups of members that each sum to the total (a company may break one axis down two ways,
    e.g. products/services and store types); smallest groups first."""
    remaining = sorted(values)
    groups: list[list[str]] = []
    if len(remaining) > MAX_MEMBERS_SEARCHED:  # too many to search: the members must sum as a whole
        return [remaining] if abs(sum(values.values()) - total) <= ROUNDING * len(remaining) else []
    while remaining:
        found = next((list(g) for size in range(1, min(len(remaining), MAX_GROUP) + 1)
                      for g in combinations(remaining, size)
                      if abs(sum(values[m] for m in g) - total) <= ROUNDING * size), None)
        if found is None:
            break
        groups.append(found)
        remaining = [m for m in remaining if m not in found]
    return groups


def check_sums(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """members_sum: the sum of the breakdown a member belongs to; sums_to_total: whether it equals total
    revenue within rounding (None when the period's total is not known)."""
    by_period: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        by_period.setdefault((row["fiscal_period"], row["axis"]), []).append(row)
    for group in by_period.values():
        values = {r["label"]: r["value"] for r in group}
        children = _children(values) if len(values) > 2 else {}
        top = {k: v for k, v in values.items() if k not in children}
        total = next((r["total_revenue"] for r in group if r["total_revenue"] is not None), None)
        verdict: dict[str, tuple[float, bool | None]] = {}
        leftover = dict(top)
        if total is not None:
            for part in _partitions(top, total):
                verdict.update(dict.fromkeys(part, (sum(top[m] for m in part), True)))
                for m in part:
                    leftover.pop(m)
        for member in leftover:
            verdict[member] = (sum(leftover.values()), None if total is None else False)
        for row in group:
            parent = children.get(row["label"])
            row["members_sum"], row["sums_to_total"] = verdict[parent or row["label"]]
            if parent:
                row["label"] = f"{parent}: {row['label']}"
    return pl.DataFrame(rows, schema=SEGMENT_REVENUE.schema).sort("ticker", "axis", "label", "period_end")
