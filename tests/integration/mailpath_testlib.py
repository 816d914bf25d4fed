"""Shared helpers for integration tests: run the built exporter, scrape it,
parse the text exposition, lint it with promtool, compare with golden files."""

import glob
import gzip
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request

EXPORTER = os.environ.get("MAILPATH_EXPORTER", "")
# Sanitizer builds run several times slower: scripts/sanitizers.sh stretches waits for events with this.
TIMEOUT_SCALE = float(os.environ.get("MAILPATH_TIMEOUT_SCALE", "1"))
# Their shadow memory and redzones also multiply the RSS: bounds on the exporter's memory are stretched by this.
MEMORY_SCALE = float(os.environ.get("MAILPATH_MEMORY_SCALE", "1"))
SOURCE_DIR = os.environ.get("MAILPATH_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
GOLDEN_DIR = os.path.join(SOURCE_DIR, "tests", "golden")


def exporter_path():
    assert EXPORTER and os.path.exists(EXPORTER), "MAILPATH_EXPORTER must name the built binary (run through ctest)"
    return EXPORTER


def run_once(args, timeout=60, check=True):
    """Runs `mailpath_exporter --once ARGS`; returns the CompletedProcess."""
    proc = subprocess.run([exporter_path(), "--once", *args], capture_output=True, text=True, timeout=timeout)
    if check:
        assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr}"
    return proc


class Exporter:
    """The exporter running as a child process on a free loopback port."""

    def __init__(self, args=(), prefix=(), env=None):
        self.args = list(args)
        cmd = [*prefix, exporter_path(), "--web.listen-address=127.0.0.1:0", *self.args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.port = None
        self.log = []
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.log.append(line)
            m = re.search(r"msg=listening address=[^ ]*:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            self.stop()
            raise AssertionError("exporter did not start: " + "".join(self.log))

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path, headers=None, method="GET"):
        """Returns (status, headers dict with lower-case keys, body bytes)."""
        req = urllib.request.Request(self.base_url + path, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()

    def metrics(self):
        status, headers, body = self.get("/metrics")
        assert status == 200, status
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode()

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Stops the exporter; returns its exit code and the rest of its log."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            _, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        self.log.append(err or "")
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        was_running = self.proc.poll() is None
        code = self.stop()
        if exc_type is not None:
            return
        log = "".join(self.log)
        # Under the ASan/UBSan/TSan builds (scripts/sanitizers.sh) a report may come only at exit.
        assert not SANITIZER_REPORT.search(log), "sanitizer report from the exporter:\n" + log[-20000:]
        if was_running:
            assert code == 0, f"exporter exited {code} on SIGTERM:\n{log[-5000:]}"


def log_lines_counted(exp, source):
    """mailpath_log_lines_total of one log source, every result summed, from a fresh scrape."""
    samples = parse_exposition(exp.metrics())
    return sum(v for (name, labels), v in samples.items()
               if name == "mailpath_log_lines_total" and dict(labels).get("source") == source)


def wait_log_lines(exp, source, want, timeout=30):
    """Waits until `source` has at least `want` lines counted; returns the count then (or at the timeout)."""
    deadline = time.time() + timeout * TIMEOUT_SCALE
    while True:
        got = log_lines_counted(exp, source)
        if got >= want or time.time() > deadline:
            return got
        time.sleep(0.1)


def wait_file_lines_counted(exp, path, timeout=30):
    """Waits until the exporter has counted (any result) as many lines of `path` as it holds now;
    returns the parsed exposition then. For tests whose daemons have stopped writing."""
    with open(path, "rb") as f:
        want = f.read().count(b"\n")
    deadline = time.time() + timeout * TIMEOUT_SCALE
    while True:
        s = parse_exposition(exp.metrics())
        got = sum(v for (name, labels), v in s.items()
                  if name == "mailpath_log_lines_total" and dict(labels).get("source") == path)
        if got >= want or time.time() > deadline:
            return s
        time.sleep(0.2)


SANITIZER_REPORT = re.compile(r"ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer|runtime error: ")
_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_exposition(text):
    """Returns {(name, frozenset(labels.items())): float} for every sample."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        assert m, f"unparsable sample line: {line!r}"
        labels = frozenset(_LABEL.findall(m.group(3) or ""))
        out[(m.group(1), labels)] = float(m.group(4))
    return out


def value(samples, name, **labels):
    """The value of one series, or None when absent."""
    return samples.get((name, frozenset(labels.items())))


def series(samples, name):
    """{labels dict as sorted tuple: value} for every series of a metric name."""
    return {tuple(sorted(k[1])): v for k, v in samples.items() if k[0] == name}


def promtool():
    path = shutil.which("promtool")
    assert path, "promtool is missing: scripts/setup.sh test installs the 'prometheus' package"
    return path


def promtool_check_metrics(text):
    """Asserts `promtool check metrics` reports nothing for the exposition."""
    proc = subprocess.run([promtool(), "check", "metrics"], input=text, capture_output=True, text=True)
    assert proc.returncode == 0 and not proc.stdout.strip() and not proc.stderr.strip(), \
        f"promtool check metrics (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"


def normalize(text, volatile=()):
    """Masks values that legitimately change between runs: the value of every
    sample whose name starts with one of `volatile`, and the revision/compiler
    labels of build_info."""
    out = []
    for line in text.splitlines():
        if not line.startswith("#"):
            name = re.split(r"[{ ]", line, maxsplit=1)[0]
            if name.startswith(tuple(volatile)):
                line = line.rsplit(" ", 1)[0] + " <volatile>"
            if name == "mailpath_exporter_build_info":
                line = re.sub(r'revision="[^"]*"', 'revision="<revision>"', line)
                line = re.sub(r'compiler="[^"]*"', 'compiler="<compiler>"', line)
        out.append(line)
    return "\n".join(out) + "\n"


def assert_golden(name, text, volatile=()):
    """Compares normalized exposition with tests/golden/NAME; UPDATE_GOLDEN=1 rewrites it."""
    path = os.path.join(GOLDEN_DIR, name)
    got = normalize(text, volatile)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        with open(path, "w") as f:
            f.write(got)
    with open(path) as f:
        want = f.read()
    assert got == want, f"exposition differs from {path} (UPDATE_GOLDEN=1 to rewrite, then review the diff)"


def start_prometheus(config_file, data_dir):
    """A real Prometheus (Debian package) on a free loopback port; returns (process, base URL).
    The caller terminates the process."""
    port = free_port()
    proc = subprocess.Popen(["prometheus", f"--config.file={config_file}", f"--storage.tsdb.path={data_dir}",
                             f"--web.listen-address=127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


from loopback_ports import free_port  # noqa: E402,F401  (re-exported: tests call lib.free_port)


# Series that come from Prometheus itself, not from the exporter.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
PROMQL_WORDS = {
    "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values",
    "group", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool",
    "offset", "rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "histogram_quantile",
    "abs", "absent", "absent_over_time", "ceil", "floor", "round", "clamp", "clamp_min", "clamp_max",
    "changes", "resets", "time", "timestamp", "vector", "scalar", "sort", "sort_desc", "label_replace",
    "label_join", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
    "last_over_time", "quantile_over_time", "stddev_over_time", "present_over_time", "inf", "nan", "le",
}


def metric_names(expr):
    """Metric names in a PromQL expression (identifiers not followed by '(' nor inside {} or [])."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    expr = re.sub(r"\{[^}]*\}", "{}", expr)
    expr = re.sub(r"\[[^\]]*\]", "[]", expr)
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    names = set()
    for m in re.finditer(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(\s*\()?", expr):
        word, call = m.group(1), m.group(2)
        if call or word in PROMQL_WORDS or re.fullmatch(r"\d+[smhdwy]?", word):
            continue
        names.add(word)
    return names


def golden_metric_names():
    """Every metric name in tests/golden/*.prom, with histogram/summary series names."""
    names = set()
    for path in glob.glob(os.path.join(GOLDEN_DIR, "*.prom")):
        with open(path) as f:
            for line in f:
                if line.startswith("# TYPE "):
                    name, kind = line.split()[2:4]
                    names.add(name)
                    if kind == "histogram":
                        names.update({name + "_bucket", name + "_sum", name + "_count"})
                    if kind == "summary":
                        names.update({name + "_sum", name + "_count"})
    return names


