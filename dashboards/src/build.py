#!/usr/bin/env python3
"""Generates dashboards/*.json. Run after editing; a test checks the committed
JSON equals this output, so the JSON is never edited by hand."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from grafana import Layout, dashboard, sel, write  # noqa: E402

OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
R = "$__rate_interval"


def exporter_health(lay):
    lay.row("Exporter health")
    lay.panel("stat", "Exporters up", "Scrape targets of this job that answered the last scrape (Prometheus's up).",
              "none", [(f"sum(up{sel()})", "up")], w=6, h=5)
    lay.panel("timeseries", "Collector success",
              "1 when the collector read its source on the last scrape, 0 when it failed (the exporter log says why).",
              "none", [(f"min by (instance, collector) (mailpath_exporter_collector_success{sel()})",
                        "{{instance}} {{collector}}")], w=9, h=5)
    lay.panel("timeseries", "Collector duration",
              "Time each collector took per scrape.", "s",
              [(f"max by (instance, collector) (mailpath_exporter_collector_duration_seconds{sel()})",
                "{{instance}} {{collector}}")], w=9, h=5)
    lay.panel("timeseries", "Exporter memory", "Resident memory of the exporter process.", "bytes",
              [(f"process_resident_memory_bytes{sel()}", "{{instance}}")], w=12, h=6)
    lay.panel("timeseries", "Exporter CPU", "CPU seconds per second used by the exporter.", "percentunit",
              [(f"rate(process_cpu_seconds_total{sel()}[{R}])", "{{instance}}")], w=12, h=6)


def overview():
    lay = Layout()
    exporter_health(lay)
    return dashboard("mailpath-overview", "Mail path / On-call overview",
                     "Is mail flowing, is anything throttling it, and is the network path healthy.",
                     ["postfix", "dovecot", "oncall"], lay)


def main():
    write(os.path.join(OUT, "mailpath-overview.json"), overview())


if __name__ == "__main__":
    main()
