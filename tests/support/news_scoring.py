"""Score extracted news figures against ../shared/corpus/expected/news_figures.jsonl.

A labelled figure matches an extracted one of the same value and unit whose clause overlaps the labelled quote.
The labels name some figures more finely than the product's metric vocabulary does (the product says what a
figure measures and how it changes, not who bought what); ``LABEL_TO_METRIC`` maps those labels to the metric the
product's vocabulary has for them. Labels not listed must equal the product's metric exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LABEL_TO_METRIC = {
    "option_contracts_bought_bearish": "contracts",  # a count of contracts (who bought them is not a metric)
    "stock_price_bet_target": "stock_price",
    "stock_price_change_implied": "stock_price_change",
    "fund_return_1y": "fund_return",
    "guidance_beat_streak_quarters": "guidance_beat_streak",
    "guidance_beat_required": "guidance_beat_required",
    "revenue_growth_yoy_peak": "revenue_growth_yoy_peak",
    "gross_margin_change_yoy_pp": "gross_margin_change_yoy",  # percentage points are the unit, not the metric
    "valuation_to_revenue_multiple_change": "valuation_change",
    "revenue_forecast": "revenue_guidance",  # a company's own forecast
    "revenue_target": "revenue_guidance",
    "revenue_growth_multiple": "revenue_growth",  # "three times": the unit is multiple
    "compute_spend_annual": "compute_spend",
    "compute_spend_growth_multiple": "compute_spend_growth",
    "sales_headcount": "headcount",
    "sales_headcount_share": "share",
    "capex_plan_market_expectation": "capex_plan_estimate",  # a forecast by others
    "capex_plan_third_party_estimate": "capex_plan_estimate",
    "ai_contribution_to_growth_pp": "growth_contribution",
    "dau_growth_qoq": "users_growth_qoq",
    "arr_growth_yoy": "arr_growth_yoy",
    "unit_compute_cost": "unit_cost",
    "unit_compute_cost_change": "cost_change",  # the clause says only "成本" (cost)
    "inference_unit_cost_change": "cost_change",
    "inference_performance_multiple": "performance_change",
    "customer_spend_change": "spending_change",
    "product_share_of_segment_revenue": "share",
}


@dataclass
class NewsScore:
    labelled: int
    matched: int = 0
    metric: int = 0
    period: int = 0
    ticker: int = 0
    misses: list[str] = field(default_factory=list)

    def share(self, what: str) -> float:
        return int(getattr(self, what)) / self.labelled

    def report(self) -> str:
        return (f"value+unit {self.matched}/{self.labelled}, metric {self.metric}, period {self.period}, "
                f"ticker {self.ticker}; " + "; ".join(self.misses))


def _overlaps(mine: str, label: str) -> bool:
    return mine in label or label in mine or mine[:8] in label or label[:8] in mine


def score_news(rows: list[dict[str, Any]], labels: list[dict[str, Any]]) -> NewsScore:
    score = NewsScore(labelled=len(labels))
    pool = list(rows)
    for label in labels:
        same = [r for r in pool if float(r["value"]) == float(label["value"]) and r["unit"] == label["unit"]]
        hit = next((r for r in same if _overlaps(str(r["quote"]), str(label["quote"]))), None) or \
            (same[0] if same else None)
        if hit is None:
            score.misses.append(f"not found: {label['value']} {label['unit']} {label['quote'][:20]}")
            continue
        pool.remove(hit)
        score.matched += 1
        wanted = LABEL_TO_METRIC.get(str(label["metric"]), label["metric"])
        for what, mine, theirs in (("metric", hit["metric"], wanted),
                                   ("period", hit["period_normalized"], label["period_normalized"]),
                                   ("ticker", hit["ticker"], label["ticker"])):
            if mine == theirs:
                setattr(score, what, getattr(score, what) + 1)
            else:
                score.misses.append(f"{what} {mine} ≠ {theirs}: {label['quote'][:24]}")
    return score
