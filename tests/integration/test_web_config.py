"""--web.config.file end to end: TLS (server verification, client certificates,
protocol versions, certificate rotation), basic auth and config reload, with a
real curl and certificates made by openssl in a private temp dir."""

import http.client
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
import time

import pytest

import mailpath_testlib as lib

ONLY_PROCESS = ["--collector.disable-defaults", "--collector.process"]
# bcrypt (cost 4, to keep the test fast) of "s3cret".
HASH = "$2y$04$FRTTwc39N0wot0O1iGsrCuU4HzJNC1TnHAGgHwcvtXuAq/.npXl/6"


def tool(name):
    path = shutil.which(name)
    assert path, f"{name} is missing: scripts/setup.sh test installs it"
    return path


def openssl(*args, cwd):
    subprocess.run([tool("openssl"), *args], cwd=cwd, check=True, capture_output=True)


def make_ca(d, name):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
            "-keyout", f"{name}.key", "-out", f"{name}.crt", cwd=d)


def make_cert(d, name, ca, server=True):
    ext = os.path.join(d, f"{name}.ext")
    with open(ext, "w") as f:
        if server:
            f.write("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        else:
            f.write("extendedKeyUsage=clientAuth\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", f"{name}.key",
            "-out", f"{name}.csr", cwd=d)
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
            "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", f"{name}.crt", cwd=d)


@pytest.fixture(scope="module")
def pki():
    """ca signs server and client; other-ca signs a client cert we must refuse."""
    with tempfile.TemporaryDirectory() as d:
        make_ca(d, "ca")
        make_ca(d, "other-ca")
        make_cert(d, "server", "ca")
        make_cert(d, "server2", "ca")
        make_cert(d, "client", "ca", server=False)
        make_cert(d, "intruder", "other-ca", server=False)
        yield d


def write_config(d, text):
    path = os.path.join(d, "web.yml")
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
    return path


def tls_block(extra=""):
    return "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" + extra


def curl(url, *args):
    """Returns (curl exit code, HTTP status or 0, headers text, body text)."""
    proc = subprocess.run([tool("curl"), "-sS", "-D", "-", "--max-time", "20", *args, url],
                          capture_output=True, text=True)
    status = 0
    # text mode turns CRLF into LF
    head, _, body = proc.stdout.partition("\n\n")
    if proc.returncode == 0 and head.startswith("HTTP/"):
        status = int(head.split()[1])
    return proc.returncode, status, head.lower(), body


def https(exp, d, path="/metrics", *args):
    return curl(f"https://127.0.0.1:{exp.port}{path}", "--cacert", os.path.join(d, "ca.crt"), *args)


def test_https_scrape_verified_against_the_ca(pki):
    cfg = write_config(pki, tls_block())
    with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
        rc, status, _, body = https(exp, pki)
        assert (rc, status) == (0, 200)
        assert "mailpath_exporter_build_info" in body
        lib.promtool_check_metrics(body)
        # Without our CA curl cannot verify the server: the certificate is really checked.
        rc, status, _, _ = curl(f"https://127.0.0.1:{exp.port}/metrics")
        assert rc == 60 and status == 0


def test_plain_http_to_the_tls_port_fails(pki):
    cfg = write_config(pki, tls_block())
    with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
        rc, status, _, body = curl(f"http://127.0.0.1:{exp.port}/metrics")
        assert rc != 0 and status == 0
        assert "mailpath_exporter_build_info" not in body
        # and the exporter still serves HTTPS afterwards
        assert https(exp, pki)[1] == 200


def test_min_version_tls13_refuses_tls12(pki):
    cfg = write_config(pki, tls_block("  min_version: TLS13\n"))
    with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
        rc, status, _, _ = https(exp, pki, "/metrics", "--tls-max", "1.2")
        assert rc == 35 and status == 0  # handshake failure
        rc, status, _, _ = https(exp, pki, "/metrics", "--tlsv1.3")
        assert (rc, status) == (0, 200)


def test_default_min_version_refuses_tls11(pki):
    cfg = write_config(pki, tls_block())
    with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
        rc, status, _, _ = https(exp, pki, "/metrics", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0")
        assert rc != 0 and status == 0
        assert https(exp, pki, "/metrics", "--tls-max", "1.2")[1] == 200


def test_cipher_suites_and_curve_preferences_restrict_the_handshake(pki):
    cfg = write_config(pki, tls_block("  max_version: TLS12\n"
                                      "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n"
                                      "  curve_preferences: [CurveP384]\n"))
    with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
        ok = ["--ciphers", "ECDHE-RSA-AES256-GCM-SHA384", "--curves", "P-384"]
        rc, status, _, _ = https(exp, pki, "/metrics", *ok)
        assert (rc, status) == (0, 200)
        rc, status, _, _ = https(exp, pki, "/metrics", "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256", "--curves", "P-384")
        assert rc == 35 and status == 0, "a suite not in cipher_suites must fail the handshake"
        rc, status, _, _ = https(exp, pki, "/metrics", "--ciphers", "ECDHE-RSA-AES256-GCM-SHA384", "--curves", "P-256")
        assert rc == 35 and status == 0, "a curve not in curve_preferences must fail the handshake"
    assert "web config warning" not in "".join(exp.log), "every name was applied, none ignored"


def test_rate_limit_answers_429_over_the_burst(pki):
    cfg = write_config(pki, "rate_limit:\n  interval: 1m\n  burst: 2\n")
    with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
        url = f"http://127.0.0.1:{exp.port}/metrics"
        assert [curl(url)[1] for _ in range(2)] == [200, 200]
        rc, status, head, body = curl(url)
        assert (rc, status) == (0, 429)
        assert body == "Too Many Requests\n" and "mailpath_exporter_build_info" not in body
        assert curl(f"http://127.0.0.1:{exp.port}/")[1] == 429, "one bucket for every path"


def test_require_and_verify_client_cert(pki):
    cfg = write_config(pki, tls_block("  client_auth_type: RequireAndVerifyClientCert\n"
                                      "  client_ca_file: ca.crt\n"))
    with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
        rc, status, _, _ = https(exp, pki)
        assert rc != 0 and status == 0, "no client certificate must fail"
        rc, status, _, body = https(exp, pki, "/metrics", "--cert", os.path.join(pki, "client.crt"),
                                    "--key", os.path.join(pki, "client.key"))
        assert (rc, status) == (0, 200) and "mailpath_exporter_build_info" in body
        rc, status, _, _ = https(exp, pki, "/metrics", "--cert", os.path.join(pki, "intruder.crt"),
                                 "--key", os.path.join(pki, "intruder.key"))
        assert rc != 0 and status == 0, "a certificate from another CA must fail"


def test_verify_client_cert_if_given(pki):
    cfg = write_config(pki, tls_block("  client_auth_type: VerifyClientCertIfGiven\n"
                                      "  client_ca_file: ca.crt\n"))
    with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
        assert https(exp, pki)[1] == 200
        rc, status, _, _ = https(exp, pki, "/metrics", "--cert", os.path.join(pki, "intruder.crt"),
                                 "--key", os.path.join(pki, "intruder.key"))
        assert rc != 0 and status == 0


def test_basic_auth_over_plain_http(pki):
    cfg = write_config(pki, f"basic_auth_users:\n  alice: {HASH}\n")
    with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
        url = f"http://127.0.0.1:{exp.port}/metrics"
        rc, status, _, body = curl(url, "-u", "alice:s3cret")
        assert (rc, status) == (0, 200) and "mailpath_exporter_build_info" in body
        rc, status, head, body = curl(url, "-u", "alice:wrong")
        assert status == 401 and "mailpath_exporter_build_info" not in body
        assert 'www-authenticate: basic realm="mailpath_exporter"' in head
        rc, status, head, _ = curl(url)
        assert status == 401 and "www-authenticate: basic" in head
        assert curl(url, "-u", "bob:s3cret")[1] == 401
        # every path is protected, not just /metrics
        assert curl(f"http://127.0.0.1:{exp.port}/", "-u", "alice:wrong")[1] == 401


def test_tls_client_certs_and_basic_auth_combined_with_headers(pki):
    cfg = write_config(pki, tls_block("  client_auth_type: RequireAndVerifyClientCert\n"
                                      "  client_ca_file: ca.crt\n") +
                       f"basic_auth_users:\n  alice: {HASH}\n"
                       "http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n")
    client = ["--cert", os.path.join(pki, "client.crt"), "--key", os.path.join(pki, "client.key")]
    with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
        rc, status, head, body = https(exp, pki, "/metrics", *client, "-u", "alice:s3cret")
        assert (rc, status) == (0, 200) and "mailpath_exporter_build_info" in body
        assert "x-content-type-options: nosniff" in head
        assert https(exp, pki, "/metrics", *client, "-u", "alice:nope")[1] == 401
        assert https(exp, pki, "/metrics", *client)[1] == 401
        rc, status, _, _ = https(exp, pki, "/metrics", "-u", "alice:s3cret")
        assert rc != 0 and status == 0


def served_certificate(port):
    return ssl.get_server_certificate(("127.0.0.1", port))


def same_cert(pem_a, pem_b):
    return ssl.PEM_cert_to_DER_cert(pem_a) == ssl.PEM_cert_to_DER_cert(pem_b)


def test_certificate_rotation_is_seen_by_new_connections(pki):
    with tempfile.TemporaryDirectory() as d:
        for f in ("server.crt", "server.key"):
            shutil.copy(os.path.join(pki, f), d)
        cfg = write_config(d, tls_block())
        with open(os.path.join(pki, "server.crt")) as f:
            old = f.read()
        with open(os.path.join(pki, "server2.crt")) as f:
            new = f.read()
        with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
            assert same_cert(old, served_certificate(exp.port))
            # As a renewal tool does: write new files, rename them into place.
            for src, dst in (("server2.key", "server.key"), ("server2.crt", "server.crt")):
                shutil.copy(os.path.join(pki, src), os.path.join(d, dst + ".new"))
                os.replace(os.path.join(d, dst + ".new"), os.path.join(d, dst))
            deadline = time.time() + 10
            while time.time() < deadline and not same_cert(new, served_certificate(exp.port)):
                time.sleep(0.3)
            assert same_cert(new, served_certificate(exp.port))
            assert https(exp, pki)[1] == 200  # server2 is signed by the same CA


def test_changed_web_config_is_reloaded_and_a_broken_one_is_ignored(pki):
    with tempfile.TemporaryDirectory() as d:
        cfg = write_config(d, f"basic_auth_users:\n  alice: {HASH}\n")
        with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
            url = f"http://127.0.0.1:{exp.port}/metrics"
            assert curl(url, "-u", "alice:s3cret")[1] == 200
            # A client polling all the time: changing users must not drop a connection
            # (the listeners stay up; only a TLS change restarts them).
            failures, statuses, stop = [], set(), threading.Event()

            def poll():
                while not stop.is_set():
                    conn = http.client.HTTPConnection("127.0.0.1", exp.port, timeout=10)
                    try:
                        conn.request("GET", "/")
                        statuses.add(conn.getresponse().status)
                    except OSError as e:  # refused, reset, or closed without an answer
                        failures.append(repr(e))
                    finally:
                        conn.close()
                    time.sleep(0.002)

            poller = threading.Thread(target=poll)
            poller.start()
            try:
                write_config(d, f"basic_auth_users:\n  bob: {HASH}\n")
                deadline = time.time() + 15
                while time.time() < deadline and curl(url, "-u", "bob:s3cret")[1] != 200:
                    time.sleep(0.3)
            finally:
                stop.set()
                poller.join()
            assert curl(url, "-u", "bob:s3cret")[1] == 200
            assert curl(url, "-u", "alice:s3cret")[1] == 401
            assert failures == [] and statuses == {401}, (failures[:5], statuses)
            write_config(d, "basic_auth_users:\n  bob: not-a-hash\n")
            time.sleep(2 + lib.TIMEOUT_SCALE)  # longer than the 2 s poll: the broken file must have been seen
            assert curl(url, "-u", "bob:s3cret")[1] == 200
            assert exp.stop() == 0
            log = "".join(exp.log)
            assert "web config not reloaded" in log and "not a bcrypt hash" in log


def test_changed_client_ca_file_is_reloaded(pki):
    with tempfile.TemporaryDirectory() as d:
        for f in ("server.crt", "server.key"):
            shutil.copy(os.path.join(pki, f), d)
        shutil.copy(os.path.join(pki, "ca.crt"), os.path.join(d, "clients.crt"))
        cfg = write_config(d, tls_block("  client_auth_type: RequireAndVerifyClientCert\n"
                                        "  client_ca_file: clients.crt\n"))
        client = ["--cert", os.path.join(pki, "client.crt"), "--key", os.path.join(pki, "client.key")]
        other = ["--cert", os.path.join(pki, "intruder.crt"), "--key", os.path.join(pki, "intruder.key")]
        with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
            assert https(exp, pki, "/metrics", *client)[1] == 200
            assert https(exp, pki, "/metrics", *other)[1] == 0
            shutil.copy(os.path.join(pki, "other-ca.crt"), os.path.join(d, "clients.crt.new"))
            os.replace(os.path.join(d, "clients.crt.new"), os.path.join(d, "clients.crt"))
            deadline = time.time() + 15
            while time.time() < deadline and https(exp, pki, "/metrics", *other)[1] != 200:
                time.sleep(0.3)
            assert https(exp, pki, "/metrics", *other)[1] == 200
            assert https(exp, pki, "/metrics", *client)[1] == 0


def test_unusable_tls_files_and_bad_config_exit_2(pki):
    with tempfile.TemporaryDirectory() as d:
        cfg = write_config(d, tls_block())  # d holds no server.crt
        proc = subprocess.run([lib.exporter_path(), "--web.listen-address=127.0.0.1:0",
                               f"--web.config.file={cfg}"], capture_output=True, text=True, timeout=30)
        assert proc.returncode == 2
        assert os.path.join(d, "server.crt") + ": cannot open certificate" in proc.stderr
        shutil.copy(os.path.join(pki, "server.crt"), d)
        shutil.copy(os.path.join(pki, "server2.key"), os.path.join(d, "server.key"))
        proc = subprocess.run([lib.exporter_path(), "--web.listen-address=127.0.0.1:0",
                               f"--web.config.file={cfg}"], capture_output=True, text=True, timeout=30)
        assert proc.returncode == 2 and "does not match the certificate" in proc.stderr
        cfg = write_config(d, "basic_auth_users:\n  alice: plain\n")
        proc = subprocess.run([lib.exporter_path(), f"--web.config.file={cfg}"],
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode == 2 and f"{cfg}:2: basic_auth_users: alice: not a bcrypt hash" in proc.stderr


def test_sample_web_config_passes_promtool_and_serves(pki):
    sample = os.path.join(lib.SOURCE_DIR, "deploy", "web-config.example.yml")
    with tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, "tls"))
        shutil.copy(os.path.join(pki, "server.crt"), os.path.join(d, "tls", "server.crt"))
        shutil.copy(os.path.join(pki, "server.key"), os.path.join(d, "tls", "server.key"))
        shutil.copy(os.path.join(pki, "ca.crt"), os.path.join(d, "tls", "client-ca.crt"))
        cfg = os.path.join(d, "web-config.yml")
        shutil.copy(sample, cfg)
        proc = subprocess.run([lib.promtool(), "check", "web-config", cfg], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "SUCCESS" in proc.stdout + proc.stderr
        with lib.Exporter(ONLY_PROCESS + [f"--web.config.file={cfg}"]) as exp:
            client = ["--cert", os.path.join(pki, "client.crt"), "--key", os.path.join(pki, "client.key")]
            assert https(exp, pki, "/metrics", *client, "-u", "prometheus:change-me-example")[1] == 200
            assert https(exp, pki, "/metrics", *client, "-u", "prometheus:wrong")[1] == 401
