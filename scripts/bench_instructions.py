#!/usr/bin/env python3
"""Instructions per request, counted by callgrind: the deterministic mode of scripts/bench-cases.sh
(BENCH_COUNT=instructions); see docs/PERFORMANCE.md, "Regression check".

Wall-clock latency on two shared cores moves by more than the 10% rule judges. The number of
instructions the server executes for a request does not depend on the machine's load, so this mode
compares builds by it. Each build's server runs under `valgrind --tool=callgrind` with
instrumentation off while it starts and while its start-up job runs (planner statistics, the
escalation pass over the cases due soon); then, for each path, the same requests as the wall-clock
run are sent a few times uninstrumented (to warm the server's caches and every pooled connection),
and K times with instrumentation on between `callgrind_control -z` and `callgrind_control -d`: the
dump's total instructions (Ir, every thread of the process) over K is the path's figure.

Background work: the server's jobs (delivery every 30 s, escalation every 300 s after the start-up
pass) must not be counted. Each path's K requests go in batches of about 2 s, each between a zero
and a dump; a batch whose dump names a job's functions is not counted and is sent again (after the
escalation pass has ended, uninstrumented, when that was the job). Idle batches (no requests, 2 s
each, three before and three after the paths) give the instructions per second of an idle server
(timers, the runtime parking): that rate times a path's counted seconds is subtracted, and printed.

Repeatable rounds (docs/PERFORMANCE.md, 2026-12-07 15:16 UTC): each round serves its own copy of
the prepared database (migrated natively); the database is served once natively before the rounds
(`settle`); the servers run one runtime worker thread; every path gets 24 warm-up requests and
requests are 50 ms apart; the API token's once-a-minute write is kept from happening; and a batch
in which a request rebuilt something by the clock (`REFRESH`) is not counted, like a background
job's, and the path is warmed again. The judged paths then repeat within 1%. `/healthz`
(80,000-90,000 instructions) moved by 1-6% between rounds, because how often the runtime parks per
request depends on the threads' timing: it is now counted request by request and its figure is the
cheapest request (YARDSTICK_KEYS; docs/PERFORMANCE.md, 2026-12-07 17:40 UTC).

Usage (from scripts/bench-cases.sh, which prepares the database, user, token and key):
  bench_instructions.py --db FILE --token T --build new=/path/danvan [--build base=/path/danvan]
      --out RUN.tsv --committed docs/bench/cases-N-instructions.tsv --rounds R [--save] ...
Each build is measured in R separate server processes (rounds); the baseline's rounds all run
first, because a newer build migrates the database when it starts and an older one cannot open it
afterwards. The rounds of one build must agree within 1% (repeatability); the figure is their
median. Exit status 1 when a judged figure is more than 10% worse than the baseline build's or
than the committed figures, 2 when the rounds of a build disagree by more than 1%.
"""
import argparse
import glob
import http.client
import json
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse

LABELS = {
    "healthz": "`/healthz`",
    "inbox_page": "inbox: ward subtree, open, by due date, 50 rows (page)",
    "inbox_api": "inbox: same through the API",
    "search": 'text search in the ward subtree ("cong thoat")',
    "open311": "Open311 `GET requests.json` (90 days, 1000 rows)",
    "create": "create through the API",
    "healthz_after": "`/healthz` (again, after the load)",
}
ORDER = list(LABELS)
LIMIT = 0.10
REPEAT_LIMIT = 0.01
# Functions of the server's background jobs: a batch whose dump names one is not counted.
LONG_JOBS = {"jobs::spawn::", "jobs::escalate", "Store::optimize", "retention::erase"}
BACKGROUND = re.compile(rb"jobs::spawn_delivery|jobs::spawn::|jobs::escalate|delivery::deliver|Store::optimize|retention::erase")
# Work a request does only now and then, by the clock rather than by the request: the working
# calendar rebuilt (at most once a minute), the administrators' settings read again (every 30 s),
# a database connection reading the schema and the planner's statistics (when it opens, or after
# a background job's ANALYZE changed them). Natively each is paid once over thousands of requests;
# under callgrind a path's few requests take seconds to minutes, so whether one falls on a counted
# request is chance (at 20,000 cases they moved the inbox page's figure by 6% between rounds). A
# batch whose dump names one is not counted and is sent again, after the path is warmed again.
REFRESH = re.compile(rb"WorkCalendar::new|calendar::default_rules|get_setting|sqlite3InitCallback|sqlite3AnalysisLoad")
# The yardstick (/healthz, before and after the load): each request is counted alone (a zero and
# a dump around it), and the figure is the cheapest of them, idle subtracted. A /healthz request is
# one SQLite round trip (`SELECT 1` on a pooled connection's thread) and the HTTP layers; how many
# times the runtime's worker parks and is woken while it waits for that thread depends on the
# threads' timing, not on the code: at 20,000 cases one request of 72c18f7 counted ~73,000 or
# ~86,000-89,000 instructions by that chance alone, and the share of each moved the mean of 400
# requests by 1-6% between rounds (docs/PERFORMANCE.md, 2026-12-07 17:40 UTC). The cheapest
# request is the one the runtime served without an extra park: the work of the code itself, which
# repeats from one process to the next. The rounds' minima must agree within 1% like every other
# figure (a check that fails when, e.g., a build stops having such requests); the mean is printed
# beside it. The other paths do millions of instructions per request, where those few thousand
# are noise below 0.1%, and are counted in batches as before.
YARDSTICK_KEYS = ("healthz", "healthz_after")
CREATE_BODY = json.dumps({
    "kind": "feedback", "category": "thoat-nuoc",
    "description": "Cống thoát nước trước số 5 phố Hàng Bông bị tắc.",
    "place": "C00073", "address": "Số 5 Hàng Bông", "channel": "hotline",
}, ensure_ascii=False).encode()


def log(*a):
    print("#", *a, file=sys.stderr, flush=True)


class Server:
    def __init__(self, name, binary, db, port, outdir, rnd):
        self.name, self.port = name, port
        self.prefix = os.path.join(outdir, f"cg-{name}-{rnd}")
        for f in glob.glob(self.prefix + "*"):
            os.remove(f)
        # One runtime worker thread: with two, which worker runs a request's tasks and how often
        # its future is polled depend on the threads' timing (a spread of 1-2% between rounds
        # for the inbox API at 20,000 cases, 0.04% with one worker). The same for both builds.
        env = dict(os.environ, DANVAN_LOG="warn", DANVAN_METRICS_TOKEN="bench-instructions",
                   TOKIO_WORKER_THREADS=os.environ.get("TOKIO_WORKER_THREADS", "1"))
        self.log = open(self.prefix + ".log", "w")
        self.proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={self.prefix}.out",
             binary, "--database", f"sqlite:{db}", "serve", "--addr", f"127.0.0.1:{port}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.pid = self.proc.pid
        self.conn = None
        self.dumps = 0

    def wait_ready(self):
        for _ in range(600):
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name}: the server exited: see {self.prefix}.log")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    c.close()
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit(f"{self.name}: no answer from the server")
        self.wait_idle()

    def wait_idle(self):
        """The start-up job: waits until the process uses less than 5% of a core over 3 s (at 10^6
        cases, under valgrind, on two shared cores, the start-up pass takes many minutes)."""
        hz = os.sysconf("SC_CLK_TCK")
        for _ in range(800):
            t0 = self.ticks()
            time.sleep(3)
            if self.ticks() - t0 < 0.05 * 3 * hz:
                return
        raise SystemExit(f"{self.name}: the server never became idle")

    def ticks(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    def control(self, *args):
        subprocess.run(["callgrind_control", *args, str(self.pid)], check=True, stdout=subprocess.DEVNULL)

    def request(self, method, path, headers=None, body=None, ok=(200,)):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the kept-alive connection while it sat idle (e.g. while the
                # escalation pass ran): once more on a new one (a creation carries its
                # Idempotency-Key, so a retry never creates twice).
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        data = r.read()
        if r.status not in ok:
            raise SystemExit(f"{self.name}: {method} {path}: {r.status} {data[:300]!r}")
        if r.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return r, data

    def dump(self):
        """Dumps (which also zeroes) and reads the dump: (Ir, names of background job functions)."""
        self.control("-d")
        self.dumps += 1
        path = f"{self.prefix}.out.{self.dumps}"
        with open(path, "rb") as f:
            data = f.read()
        m = re.search(rb"^(?:summary|totals):\s*(\d+)", data, re.M)
        bg = sorted({x.decode() for x in BACKGROUND.findall(data)})
        refresh = sorted({x.decode() for x in REFRESH.findall(data)})
        if bg or refresh:
            what = "background job" if bg else "clock-driven refresh"
            log(f"{self.name}: {what} functions in {path}: {', '.join(bg + refresh)}; not counted")
            os.rename(path, path + ".not-counted")
        return int(m.group(1)), bg, refresh, path

    def measure(self, send, count, batch_secs=2.0, rewarm=None):
        """Instructions of `count` requests sent by `send(n)`, in batches of about `batch_secs`
        each between a zero and a dump; a batch during which a background job ran, or a request
        refreshed something by the clock (REFRESH), is not counted and is sent again, after
        `rewarm()` (uninstrumented: a job's ANALYZE or writes leave the connections' statements
        and page caches to be rebuilt). `batch_secs=0`: one request per batch. Returns (Ir,
        seconds of the counted batches, counted dumps, batches not counted: (jobs, refreshes));
        `self.batches` then holds each counted batch's [requests, Ir, seconds]."""
        self.batches = []
        self.control("--instr=on")
        self.control("-z")
        total = done = 0
        rejected = [0, 0]
        secs = 0.0
        batch = 1
        dumps = []
        while done < count:
            n = min(batch, count - done)
            t0 = time.monotonic()
            send(n)
            dt = time.monotonic() - t0
            ir, bg, refresh, path = self.dump()
            if bg or refresh:
                rejected[0 if bg else 1] += 1
                if sum(rejected) > 40:
                    raise SystemExit(f"{self.name}: background jobs or refreshes in {sum(rejected)} batches")
                self.control("--instr=off")
                if any(b in LONG_JOBS for b in bg):
                    # The escalation pass (every 300 s): wait for its end uninstrumented.
                    self.wait_idle()
                if rewarm:
                    rewarm()
                self.control("--instr=on")
                self.control("-z")
                continue
            total += ir
            secs += dt
            done += n
            dumps.append(path)
            self.batches.append([n, ir, dt])
            batch = max(1, int(batch_secs / (dt / n)))
        self.control("--instr=off")
        return total, secs, dumps, rejected

    def stop(self):
        if self.conn:
            self.conn.close()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=300)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def login(s, username, password):
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=600)
    c.request("GET", "/login")
    r = c.getresponse()
    html = r.read().decode()
    cookies = [h.split(";", 1)[0] for k, h in r.getheaders() if k.lower() == "set-cookie"]
    csrf = re.search(r'name="_csrf" value="([a-f0-9]{64})"', html).group(1)
    body = urllib.parse.urlencode({"_csrf": csrf, "username": username, "password": password, "next": "/"})
    c.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{s.port}",
        "Cookie": "; ".join(cookies)})
    r = c.getresponse()
    r.read()
    for k, h in r.getheaders():
        if k.lower() == "set-cookie" and h.startswith("dv_session="):
            c.close()
            return h.split(";", 1)[0]
    raise SystemExit(f"{s.name}: login failed ({r.status})")


def requests_for(key, s, token, cookie, tag):
    """The request of one path, as the wall-clock run sends it: (method, path, headers, body, ok)."""
    bearer = {"Authorization": f"Bearer {token}"}
    if key.startswith("healthz"):
        return lambda i: ("GET", "/healthz", {}, None, (200,))
    if key == "inbox_page":
        return lambda i: ("GET", "/inbox?unit=C00073&status=in_progress", {"Cookie": cookie}, None, (200,))
    if key == "inbox_api":
        return lambda i: ("GET", "/api/v1/cases?unit=C00073&status=in_progress", bearer, None, (200,))
    if key == "search":
        return lambda i: ("GET", "/api/v1/cases?unit=C00073&q=cong+thoat", bearer, None, (200,))
    if key == "open311":
        return lambda i: ("GET", "/open311/v2/requests.json", {}, None, (200,))
    if key == "create":
        def create(i):
            h = dict(bearer, **{"Content-Type": "application/json", "Idempotency-Key": f"bench-{tag}-{i}"})
            return ("POST", "/api/v1/cases", h, CREATE_BODY, (200, 201))
        return create
    raise KeyError(key)


def cleanup_created(db):
    con = sqlite3.connect(db)
    ids = "SELECT id FROM cases WHERE idempotency_key LIKE 'api-%-bench-%'"
    for t in ("case_events", "case_contacts"):
        con.execute(f"DELETE FROM {t} WHERE case_id IN ({ids})")
    n = con.execute("DELETE FROM cases WHERE idempotency_key LIKE 'api-%-bench-%'").rowcount
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return n


def yardstick(f, rate):
    """The yardstick's figure: the cheapest of its single-request counts, idle subtracted (see
    YARDSTICK_KEYS). Rounds measured before the yardstick was counted request by request (their
    batches hold many requests, or none are recorded) cannot give it."""
    b = f.get("batches")
    if not b or any(n != 1 for n, _, _ in b):
        raise SystemExit("a /healthz window was not counted request by request (rounds from before "
                         "2026-12-07 18:00 UTC): measure that build's rounds again")
    return min(ir - rate * dt for _, ir, dt in b)


def rej(f):
    """A path's batches not counted: (background job, refresh); an older run's file has one number."""
    r = f["rejected"]
    return r if isinstance(r, list) else [r, 0]


def settle_token(db):
    """An API token records its use at most once a minute (a write, after which every read
    connection's page cache starts cold): a clock-driven write, once per minute whatever the number
    of requests, which under callgrind's slowness would fall on a few counted requests at random.
    A last use in the future keeps it from happening (the same code in both builds)."""
    con = sqlite3.connect(db)
    con.execute("UPDATE api_tokens SET last_used_at = '2100-01-01T00:00:00+00:00'")
    con.commit()
    con.close()


def copy_db(src, dst):
    """A copy of the prepared database for one round: every round starts from the same file (a
    round's creation run adds cases, and removing them leaves the file's pages changed)."""
    con = sqlite3.connect(src)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    for f in glob.glob(dst + "*"):
        os.remove(f)
    subprocess.run(["cp", "--sparse=always", src, dst], check=True)


def settle(binary, db, port, outdir):
    """Serves the prepared database once, natively, until the server's start-up work is done, so
    that every round's copy starts from a database in its steady state. A generated database holds
    ten years of cases: the first start erases the personal data of every case past its retention
    period (at 10^6 cases, over 300,000 cases and more than ten minutes natively; under valgrind,
    hours), work a running server has long done. Runs the first build (the oldest: a newer one
    would migrate the file).

    That catch-up is not what is measured, and natively it takes longer than a measurement (each
    batch of 200 scans past every case already erased): the database keeps personal data for 20
    years (`retention.feedback_years`, `retention.complaint_years`, an administrator's setting,
    read the same way by both builds), so the start-up retention pass finds nothing to erase.
    The measured paths read open and recent cases, which retention never touches."""
    con = sqlite3.connect(db)
    con.execute("INSERT OR REPLACE INTO settings (key, value) VALUES "
                "('retention.feedback_years', '20'), ('retention.complaint_years', '20')")
    con.commit()
    con.close()
    logf = open(os.path.join(outdir, "settle.log"), "w")
    t0 = time.monotonic()
    proc = subprocess.Popen([binary, "--database", f"sqlite:{db}", "serve", "--addr", f"127.0.0.1:{port}"],
                            stdout=logf, stderr=subprocess.STDOUT, env=dict(os.environ, DANVAN_LOG="warn"))
    hz = os.sysconf("SC_CLK_TCK")

    def ticks():
        with open(f"/proc/{proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    try:
        time.sleep(5)
        for _ in range(1200):
            if proc.poll() is not None:
                raise SystemExit(f"settle: the server exited: see {logf.name}")
            a = ticks()
            time.sleep(3)
            if ticks() - a < 0.05 * 3 * hz:
                break
        else:
            raise SystemExit("settle: the server never became idle")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=300)
        logf.close()
    log(f"settled {db} with {binary}: idle {time.monotonic() - t0:.0f}s after start")


def measure_build(name, binary, args, rnd, port):
    db = args.db
    if args.copy_dir:
        db = os.path.join(args.copy_dir, f"round-{name}-{rnd}.db")
        t0 = time.monotonic()
        copy_db(args.db, db)
        log(f"{name} round {rnd}: copied {args.db} to {db} in {time.monotonic() - t0:.0f}s")
    settle_token(db)
    # A newer build's migrations, natively: under valgrind they would take minutes at 10^6 cases.
    t0 = time.monotonic()
    subprocess.run([binary, "--database", f"sqlite:{db}", "migrate"], check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, DANVAN_LOG="warn"))
    log(f"{name} round {rnd}: migrations (natively) in {time.monotonic() - t0:.0f}s")
    s = Server(name, binary, db, port, args.outdir, rnd)
    try:
        t0 = time.monotonic()
        s.wait_ready()
        log(f"{name} round {rnd}: pid {s.pid}, idle {time.monotonic() - t0:.0f}s after start")
        cookie = login(s, args.username, args.password)
        idle = []

        def idle_window(_n):
            time.sleep(2)
        for _ in range(2):
            ir, secs, _, rejected = s.measure(idle_window, 3)
            idle.append((ir, secs, rejected))
        out = {}
        for key in ORDER:
            k = args.k[key]
            make = requests_for(key, s, args.token, cookie, f"{name}{rnd}-{int(time.time())}")
            sent = [0]

            def send(count):
                for _ in range(count):
                    sent[0] += 1
                    method, path, headers, body, ok = make(sent[0])
                    s.request(method, path, headers, body, ok)
                    # Each request finds the server at rest (every thread parked): see --gap.
                    time.sleep(args.gap)
            send(args.warm)
            # The yardstick request by request (see YARDSTICK); the other paths in ~2-s batches.
            single = key in YARDSTICK_KEYS
            ir, secs, dumps, rejected = s.measure(send, k, batch_secs=0 if single else 2.0,
                                                  rewarm=lambda: send(args.warm))
            out[key] = dict(ir=ir, secs=secs, k=k, rejected=rejected, dumps=dumps, batches=s.batches)
            log(f"{name} round {rnd} {key}: {ir:,} Ir / {k} = {ir / k:,.0f} per request "
                f"({secs:.1f}s in {len(dumps)} batches; not counted: {rejected[0]} with a background job, "
                f"{rejected[1]} with a clock-driven refresh)")
        for _ in range(2):
            ir, secs, _, rejected = s.measure(idle_window, 3)
            idle.append((ir, secs, rejected))
        rate = sum(i for i, _, _ in idle) / sum(t for _, t, _ in idle)
        for key, f in out.items():
            f["idle"] = rate * f["secs"]
            f["mean"] = (f["ir"] - f["idle"]) / f["k"]
            f["per_request"] = yardstick(f, rate) if key in YARDSTICK_KEYS else f["mean"]
        out["_idle"] = dict(rate=rate, windows=idle)
        return out
    finally:
        s.stop()
        if args.copy_dir:
            for f in glob.glob(db + "*"):
                os.remove(f)
            log(f"{name} round {rnd}: stopped; its copy of the database removed")
        else:
            n = cleanup_created(db)
            log(f"{name} round {rnd}: stopped; removed the {n} cases its creation run added")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", default="")
    p.add_argument("--token", default="")
    p.add_argument("--port", type=int, default=18790, help="the first server's port (one more each round)")
    p.add_argument("--username", default="bench.officer")
    p.add_argument("--password", default="bench-password-long")
    p.add_argument("--build", action="append", default=[], help="name=/path/to/danvan (base first)")
    p.add_argument("--from-rounds", action="append", default=[],
                   help="name=/path/run-rounds.json: rounds measured by earlier runs (e.g. side by side, one round each)")
    p.add_argument("--figures-tsv", help="this build's figures from an earlier run: only compare them")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--no-settle", action="store_true", help="do not serve --db natively once before the rounds (see settle())")
    p.add_argument("--copy-dir", help="each round serves its own copy of --db, made in this directory (and removed after)")
    p.add_argument("--warm", type=int, default=24,
                   help="uninstrumented requests before each path: the read pool's connections are served in turn, "
                        "so enough for every one (8 read, 1 write) to have prepared the path's statements and read its pages")
    p.add_argument("--gap", type=float, default=0.05,
                   help="seconds between requests (counted as idle and subtracted): without them the next request "
                        "can arrive while the runtime's threads are still parking, which costs a varying number of instructions")
    p.add_argument("--k", default="healthz=200,inbox_page=20,inbox_api=20,search=10,open311=10,create=50,healthz_after=200")
    p.add_argument("--out", required=True)
    p.add_argument("--committed", required=True)
    p.add_argument("--save", action="store_true")
    p.add_argument("--baseline-tsv", help="the baseline build's figures from an earlier run (instead of --build base=...)")
    p.add_argument("--note", default="")
    p.add_argument("--commit", default="")
    p.add_argument("--n", default="")
    p.add_argument("--outdir", default="callgrind")
    args = p.parse_args()
    args.k = {k: int(v) for k, v in (kv.split("=") for kv in args.k.split(","))}
    builds = [tuple(b.split("=", 1)) for b in args.build]
    os.makedirs(args.outdir, exist_ok=True)

    runs = {}
    port = args.port
    if builds and not args.no_settle:
        settle(builds[0][1], args.db, port, args.outdir)
    for name, binary in builds:  # the baseline's rounds first: see the docstring
        for rnd in range(1, args.rounds + 1):
            runs.setdefault(name, []).append(measure_build(name, binary, args, rnd, port))
            port += 1

    for spec in args.from_rounds:
        name, path = spec.split("=", 1)
        if name not in [b for b, _ in builds]:
            builds.append((name, None))
        with open(path) as f:
            rounds = json.load(f)["new"]
        for r in rounds:  # the yardstick as this script states it (refuses older rounds)
            for key in YARDSTICK_KEYS:
                r[key]["per_request"] = yardstick(r[key], r["_idle"]["rate"])
        runs.setdefault(name, []).extend(rounds)
    args.rounds = max(len(r) for r in runs.values()) if runs else args.rounds
    if runs:
        with open(args.out[:-4] + "-rounds.json" if args.out.endswith(".tsv") else args.out + ".json", "w") as f:
            json.dump(runs, f, indent=1)
    status = 0
    figs = {}
    print(f"# instructions per request (callgrind), commit {args.commit}, {args.n} cases ({args.note}); "
          f"K per path {args.k}, {args.warm} warm-up requests, {args.gap} s between requests, {args.rounds} round(s) per build")
    for name, _ in builds:
        rs = runs[name]
        print(f"\n### {name}: instructions per request, each round a new server process")
        print("| path | K | " + " | ".join(f"round {i + 1}" for i in range(len(rs))) +
              " | spread | median | / healthz | idle Ir subtracted |")
        print("|---|---|" + "---|" * len(rs) + "---|---|---|---|")
        f = {}
        for key in ORDER:
            vals = [r[key]["per_request"] for r in rs]
            med = statistics.median(vals)
            spread = (max(vals) - min(vals)) / med
            if spread > REPEAT_LIMIT:
                status = max(status, 2)
            f[key] = dict(per_request=med, spread=spread, idle=max(r[key]["idle"] for r in rs), k=rs[0][key]["k"])
        yard = statistics.median([f["healthz"]["per_request"], f["healthz_after"]["per_request"]])
        for key in ORDER:
            f[key]["ratio"] = f[key]["per_request"] / yard
            vals = [r[key]["per_request"] for r in rs]
            flag = " **not repeatable**" if f[key]["spread"] > REPEAT_LIMIT else ""
            print(f"| {LABELS[key]} | {f[key]['k']} | " + " | ".join(f"{v:,.0f}" for v in vals) +
                  f" | {f[key]['spread']:.2%}{flag} | {f[key]['per_request']:,.0f} | {f[key]['ratio']:.2f} | {f[key]['idle']:,.0f} |")
        print("\n`/healthz`: the cheapest of its K requests, each counted alone (see YARDSTICK_KEYS in the script); "
              "the mean of the same requests, for comparison: " +
              "; ".join(f"round {i + 1}: {r['healthz']['mean']:,.0f} before, {r['healthz_after']['mean']:,.0f} after the load"
                        for i, r in enumerate(rs) if "mean" in r["healthz"]) + ".")
        print("\nidle (no requests; 6 s before and 6 s after the paths, in 2-s batches): " +
              "; ".join(f"round {i + 1}: {r['_idle']['rate']:,.0f} Ir/s" for i, r in enumerate(rs)) +
              ". Batches not counted, all rounds, per path (because a background job ran + because a request "
              "refreshed the calendar, the settings or a connection's schema): " +
              ", ".join(f"{key} {sum(rej(r[key])[0] for r in rs)} + {sum(rej(r[key])[1] for r in rs)}" for key in ORDER))
        figs[name] = f

    def write_tsv(path, f, note):
        with open(path, "w") as out:
            out.write(f"# scripts/bench-cases.sh {args.n} with BENCH_COUNT=instructions: "
                      f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, commit {args.commit}, {note}\n")
            out.write("# instructions per request counted by callgrind (median of the rounds, idle subtracted);\n")
            out.write("# ratio: to /healthz's of the same build (its cheapest single request, median of the rounds,\n")
            out.write("# median of before and after the load)\n")
            out.write("key\tlabel\tinstructions_per_request\tratio\tspread\n")
            for key in ORDER:
                x = f[key]
                out.write(f"{key}\t{LABELS[key]}\t{x['per_request']:.0f}\t{x['ratio']:.3f}\t{x['spread']:.4f}\n")

    def read_tsv(path):
        out = {}
        for line in open(path):
            if line.startswith("#") or line.startswith("key\t"):
                continue
            key, _, ipr, ratio, spread, *_ = line.rstrip("\n").split("\t") + [""]
            out[key] = dict(per_request=float(ipr), ratio=float(ratio), spread=float(spread or 0))
        return out

    def compare(title, a, b):
        print(f"\n## {title}")
        print("| path | reference Ir/request | this build | change | reference / healthz | this build | change (judged) | |")
        print("|---|---|---|---|---|---|---|---|")
        worse = []
        for key in ORDER:
            if key not in a or key not in b:
                continue
            d_abs = b[key]["per_request"] / a[key]["per_request"] - 1
            d_ratio = b[key]["ratio"] / a[key]["ratio"] - 1
            judged = not key.startswith("healthz")
            verdict = "(yardstick)" if not judged else ("**more than 10% worse**" if d_ratio > LIMIT else "ok")
            if judged and d_ratio > LIMIT:
                worse.append(key)
            print(f"| {LABELS[key]} | {a[key]['per_request']:,.0f} | {b[key]['per_request']:,.0f} | {d_abs:+.1%} | "
                  f"{a[key]['ratio']:.2f} | {b[key]['ratio']:.2f} | {d_ratio:+.1%} | {verdict} |")
        print(f"\n{title}: " + (f"MORE THAN 10% WORSE: {', '.join(worse)}" if worse else "every judged figure within 10% (or better)"))
        return worse

    if args.figures_tsv:
        figs["new"] = read_tsv(args.figures_tsv)
        print(f"# figures of this build from an earlier run: {args.figures_tsv}")
    else:
        write_tsv(args.out, figs["new"], args.note)
        print(f"\n# figures of this build: {args.out}")
    if "base" in figs and not args.baseline_tsv:
        base_out = args.out[:-4] + "-base.tsv"
        write_tsv(base_out, figs["base"], "baseline build, " + args.note)
        print(f"# figures of the baseline build: {base_out}")
    failed = []
    if args.baseline_tsv:
        figs["base"] = read_tsv(args.baseline_tsv)
        print(f"# figures of the baseline build from an earlier run: {args.baseline_tsv}")
    if "base" in figs:
        failed += compare("Against the baseline build (instructions)", figs["base"], figs["new"])
    if os.path.exists(args.committed):
        failed += compare(f"Against the committed figures ({args.committed})", read_tsv(args.committed), figs["new"])
    else:
        print(f"\nNo committed instruction figures ({args.committed}): nothing to compare with.")
    if args.save:
        os.makedirs(os.path.dirname(args.committed), exist_ok=True)
        write_tsv(args.committed, figs["new"], args.note)
        print(f"# saved as the committed instruction figures: {args.committed}")
    if status == 2:
        print("\nThe rounds of a build disagree by more than 1%: the figures are not repeatable.")
    sys.exit(max(status, 1 if failed else 0))


if __name__ == "__main__":
    main()
