"""A static HTML report of the lake: per company the guidance-vs-actual history, segment mix, capex and gross margin;
a hyperscaler capex panel; the news claims. Charts are Plotly with its JavaScript embedded once, so the file
opens offline (from a folder or downloaded from S3); every number in a chart's hover and in the tables under it
names its source (accession or URL, and the sentence, table cell or XBRL derivation), linked to the filing.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from tasks.storage.object_store import open_store
from tasks.storage.sql_views import connect, query

HYPERSCALERS = ["MSFT", "GOOGL", "AMZN", "META"]  # the default capex panel; any ticker in the lake can be shown
REPORT_KEY = "report/index.html"
MAX_COMPANIES = 40  # sections in a report built without --tickers
STYLE = """<style>body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:1200px;color:#222}
h1{margin-bottom:0}h2{border-bottom:2px solid #ccc;padding-bottom:.2rem;margin-top:2.5rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.2rem .45rem;
vertical-align:top;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#777}
.chart{margin:.5rem 0}</style>"""


def _billions(value: float | None) -> str:
    return "" if value is None else f"{value / 1e9:,.2f}"


def source_link(release: str | None, cik: str | None = None) -> str:
    """An accession links to its EDGAR folder, a URL to itself; plain text otherwise."""
    if not release:
        return ""
    text = html.escape(release)
    if release.startswith("http"):
        return f'<a href="{text}">{text}</a>'
    if cik and len(release) == 20:
        folder = f"https://www.sec.gov/Archives/edgar/data/{int(cik)}/{release.replace('-', '')}/"
        return f'<a href="{folder}">{text}</a>'
    return text


def _table(frame: pl.DataFrame, columns: dict[str, str], numeric: set[str], ciks: dict[str, str] | None = None) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for label in columns.values())
    rows = []
    for row in frame.iter_rows(named=True):
        cells = []
        for column in columns:
            value = row.get(column)
            if column.endswith("release") or column == "filing_source":
                cells.append(f"<td>{source_link(value, (ciks or {}).get(str(row.get('ticker'))))}</td>")
            elif column in numeric:
                cells.append(f'<td class="n">{"" if value is None else f"{value:,.2f}"}</td>')
            else:
                cells.append(f"<td>{html.escape('' if value is None else str(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _figure_html(figure: Any, chart_id: str) -> str:
    figure.update_layout(margin={"l": 60, "r": 20, "t": 40, "b": 40}, height=360, template="plotly_white")
    body: str = figure.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id,
                               config={"displaylogo": False, "responsive": True})
    return f'<div class="chart">{body}</div>'


def beats_chart(beats: pl.DataFrame, ticker: str) -> str:
    """Revenue: the guided range as a band, the guided point, the actual as points labelled with the beat."""
    import plotly.graph_objects as go

    rows = beats.filter((pl.col("ticker") == ticker) & (pl.col("metric") == "revenue")).sort("fiscal_period")
    if rows.is_empty():
        return '<p class="muted">No revenue guidance with a reported actual yet.</p>'
    x = rows["fiscal_period"].to_list()
    low, high = [v / 1e9 for v in rows["guided_low"]], [v / 1e9 for v in rows["guided_high"]]
    point, actual = [v / 1e9 for v in rows["guided_point"]], [v / 1e9 for v in rows["actual"]]
    figure = go.Figure([
        go.Scatter(x=x, y=high, mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"),
        go.Scatter(x=x, y=low, mode="lines", line={"width": 0}, fill="tonexty", fillcolor="rgba(80,120,200,.2)",
                   name="guided range", hoverinfo="skip"),
        go.Scatter(x=x, y=point, mode="lines+markers", name="guided", line={"dash": "dot"},
                   customdata=list(zip(rows["guidance_release"], rows["guidance_sentence"], strict=True)),
                   hovertemplate="%{x} guided %{y:.2f} $B<br>%{customdata[0]}: %{customdata[1]}<extra></extra>"),
        go.Scatter(x=x, y=actual, mode="markers+text", name="actual", marker={"size": 10},
                   text=[f"{a:.2f} ({b / 1e9:+.2f})" for a, b in zip(actual, rows["beat"], strict=True)],
                   textposition="top center",
                   customdata=list(zip(rows["actual_release"], rows["beat_streak"], strict=True)),
                   hovertemplate="%{x} actual %{y:.2f} $B, streak %{customdata[1]}<br>%{customdata[0]}"
                                 "<extra></extra>"),
    ])
    streak = rows["beat_streak"].to_list()[-1]
    figure.update_layout(title=f"{ticker} revenue vs its own outlook ($B) — beat streak {streak}",
                         yaxis_title="$B")
    return _figure_html(figure, f"beats-{ticker}")


def segment_chart(facts: pl.DataFrame, ticker: str) -> str:
    import plotly.graph_objects as go

    rows = facts.filter((pl.col("ticker") == ticker) & (pl.col("metric") == "revenue")
                        & pl.col("segment").is_not_null()).sort("fiscal_period")
    if rows.is_empty():
        return '<p class="muted">No segment revenue in the releases.</p>'
    figure = go.Figure()
    for (segment,), part in rows.group_by("segment", maintain_order=True):
        figure.add_bar(x=part["fiscal_period"].to_list(), y=[v / 1e9 for v in part["value"]], name=str(segment),
                       customdata=part["release_id"].to_list(),
                       hovertemplate="%{x} " + html.escape(str(segment)) + " %{y:.2f} $B<br>%{customdata}"
                                     "<extra></extra>")
    figure.update_layout(barmode="group", title=f"{ticker} revenue by segment ($B)", yaxis_title="$B")
    return _figure_html(figure, f"segments-{ticker}")


def capex_quarters(con: Any) -> pl.DataFrame:
    """Quarterly capex: the XBRL capex dataset, else the releases' capex line (preferred rows)."""
    return query(con, """
        SELECT ticker, fiscal_period, period_end, capex AS value, array_to_string(accessions, ', ') AS source
        FROM capex WHERE period_type = 'quarter'
        UNION ALL
        SELECT a.ticker, a.fiscal_period, a.period_end, a.value, a.release_id FROM actuals a
        WHERE a.preferred AND a.metric = 'capex' AND a.segment IS NULL AND a.metric_detail IS NULL
          AND NOT EXISTS (SELECT 1 FROM capex c WHERE c.ticker = a.ticker AND c.fiscal_period = a.fiscal_period
                          AND c.period_type = 'quarter')
        ORDER BY ticker, period_end""")


def capex_chart(quarters: pl.DataFrame, plans: pl.DataFrame, tickers: list[str], chart_id: str, title: str) -> str:
    import plotly.graph_objects as go

    figure = go.Figure()
    for ticker in tickers:
        rows = quarters.filter(pl.col("ticker") == ticker).sort("period_end").tail(12)
        if rows.is_empty():
            continue
        figure.add_bar(x=rows["period_end"].to_list(), y=[v / 1e9 for v in rows["value"]], name=f"{ticker} quarter",
                       customdata=list(zip(rows["fiscal_period"], rows["source"], strict=True)),
                       hovertemplate=f"{ticker} " + "%{customdata[0]} %{y:.2f} $B<br>%{customdata[1]}<extra></extra>")
        ttm = rows["value"].rolling_sum(4)
        figure.add_scatter(x=rows["period_end"].to_list(), y=[None if v is None else v / 1e9 for v in ttm],
                           mode="lines", name=f"{ticker} TTM")
        for plan in plans.filter((pl.col("ticker") == ticker) & pl.col("guided_low").is_not_null()).iter_rows(
                named=True):
            figure.add_scatter(x=[rows["period_end"].to_list()[-1]] * 2,
                               y=[plan["guided_low"] / 1e9, plan["guided_high"] / 1e9], mode="lines+markers",
                               name=f"{ticker} FY{plan['fiscal_year']} guide", line={"width": 6},
                               hovertemplate=f"FY{plan['fiscal_year']} guide " + "%{y:.1f} $B<br>"
                                             + html.escape(str(plan["guidance_release"])) + "<extra></extra>")
    if not figure.data:
        return '<p class="muted">No capex in the lake.</p>'
    figure.update_layout(barmode="group", title=title, yaxis_title="$B")
    return _figure_html(figure, chart_id)


def margin_chart(beats: pl.DataFrame, ticker: str) -> str:
    import plotly.graph_objects as go

    rows = beats.filter((pl.col("ticker") == ticker) & (pl.col("metric") == "gross_margin")).sort("fiscal_period")
    if rows.is_empty():
        return ""
    figure = go.Figure()
    for (basis,), part in rows.group_by("basis", maintain_order=True):
        x = part["fiscal_period"].to_list()
        figure.add_scatter(x=x, y=part["guided_point"].to_list(), mode="lines+markers", line={"dash": "dot"},
                           name=f"guided ({basis or 'as stated'})",
                           error_y={"type": "data", "symmetric": False,
                                    "array": (part["guided_high"] - part["guided_point"]).to_list(),
                                    "arrayminus": (part["guided_point"] - part["guided_low"]).to_list()})
        figure.add_scatter(x=x, y=part["actual"].to_list(), mode="markers", name=f"actual ({basis or 'as stated'})",
                           marker={"size": 10})
    figure.update_layout(title=f"{ticker} gross margin: guided vs actual (%)", yaxis_title="%")
    return _figure_html(figure, f"margin-{ticker}")


def claims_section(claims: pl.DataFrame) -> str:
    import plotly.graph_objects as go

    if claims.is_empty():
        return '<p class="muted">No news figures in the lake.</p>'
    counts = claims.group_by("status").len().sort("status")
    figure = go.Figure(go.Bar(x=counts["status"].to_list(), y=counts["len"].to_list(), text=counts["len"].to_list(),
                              textposition="outside"))
    figure.update_layout(title="News figures by verdict", yaxis_title="figures")
    wrong = claims.filter(pl.col("status") == "disagrees").sort("url", "seq")
    table = _table(wrong, {"entity": "company", "metric": "metric", "period_normalized": "period", "value": "article",
                           "filing_value": "filing", "filing_source": "filing source", "filing_text": "filing says",
                           "quote": "article says"}, {"value", "filing_value"})
    return _figure_html(figure, "claims") + "<h3>Claims the filings contradict</h3>" + table


def build_report(lake: str, tickers: list[str] | None = None) -> str:
    import plotly.offline

    con = connect(lake)
    beats, facts = query(con, "SELECT * FROM beats"), query(con, "SELECT * FROM facts")
    plans, claims = query(con, "SELECT * FROM capex_plans"), query(con, "SELECT * FROM claims")
    quarters = capex_quarters(con)
    ciks = dict(query(con, "SELECT DISTINCT ticker, cik FROM actuals WHERE cik IS NOT NULL").iter_rows())
    known = sorted(set(beats["ticker"]) | set(facts["ticker"]) | set(quarters["ticker"]))
    chosen = [t for t in (tickers or known) if t in known]
    note = ""
    if not tickers and len(chosen) > MAX_COMPANIES:  # a whole-market lake: the companies with the newest results
        newest = facts.group_by("ticker").agg(pl.col("period_end").max()).sort("period_end", descending=True)
        chosen = sorted(newest["ticker"].head(MAX_COMPANIES).to_list())
        note = (f" · {MAX_COMPANIES} of {len(known)} companies (newest results); "
                "<code>earnings-lake report --tickers …</code> for others")
    sections = []
    for ticker in chosen:
        history = beats.filter((pl.col("ticker") == ticker) & (pl.col("metric") == "revenue")).sort("fiscal_period")
        table = _table(history.with_columns([(pl.col(c) / 1e9).alias(c) for c in
                                             ("guided_low", "guided_point", "guided_high", "actual", "beat")]),
                       {"fiscal_period": "quarter", "guided_low": "low $B", "guided_point": "guided $B",
                        "guided_high": "high $B", "actual": "actual $B", "beat": "beat $B", "beat_pct": "beat %",
                        "beat_streak": "streak", "guidance_release": "guidance", "actual_release": "actual from"},
                       {"guided_low", "guided_point", "guided_high", "actual", "beat", "beat_pct"}, ciks)
        sections.append(f'<h2 id="{ticker}">{ticker}</h2>' + beats_chart(beats, ticker) + table
                        + segment_chart(facts, ticker) + margin_chart(beats, ticker)
                        + capex_chart(quarters, plans, [ticker], f"capex-{ticker}",
                                      f"{ticker} capex: quarters, TTM and the year's guidance ($B)"))
    panel = capex_chart(quarters, plans, [t for t in HYPERSCALERS if t in known], "capex-hyperscalers",
                        "Hyperscaler capex by quarter, TTM and guided range ($B)")
    plan_table = _table(plans.filter(pl.col("ticker").is_in(HYPERSCALERS)).sort("ticker", "fiscal_year").with_columns(
        [(pl.col(c) / 1e9).alias(c) for c in ("reported", "ttm", "reported_incl_finance_leases", "guided_low",
                                              "guided_high", "change_vs_prior_guide")]),
        {"ticker": "ticker", "fiscal_year": "year", "reported": "reported $B", "ttm": "TTM $B",
         "reported_incl_finance_leases": "incl. finance-lease principal $B",
         "guided_low": "guide low $B", "guided_high": "guide high $B", "change_vs_prior_guide": "vs prior guide $B",
         "guided_on": "guided on", "guidance_release": "guidance", "guidance_sentence": "sentence"},
        {"reported", "ttm", "reported_incl_finance_leases", "guided_low", "guided_high", "change_vs_prior_guide"},
        ciks)
    nav = " · ".join(f'<a href="#{t}">{t}</a>' for t in chosen)
    when = datetime.now(UTC).isoformat(timespec="seconds")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>earnings-lake report</title>{STYLE}"
            f"<script>{plotly.offline.get_plotlyjs()}</script></head><body>"
            f"<h1>earnings-lake report</h1><p class='muted'>{html.escape(lake)} · {when}{note} · {nav} · "
            f"<a href='#hyperscalers'>hyperscaler capex</a> · <a href='#news'>news</a></p>"
            + "".join(sections)
            + f'<h2 id="hyperscalers">Hyperscaler capex</h2>{panel}{plan_table}'
            + f'<h2 id="news">News claims</h2>{claims_section(claims)}</body></html>')


def write_report(lake: str, tickers: list[str] | None = None, out: str | None = None) -> str:
    """Write report/index.html into the lake (or ``out``) and return where it is."""
    page = build_report(lake, tickers).encode("utf-8")
    store = open_store(out or lake)
    key = "index.html" if out else REPORT_KEY
    store.put(key, page)  # one object, replaced whole (a reader sees the old or the new report)
    return f"{store.url.rstrip('/')}/{key}"


def write_lake_report(rt: Any) -> str:
    """The report of a run's lake, written into it and linked from the Prefect run (an artifact)."""
    from prefect.artifacts import create_link_artifact

    where = write_report(rt.lake.url)
    link = where if "://" in where else Path(where).resolve().as_uri()
    create_link_artifact(link=link, link_text="earnings-lake report", key="lake-report",
                         description="Guidance vs actual, segments, capex and news claims of the lake (static HTML)")
    return where
