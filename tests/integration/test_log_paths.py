"""Odd things at a log path (issue 17, handed cases 3 and 4): only regular files are opened, so a FIFO or a
directory leaves that source down with a reason and never blocks the start, SIGTERM or the other sources;
a file that was there but unreadable at start is read from its end once it becomes readable."""

import os
import shutil
import tempfile
import time

import mailpath_testlib as lib

# Root reads any file whatever its mode; without these two capabilities it is refused like anyone else.
NO_DAC_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                   "--inh-caps=-dac_override,-dac_read_search"]


def write_lines(path, n, start=0):
    with open(path, "a") as f:
        f.write("".join(f"Nov 22 10:00:00 mx writer[7]: line {start + i}\n" for i in range(n)))


def source_up(exp, source):
    return lib.value(lib.parse_exposition(exp.metrics()), "mailpath_log_source_up", source=source)


def args(*paths):
    return ["--collector.disable-defaults", "--collector.logs",
            *(f"--postfix.logfile_path={p}" for p in paths)]


def test_fifo_and_directory_at_start_neither_block_start_nor_sigterm_nor_the_other_source():
    with tempfile.TemporaryDirectory() as tmp:
        fifo, directory, good = (os.path.join(tmp, n) for n in ("fifo.log", "dir.log", "mail.log"))
        os.mkfifo(fifo)
        os.mkdir(directory)
        write_lines(good, 1)
        exp = lib.Exporter(args(fifo, directory, good))  # raises unless it listens
        try:
            write_lines(good, 30, start=1)
            assert lib.wait_log_lines(exp, good, 30) == 30
            assert source_up(exp, fifo) == 0
            assert source_up(exp, directory) == 0
            assert source_up(exp, good) == 1
        finally:
            sent = time.monotonic()
            code = exp.stop(timeout=30)
            took = time.monotonic() - sent
        log = "".join(exp.log)
    print(f"FIFO and directory at log paths: SIGTERM to exit {took:.2f} s")
    assert code == 0, log[-3000:]
    assert took < 5 * lib.TIMEOUT_SCALE, took
    assert "not a regular file but a FIFO" in log, log[-3000:]
    assert "not a regular file but a directory" in log, log[-3000:]


def test_fifo_created_while_running_does_not_stop_the_other_source():
    with tempfile.TemporaryDirectory() as tmp:
        fifo, good = os.path.join(tmp, "later.log"), os.path.join(tmp, "mail.log")
        write_lines(good, 1)
        with lib.Exporter(args(fifo, good)) as exp:
            write_lines(good, 10, start=1)
            assert lib.wait_log_lines(exp, good, 10) == 10
            os.mkfifo(fifo)
            time.sleep(1.5)  # several polls see the FIFO
            write_lines(good, 20, start=11)
            assert lib.wait_log_lines(exp, good, 30) == 30
            assert source_up(exp, fifo) == 0


def unreadable_then_readable(extra_args):
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "mail.log")
        state = os.path.join(tmp, "state")
        os.mkdir(state)
        write_lines(log, 1000)
        os.chmod(log, 0)
        with lib.Exporter([*args(log), f"--state.dir={state}", *extra_args], prefix=NO_DAC_OVERRIDE) as exp:
            time.sleep(1)
            assert source_up(exp, log) == 0
            assert lib.log_lines_counted(exp, log) == 0
            os.chmod(log, 0o644)
            deadline = time.time() + 20 * lib.TIMEOUT_SCALE
            while source_up(exp, log) != 1 and time.time() < deadline:
                time.sleep(0.1)
            write_lines(log, 5, start=1000)
            got = lib.wait_log_lines(exp, log, 5)
            time.sleep(1)
            final = lib.log_lines_counted(exp, log)
        log_text = "".join(exp.log)
    return got, final, log_text


def test_a_file_unreadable_at_start_is_read_from_its_end_once_readable():
    assert shutil.which("setpriv"), "setpriv (util-linux) missing"
    got, final, log = unreadable_then_readable([])
    assert final == 5, (got, final, log[-3000:])  # the 1000 old lines are not counted as new
    assert "Permission denied" in log


def test_with_from_beginning_it_is_read_from_0_once_readable():
    got, final, log = unreadable_then_readable(["--log.from-beginning"])
    assert final == 1005, (got, final, log[-3000:])


def test_a_checkpointed_file_unreadable_at_restart_resumes_at_its_saved_position():
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "mail.log")
        state = os.path.join(tmp, "state")
        os.mkdir(state)
        write_lines(log, 100)
        with lib.Exporter([*args(log), f"--state.dir={state}", "--log.from-beginning"]) as exp:
            assert lib.wait_log_lines(exp, log, 100) == 100
        write_lines(log, 7, start=100)  # while stopped: counted after the restart, and only these
        os.chmod(log, 0)
        with lib.Exporter([*args(log), f"--state.dir={state}"], prefix=NO_DAC_OVERRIDE) as exp:
            time.sleep(1)
            assert source_up(exp, log) == 0
            os.chmod(log, 0o644)
            got = lib.wait_log_lines(exp, log, 7)
            time.sleep(1)
            final = lib.log_lines_counted(exp, log)
    assert (got, final) == (7, 7), (got, final)
