"""MAILPATH_KEEP_LOGS=DIR makes every private Postfix and Dovecot copy its log file into DIR before its
temp dir is removed: how tests/fixtures/logs/postfix-3.10 and dovecot-2.4 were captured (their README)."""

import os
import shutil


def keep(log_file, name):
    """Copies log_file to $MAILPATH_KEEP_LOGS/<name>-<n>.log (n counts up); nothing when unset."""
    out = os.environ.get("MAILPATH_KEEP_LOGS")
    if not out or not os.path.exists(log_file):
        return
    os.makedirs(out, exist_ok=True)
    n = 1
    while os.path.exists(os.path.join(out, f"{name}-{n}.log")):
        n += 1
    shutil.copyfile(log_file, os.path.join(out, f"{name}-{n}.log"))
