"""The Debian package: built with cpack from the current build, installed with
dpkg on this machine, checked (files, conffile, user and groups, the unit,
the privileges each collector needs), then purged. Needs root; whatever
happens, nothing of the package stays installed."""

import filecmp
import glob
import gzip
import os
import pwd
import grp
import re
import shutil
import socket
import subprocess
import tempfile

import pytest

import mailpath_testlib as lib
import private_postfix as pp
from test_systemd_unit import MAX_EXPOSURE, exposure

PACKAGE = "mailpath-exporter"
USER = "mailpath_exporter"
STATE_DIR = "/var/lib/mailpath_exporter"
UNIT = "/lib/systemd/system/mailpath_exporter.service"
DEFAULTS = "/etc/default/mailpath_exporter"
SHARE = "/usr/share/mailpath-exporter"
DOC = "/usr/share/doc/mailpath-exporter"
BINARY = "/usr/bin/mailpath_exporter"
WANTED_GROUPS = ("postdrop", "adm", "systemd-journal")


def run(*cmd, check=True, **kw):
    proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=300, **kw)
    if check:
        assert proc.returncode == 0, f"{cmd}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def installed():
    proc = run("dpkg-query", "-W", "-f=${Status}", PACKAGE, check=False)
    return proc.returncode == 0 and "installed" in proc.stdout.split()


def user_exists():
    try:
        pwd.getpwnam(USER)
        return True
    except KeyError:
        return False


def group_exists(name):
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def purge():
    run("dpkg", "--purge", PACKAGE)


def as_user(*args, groups=True):
    """Runs the installed binary as the package's user without capabilities,
    with its supplementary groups (as the unit grants them) or with none."""
    priv = ["setpriv", f"--reuid={USER}", f"--regid={USER}",
            "--init-groups" if groups else "--clear-groups",
            "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all"]
    return run(*priv, BINARY, *args, check=False, cwd="/")


@pytest.fixture(scope="module")
def deb():
    """The .deb built by cpack from the build directory of MAILPATH_EXPORTER."""
    assert os.geteuid() == 0, "the package test installs a .deb and must run as root"
    build_dir = os.path.dirname(lib.exporter_path())
    config = os.path.join(build_dir, "CPackConfig.cmake")
    assert os.path.exists(config), f"{config} missing: configure with CMake first"
    out = tempfile.mkdtemp(prefix="mailpath-deb-")
    try:
        run("cpack", "-G", "DEB", "--config", config, "-B", out, cwd=build_dir)
        debs = glob.glob(os.path.join(out, f"{PACKAGE}_*.deb"))
        assert len(debs) == 1, os.listdir(out)
        yield debs[0]
    finally:
        shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="module")
def package(deb):
    assert not installed(), f"{PACKAGE} is already installed; dpkg --purge it before the test"
    assert not user_exists(), f"user {USER} exists already; remove it before the test"
    try:
        run("dpkg", "-i", deb)
        yield deb
    finally:
        if installed() or run("dpkg-query", "-W", PACKAGE, check=False).returncode == 0:
            run("dpkg", "--purge", PACKAGE, check=False)
        if user_exists():
            run("deluser", "--system", USER, check=False)
        if group_exists(USER):
            run("delgroup", "--system", USER, check=False)


def test_depends_come_from_the_shared_libraries(deb):
    depends = run("dpkg-deb", "-f", deb, "Depends").stdout
    # dpkg-shlibdeps derived these from the binary's NEEDED entries.
    needed = run("objdump", "-p", lib.exporter_path()).stdout
    assert "libprometheus-cpp-core.so" in needed
    for pkg in ("adduser", "libc6", "libprometheus-cpp-core1.0", "libcivetweb1", "libmnl0",
                "libsystemd0", "zlib1g", "libstdc++6"):
        assert re.search(rf"(^|, ){re.escape(pkg)}( |,|$)", depends), (pkg, depends)


def test_files_are_installed(package):
    listed = set(run("dpkg", "-L", PACKAGE).stdout.split())
    for path in (BINARY, UNIT, DEFAULTS, "/usr/share/man/man1/mailpath_exporter.1.gz"):
        assert path in listed, path
        assert os.path.isfile(path), path
    assert os.access(BINARY, os.X_OK)
    for subdir, pattern, target in (("dashboards", "*.json", f"{SHARE}/dashboards"),
                                    ("alerts", "*.yml", f"{SHARE}/alerts"),
                                    ("docs/runbooks", "*.md", f"{DOC}/runbooks")):
        repo = sorted(glob.glob(os.path.join(lib.SOURCE_DIR, subdir, pattern)))
        assert repo, subdir
        names = [os.path.basename(p) for p in repo]
        assert sorted(os.listdir(target)) == names, target
        match, mismatch, errors = filecmp.cmpfiles(os.path.dirname(repo[0]), target, names, shallow=False)
        assert not mismatch and not errors, (mismatch, errors)


def test_defaults_file_is_a_conffile(package):
    conffiles = run("dpkg-query", "-W", "-f=${Conffiles}", PACKAGE).stdout
    assert re.search(rf"^\s*{re.escape(DEFAULTS)} [0-9a-f]{{32}}$", conffiles, re.M), conffiles
    with open(DEFAULTS) as f:
        assert re.search(r"^ARGS=", f.read(), re.M)


def test_man_page_documents_every_flag(package):
    assert run("man", "-w", "mailpath_exporter").stdout.strip().endswith("mailpath_exporter.1.gz")
    with gzip.open("/usr/share/man/man1/mailpath_exporter.1.gz", "rt") as f:
        page = f.read().replace("\\-", "-")
    help_text = run(BINARY, "--help").stdout
    flags = re.findall(r"^\s+(?:-\w, )?(--[\w.\[\]-]+)", help_text, re.M)
    assert len(flags) > 20
    for flag in flags:
        assert flag in page, flag


def test_user_is_a_system_user_in_the_collectors_groups(package):
    pw = pwd.getpwnam(USER)
    assert pw.pw_uid < 1000
    assert pw.pw_shell in ("/usr/sbin/nologin", "/bin/false")
    assert grp.getgrgid(pw.pw_gid).gr_name == USER
    groups = {g.gr_name for g in grp.getgrall() if USER in g.gr_mem}
    assert groups == {g for g in WANTED_GROUPS if group_exists(g)}
    assert "postdrop" in groups  # Postfix is installed on the test machine
    st = os.stat(STATE_DIR)
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (pw.pw_uid, pw.pw_gid, 0o700)


def test_installed_unit_verifies(package):
    # With the man page installed, verify also checks Documentation=man:...
    proc = run("systemd-analyze", "verify", UNIT, check=False)
    assert proc.returncode == 0 and proc.stderr.strip() == "", proc.stdout + proc.stderr


def test_installed_unit_exposure_is_at_most_two(package):
    score, report = exposure(UNIT)
    assert score <= MAX_EXPOSURE, report


def test_installed_binary_answers_version(package):
    built = run(lib.exporter_path(), "--version").stdout
    proc = run(BINARY, "--version")
    assert proc.stdout == built
    assert proc.stdout.startswith("mailpath_exporter, version ")


def test_sock_diag_needs_no_privilege(package):
    # An established loopback connection on a port we choose, read by the tcp
    # collector running as the package's user without any capability.
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        port = srv.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as cli:
            conn, _ = srv.accept()
            with conn:
                proc = as_user("--once", "--collector.disable-defaults", "--collector.tcp",
                               "--collector.process", f"--tcp.ports={port}")
    assert proc.returncode == 0, proc.stderr
    s = lib.parse_exposition(proc.stdout)
    assert lib.value(s, "mailpath_exporter_collector_success", collector="tcp") == 1
    assert lib.value(s, "mailpath_exporter_collector_success", collector="process") == 1
    assert lib.value(s, "mailpath_tcp_sockets", port=str(port), direction="inbound",
                     state="established") == 1


def test_showq_needs_postdrop(package):
    p = pp.PrivatePostfix({})
    try:
        p.start()
        args = ("--once", "--collector.disable-defaults", "--collector.showq",
                f"--postfix.showq_path={p.showq_path}")
        with_groups = lib.parse_exposition(as_user(*args).stdout)
        without = lib.parse_exposition(as_user(*args, groups=False).stdout)
    finally:
        p.cleanup()
    assert lib.value(with_groups, "postfix_up", path=p.showq_path) == 1
    assert lib.value(without, "postfix_up", path=p.showq_path) == 0


def test_mail_log_needs_adm(package):
    tmp = tempfile.mkdtemp(prefix="mailpath-pkglog-")
    try:
        os.chmod(tmp, 0o755)
        log = os.path.join(tmp, "mail.log")
        with open(log, "w") as f:
            f.write("Nov 22 10:00:00 mx postfix/smtpd[123]: connect from unknown[192.0.2.1]\n")
        shutil.chown(log, "root", "adm")
        os.chmod(log, 0o640)
        ok = as_user(f"--replay={log}")
        denied = as_user(f"--replay={log}", groups=False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert ok.returncode == 0, ok.stderr
    s = lib.parse_exposition(ok.stdout)
    assert lib.value(s, "mailpath_log_lines_total", source=log, result="routed") == 1
    assert denied.returncode != 0
    assert "Permission denied" in denied.stderr


def test_reinstall_keeps_the_edited_conffile_the_user_and_the_state(package):
    # dpkg -i over the installed package runs postinst with the old version
    # (the upgrade path): the user exists already, the admin's flags stay.
    uid = pwd.getpwnam(USER).pw_uid
    with open(DEFAULTS) as f:
        shipped = f.read()
    edited = shipped + 'ARGS="--web.listen-address=127.0.0.1:10154"\n'
    with open(DEFAULTS, "w") as f:
        f.write(edited)
    with open(os.path.join(STATE_DIR, "checkpoint"), "w") as f:
        f.write("left by the service\n")
    run("dpkg", "-i", "--force-confold", package)
    with open(DEFAULTS) as f:
        assert f.read() == edited
    assert pwd.getpwnam(USER).pw_uid == uid
    assert {g.gr_name for g in grp.getgrall() if USER in g.gr_mem} == {g for g in WANTED_GROUPS
                                                                       if group_exists(g)}
    assert os.path.exists(os.path.join(STATE_DIR, "checkpoint"))


def test_remove_keeps_config_and_user_then_purge_removes_everything(package):
    with open(os.path.join(STATE_DIR, "checkpoint"), "w") as f:
        f.write("left by the service\n")
    run("dpkg", "--remove", PACKAGE)
    status = run("dpkg-query", "-W", "-f=${Status}", PACKAGE).stdout
    assert status.endswith("config-files"), status
    assert not os.path.exists(BINARY) and not os.path.exists(UNIT)
    assert os.path.exists(DEFAULTS) and user_exists()

    purge()
    assert not installed()
    assert run("dpkg-query", "-W", PACKAGE, check=False).returncode != 0 or \
        "not-installed" in run("dpkg-query", "-W", "-f=${Status}", PACKAGE, check=False).stdout
    assert not user_exists()
    assert not group_exists(USER)
    for g in WANTED_GROUPS:
        if group_exists(g):
            assert USER not in grp.getgrnam(g).gr_mem, g
    for path in (BINARY, UNIT, DEFAULTS, STATE_DIR, SHARE, DOC,
                 "/usr/share/man/man1/mailpath_exporter.1.gz",
                 "/etc/systemd/system/multi-user.target.wants/mailpath_exporter.service"):
        assert not os.path.lexists(path), path
