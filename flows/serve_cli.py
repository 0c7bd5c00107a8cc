"""``earnings-lake serve``: register the deployments with their schedules and run them on this machine."""

from __future__ import annotations

import argparse


def serve_command(args: argparse.Namespace) -> int:
    from prefect import serve

    from flows.operations import build_deployments

    deployments = build_deployments(lake=args.lake, mirror=args.mirror)
    for d in deployments:
        rules = [getattr(s.schedule, "rrule", None) or getattr(s.schedule, "cron", None) for s in (d.schedules or [])]
        shown = "; ".join(str(r).replace("\n", " ") for r in rules) or "manual"
        print(f"{d.flow_name}/{d.name}: {shown}")
    if args.list:
        return 0
    serve(*deployments)
    return 0
