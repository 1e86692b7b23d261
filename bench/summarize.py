#!/usr/bin/env python3
"""Turns scripts/bench's raw JSON lines into bench/results/<date>-<mode>.json and a table."""
import argparse
import json
import os
import platform
import statistics
import subprocess


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem_kib = int(line.split()[1])
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem_kib / 2**20, 1),
            "kernel": platform.release()}


def main():
    ap = argparse.ArgumentParser()
    for a in ("raw", "out", "mode"):
        ap.add_argument("--" + a, required=True)
    for a in ("agents", "events", "runs", "streams", "batch"):
        ap.add_argument("--" + a, type=int, required=True)
    ap.add_argument("--duration", type=float, required=True)
    a = ap.parse_args()

    raw = [json.loads(l) for l in open(a.raw)]
    by = {}
    for r in raw:
        by.setdefault(r["section"], []).append(r["data"])
    loads = [r["loadavg"] for r in raw]

    res = {"mode": a.mode, "agents": a.agents, "events_total": a.events, "runs": a.runs,
           "progress_run_seconds": a.duration, "ingest_streams": a.streams,
           "ingest_batch": a.batch, "machine": machine(), "loadavg_samples": loads}
    try:
        res["git"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                    text=True, cwd=os.path.dirname(a.raw)).stdout.strip() or None
    except OSError:
        pass

    def runs_ms(section, metric=None):
        d = by[section][0]
        if metric:
            return [r["metrics"][metric]["ms"] for r in d["runs"]]
        return [r["total_ms"] for r in d["runs"]]

    c = {}
    c["units"] = by["cascade_persist"][0]["runs"][0]["metrics"]["tickets"]["units"]
    c["compute_ms"] = runs_ms("cascade_compute", "tickets")
    c["persist_ms"] = runs_ms("cascade_persist", "tickets")
    c["all8_ms"] = runs_ms("cascade_all8")
    c["all8_count_ms"] = [sum(r["metrics"][m]["ms"] for m in ("tickets", "complaints", "overtime", "escalations"))
                          for r in by["cascade_all8"][0]["runs"]]
    bare = by["bare_plan"][0]
    c["bare_1_ms"] = [r["metrics_ms"]["tickets"] for r in bare["runs"]]
    c["bare_8_ms"] = [r["total_ms"] for r in bare["runs"]]
    c["bare_batch_bytes"] = bare["runs"][0]["batch_bytes"]
    for k in list(c):
        if k.endswith("_ms"):
            c[k + "_median"] = median(c[k])
    res["cascade"] = c

    ing = {}
    ing["events_per_s"] = [d["load"]["events_per_s"] for d in by["ingest"]]
    ing["cpu_us_per_event"] = [d["okrd_cpu_s"] * 1e6 / max(1, d["load"]["events"]) for d in by["ingest"]]
    ing["rejected"] = sum(d["load"]["rejected"] for d in by["ingest"])
    ing["stream_errors"] = sum(d["load"]["stream_errors"] for d in by["ingest"])
    ing["batch_ack_p50_ms"] = [d["load"]["batch_ack"]["p50_ms"] for d in by["ingest"]]
    ing["batch_ack_p99_ms"] = [d["load"]["batch_ack"]["p99_ms"] for d in by["ingest"]]
    ing["bare_events_per_s"] = [d["events_per_s"] for d in by["bare_events"]]
    ing["bare_rollups_events_per_s"] = [d["events_per_s"] for d in by["bare_events_rollups"]]
    ing["bare_rollups_sorted_events_per_s"] = [d["events_per_s"] for d in by.get("bare_events_rollups_sorted", [])]
    for k in list(ing):
        if isinstance(ing[k], list):
            ing[k + "_median"] = median(ing[k])
    res["ingest"] = ing

    q = {}
    for conc in (1, 8, 64):
        for m in ("progress", "health"):
            rs = by.get(f"{m}_c{conc}", [])
            q[f"{m}_c{conc}"] = {
                "qps": median([r["qps"] for r in rs]),
                "p50_ms": median([r["p50_ms"] for r in rs]),
                "p99_ms": median([r["p99_ms"] for r in rs]),
                "p999_ms": median([r["p999_ms"] for r in rs]),
                "errors": sum(r["errors"] for r in rs),
                "runs_qps": [r["qps"] for r in rs],
            }
    half = by.get("progress_half", [])
    q["half"] = {"rate": half[0]["rate"] if half else None,
                 "qps": median([r["qps"] for r in half]),
                 "p50_ms": median([r["p50_ms"] for r in half]),
                 "p99_ms": median([r["p99_ms"] for r in half]),
                 "p999_ms": median([r["p999_ms"] for r in half]),
                 "errors": sum(r["errors"] for r in half)}
    res["progress"] = q

    rst = {"ms": [d["ms_since_start"] for d in by["restart"]]}
    rst["ms_median"] = median(rst["ms"])
    rst["first_ms"] = rst["ms"][0]  # the first restart after ingestion (WAL replay, if any)
    rst["peak_rss_mib"] = max(d["vmhwm_kib"] for d in by["rss_before_restart"]) / 1024
    rst["rss_after_restart_mib"] = median([d["vmhwm_kib"] / 1024 for d in by["rss_after_restart"]])
    rst["db_bytes"] = by["db_size"][0]["bytes"]
    res["restart"] = rst

    micro = []
    for b in by["micro"][0]:
        if b.get("aggregate_name", "median") != "median" and "aggregate_name" in b:
            continue
        micro.append({"name": b.get("run_name", b["name"]), "real_time": b["real_time"],
                      "time_unit": b.get("time_unit", "ns"),
                      "items_per_second": b.get("items_per_second")})
    res["micro"] = micro

    # Goals.
    best_p = max(q[f"progress_c{c}"]["qps"] or 0 for c in (1, 8, 64))
    best_h = max(q[f"health_c{c}"]["qps"] or 0 for c in (1, 8, 64))
    goals = {
        "cascade_persist_le_250ms": c["persist_ms_median"] <= 250,
        "cascade_within_2x_bare": c["persist_ms_median"] <= 2 * c["bare_1_ms_median"],
        "ingest_ge_300k_per_s": ing["events_per_s_median"] >= 300000,
        "ingest_ge_50pct_bare": ing["events_per_s_median"] >= 0.5 * ing["bare_rollups_events_per_s_median"],
        "progress_ge_80pct_health": best_p >= 0.8 * best_h,
        "progress_p99_le_5ms_half_load": (q["half"]["p99_ms"] or 1e9) <= 5,
        "restart_le_5s": max(rst["ms"]) <= 5000,
        "rss_le_2gib": rst["peak_rss_mib"] <= 2048,
    }
    if "postgres" in by:
        goals["ingest_ge_1_3x_postgres"] = (
            ing["events_per_s_median"] >= 1.3 * by["postgres"][0]["ingest_events_per_s"])
    res["goals"] = goals
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)

    def f1(x):
        return "-" if x is None else f"{x:,.1f}"

    print(f"\nokr-cascade bench ({a.mode}): {a.agents:,} agents, {c['units']:,} units cascaded, "
          f"{a.events:,} events, median of {a.runs}")
    print(f"machine: {res['machine']['nproc']} x {res['machine']['cpu']}, {res['machine']['ram_gib']} GiB; "
          f"load avg first/last: {loads[0]} / {loads[-1]}")
    rows = [
        ("cascade 1 metric, compute (dry-run RPC)", f"{f1(c['compute_ms_median'])} ms", "", ""),
        ("cascade 1 metric, compute + persist", f"{f1(c['persist_ms_median'])} ms",
         f"bare WriteBatch {f1(c['bare_1_ms_median'])} ms ({c['bare_batch_bytes']:,} B)",
         f"{c['persist_ms_median'] / c['bare_1_ms_median']:.1f}x"),
        ("cascade all 8 metrics + persist", f"{f1(c['all8_ms_median'])} ms",
         f"bare 8 WriteBatches {f1(c['bare_8_ms_median'])} ms",
         f"{c['all8_ms_median'] / c['bare_8_ms_median']:.1f}x"),
        ("ingest (IngestStream, durable acks)", f"{ing['events_per_s_median']:,.0f} ev/s",
         f"bare events+rollups {ing['bare_rollups_events_per_s_median']:,.0f} ev/s "
         f"(events only {ing['bare_events_per_s_median']:,.0f}; rollups key-sorted "
         f"{ing['bare_rollups_sorted_events_per_s_median'] or 0:,.0f})",
         f"{100 * ing['events_per_s_median'] / ing['bare_rollups_events_per_s_median']:.0f}%"),
        ("ingest okrd CPU per event", f"{ing['cpu_us_per_event_median']:.1f} us", "", ""),
    ]
    for conc in (1, 8, 64):
        p, h = q[f"progress_c{conc}"], q[f"health_c{conc}"]
        rows.append((f"progress c={conc} QPS / p50 / p99 / p99.9 ms",
                     f"{p['qps']:,.0f} / {p['p50_ms']:.2f} / {p['p99_ms']:.2f} / {p['p999_ms']:.2f}",
                     f"health {h['qps']:,.0f} / {h['p50_ms']:.2f} / {h['p99_ms']:.2f} / {h['p999_ms']:.2f}",
                     f"{100 * p['qps'] / h['qps']:.0f}%"))
    hq = q["half"]
    rows.append((f"progress at half max ({hq['rate']:,.0f}/s) p50/p99/p99.9",
                 f"{hq['p50_ms']:.2f} / {hq['p99_ms']:.2f} / {hq['p999_ms']:.2f} ms", "", ""))
    rows.append(("restart to first progress answer", f"first {rst['first_ms']:,.0f} ms, median {rst['ms_median']:,.0f} ms",
                 "runs: " + ", ".join(f"{x:,.0f}" for x in rst["ms"]), ""))
    rows.append(("okrd peak RSS", f"{rst['peak_rss_mib']:,.0f} MiB", "", ""))
    if "postgres" in by:
        pg = res["postgres"] = by["postgres"][0]
        rows.append((f"PostgreSQL {pg['postgres']}: cascade 1 metric (SQL, {pg['plan_rows']:,} rows)",
                     f"{pg['cascade_ms']:,} ms", "", f"{pg['cascade_ms'] / c['persist_ms_median']:.1f}x okrd's time"))
        rows.append((f"PostgreSQL: ingest, {pg['batch']:,}-event transactions, ON CONFLICT",
                     f"{pg['ingest_events_per_s']:,} ev/s",
                     f"by COPY {pg['copy_events_per_s']:,} ev/s (no idempotence)",
                     f"okrd/PostgreSQL {ing['events_per_s_median'] / pg['ingest_events_per_s']:.2f}"))
        rows.append(("PostgreSQL: company month / group month (recursive CTE)",
                     f"{pg['company_month_ms']:,} / {pg['group_month_ms']:,} ms",
                     f"psql start alone {pg['psql_start_ms']} ms", ""))
    w = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  ".join(r[i].ljust(w[i]) for i in range(4)))
    print("micro-benchmarks (median real time):")
    for m in micro:
        ips = f"  {m['items_per_second']:,.0f} items/s" if m["items_per_second"] else ""
        print(f"  {m['name']:<40} {m['real_time']:>12,.3f} {m['time_unit']}{ips}")
    print("goals: " + ", ".join(f"{k}={'met' if v else 'MISSED'}" for k, v in goals.items()))


if __name__ == "__main__":
    main()
