"""End to end: the built binary serving HTTP, --once, and its error paths."""

import concurrent.futures
import gzip
import os
import socket
import subprocess
import tempfile

import mailpath_testlib as lib

VOLATILE = ("process_", "mailpath_exporter_collector_duration_seconds")
ONLY_PROCESS = ["--collector.disable-defaults", "--collector.process"]


def test_landing_page_links_metrics_and_lists_collectors():
    with lib.Exporter(ONLY_PROCESS) as exp:
        status, headers, body = exp.get("/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b'<a href="/metrics">' in body
    assert b"<li>process</li>" in body


def test_metrics_has_content_type_passes_promtool_and_matches_golden():
    with lib.Exporter(ONLY_PROCESS) as exp:
        status, headers, body = exp.get("/metrics")
    assert status == 200
    assert headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = body.decode()
    lib.promtool_check_metrics(text)
    lib.assert_golden("foundation_process_only.prom", text, VOLATILE)
    samples = lib.parse_exposition(text)
    assert lib.value(samples, "mailpath_exporter_collector_success", collector="process") == 1
    assert lib.value(samples, "mailpath_exporter_collector_duration_seconds", collector="process") >= 0


def test_metrics_gzip_when_accepted_and_identity_otherwise():
    with lib.Exporter(ONLY_PROCESS) as exp:
        status, headers, body = exp.get("/metrics", {"Accept-Encoding": "gzip, deflate"})
        assert status == 200
        assert headers.get("content-encoding") == "gzip"
        assert b"mailpath_exporter_build_info" in gzip.decompress(body)
        status, headers, body = exp.get("/metrics", {"Accept-Encoding": "gzip;q=0"})
        assert "content-encoding" not in headers
        assert b"mailpath_exporter_build_info" in body


def test_head_has_headers_without_body_and_other_methods_get_405():
    with lib.Exporter(ONLY_PROCESS) as exp:
        status, headers, body = exp.get("/metrics", method="HEAD")
        assert status == 200 and body == b""
        assert int(headers["content-length"]) > 0
        status, headers, _ = exp.get("/metrics", method="POST")
        assert status == 405
        assert headers["allow"] == "GET, HEAD"


def test_health_ready_and_unknown_paths():
    with lib.Exporter(ONLY_PROCESS) as exp:
        assert exp.get("/-/healthy")[0] == 200
        assert exp.get("/-/ready")[0] == 200
        assert exp.get("/nope")[0] == 404
        assert exp.get("/metrics/extra")[0] == 404


def test_custom_telemetry_path():
    with lib.Exporter(ONLY_PROCESS + ["--web.telemetry-path=/probe"]) as exp:
        assert exp.get("/probe")[0] == 200
        assert exp.get("/metrics")[0] == 404


def test_parallel_scrapes_all_succeed():
    with lib.Exporter(ONLY_PROCESS) as exp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(lambda _: exp.get("/metrics")[0], range(200)))
    assert results == [200] * 200


def test_once_prints_the_same_exposition_as_http_and_exits_zero():
    once = lib.run_once(ONLY_PROCESS)
    assert once.returncode == 0
    with lib.Exporter(ONLY_PROCESS) as exp:
        http_text = exp.metrics()
    assert lib.normalize(once.stdout, VOLATILE) == lib.normalize(http_text, VOLATILE)
    lib.promtool_check_metrics(once.stdout)


def test_failing_collector_reports_zero_and_exporter_keeps_serving():
    with lib.Exporter(ONLY_PROCESS + ["--path.procfs=/nonexistent"]) as exp:
        text = exp.metrics()
        samples = lib.parse_exposition(text)
        assert lib.value(samples, "mailpath_exporter_collector_success", collector="process") == 0
        assert not lib.series(samples, "process_resident_memory_bytes")
        assert lib.series(samples, "mailpath_exporter_build_info")
        assert exp.get("/-/healthy")[0] == 200
        lib.promtool_check_metrics(text)
    assert any("collector failed" in line and "/nonexistent" in line for line in exp.log)


def test_sigterm_stops_cleanly():
    exp = lib.Exporter(ONLY_PROCESS)
    assert exp.get("/metrics")[0] == 200
    assert exp.stop() == 0
    assert "msg=stopped" in "".join(exp.log)


def run(args):
    return subprocess.run([lib.exporter_path(), *args], capture_output=True, text=True, timeout=30)


def test_unknown_flag_exits_2_naming_it():
    proc = run(["--no-such-flag"])
    assert proc.returncode == 2
    assert proc.stderr.strip() == "mailpath_exporter: error: unknown long flag '--no-such-flag', try --help"


def test_bad_values_exit_2_naming_the_flag():
    for args, needle in [
        (["--log.level=loud"], "--log.level"),
        (["--web.max-requests=zero"], "--web.max-requests"),
        (["--web.listen-address=localhost"], "--web.listen-address"),
        (["--collector.nosuch"], "unknown collector 'nosuch'"),
        (["--web.telemetry-path"], "expected argument for flag '--web.telemetry-path'"),
    ]:
        proc = run(args)
        assert proc.returncode == 2, args
        assert needle in proc.stderr and "try --help" in proc.stderr, (args, proc.stderr)


def test_port_in_use_exits_1_with_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = run([f"--web.listen-address=127.0.0.1:{port}"])
    assert proc.returncode == 1
    assert "cannot start web server" in proc.stderr and str(port) in proc.stderr


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def test_invalid_json_config_names_file_and_line():
    with tempfile.TemporaryDirectory() as tmp:
        path = write(tmp, "c.json", '{\n  "log": {\n    "level": "info",\n  }\n}\n')
        proc = run([f"--config.file={path}", "--once"])
    assert proc.returncode == 2
    assert f"{path}:4: invalid JSON" in proc.stderr


def test_config_field_errors_name_file_line_and_field():
    with tempfile.TemporaryDirectory() as tmp:
        path = write(tmp, "c.json", '{\n  "web": {\n    "max_requests": "many"\n  }\n}\n')
        proc = run([f"--config.file={path}", "--once"])
        assert proc.returncode == 2
        assert f"{path}:3: field /web/max_requests: expected a positive integer" in proc.stderr
        path = write(tmp, "d.json", '{\n  "web": {},\n  "lgo": {}\n}\n')
        proc = run([f"--config.file={path}", "--once"])
        assert proc.returncode == 2
        assert f"{path}:3: field /lgo: unknown field" in proc.stderr


def test_config_file_applies_and_flags_override_it():
    with tempfile.TemporaryDirectory() as tmp:
        path = write(tmp, "c.json", '{"collectors": {"process": false}, "log": {"format": "json"}}')
        proc = run([f"--config.file={path}", "--once"])
        assert proc.returncode == 0
        assert "process_resident_memory_bytes" not in proc.stdout
        proc = run([f"--config.file={path}", "--once", "--collector.process"])
        assert "process_resident_memory_bytes" in proc.stdout


def test_missing_config_file_exits_2():
    proc = run(["--config.file=/nonexistent.json"])
    assert proc.returncode == 2
    assert "/nonexistent.json: cannot read config file" in proc.stderr


def test_web_config_file_is_parsed_and_bad_one_exits_2():
    with tempfile.TemporaryDirectory() as tmp:
        ok = write(tmp, "ok.yml", "http_server_config:\n  http2: false\n")
        assert run([f"--web.config.file={ok}", "--once"]).returncode == 0
        bad = write(tmp, "bad.yml", "tls_server_confg:\n  cert_file: x\n")
        proc = run([f"--web.config.file={bad}", "--once"])
        assert proc.returncode == 2 and f"{bad}:1: field tls_server_confg not found" in proc.stderr
        tls = write(tmp, "tls.yml", "tls_server_config:\n  cert_file: a.crt\n")
        proc = run([f"--web.config.file={tls}", "--once"])
        assert proc.returncode == 2 and f"{tls}:1: missing key_file" in proc.stderr


def test_help_and_version_exit_zero():
    proc = run(["--help"])
    assert proc.returncode == 0 and "--web.listen-address" in proc.stdout and "collector.process" in proc.stdout
    proc = run(["--version"])
    assert proc.returncode == 0 and proc.stdout.startswith("mailpath_exporter, version ")
