"""The ``earnings-lake`` command line."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from datetime import date
from typing import Any

from flows.parse_cli import add_parse_command, parse_command
from flows.prefect_api import PrefectUnavailable, prefect_defaults, start_prefect_api
from flows.readers_cli import add_reader_commands, datasets_command, ddl_command, report_command, sql_command
from tasks.config import load_settings
from tasks.dates import iso_date
from tasks.errors import ConfigError, EtlError, NotADate
from tasks.storage.lake_location import check_lake_location

FATAL = 1
TICKER = re.compile(r"[A-Za-z][A-Za-z0-9.\-]{0,9}|\d{1,10}")


def _date(value: str) -> date:
    try:
        day = iso_date(value)
    except NotADate:
        day = None
    if day is None:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}")
    return day


def _lake_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lake", help="local folder or s3://bucket/prefix (env EARNINGS_LAKE_LAKE; default ./lake)")


def _connection_options(parser: argparse.ArgumentParser) -> None:
    """--lake, and --json for the commands that print a summary or a list."""
    _lake_option(parser)
    parser.add_argument("--json", action="store_true", help="print the run summary as JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="earnings-lake", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="fetch filings from EDGAR and publish curated datasets")
    ingest.add_argument("tickers", nargs="+", help="tickers or CIKs, e.g. NVDA MSFT 1045810")
    ingest.add_argument("--since", type=_date, help="first filing date (YYYY-MM-DD)")
    ingest.add_argument("--until", type=_date, help="last filing date (YYYY-MM-DD)")
    ingest.add_argument("--forms", nargs="+", help="forms to take (default: 8-K Item 2.02, 10-Q, 10-K, amendments)")
    ingest.add_argument("--force", action="store_true", help="fetch archived documents again")
    ingest.add_argument("--mirror", help="fetch https://HOST/PATH from MIRROR/HOST/PATH (env EARNINGS_LAKE_MIRROR)")
    ingest.add_argument("--user-agent", dest="sec_user_agent", help="SEC User-Agent: name and e-mail")
    ingest.add_argument("--rate-limit", type=float, help="SEC requests per second (default 9, at most 10)")
    ingest.add_argument("--timeout", type=float, help="seconds per request (default 30)")
    ingest.add_argument("--max-bytes", type=int, help="largest response accepted (default 100 MB)")
    ingest.add_argument("--lockout-seconds", type=float, help="pause after SEC's rate-limit page (default 600)")
    ingest.add_argument("--runner", help="task runner: threads (default), dask (local cluster) or dask://HOST:PORT")
    _connection_options(ingest)

    news = commands.add_parser("news", help="read news feeds: articles and figures, checked against the filings")
    news.add_argument("--feed", action="append", dest="feeds", metavar="URL",
                      help="read this feed instead of deployments/news_sources.yaml (repeatable)")
    news.add_argument("--mirror", help="fetch https://HOST/PATH from MIRROR/HOST/PATH (env EARNINGS_LAKE_MIRROR)")
    news.add_argument("--user-agent", dest="sec_user_agent", help="User-Agent: name and e-mail")
    _connection_options(news)

    reprocess = commands.add_parser("reprocess", help="rebuild every curated dataset from raw/ (no network)")
    _connection_options(reprocess)

    bulk = commands.add_parser("facts-bulk", help="load SEC's companyfacts.zip (every filer) into financials_quarterly")
    bulk.add_argument("path", help="path of companyfacts.zip")
    bulk.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    _connection_options(bulk)

    quarantine = commands.add_parser("quarantine", help="batches the validation gate held back")
    actions = quarantine.add_subparsers(dest="action", required=True)
    _connection_options(actions.add_parser("list", help="every held-back batch, newest last"))
    show = actions.add_parser("show", help="why a run's batches were held back, with sample rows")
    show.add_argument("run_id")
    _lake_option(show)
    release = actions.add_parser("release", help="publish a run's reviewed batches (needs --force)")
    release.add_argument("run_id")
    release.add_argument("--force", action="store_true", help="yes, publish without the gate")
    _lake_option(release)

    serve = commands.add_parser("serve", help="start the deployments (backfill, daily-sweep, after-earnings, ...)")
    serve.add_argument("--mirror", help="fetch https://HOST/PATH from MIRROR/HOST/PATH (env EARNINGS_LAKE_MIRROR)")
    serve.add_argument("--list", action="store_true", help="print the deployments and schedules, do not serve")
    _lake_option(serve)

    add_reader_commands(commands, _lake_option)
    add_parse_command(commands)
    return parser


def _configure_logging(verbose: bool) -> None:
    level = logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    if sys.stderr.isatty():
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    else:
        handler.setFormatter(_JsonFormatter())
    root = logging.getLogger("earnings_lake")
    # Prefect's API handler (PREFECT_LOGGING_EXTRA_LOGGERS) stays: the package's lines appear in the run's logs.
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, logging.StreamHandler)] + [handler]
    root.setLevel(level)
    root.propagate = False


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({"time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                           "message": record.getMessage()})


def _print_summary(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary, indent=1, default=str))
        return
    from flows.summary import RunSummary

    view = RunSummary(
        filings_found=summary["filings_found"], articles_found=summary.get("articles_found", 0),
        documents_fetched=summary["documents_fetched"],
        documents_reused=summary["documents_reused"], failures=summary["failures"],
        rows_written=summary["rows_written"], partitions_written=summary["partitions_written"],
        datasets_failed=summary["datasets_failed"], quarantined=summary.get("quarantined", {}),
        held_back=summary.get("held_back", {}), places=summary.get("places", {}),
        releases_parsed=summary.get("releases_parsed", 0), releases_reused=summary.get("releases_reused", 0),
        unchanged=summary.get("unchanged", []),
    )
    print(view.render())


READERS = {"datasets": datasets_command, "sql": sql_command, "ddl": ddl_command, "report": report_command}


def main(argv: list[str] | None = None) -> int:
    prefect_defaults()
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    try:
        if args.command in READERS:
            return READERS[args.command](args)
        if args.command == "parse":
            return parse_command(args)
        if args.command == "news":
            options = {"sec_user_agent": args.sec_user_agent} if args.sec_user_agent else {}
            settings = load_settings(lake=args.lake, mirror=args.mirror, **options)
            settings.require_sec_user_agent()
            check_lake_location(settings.lake)
            start_prefect_api()
            from flows.news import news

            summary = news(feeds=args.feeds, lake=args.lake, mirror=args.mirror, options=options)
            _print_summary(summary, args.json)
            return int(summary["exit_code"])
        if args.command == "serve":
            from flows.serve_cli import serve_command

            if not args.list:
                start_prefect_api()

            return serve_command(args)
        if args.command == "quarantine":
            from flows.quarantine_cli import quarantine_command

            return quarantine_command(args)
        if args.command == "facts-bulk":
            from flows.bulk import facts_bulk

            start_prefect_api()

            result = facts_bulk(path=args.path, lake=args.lake, workers=args.workers)
            print(json.dumps(result, indent=1) if args.json else
                  f"companies: {result['companies']} ({result['companies_with_rows']} with rows), "
                  f"rows: {result['rows_written']}, partitions: {result['partitions']}, "
                  f"failed: {result['documents_failed']}"
                  + "".join(f"\n  FAILED {f['url']}: {f['reason']}" for f in result["failures"]))
            return int(result["exit_code"])
        if args.command == "ingest":
            options = {k: v for k in ("sec_user_agent", "rate_limit", "timeout", "max_bytes", "lockout_seconds")
                       if (v := getattr(args, k)) is not None}
            settings = load_settings(lake=args.lake, mirror=args.mirror, **options)
            settings.require_sec_user_agent()
            check_lake_location(settings.lake)
            if args.since and args.until and args.until < args.since:
                raise ConfigError(f"--until {args.until} is before --since {args.since}")
            bad = [t for t in args.tickers if not TICKER.fullmatch(t)]
            if bad:
                raise ConfigError(f"not a ticker or CIK: {', '.join(repr(t) for t in bad)}")
            start_prefect_api()
            from flows.ingest import ingest, summary_of
            from flows.progress_bar import progress_bar
            from flows.runners import task_runner

            runner = task_runner(args.runner, settings.workers)
            flow_ = ingest.with_options(task_runner=runner) if runner is not None else ingest
            with progress_bar(not args.json):
                summary = summary_of(flow_(tickers=args.tickers, since=args.since, until=args.until,
                                           forms=args.forms, force=args.force, lake=args.lake, mirror=args.mirror,
                                           options=options, return_state=True))
        else:
            start_prefect_api()
            from flows.ingest import reprocess, summary_of

            summary = summary_of(reprocess(lake=args.lake, return_state=True))
    except PrefectUnavailable as exc:
        print(f"earnings-lake: {exc}", file=sys.stderr)
        return FATAL
    except ConfigError as exc:
        print(f"earnings-lake: configuration error: {exc}", file=sys.stderr)
        return FATAL
    except EtlError as exc:
        print(f"earnings-lake: {exc}", file=sys.stderr)
        return FATAL
    except Exception as exc:  # one line for the user; the traceback with --debug
        if args.debug:
            raise
        print(f"earnings-lake: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return FATAL
    _print_summary(summary, args.json)
    return int(summary["exit_code"])


if __name__ == "__main__":
    sys.exit(main())
