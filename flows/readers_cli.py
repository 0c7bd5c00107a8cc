"""Commands for the people who read the lake: ``datasets [DATASET]``, ``sql``, ``ddl``, ``report``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tasks.config import load_settings


def add_reader_commands(commands: Any, lake_option: Any) -> None:
    datasets = commands.add_parser("datasets", help="the curated datasets, or one dataset's data dictionary")
    datasets.add_argument("dataset", nargs="?", help="a dataset name: its columns, meaning, unit, key, partitions, "
                                                     "rows and newest period per ticker")
    datasets.add_argument("--json", action="store_true", help="print the catalog (or the dictionary) as JSON")
    lake_option(datasets)

    sql = commands.add_parser("sql", help="query the lake with DuckDB (a view per dataset, plus beats, facts, "
                                          "capex_plans, claims)")
    sql.add_argument("--query", "-q", help="run one query and print its result (else read queries from stdin)")
    sql.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    lake_option(sql)

    ddl = commands.add_parser("ddl", help="print DDL that opens the lake in another engine")
    ddl.add_argument("--athena", action="store_true", help="Athena / Glue CREATE EXTERNAL TABLE statements")
    ddl.add_argument("--location", help="s3://bucket/prefix of the lake for --athena (default: the lake)")
    ddl.add_argument("--database", default="earnings_lake", help="Athena database (default earnings_lake)")
    lake_option(ddl)

    report = commands.add_parser("report", help="write a static HTML report with charts into the lake")
    report.add_argument("--tickers", nargs="*", help="companies to report (default: every company in the lake)")
    report.add_argument("--out", help="folder (or s3://…) for report/index.html (default: the lake's report/)")
    lake_option(report)


def _lake(args: argparse.Namespace) -> str:
    return load_settings(lake=args.lake).lake


def datasets_command(args: argparse.Namespace) -> int:
    from tasks.storage.dataset_info import dataset_detail, dataset_list

    lake = _lake(args)
    if args.dataset:
        detail = dataset_detail(lake, args.dataset)
        print(json.dumps(detail, indent=1, default=str) if args.json else detail["text"])
        return 0
    listing = dataset_list(lake)
    print(json.dumps(listing["catalog"], indent=1) if args.json else listing["text"])
    return 0


def _print(frame: Any, as_csv: bool) -> None:
    import polars as pl

    if as_csv:
        sys.stdout.write(frame.write_csv())
        return
    with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_width_chars=10_000, fmt_str_lengths=120, tbl_hide_dataframe_shape=True,
                   fmt_float="full"):
        print(frame)


def sql_command(args: argparse.Namespace) -> int:
    import duckdb

    from tasks.storage.sql_views import connect, query

    con = connect(_lake(args))
    if not args.query and sys.stdin.isatty():
        print("views: " + ", ".join(r[0] for r in con.sql("SHOW TABLES").fetchall()) + "\n"
              "type queries separated by ';', end with Ctrl-D (or use --query)", file=sys.stderr)
    statements = [args.query] if args.query else [q for q in sys.stdin.read().split(";") if q.strip()]
    for statement in statements:
        try:
            _print(query(con, statement), args.csv)
        except duckdb.Error as exc:
            print(f"error: {str(exc).splitlines()[0]}", file=sys.stderr)
            return 2
    return 0


def ddl_command(args: argparse.Namespace) -> int:
    from tasks.storage.sql_views import athena_ddl, duckdb_ddl

    lake = _lake(args)
    if args.athena:
        location = args.location or lake
        if not location.startswith("s3://"):
            print("error: --athena needs the lake's s3:// location (--location s3://bucket/prefix)", file=sys.stderr)
            return 2
        sys.stdout.write(athena_ddl(location, args.database))
    else:
        if "://" in lake and not lake.startswith("file://"):
            print("error: DuckDB DDL reads a local lake; for S3 use `earnings-lake sql` or `ddl --athena`",
                  file=sys.stderr)
            return 2
        sys.stdout.write(duckdb_ddl(lake))
    return 0


def report_command(args: argparse.Namespace) -> int:
    from tasks.storage.report import write_report

    where = write_report(_lake(args), tickers=args.tickers, out=args.out)
    print(f"report: {where}")
    return 0
