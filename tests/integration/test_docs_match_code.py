"""The docs stay true to the code: every metric family name the sources can emit is documented (README.md
or docs/), and every metric name the reference pages mention exists in the sources; every flag of --help
(which src/app/option_table.cc drives) has its row in README.md and in docs/configuration.md with the JSON
field --help names, and the example file there sets every field and is accepted by the exporter."""

import glob
import json
import os
import re
import subprocess
import tempfile

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


def help_options():
    """{flag: config field or None} from `mailpath_exporter --help` (runs in milliseconds)."""
    text = subprocess.run([lib.exporter_path(), "--help"], capture_output=True, text=True, check=True).stdout
    options = {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"\s+(?:-h, )?--(?:\[no-\])?([a-z0-9._-]+)", line)
        if not m or m.group(1).startswith("collector.") and m.group(1) != "collector.disable-defaults":
            continue  # not a flag, or a collector switch (from the catalog, not the option table)
        if i + 1 < len(lines) and lines[i + 1].startswith(" " * 27):
            line += lines[i + 1]  # a long flag's help is on the next line
        field = re.search(r"\[config: ([a-z0-9_]+\.[a-z0-9_]+)\]", line)
        options[m.group(1)] = field.group(1) if field else None
    options.pop("help", None)
    options.pop("version", None)
    return options


def configuration_md():
    with open(os.path.join(lib.SOURCE_DIR, "docs", "configuration.md")) as f:
        return f.read()


def test_every_flag_has_its_config_field_row_in_docs_configuration_md():
    options = help_options()
    assert len(options) > 20 and options["tcp.ports"] == "tcp.ports", options
    rows = dict(re.findall(r"^\| `([a-z0-9_]+\.[a-z0-9_]+)` \| `--([a-z0-9._-]+)`", configuration_md(), re.M))
    documented = {flag: field for field, flag in rows.items()}
    expected = {flag: field for flag, field in options.items() if field}
    assert documented == expected, (
        f"docs/configuration.md rows differ from --help: missing or wrong {sorted(set(expected.items()) - set(documented.items()))}, "
        f"stale {sorted(set(documented.items()) - set(expected.items()))}")
    assert [flag for flag, field in options.items() if not field] == ["config.file"], options


def test_every_flag_is_in_the_readme_flag_table():
    with open(os.path.join(lib.SOURCE_DIR, "README.md")) as f:
        readme = f.read()
    table = readme[readme.index("## Flags"):readme.index("## Collectors")]
    missing = sorted(flag for flag in help_options() if f"`--{flag}`" not in table)
    assert not missing, f"flags of --help missing from README.md's flag table: {missing}"


def test_the_example_config_sets_every_field_and_is_accepted():
    text = configuration_md()
    example = re.search(r"```json\n(.*?)```", text, re.S).group(1)
    doc = json.loads(example)
    fields = {f"{section}.{key}" for section, keys in doc.items() for key in keys}
    missing = sorted(field for field in help_options().values() if field and field not in fields)
    assert not missing, f"the example in docs/configuration.md does not set {missing}"
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        f.write(example)
        f.flush()
        # --help after the file is read: exits 0 only if the exporter accepts the file.
        proc = subprocess.run([lib.exporter_path(), f"--config.file={f.name}", "--help"], capture_output=True,
                              text=True)
    assert proc.returncode == 0, proc.stderr
