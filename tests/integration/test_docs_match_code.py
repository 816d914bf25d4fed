"""The metrics reference stays true to the code: every metric family name the sources can emit is
documented (README.md or docs/), and every metric name the reference pages mention exists in the sources."""

import glob
import os
import re

import mailpath_testlib as lib

NAME = r"(?:postfix|dovecot|mailpath)_[a-z0-9_]+"
SUFFIXES = ("_bucket", "_count", "_sum")


def code_names():
    names = set()
    for path in glob.glob(os.path.join(lib.SOURCE_DIR, "src", "**", "*.cc"), recursive=True):
        with open(path) as f:
            names.update(re.findall(r'"(' + NAME + r')"', f.read()))
    return names


def doc_text(pattern, readme=True):
    text = ""
    paths = glob.glob(os.path.join(lib.SOURCE_DIR, "docs", pattern))
    if readme:
        paths.insert(0, os.path.join(lib.SOURCE_DIR, "README.md"))
    for path in paths:
        with open(path) as f:
            text += f.read()
    return text


def test_every_metric_in_the_code_is_documented():
    docs = doc_text("*.md")
    missing = sorted(n for n in code_names() if n not in docs)
    assert not missing, f"undocumented in README.md/docs: {missing}"


def test_every_metric_the_reference_names_exists_in_the_code():
    code = code_names()
    # The reference pages only: README also names the peer's metrics we did not keep.
    reference = "".join(doc_text(p, readme=False) for p in ("metrics-*.md", "tcp.md", "logs.md", "security.md"))
    stale = []
    for name in sorted(set(re.findall(r"`(" + NAME + r")", reference))):
        base = name
        for suffix in SUFFIXES:
            if base.endswith(suffix) and base[: -len(suffix)] in code:
                base = base[: -len(suffix)]
        if base not in code and not base.endswith("_"):  # "mailpath_log_*" is a wildcard
            stale.append(name)
    assert not stale, f"documented but not in the code: {stale}"
