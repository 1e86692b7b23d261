#!/usr/bin/env python3
"""Actual events for the PostgreSQL comparison, as SQL for psql: one transaction per --batch
events, each a multi-row INSERT ... ON CONFLICT (event_id) DO NOTHING (idempotent by event id,
as okrd's ingest is). Agents uniform over the org's agents, days uniform over 2026, values
1..20 tickets. Deterministic (seeded)."""
import argparse
import csv
import datetime
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--org", required=True)
    ap.add_argument("--events", type=int, required=True)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", required=True)
    ap.add_argument("--copy", action="store_true",
                    help="COPY each batch instead (PostgreSQL's fastest load; no idempotence, "
                         "so the table must be empty): the database's ceiling")
    a = ap.parse_args()
    with open(a.org) as f:
        agents = [row["unit_id"] for row in csv.DictReader(f) if row["kind"] == "agent"]
    rng = random.Random(a.seed)
    first = datetime.date(2026, 1, 1)
    days = [(first + datetime.timedelta(days=d)).isoformat() for d in range(365)]
    with open(a.out, "w") as out:
        for start in range(0, a.events, a.batch):
            rows = [("e%d" % i, rng.choice(agents), rng.choice(days),
                     rng.randint(1, 20) * 1000000)
                    for i in range(start, min(a.events, start + a.batch))]
            if a.copy:
                out.write("BEGIN;\nCOPY events FROM STDIN;\n")
                out.write("".join("%s\t%s\ttickets\t%s\t%d\n" % r for r in rows))
                out.write("\\.\nCOMMIT;\n")
            else:
                out.write("BEGIN;\nINSERT INTO events VALUES %s ON CONFLICT (event_id) DO NOTHING;\n"
                          "COMMIT;\n" % ",".join("('%s','%s','tickets','%s',%d)" % r for r in rows))


if __name__ == "__main__":
    main()
