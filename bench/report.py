#!/usr/bin/env python3
"""Turns a bench/run results folder into the Markdown of BENCHMARKS.md.

    bench/report.py RESULTS_DIR > report.md

bench/run prints what this writes, so the file holds exactly the figures the
run printed. Inputs (all written by bench/run):
  meta.tsv              the machine, the date, versions, run counts
  mask.tsv              secret or temp value -> the name shown instead
  hf-GROUP.json         hyperfine --export-json of one group
  hf-GROUP.cmds         LABEL<TAB>COMMAND, in the order given to hyperfine
  hf-GROUP.env          VAR=VALUE set for that group only
  wrk-NAME-ROUND.json   one wrk run (bench/wrk-report.lua's JSON line)
  wrk-max.cmd, wrk-paced.cmd
  sizes.tsv             NAME<TAB>BYTES
  rss.cmds, rss-LABEL.txt   peak RSS in KiB, one run a line
"""
import json
import statistics
import sys
from pathlib import Path

RESULTS = Path(sys.argv[1])


def tsv(name):
    path = RESULTS / name
    if not path.exists():
        return []
    return [line.split("\t", 1) for line in path.read_text().splitlines() if line]


def tsv_rows(name):
    """Every column of every line of a results file (none when missing)."""
    path = RESULTS / name
    if not path.exists():
        return []
    return [line.split("\t") for line in path.read_text().splitlines() if line]


META = dict(tsv("meta.tsv"))
MASKS = sorted(tsv("mask.tsv"), key=lambda m: -len(m[0]))  # longest first


def mask(text):
    for secret, name in MASKS:
        text = text.replace(secret, name)
    return text


def ms(seconds):
    v = seconds * 1000
    return f"{v:.2f} ms" if v < 10 else f"{v:.1f} ms" if v < 1000 else f"{v / 1000:.2f} s"


def ratio(x, base):
    return f"{x / base:.2f}×" if base else "–"


def mark(ok):
    return "**pass**" if ok else "**MISS**"


class Group:
    """One hyperfine group: medians by label, and the commands."""

    def __init__(self, name):
        self.name = name
        # One hyperfine export per round (see hf in bench/run); the rounds of
        # a command are merged into one sample.
        paths = sorted(RESULTS.glob(f"hf-{name}-r*.json"))
        self.present = bool(paths)
        merged = {}
        for path in paths:
            for r in json.loads(path.read_text())["results"]:
                m = merged.setdefault(r["command"], {"times": [], "user": 0.0, "system": 0.0})
                k = len(r["times"])
                m["times"] += r["times"]
                m["user"] += r["user"] * k  # hyperfine gives means; weight by runs
                m["system"] += r["system"] * k
        self.results = {}
        for command, m in merged.items():
            t = m["times"]
            self.results[command] = {
                "median": statistics.median(t),
                "mean": statistics.mean(t),
                "stddev": statistics.stdev(t) if len(t) > 1 else 0.0,
                "min": min(t),
                "max": max(t),
                "user": m["user"] / len(t),
                "system": m["system"] / len(t),
            }
        self.runs = len(next(iter(merged.values()))["times"]) if merged else 0
        rounds = tsv(f"hf-{name}.rounds")
        if rounds:
            self.warmup = rounds[0][0]
            self.per_round, self.rounds = rounds[0][1].split("\t")
        else:
            self.warmup = self.per_round = self.rounds = "?"
        self.cmds = tsv(f"hf-{name}.cmds")
        env_path = RESULTS / f"hf-{name}.env"
        self.env = [e for e in env_path.read_text().splitlines() if e] if env_path.exists() else []

    def median(self, label):
        r = self.results.get(label)
        return r["median"] if r else None

    def table(self, rows):
        """rows: (label, description, baseline label or None)."""
        out = ["| command | median | mean ± σ | min … max | CPU | ratio | to |", "|---|---:|---:|---:|---:|---:|---|"]
        for label, desc, base in rows:
            r = self.results.get(label)
            if not r:
                continue
            b = self.median(base) if base else None
            out.append(
                f"| {desc} | {ms(r['median'])} | {ms(r['mean'])} ± {ms(r['stddev'] or 0)} "
                f"| {ms(r['min'])} … {ms(r['max'])} | {ms(r['user'] + r['system'])} | {ratio(r['median'], b) if b else '–'} "
                f"| {next((d for l, d, _ in rows if l == base), '') if b else ''} |"
            )
        return "\n".join(out)

    def commands(self):
        env = "".join(f"{mask(e)} " for e in self.env)
        head = (f"# {self.rounds} rounds of this, {self.runs} runs a command in all (warm-up 1 after the first round)\n"
                f"    {env}hyperfine -N --warmup {self.warmup} --runs {self.per_round} --export-json hf-{self.name}-rN.json")
        lines = [f"    {head} \\"]
        for i, (label, cmd) in enumerate(self.cmds):
            end = " \\" if i < len(self.cmds) - 1 else ""
            lines.append(f"      -n {label} {shell_quote(mask(cmd))}{end}")
        return "\n".join(lines)


def shell_quote(s):
    # Double quotes keep the single-quoted header readable, and a reader who
    # sets KEY, URL and WORK can paste the command as it stands.
    if not any(c in s for c in '"`\\!'):
        return '"' + s + '"'
    return "'" + s.replace("'", "'\\''") + "'"


def wrk(name):
    runs = []
    for path in sorted(RESULTS.glob(f"wrk-{name}-*.json")):
        text = path.read_text().strip()
        if text:
            runs.append(json.loads(text))
    if not runs:
        return None
    rps = [r["requests"] / (r["duration_us"] / 1e6) for r in runs]
    return {
        "rps": statistics.median(rps),
        "p50": statistics.median(r["p50_us"] for r in runs) / 1000,
        "p99": statistics.median(r["p99_us"] for r in runs) / 1000,
        "requests": sum(r["requests"] for r in runs),
        "bad": sum(r["non2xx"] + r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"] for r in runs),
        "rounds": len(runs),
    }


def main():
    quick = META.get("mode") == "quick"
    out = []
    p = out.append
    goals = []  # (goal, figure, ok or None for not measured)

    p("# Benchmarks")
    p("")
    p(
        "Written by `bench/run"
        + (" --quick" if quick else " --write")
        + "`; every figure here is what that run printed. Run `bench/run --write` to measure again and "
        "replace this file (a few minutes); `bench/run --quick` (what CI runs) measures less and writes "
        "a temp file. Medians; each ratio is to a baseline measured in the same run, in the same "
        "hyperfine invocations: each table's runs are split into rounds of every command, merged, so "
        "a drifting load on the machine falls on both sides of a ratio."
    )
    if quick:
        p("")
        p("**Quick mode**: few runs, 100 and 1,000 keys, short wrk runs. The figures are rough.")
    p("")
    p("## The machine")
    p("")
    p("| | |")
    p("|---|---|")
    for k, name in [("date", "date"), ("cpu", "CPU"), ("nproc", "nproc"), ("kernel", "kernel"), ("os", "OS"),
                    ("commit", "scripto at"), ("rustc", "rustc"), ("hyperfine", "hyperfine"), ("wrk", "wrk"),
                    ("curl", "curl"), ("gh", "gh"), ("aws", "aws"), ("keyring", "keyring"), ("load", "load")]:
        if k in META:
            p(f"| {name} | {META[k]} |")
    p("")
    p(
        "The machine is shared: other jobs (compiles) may have run beside the benchmark, which "
        "widens the spreads; the ratios, taken in the same rounds, are steadier than the absolute times, "
        "and so is *CPU* (hyperfine's mean user + system time of the process, which waiting for a "
        "core does not add to). The load averages above tell how busy the machine was. "
        "`scripto` is `target/bench/release/scripto` (`cargo build --release --locked`); `$URL` is "
        "the local `scripto-server` on a free loopback port with a fresh database and raised "
        "budgets (`--credential-limit` and `--anonymous-limit` 1,000,000,000 a minute); `$KEY` "
        "is the bench profile's API key; `$WORK` is the run's temp dir (removed at the end)."
    )

    # --- start-up
    g = Group("startup")
    curl_v = g.median("curl")
    rows = [("scripto", "`scripto --version`", "curl"), ("curl", "`curl --version`", None),
            ("gh", "`gh --version`", "curl"), ("aws", "`aws --version`", "curl")]
    p("")
    p("## Start-up: `--version`")
    p("")
    p(g.table(rows))
    for tool, pkg in [("gh", "gh"), ("aws", "awscli")]:
        if tool not in g.results:
            p("")
            p(f"`{tool}`: skipped, not installed (`apt-get install -y {pkg}`).")
    p("")
    p(g.commands())
    s = g.median("scripto")
    goals.append(("`scripto --version` no slower than `curl --version`",
                  f"{ms(s)} vs {ms(curl_v)} ({ratio(s, curl_v)})", s <= curl_v))

    # --- auth token
    g = Group("token")
    p("")
    p("## Printing the key: `auth token`")
    p("")
    base = "gh" if "gh" in g.results else None
    p(g.table([("scripto-file", "`scripto auth token`, key in the file", base),
               ("scripto-keyring", "`scripto auth token`, key in the keyring", base),
               ("gh", "`gh auth token`, `GH_TOKEN` set", None)]))
    if "scripto-keyring" not in g.results:
        p("")
        p(f"Key in the keyring: {META.get('keyring', 'skipped: no keyring')}.")
    p("")
    p(g.commands())
    for label, where in [("scripto-file", "file"), ("scripto-keyring", "keyring")]:
        t = g.median(label)
        if t is not None:
            goals.append((f"`auth token` under 3 ms, key in the {where}",
                          f"{ms(t)}" + (f" ({ratio(t, g.median('gh'))} gh)" if base else ""), t < 0.003))
        else:
            goals.append((f"`auth token` under 3 ms, key in the {where}", META.get("keyring"), None))

    # --- scripto run
    g = Group("run")
    if g.present:
        p("")
        p("## Running a command with the key: `scripto run -- true`")
        p("")
        p(g.table([("token", "`scripto auth token`, key in the file", None),
                   ("run", "`scripto run -- true`, key in the file", "token"),
                   ("true", "`true` alone", None)]))
        p("")
        p(g.commands())
        t, b = g.median("run"), g.median("token")
        goals.append(("`scripto run -- true` at most 1.5× `auth token`, key in the file",
                      f"{ms(t)} vs {ms(b)} ({ratio(t, b)})", t <= 1.5 * b))
    else:
        goals.append(("`scripto run -- true` at most 1.5× `auth token`, key in the file", "not measured", None))

    # --- one request
    p("")
    p("## One request")
    p("")
    p(
        "`auth status --json` sends three requests, one after another (`GET /v1/me`, "
        "`/v1/keys/ID` for its own key, `/v1/projects`); the goal compares it with one curl "
        "request to `/v1/me`, and the row *curl, the same 3 requests* shows curl doing all three "
        "(one process, one connection). `keys list --json` sends one, "
        "`GET /v1/keys?status=active&limit=20`, as the curl row does."
    )
    for group, where in [("request-file", "the file"), ("request-env", "the environment (`SCRIPTO_API_KEY`)"),
                         ("request-keyring", "the keyring")]:
        g = Group(group)
        p("")
        p(f"### Key from {where}")
        p("")
        if not g.present:
            p(META.get("keyring", "skipped"))
            goals.append((f"one request at most 1.5× curl, key from {where}", META.get("keyring"), None))
            continue
        p(g.table([("status", "`scripto --json auth status`", "curl-me"),
                   ("curl-me", "`curl $URL/v1/me`", None),
                   ("curl-3", "curl, the same 3 requests", "curl-me"),
                   ("keys-list", "`scripto --json keys list`", "curl-keys"),
                   ("curl-keys", "`curl $URL/v1/keys?…`", None)]))
        p("")
        p(g.commands())
        for label, base, what in [("status", "curl-me", "`auth status --json`"), ("keys-list", "curl-keys", "`keys list --json`")]:
            t, b = g.median(label), g.median(base)
            goals.append((f"{what} at most 1.5× curl, key from {where}", f"{ms(t)} vs {ms(b)} ({ratio(t, b)})", t <= 1.5 * b))

    # --- scale
    sizes = [int(n) for n in META.get("sizes", "").split()]
    p("")
    p("## Scale: `keys list --paginate --json`")
    p("")
    p(
        "The bench user's keys, seeded through `POST /v1/keys` (bench/seed.py), grow from one size "
        "to the next; `--paginate` follows the cursors page by page (20 keys a page, the default `--limit`). "
        "The ratio is to the smallest size; *growth* compares each step's time ratio with its key-count "
        "ratio (linear: the time grows at most as fast as the keys, with 20% slack)."
    )
    p("")
    p("| keys | median | mean ± σ | min … max | CPU | ratio | per 1,000 keys | growth | instructions | growth | page at the bottom / top |")
    p("|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|")
    points = []
    instr = []  # (keys, client instructions)
    page_ratios = []  # (keys, bottom page ms / top page ms)
    cmds = []
    for n in sizes:
        g = Group(f"scale-{n}")
        r = g.results.get(f"keys-list-paginate-{n}")
        if not r:
            continue
        points.append((n, r["median"]))
        cmds.append(g.commands())
        growth = ""
        if len(points) > 1:
            (n0, t0), (n1, t1) = points[-2], points[-1]
            growth = f"×{t1 / t0:.1f} for ×{n1 / n0:.0f} keys"
        instr_cell = instr_growth = page_cell = ""
        ipath = RESULTS / f"instr-{n}.txt"
        if ipath.exists() and ipath.read_text().strip():
            instr.append((n, int(ipath.read_text().split()[0])))
            instr_cell = f"{instr[-1][1] / 1e6:.1f} M"
            if len(instr) > 1:
                (n0, i0), (n1, i1) = instr[-2], instr[-1]
                instr_growth = f"×{i1 / i0:.1f} for ×{n1 / n0:.0f} keys"
        ppath = RESULTS / f"pages-{n}.json"
        if ppath.exists():
            pg = json.loads(ppath.read_text())
            page_ratios.append((n, pg["last_ms"] / pg["first_ms"]))
            page_cell = f"{pg['last_ms']:.2f} / {pg['first_ms']:.2f} ms = {page_ratios[-1][1]:.2f}× ({pg['pages']} pages)"
        p(f"| {n:,} | {ms(r['median'])} | {ms(r['mean'])} ± {ms(r['stddev'] or 0)} | {ms(r['min'])} … {ms(r['max'])} "
          f"| {ms(r['user'] + r['system'])} "
          f"| {ratio(r['median'], points[0][1])} | {ms(r['median'] / n * 1000)} | {growth} "
          f"| {instr_cell} | {instr_growth} | {page_cell} |")
    p("")
    p("\n\n".join(cmds))
    wall_linear = all(t1 / t0 <= 1.2 * n1 / n0 for (n0, t0), (n1, t1) in zip(points, points[1:]))
    p("")
    p(
        "Linear or not is judged on the two figures that waiting for a core cannot change: the "
        "client's instructions (`valgrind --tool=callgrind`, one run a size) must grow at most as "
        "fast as the keys, with 20% slack; and the server's time for a page must not grow with "
        "its depth: bench/pages.py reads every page over one keep-alive connection "
        f"({'3' if quick else '5'} passes) and compares the median time of the last tenth of the pages "
        "with the first tenth (at most 1.5×). The wall-clock growth is shown beside them; on this "
        "shared machine it is "
        + ("itself within 20% of linear." if wall_linear else
           "more than 20% above linear, which the two steadier figures put down to the load on the machine, "
           "not to the code, when they pass.")
    )
    instr_linear = all(i1 / i0 <= 1.2 * n1 / n0 for (n0, i0), (n1, i1) in zip(instr, instr[1:]))
    pages_flat = all(r <= 1.5 for _, r in page_ratios)
    judged = len(instr) > 1 and page_ratios
    goals.append(("`keys list --paginate` grows linearly: client instructions, and a page's server time at any depth",
                  ", ".join(f"{n:,}: {i / 1e6:.1f} M" for n, i in instr)
                  + "; bottom/top page " + ", ".join(f"{r:.2f}×" for _, r in page_ratios)
                  + f" (wall clock: {', '.join(f'{n:,}: {ms(t)}' for n, t in points)})",
                  (instr_linear and pages_flat) if judged else None))
    t10k = dict(points).get(10000)
    goals.append(("10,000 keys under 2 s", ms(t10k) if t10k else "not measured (--quick)",
                  (t10k < 2.0) if t10k else None))

    # --- wrk
    health, me = wrk("health-max"), wrk("me-max")
    health_p, me_p = wrk("health-paced"), wrk("me-paced")
    p("")
    p("## The server: wrk on loopback")
    p("")
    p(
        f"{META.get('wrk_rounds')} round(s) of {META.get('wrk_secs')} s per endpoint, the endpoints "
        "alternating; medians over the rounds. wrk and the server share the machine's cores. "
        "*As fast as it goes*: 2 threads, 32 connections. *About 2,000 rps*: 22 connections, each "
        "waiting 10 ms after every answer (Debian's wrk has no fixed-rate mode); the rate reached "
        "is in the table. *Not 2xx*: non-2xx answers plus socket errors and timeouts over all rounds."
    )
    p("")
    p("| endpoint | load | requests/s | ratio | p50 | p99 | requests | not 2xx |")
    p("|---|---|---:|---:|---:|---:|---:|---:|")
    for w, name, load, base in [(health, "`GET /v1/health`", "as fast as it goes", None),
                                (me, "`GET /v1/me`, API key", "as fast as it goes", health),
                                (health_p, "`GET /v1/health`", "about 2,000 rps", None),
                                (me_p, "`GET /v1/me`, API key", "about 2,000 rps", health_p)]:
        if w:
            p(f"| {name} | {load} | {w['rps']:,.0f} | {ratio(w['rps'], base['rps']) if base else '–'} "
              f"| {w['p50']:.2f} ms | {w['p99']:.2f} ms | {w['requests']:,} | {w['bad']} |")
    p("")
    max_cmd = (RESULTS / "wrk-max.cmd").read_text().strip()
    paced_cmd = (RESULTS / "wrk-paced.cmd").read_text().strip()
    p(f"    {max_cmd} $URL/v1/health")
    p(f"    {max_cmd} -H 'Authorization: Bearer $KEY' $URL/v1/me")
    p(f"    {paced_cmd} $URL/v1/health")
    p(f"    {paced_cmd} -H 'Authorization: Bearer $KEY' $URL/v1/me")
    goals.append(("`/v1/me` at least half of `/v1/health` req/s",
                  f"{me['rps']:,.0f} vs {health['rps']:,.0f} ({ratio(me['rps'], health['rps'])})",
                  me["rps"] >= 0.5 * health["rps"]))
    goals.append(("`/v1/me` p99 under 5 ms at 2,000 rps",
                  f"{me_p['p99']:.2f} ms at {me_p['rps']:,.0f} rps", me_p["p99"] < 5.0))
    bad = sum(w["bad"] for w in (health, me, health_p, me_p))
    goals.append(("every wrk answer a 2xx", f"{bad} not", bad == 0))

    # --- several instances: PostgreSQL, Redis
    pg_health, pg_me = wrk("pg-health-max"), wrk("pg-me-max")
    p("")
    p("## Several instances: PostgreSQL and Redis")
    p("")
    if pg_health and pg_me:
        p("The same server on PostgreSQL 15 (one instance, a database of its own), measured as above, "
          "SQLite's figures beside it:")
        p("")
        p("| database | `/v1/health` requests/s | `/v1/me` requests/s | ratio | `/v1/me` p99 |")
        p("|---|---:|---:|---:|---:|")
        p(f"| SQLite | {health['rps']:,.0f} | {me['rps']:,.0f} | {ratio(me['rps'], health['rps'])} | {me['p99']:.2f} ms |")
        p(f"| PostgreSQL | {pg_health['rps']:,.0f} | {pg_me['rps']:,.0f} | {ratio(pg_me['rps'], pg_health['rps'])} "
          f"| {pg_me['p99']:.2f} ms |")
        goals.append(("`/v1/me` on PostgreSQL at least 0.7× `/v1/health` req/s",
                      f"{pg_me['rps']:,.0f} vs {pg_health['rps']:,.0f} ({ratio(pg_me['rps'], pg_health['rps'])})",
                      pg_me["rps"] >= 0.7 * pg_health["rps"]))
    else:
        goals.append(("`/v1/me` on PostgreSQL at least 0.7× `/v1/health` req/s", "not measured (no PostgreSQL)", None))
    xacts = {row[0]: (int(row[1]), float(row[2])) for row in tsv_rows("pg-xacts.tsv")}
    if xacts:
        idle_n, idle_s = xacts["idle"]
        per_s = idle_n / idle_s
        p("")
        p("Database transactions (`pg_stat_database.xact_commit + xact_rollback`) while wrk ran, less the "
          f"instance's own background reads ({per_s:.1f} a second, measured idle first: the change "
          "counter every 250 ms):")
        p("")
        p("| requests | answered | transactions | background | per request |")
        p("|---|---:|---:|---:|---:|")
        worst = 0.0
        for label, name, what in [("cache-hit", "pg-me-count", "`/v1/me`, a known key (cache hits)"),
                                  ("bad-checksum", "pg-badsum-count", "`/v1/me`, a key failing its checksum")]:
            w = wrk(name)
            n, secs = xacts[label]
            extra = max(0.0, n - per_s * secs)
            per = extra / w["requests"] if w and w["requests"] else float("nan")
            worst = max(worst, per)
            p(f"| {what} | {w['requests']:,} | {n} | {per_s * secs:.0f} | {per:.5f} |")
        goals.append(("a cache hit and a key failing its checksum: no database query",
                      f"{worst:.5f} transactions a request", worst < 0.001))
    else:
        goals.append(("a cache hit and a key failing its checksum: no database query", "not measured (no PostgreSQL)", None))
    rev = tsv_rows("revocation.tsv")
    if rev:
        p50, p99, mx = (int(v) for v in rev[0])
        p("")
        p(f"Revocation to refusal across three instances on one PostgreSQL database (200 revocations on one "
          f"instance, each polled on the two others; `server/tests/cluster.rs`): p50 {p50} ms, p99 {p99} ms, max {mx} ms.")
        goals.append(("revocation refused on every instance: p99 ≤ 1 s", f"p50 {p50} ms, p99 {p99} ms", p99 <= 1000))
    else:
        goals.append(("revocation refused on every instance: p99 ≤ 1 s", "not measured (no PostgreSQL)", None))
    sb_path = RESULTS / "shared-budget.json"
    if sb_path.exists():
        sb = json.loads(sb_path.read_text())
        p("")
        p("A shared budget with Redis (`bench/shared-budget`): "
          + ", ".join(f"{k} {v}" for k, v in sb.items() if not isinstance(v, (dict, list))) + ".")
        over = sb.get("over_budget_pct", sb.get("over_pct"))
        goals.append(("shared budget with Redis: accepted over the budget ≤ 1%",
                      f"{over}% over" if over is not None else "see the figures", None if over is None else float(over) <= 1.0))
    else:
        goals.append(("shared budget with Redis: accepted over the budget ≤ 1%", "not measured (no Redis)", None))

    # --- size and memory
    sizes_b = dict(tsv("sizes.tsv"))
    p("")
    p("## Size and memory")
    p("")
    p("| binary | bytes | MiB | ratio to gh |")
    p("|---|---:|---:|---:|")
    gh = int(sizes_b["gh"]) if "gh" in sizes_b else None
    for name, desc in [("scripto", "`scripto` (release, stripped)"), ("scripto-server", "`scripto-server` (release, stripped)"),
                       ("gh", "`gh` (Debian)"), ("curl", "`curl` (Debian)"), ("libcurl", "libcurl, which curl loads")]:
        if name in sizes_b:
            b = int(sizes_b[name])
            p(f"| {desc} | {b:,} | {b / 2**20:.1f} | {ratio(b, gh) if gh else '–'} |")
    p("")
    p(f"Peak resident memory, `/usr/bin/time -v`, median of {META.get('rss_runs')} runs:")
    p("")
    p("| command | peak RSS | ratio to curl | runs (KiB) |")
    p("|---|---:|---:|---|")
    rss = {}
    for label, cmd in tsv("rss.cmds"):
        vals = [int(v) for v in (RESULTS / f"rss-{label}.txt").read_text().split()]
        rss[label] = (statistics.median(vals), vals, cmd)
    base = rss.get("curl-keys", (None,))[0]
    for label, (med, vals, cmd) in rss.items():
        p(f"| `{mask(cmd)}` | {med / 1024:.1f} MiB | {ratio(med, base) if base else '–'} | {' '.join(map(str, vals))} |")

    # --- goals, first in the file
    lines = ["", "## Goals", "", "| goal | figure | result |", "|---|---|---|"]
    for goal, figure, ok in goals:
        lines.append(f"| {goal} | {figure} | {mark(ok) if ok is not None else 'not measured'} |")
    missed = [g for g, _, ok in goals if ok is False]
    lines.append("")
    lines.append(f"{len(goals) - len(missed) - sum(ok is None for *_, ok in goals)} met, {len(missed)} missed"
                 + (f", {sum(ok is None for *_, ok in goals)} not measured" if any(ok is None for *_, ok in goals) else "")
                 + f". The run took {META.get('seconds')} s after the build.")
    at = out.index("## The machine")
    out[at - 1:at - 1] = lines
    # What profiling found, kept by hand beside this script: causes do not
    # change from run to run, and a figure from this run never goes there.
    findings = Path(__file__).with_name("findings.md")
    if findings.exists():
        out += ["", findings.read_text().rstrip()]
    print("\n".join(out))


if __name__ == "__main__":
    main()
