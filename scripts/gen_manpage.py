#!/usr/bin/env python3
"""Writes a man(7) page for mailpath_exporter from its own --help and
--version output, so the page always lists the binary's real flags.

usage: gen_manpage.py BINARY OUTPUT [--date YYYY-MM-DD]
"""

import re
import subprocess
import sys

NAME = "mailpath_exporter"


def roff(text):
    """Escapes text for roff: backslashes, hyphens, leading control characters."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def parse_help(help_text):
    """Splits --help into (usage lines, description, [(section, [(flag, desc)])])."""
    lines = help_text.splitlines()
    usage, description, sections = [], [], []
    i = 0
    while i < len(lines) and lines[i].strip():
        usage.append(lines[i][len("usage: "):])  # continuation lines align under it
        i += 1
    while i < len(lines) and not re.match(r"^\S.*:$", lines[i]):
        if lines[i].strip():
            description.append(lines[i].strip())
        i += 1
    for line in lines[i:]:
        if re.match(r"^\S.*:$", line):
            sections.append((line[:-1], []))
        elif re.match(r"^\s+-", line):
            # "  -h, --help   Text", "      --flag=ARG Text" or "      --flag=ARG"
            # with its text on the next lines.
            m = re.match(r"((?:-\w, )?--\S+)\s*(.*)$", line.strip())
            flag, desc = m.group(1), m.group(2)
            sections[-1][1].append([flag, desc.strip()])
        elif line.strip() and sections and sections[-1][1]:
            entry = sections[-1][1][-1]
            entry[1] = (entry[1] + " " + line.strip()).strip()
    return usage, " ".join(description), sections


def render(help_text, version_text, date):
    usage, description, sections = parse_help(help_text)
    version = version_text.split()[2] if len(version_text.split()) > 2 else ""
    out = [f'.TH MAILPATH_EXPORTER 1 "{date}" "{NAME} {version}" "User Commands"',
           ".SH NAME", f"{roff(NAME)} \\- {roff('Prometheus exporter for Postfix and Dovecot mail hosts')}",
           ".SH SYNOPSIS"]
    for u in usage:
        out += [".nf", roff(u), ".fi"]
    out += [".SH DESCRIPTION", roff(description)]
    for title, entries in sections:
        out.append(".SH " + roff(title.upper()))
        for flag, desc in entries:
            out += [".TP", "\\fB" + roff(flag) + "\\fR", roff(desc)]
    out += [".SH FILES",
            ".TP", roff("/etc/default/mailpath_exporter"), roff("Flags for the systemd unit (ARGS=\"...\")."),
            ".TP", roff("/var/lib/mailpath_exporter"), roff("Log checkpoint (--state.dir)."),
            ".TP", roff("/usr/share/mailpath-exporter"), roff("Grafana dashboards and Prometheus alerting rules."),
            ".SH VERSION", roff(version_text.strip().splitlines()[0])]
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    binary, output = argv[1], argv[2]
    date = argv[4] if len(argv) > 4 and argv[3] == "--date" else "2026"
    run = lambda flag: subprocess.run([binary, flag], capture_output=True, text=True, check=True).stdout
    page = render(run("--help"), run("--version"), date)
    with open(output, "w") as f:
        f.write(page)


if __name__ == "__main__":
    main(sys.argv)
