"""The lake as SQL: one DuckDB view per dataset, the analyst views over them, and DDL for other engines.

A local lake is read in place (``read_parquet`` over its Hive partitions, lazily); an S3 lake is read through the
project's object store (boto3's credential chain) into Arrow tables, so no DuckDB extension is needed offline.
Analyst views: ``beats`` (guided vs actual per company × quarter × metric × basis, with the streak), ``facts``
(the preferred row of each reported fact), ``capex_plans`` (per company and fiscal year: reported capex, with
finance-lease principal where the release reports it, TTM, latest guidance and its change from the guidance
before), ``claims`` (news figures with the filing value).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from schemas.contract import DatasetContract
from schemas.registry import CONTRACTS

ANALYST_VIEWS = {
    "beats": """
        SELECT ticker, fiscal_period, calendar_period, metric, basis, unit, guided_low, guided_point, guided_high,
               actual, beat, beat_pct, position, beat_streak, guidance_release, actual_release, guidance_sentence
        FROM guidance_vs_actual""",
    "facts": """
        SELECT ticker, fiscal_period, calendar_period, period_end, metric, metric_detail, segment, value, unit,
               release_id, source, xbrl_check, xbrl_value, xbrl_fact
        FROM actuals WHERE preferred""",
    "capex_plans": """
        WITH quarters AS (
            SELECT ticker, fiscal_year, fiscal_period, period_end, capex AS value FROM capex
            WHERE period_type = 'quarter'
            UNION ALL
            SELECT a.ticker, a.fiscal_year, a.fiscal_period, a.period_end, a.value FROM actuals a
            WHERE a.preferred AND a.metric = 'capex' AND a.segment IS NULL AND a.metric_detail IS NULL
              AND NOT EXISTS (SELECT 1 FROM capex c WHERE c.ticker = a.ticker AND c.fiscal_period = a.fiscal_period
                              AND c.period_type = 'quarter')),
        rolling AS (
            SELECT *, sum(value) OVER w AS sum4, min(period_end) OVER w AS first_end, count(*) OVER w AS n
            FROM quarters
            WINDOW w AS (PARTITION BY ticker ORDER BY period_end ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)),
        ttm AS (
            SELECT ticker, fiscal_year, arg_max(CASE WHEN n = 4 AND period_end - first_end < 300 THEN sum4 END,
                                                period_end) AS ttm,
                   arg_max(fiscal_period, period_end) AS ttm_through
            FROM rolling GROUP BY ticker, fiscal_year),
        years AS (
            SELECT ticker, fiscal_year, CASE WHEN count(*) = 4 THEN sum(value) END AS reported
            FROM quarters GROUP BY ticker, fiscal_year),
        leases AS (
            SELECT ticker, fiscal_year, CASE WHEN count(*) = 4 THEN sum(value) END AS principal
            FROM actuals WHERE preferred AND metric = 'other' AND metric_detail = 'finance_lease_principal'
            GROUP BY ticker, fiscal_year),
        guides AS (
            SELECT ticker, fiscal_year, issued_date, low, high, point, release_id, sentence,
                   row_number() OVER (PARTITION BY ticker, fiscal_year ORDER BY issued_date DESC,
                                      accession IS NULL) AS newest
            FROM guidance
            WHERE metric = 'capex' AND fiscal_period NOT LIKE '%Q%' AND low IS NOT NULL
              AND (metric_detail IS NULL OR metric_detail = 'incl_finance_lease_principal')),
        latest AS (SELECT * FROM guides WHERE newest = 1),
        prior AS (SELECT * FROM guides WHERE newest = 2),
        keys AS (SELECT ticker, fiscal_year FROM latest UNION SELECT ticker, fiscal_year FROM years)
        SELECT k.ticker, k.fiscal_year, coalesce(c.capex, y.reported) AS reported, t.ttm, t.ttm_through,
               y.reported + f.principal AS reported_incl_finance_leases,
               l.low AS guided_low, l.high AS guided_high, l.point AS guided_point, l.issued_date AS guided_on,
               (l.low + l.high) / 2 - (p.low + p.high) / 2 AS change_vs_prior_guide,
               p.low AS prior_low, p.high AS prior_high, p.issued_date AS prior_on,
               l.release_id AS guidance_release, l.sentence AS guidance_sentence
        FROM keys k LEFT JOIN years y USING (ticker, fiscal_year) LEFT JOIN ttm t USING (ticker, fiscal_year)
             LEFT JOIN (SELECT ticker, fiscal_year, capex FROM capex WHERE period_type = 'year') c
                  USING (ticker, fiscal_year)
             LEFT JOIN leases f USING (ticker, fiscal_year)
             LEFT JOIN latest l USING (ticker, fiscal_year) LEFT JOIN prior p USING (ticker, fiscal_year)""",
    "claims": """
        SELECT published_year, source, url, seq, entity, ticker, metric, segment, basis, period_normalized,
               calendar_period, value, value_high, unit, qualifier, status, filing_value, filing_value_high,
               difference, filing_dataset, filing_source, filing_text, reason, quote
        FROM news_figures""",
}

_DUCK = {"String": "VARCHAR", "Int32": "INTEGER", "Int64": "BIGINT", "Float64": "DOUBLE", "Boolean": "BOOLEAN",
         "Date": "DATE", "Datetime": "TIMESTAMPTZ"}
_HIVE = {"String": "string", "Int32": "int", "Int64": "bigint", "Float64": "double", "Boolean": "boolean",
         "Date": "date", "Datetime": "timestamp"}


def _type(dtype: Any, names: dict[str, str], *, hive: bool) -> str:
    if isinstance(dtype, type) and dtype in (pl.List, pl.Struct):
        raise ValueError(f"a nested type without its fields: {dtype}")
    if isinstance(dtype, pl.List):
        inner = _type(dtype.inner, names, hive=hive)
        return f"array<{inner}>" if hive else f"{inner}[]"
    if isinstance(dtype, pl.Struct):
        fields = [(f.name, _type(f.dtype, names, hive=hive)) for f in dtype.fields]
        return ("struct<" + ",".join(f"{n}:{t}" for n, t in fields) + ">") if hive else \
            ("STRUCT(" + ", ".join(f"{n} {t}" for n, t in fields) + ")")
    return names[dtype.__name__ if isinstance(dtype, type) else type(dtype).__name__]


def duckdb_type(dtype: Any) -> str:
    return _type(dtype, _DUCK, hive=False)


def hive_type(dtype: Any) -> str:
    return _type(dtype, _HIVE, hive=True)


def _empty_view(contract: DatasetContract) -> str:
    columns = ", ".join(f"CAST(NULL AS {duckdb_type(t)}) AS {c}" for c, t in contract.columns.items())
    return f"SELECT {columns} WHERE false"


def _local_view(root: Path, contract: DatasetContract) -> str:
    folder = root / "curated" / contract.name
    if not any(folder.glob("**/*.parquet")):
        return _empty_view(contract)
    # Partition columns get their contract types; a column a newer contract added reads as null.
    hive = ", ".join(f"'{c}': '{duckdb_type(contract.columns[c])}'" for c in contract.partition_by)
    source = (f"read_parquet('{folder.as_posix()}/**/*.parquet', hive_partitioning = true, union_by_name = true, "
              f"hive_types = {{{hive}}})")
    described = duckdb.sql(f"DESCRIBE SELECT * FROM {source}")
    present = {row[0] for row in (described.fetchall() if described is not None else [])}
    columns = ", ".join(c if c in present else f"CAST(NULL AS {duckdb_type(t)}) AS {c}"
                        for c, t in contract.columns.items())
    return f"SELECT {columns} FROM {source}"


def connect(lake: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a view per dataset and the analyst views."""
    con = duckdb.connect()
    if "://" in lake and not lake.startswith("file://"):
        from tasks.storage.lake import Lake
        from tasks.storage.object_store import open_store

        reader = Lake(open_store(lake))
        for name, contract in CONTRACTS.items():
            con.register(f"{name}_data", reader.read_dataset(contract).to_arrow())
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM {name}_data")
    else:
        root = Path(lake.removeprefix("file://"))
        for name, contract in CONTRACTS.items():
            con.execute(f"CREATE VIEW {name} AS {_local_view(root, contract)}")
    for name, body in ANALYST_VIEWS.items():
        con.execute(f"CREATE VIEW {name} AS {body}")
    return con


def duckdb_ddl(lake: str) -> str:
    """CREATE VIEW statements that open the lake's datasets (and the analyst views) in any DuckDB."""
    root = Path(lake.removeprefix("file://")).resolve()
    statements = [f"CREATE OR REPLACE VIEW {name} AS {_local_view(root, c)};" for name, c in CONTRACTS.items()]
    statements += [f"CREATE OR REPLACE VIEW {name} AS {' '.join(body.split())};" for name, body in
                   ANALYST_VIEWS.items()]
    return "\n".join(statements) + "\n"


def athena_ddl(location: str, database: str = "earnings_lake") -> str:
    """CREATE EXTERNAL TABLE statements (Athena / Glue, Hive DDL) for the lake at ``location`` (s3://bucket/prefix),
    with each column's meaning as its comment; run MSCK REPAIR TABLE (or add partitions) after each ingest."""
    base = location.rstrip("/")
    out = []
    for name, contract in CONTRACTS.items():
        docs = contract.column_docs()
        body = ",\n".join(f"  `{c}` {hive_type(t)} COMMENT '{docs[c]['meaning'].replace(chr(39), '')}'"
                          for c, t in contract.columns.items() if c not in contract.partition_by)
        parts = ", ".join(f"`{c}` {hive_type(contract.columns[c])}" for c in contract.partition_by)
        description = contract.description.replace("'", "")
        out.append(f"CREATE EXTERNAL TABLE IF NOT EXISTS {database}.{name} (\n{body}\n)\n"
                   f"COMMENT '{description}'\nPARTITIONED BY ({parts})\nSTORED AS PARQUET\n"
                   f"LOCATION '{base}/curated/{name}/';")
    return "\n\n".join(out) + "\n"


def query(con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    relation = con.sql(sql)
    if relation is None:  # a statement without a result (CREATE, SET …)
        return pl.DataFrame()
    result: pl.DataFrame = relation.pl()
    return result
