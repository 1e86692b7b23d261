#!/usr/bin/env python3
"""Synthetic support organisation for the benchmarks.

1 company, 20 teams, agents/100 groups (1,000 for 100,000 agents), `agents` agents.
FTE: 70% 1.0, 15% 0.8, 10% 0.5, 5% 0.6. 20% joiners/leavers in the benchmark year
(10% start during the year, 10% leave during it). Deterministic (seeded).

Writes the org CSV (okrctl org import format) to --out.
"""
import argparse
import datetime
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--agents", type=int, default=100000)
    ap.add_argument("--teams", type=int, default=20)
    ap.add_argument("--group-size", type=int, default=100)
    ap.add_argument("--year", type=int, default=2026)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    rng = random.Random(a.seed)
    groups = max(1, a.agents // a.group_size)
    first = datetime.date(a.year, 1, 1)
    days = (datetime.date(a.year, 12, 31) - first).days

    def day(lo, hi):
        return (first + datetime.timedelta(days=rng.randint(lo, hi))).isoformat()

    with open(a.out, "w") as f:
        f.write("unit_id,parent_id,kind,name,fte,start_date,end_date\n")
        f.write("acme,,company,Acme Support,,,\n")
        for t in range(a.teams):
            f.write(f"t{t:02d},acme,team,Team {t},,,\n")
        for g in range(groups):
            f.write(f"g{g:04d},t{g % a.teams:02d},group,Group {g},,,\n")
        for i in range(a.agents):
            g = i * groups // a.agents
            r = rng.random()
            fte = "1" if r < 0.70 else "0.8" if r < 0.85 else "0.5" if r < 0.95 else "0.6"
            start = end = ""
            r = rng.random()
            if r < 0.10:        # joiner: starts during the year
                start = day(31, days - 30)
            elif r < 0.20:      # leaver: last day during the year
                end = day(30, days - 31)
            else:
                start = f"{a.year - 1 - rng.randint(0, 5)}-{rng.randint(1, 12):02d}-01"
            f.write(f"a{i:06d},g{g:04d},agent,Agent {i},{fte},{start},{end}\n")


if __name__ == "__main__":
    main()
