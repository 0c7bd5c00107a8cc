"""``earnings-lake quarantine list | show RUN_ID | release RUN_ID --force``."""

from __future__ import annotations

import argparse
import json

from tasks.config import load_settings
from tasks.storage.lake import Lake
from tasks.storage.object_store import open_store
from tasks.storage.quarantine import held, release, rows_of


def quarantine_command(args: argparse.Namespace) -> int:
    lake = Lake(open_store(load_settings(lake=args.lake).lake))
    if args.action == "list":
        batches = held(lake)
        if args.json:
            print(json.dumps([b.__dict__ for b in batches], indent=1))
        elif not batches:
            print("nothing held back")
        for b in batches if not args.json else []:
            state = f"released {b.released_at}" if b.released_at else "held"
            print(f"{b.held_at}  run={b.run_id}  {b.dataset:<22} {b.rows:>7} rows  {state}")
        return 0
    if args.action == "show":
        batches = held(lake, args.run_id)
        if not batches:
            print(f"nothing held back for run {args.run_id}")
            return 1
        for b in batches:
            print(f"{b.dataset}: {b.rows} rows held {b.held_at}{' (released)' if b.released_at else ''}")
            print(f"  reason: {b.reason}")
            print(rows_of(lake, b.dataset, args.run_id).head(5))
        return 0
    if not args.force:
        print("release publishes rows that failed validation: review them with `quarantine show`, then add --force")
        return 1
    results = release(lake, args.run_id)
    for result in results:
        print(f"released {result.dataset}: {result.rows_in} rows, {len(result.partitions_written)} partitions written")
    return 0
