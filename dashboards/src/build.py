#!/usr/bin/env python3
"""Generates dashboards/*.json. Run after editing; a test checks the committed
JSON equals this output, so the JSON is never edited by hand."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from grafana import Layout, dashboard, sel, write  # noqa: E402

OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
R = "$__rate_interval"
DEFERRED = 'queue="deferred"'
BLACKHOLE = 'class=~"blackhole_suspect|rcv_blackhole_suspect"'
PROBING = 'class="probing_recovered"'
SERVED = 'source="served"'
GROWING_QUEUES = 'queue=~"active|deferred"'
LOGIN_LIMITS = 'reason=~"user_ip_connection_limit|connection_queue_full"'


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
    lay.panel("timeseries", "Log sources up", "1 while a log source (file or journal) is open and readable; 0 "
              "freezes every log-based metric from it (alert MailpathLogSourceDown).", "none",
              [(f"min by (instance, source) (mailpath_log_source_up{sel()})", "{{instance}} {{source}}")], w=8, h=6)
    lay.panel("timeseries", "Log lag", "Now minus the timestamp of the newest Postfix/Dovecot line read, per "
              "source. It also grows on a quiet host; it matters when lines keep arriving (MailpathLogSourceLagging).",
              "s", [(f"max by (instance, source) (mailpath_log_lag_seconds{sel()})", "{{instance}} {{source}}")],
              w=8, h=6)
    lay.panel("timeseries", "Label values folded into other", "New values of a capped label (SASL users, client "
              "networks, domains, ...) counted as \"other\" because the cap is reached (MailpathLabelCapOverflowing).",
              "short", [(f"sum by (family, label) (increase(postfix_label_overflow_total{sel()}[{R}]))",
                         "{{family}} {{label}}")], w=8, h=6)



def port_health(lay):
    lay.row("Port health")
    lay.panel("stat", "Mail ports listening", "Lowest mailpath_tcp_port_listening across the selected hosts and "
              "configured mail ports: 0 means a daemon is down on some port (MailPortNotListening).", "none",
              [(f"min(mailpath_tcp_port_listening{sel()})", "listening")], w=4, h=6, thresholds=[(0.5, "green")])
    lay.panel("timeseries", "Ports not listening", "Configured mail ports with no listener, per host and port "
              "(1 = nothing listens).", "short",
              [(f"max by (instance, port) (1 - mailpath_tcp_port_listening{sel()})", "{{instance}} {{port}}")],
              w=6, h=6, thresholds=[(1, "red")])
    lay.panel("timeseries", "Accept queue fill", "Connections waiting for accept() over the listen backlog, per port "
              "and family; 1 or more is a full queue (MailPortAcceptQueueFull: the daemon's process limit).",
              "percentunit",
              [(f"max by (instance, port, family) (mailpath_tcp_listen_queue_length{sel()} / "
                f"mailpath_tcp_listen_backlog{sel()})", "{{instance}} {{port}} {{family}}")], w=7, h=6)
    lay.panel("timeseries", "Listen overflows", "Connections dropped because an accept queue was full, per second "
              "(TcpExt ListenOverflows, host-wide).", "pps",
              [(rate("mailpath_tcp_listen_overflows_total", by="instance"), "{{instance}}")], w=7, h=6)
    lay.panel("timeseries", "Served certificate: time left", "Time until the certificate each mail port serves "
              "expires (collector cert); under 14 days warns, under 3 days pages (MailCertificateExpires*).", "s",
              [(f"min by (instance, port) (mailpath_cert_not_after_timestamp_seconds{sel(SERVED)} - time())",
                "{{instance}} {{port}}")], w=12, h=6, thresholds=[(3 * 86400, "orange"), (14 * 86400, "green")])
    lay.panel("timeseries", "Served certificate is the file on disk", "1 when the served leaf is the configured "
              "certificate file's, 0 when the file was renewed and the daemon not reloaded "
              "(MailCertificateNotReloaded).", "none",
              [(f"min by (instance, port) (mailpath_cert_served_matches_file{sel()})", "{{instance}} {{port}}")],
              w=12, h=6)


def rate(metric, extra="", by=""):
    agg = f"sum by ({by}) " if by else "sum "
    return f"{agg}(rate({metric}{sel(extra)}[{R}]))"


LINKS = [("Overview", "mailpath-overview"), ("Postfix", "mailpath-postfix"), ("Dovecot", "mailpath-dovecot"),
         ("TCP path", "mailpath-tcp")]


def overview():
    lay = Layout()
    lay.row("Mail flow")
    lay.panel("stat", "Postfix up", "Lowest postfix_up across the selected hosts: 0 means a host's showq does not "
              "answer (Postfix down or no access).", "none", [(f"min(postfix_up{sel()})", "postfix up")], w=4, h=6,
              thresholds=[(0.5, "green")])
    lay.panel("timeseries", "Deliveries by status", "Delivery attempts per second by status (sent, deferred, "
              "bounced), all delivery agents.", "reqps", [(rate("postfix_deliveries_total", by="status"), "{{status}}")],
              w=10, h=6)
    lay.panel("timeseries", "Queue depth", "Messages per Postfix queue (showq); a growing deferred queue is remote "
              "throttling or a dead destination, a growing active queue is local contention.", "short",
              [(f"sum by (queue) (postfix_showq_queue_depth{sel()})", "{{queue}}")], w=10, h=6)
    lay.panel("timeseries", "Oldest deferred message", "Age of the oldest message in the deferred queue, per host.",
              "s", [(f"max by (instance) (postfix_showq_oldest_message_age_seconds{sel(DEFERRED)})",
                     "{{instance}}")], w=8, h=7)
    lay.panel("timeseries", "Deferrals by reason", "Deferred deliveries per second by reason class "
              "(rate_limited, greylisted, blocklisted, connect_timeout, body_timeout, tls_required, dns, ...).", "reqps",
              [(rate("postfix_delivery_deferrals_total", by="reason"), "{{reason}}")], w=8, h=7)
    lay.panel("timeseries", "Deferred recipients by reason", "Recipients waiting in the deferred queue by reason "
              "class (showq).", "short",
              [(f"sum by (reason) (postfix_showq_deferred_recipients{sel()})", "{{reason}}")], w=8, h=7)
    lay.row("Throttling and rate limits")
    lay.panel("timeseries", "Remote throttling by destination", "Deferrals classed rate_limited (provider rate limits) "
              "per recipient domain; capped, the rest is \"other\".", "reqps",
              [(rate("postfix_remote_throttling_by_domain_total", by="domain"), "{{domain}}")], w=8, h=7)
    lay.panel("timeseries", "Anvil limit hits", "Clients refused by Postfix's anvil limits, by service and limit. Many "
              "hits from one network can be a NAT population, see the Postfix dashboard.", "reqps",
              [(rate("postfix_anvil_limit_exceeded_total", by="service, limit"), "{{service}} {{limit}}")], w=8, h=7)
    lay.panel("timeseries", "Policy service failures", "Errors talking to check_policy_service servers; each one "
              "defers recipients with 451 4.3.5.", "reqps",
              [(rate("postfix_policy_service_failures_total", by="server, cause"), "{{server}} {{cause}}")], w=8, h=7)
    lay.panel("timeseries", "Dependency failures", "Failures of what Postfix depends on, by dependency (policy, "
              "milter, lookup_table, sasl_backend, postfix_internal) and cause.", "reqps",
              [(rate("postfix_dependency_failures_total", by="dependency, cause"), "{{dependency}} {{cause}}")],
              w=8, h=7)
    lay.panel("timeseries", "Bounces by reason", "Bounced deliveries per second by reason class and enhanced status "
              "class (5.1 unknown user, 5.7 policy, ...).", "reqps",
              [(rate("postfix_delivery_bounces_total", by="reason, dsn_class"), "{{reason}} {{dsn_class}}")],
              w=8, h=7)
    lay.panel("timeseries", "SASL failures", "Failed SASL logins per second by Postfix service: password guessing "
              "or a client with a stale password.", "reqps",
              [(rate("postfix_smtpd_sasl_authentication_failures_total", by="service"), "{{service}}")], w=8, h=7)
    lay.panel("timeseries", "Top SASL senders", "Messages per second of the ten busiest authenticated users "
              "(capped label): a compromised mailbox jumps out here.", "reqps",
              [(f"topk(10, {rate('postfix_sasl_user_messages_total', by='sasl_username')})", "{{sasl_username}}")],
              w=8, h=7)
    lay.panel("timeseries", "Dovecot login limit hits", "Logins Dovecot dropped because of a connection limit "
              "(mail_max_userip_connections per user+IP, or a full login process), by protocol and reason.", "reqps",
              [(rate("dovecot_login_failures_total", LOGIN_LIMITS,
                     by="protocol, reason"), "{{protocol}} {{reason}}")], w=8, h=7)
    lay.row("TLS and network path")
    lay.panel("timeseries", "Lost after STARTTLS / CONNECT", "smtpd sessions lost right after STARTTLS (25/587) or "
              "CONNECT (465), by service: the PMTU-blackhole look-alike.", "reqps",
              [(rate("postfix_smtpd_session_ends_total", 'reason="lost_connection",stage=~"STARTTLS|CONNECT"',
                     by="service, stage"), "{{service}} {{stage}}")], w=8, h=7)
    lay.panel("timeseries", "Dovecot TLS handshake failures", "IMAP/POP3 TLS handshakes that failed or were abandoned, "
              "by cause; connection_closed is the blackhole shape.", "reqps",
              [(rate("dovecot_tls_handshake_failures_total", by="protocol, cause"), "{{protocol}} {{cause}}")],
              w=8, h=7)
    lay.panel("timeseries", "PMTUD blackhole suspects", "Established mail-port sockets whose full-size segments never "
              "get through, by port, direction and whose segments (blackhole_suspect: ours, retransmitted into "
              "silence; rcv_blackhole_suspect: the peer's). Outages are not counted here. Run mailpath_exporter "
              "diagnose.", "short",
              [(f"sum by (port, direction, class) (mailpath_tcp_path_class_sockets{sel(BLACKHOLE)})",
                "{{port}} {{direction}} {{class}}")], w=8, h=7, thresholds=[(1, "red")])
    lay.panel("timeseries", "MTU probing rescues", "Mail-port sockets that stalled at full size and now run on an "
              "MSS found by the kernel's MTU probing: the path still drops ICMP, mail flows slowly.", "short",
              [(f"sum by (port, direction) (mailpath_tcp_path_class_sockets{sel(PROBING)})",
                "{{port}} {{direction}}")], w=24, h=6)
    port_health(lay)
    exporter_health(lay)
    return dashboard("mailpath-overview", "Mail path / On-call overview",
                     "Is mail flowing, is anything throttling it, and is the network path healthy.",
                     ["postfix", "dovecot", "oncall"], lay, links=LINKS)


def postfix():
    lay = Layout()
    lay.row("smtpd")
    lay.panel("timeseries", "Connections", "smtpd connects per second by service.", "reqps",
              [(rate("postfix_smtpd_connects_total", by="service"), "{{service}}")], w=8)
    lay.panel("timeseries", "Rejects by reason", "smtpd access decisions by action and reason class.", "reqps",
              [(rate("postfix_smtpd_rejects_total", by="action, reason"), "{{action}} {{reason}}")], w=8)
    lay.panel("timeseries", "Session ends by stage", "Abnormal session ends (lost connection, timeout, too many "
              "errors) by stage.", "reqps",
              [(rate("postfix_smtpd_session_ends_total", by="reason, stage"), "{{reason}} {{stage}}")], w=8)
    lay.row("Authentication and TLS")
    lay.panel("timeseries", "SASL failures", "SASL authentication failures by service and method.", "reqps",
              [(rate("postfix_smtpd_sasl_authentication_failures_total", by="service, method"),
                "{{service}} {{method}}")], w=8)
    lay.panel("timeseries", "Messages per SASL user", "Messages accepted per authenticated user (capped); a "
              "compromised account stands out.", "reqps",
              [(f"topk(10, {rate('postfix_sasl_user_messages_total', by='sasl_username')})", "{{sasl_username}}")], w=8)
    lay.panel("timeseries", "TLS by protocol", "Inbound TLS sessions established per second by protocol.", "reqps",
              [(rate("postfix_smtpd_tls_connections_total", by="protocol"), "{{protocol}}")], w=8)
    lay.panel("timeseries", "SASL failures per user", "Failed SASL logins per username (Postfix 3.9+ logs it; "
              "capped): one name repeating is a stale client, many names a guessing run.", "reqps",
              [(f"topk(10, {rate('postfix_sasl_user_auth_failures_total', by='sasl_username')})",
                "{{sasl_username}}")], w=8)
    lay.panel("timeseries", "TLS handshake failures", "SSL_accept/SSL_connect errors by side and cause.", "reqps",
              [(rate("postfix_tls_handshake_failures_total", by="side, cause"), "{{side}} {{cause}}")], w=8)
    lay.panel("timeseries", "Limit hits per client network", "anvil hits per client /24 or /64 (capped): one network "
              "with many hits is often a NAT of real users.", "reqps",
              [(rate("postfix_client_network_limit_hits_total", by="network, limit"), "{{network}} {{limit}}")], w=8)
    lay.row("Daemon health and dependencies")
    lay.panel("timeseries", "Crash loops", "master \"bad command startup -- throttling\" per program: a daemon that "
              "dies at start, its services are down.", "short",
              [(f"sum by (program) (increase(postfix_master_service_throttled_total{sel()}[$__rate_interval]))",
                "{{program}}")], w=8)
    lay.panel("timeseries", "Fatal errors and abnormal exits", "fatal:/panic: lines per service and processes the "
              "master reaped with an exit status or a signal, per program.", "reqps",
              [(rate("postfix_fatal_errors_total", by="service, level"), "{{service}} {{level}}"),
               (rate("postfix_master_process_exits_total", by="program, cause"), "{{program}} {{cause}}")], w=8)
    lay.panel("timeseries", "Process limit reached", "master warnings that a master.cf service runs at its process "
              "limit (saturation).", "short",
              [(f"sum by (master_service) (increase(postfix_master_process_limit_reached_total{sel()}"
                "[$__rate_interval]))", "{{master_service}}")], w=8)
    lay.row("postscreen and delivery")
    lay.panel("timeseries", "postscreen events", "postscreen events per second.", "reqps",
              [(rate("postfix_postscreen_events_total", by="event"), "{{event}}")], w=8)
    lay.panel("timeseries", "Delivery delay p95 by stage", "95th percentile of lmtp delivery delays per stage, "
              "final statuses only.", "s",
              [(f"histogram_quantile(0.95, sum by (le, stage) (rate(postfix_lmtp_delivery_delay_seconds_bucket{sel()}"
                f"[{R}])))", "{{stage}}")], w=8)
    lay.panel("timeseries", "Unsupported lines", "Postfix lines no classifier recognised, by service and level.",
              "reqps", [(rate("postfix_unsupported_log_entries_total", by="service, level"), "{{service}} {{level}}")],
              w=8)
    lay.row("Queue")
    lay.panel("timeseries", "Queue depth", "Messages per Postfix queue (showq).", "short",
              [(f"sum by (queue) (postfix_showq_queue_depth{sel()})", "{{queue}}")], w=12)
    lay.panel("timeseries", "Queue growth", "Messages per hour the active and deferred queues gain (positive) or "
              "lose, from a 30-minute linear fit; alert PostfixQueueGrowing fires above 200/h.", "short",
              [(f"sum by (queue) (deriv(postfix_showq_queue_depth{sel(GROWING_QUEUES)}[30m])) * 3600",
                "{{queue}}")], w=12)
    return dashboard("mailpath-postfix", "Mail path / Postfix", "Postfix from its logs and queue.", ["postfix"], lay,
                     links=LINKS)


def dovecot():
    lay = Layout()
    lay.panel("timeseries", "Logins", "Successful logins by protocol and transport.", "reqps",
              [(rate("dovecot_logins_total", by="protocol, transport"), "{{protocol}} {{transport}}")], w=12)
    lay.panel("timeseries", "Login failures by reason", "Connections that ended before login, by reason.", "reqps",
              [(rate("dovecot_login_failures_total", by="protocol, reason"), "{{protocol}} {{reason}}")], w=12)
    lay.panel("timeseries", "TLS handshake failures", "Pre-login TLS failures by cause.", "reqps",
              [(rate("dovecot_tls_handshake_failures_total", by="protocol, cause"), "{{protocol}} {{cause}}")], w=8)
    lay.panel("timeseries", "Login limit hits", "Logins dropped at mail_max_userip_connections (per user and IP) "
              "or because a login process was full (client_limit).", "reqps",
              [(rate("dovecot_login_failures_total", LOGIN_LIMITS,
                     by="protocol, reason"), "{{protocol}} {{reason}}")], w=8)
    lay.panel("timeseries", "Failed authentications", "Pre-login connections with a failed authentication, whatever "
              "reason ended them (inactivity, connection closed, ...), by protocol.", "reqps",
              [(rate("dovecot_auth_failed_logins_total", by="protocol"), "{{protocol}}")], w=8, h=7)
    lay.panel("timeseries", "passdb failures", "Password mismatches and unknown users by passdb driver "
              "(auth_verbose=yes).", "reqps",
              [(rate("dovecot_auth_passdb_failures_total", by="passdb, result"), "{{passdb}} {{result}}")], w=8)
    lay.panel("timeseries", "Session traffic", "Bytes sent to clients in ended sessions.", "Bps",
              [(rate("dovecot_session_sent_bytes_total", by="protocol"), "{{protocol}}")], w=8)
    return dashboard("mailpath-dovecot", "Mail path / Dovecot", "Dovecot from its logs.", ["dovecot"], lay,
                     anchor_metric="dovecot_log_lines_total", links=LINKS)


def tcp():
    lay = Layout()
    lay.panel("timeseries", "Path classes", "Established mail-port sockets by path class.", "short",
              [(f"sum by (port, class) (mailpath_tcp_path_class_sockets{sel()})", "{{port}} {{class}}")], w=12)
    lay.panel("timeseries", "Sockets by state", "Mail-port sockets by port, direction and TCP state.", "short",
              [(f"sum by (port, direction, state) (mailpath_tcp_sockets{sel()})", "{{port}} {{direction}} {{state}}")],
              w=12)
    lay.panel("timeseries", "snd_mss median", "Median send MSS of established sockets per port; a drop below "
              "1448/1428 means clamping or PMTUD.", "bytes",
              [(f"histogram_quantile(0.5, sum by (le, port) (mailpath_tcp_snd_mss_bytes_bucket{sel()}))", "{{port}}")],
              w=8)
    lay.panel("timeseries", "RTT p95", "95th percentile smoothed RTT per port.", "s",
              [(f"histogram_quantile(0.95, sum by (le, port) (mailpath_tcp_rtt_seconds_bucket{sel()}))", "{{port}}")],
              w=8)
    lay.panel("timeseries", "Retransmitted segments", "Segments retransmitted per second by mail-port sockets.",
              "pps", [(rate("mailpath_tcp_retransmitted_segments_total", by="port, direction"),
                       "{{port}} {{direction}}")], w=8)
    lay.panel("timeseries", "Kernel PMTU and loss counters", "TcpExt MTU probing results, timeouts, ICMP "
              "unreachable and IPv6 packet-too-big per second (host-wide).", "pps",
              [(rate("mailpath_tcp_kernel_events_total", by="counter"), "{{counter}}")], w=24)
    lay.row("Listeners")
    lay.panel("timeseries", "Listening sockets", "LISTEN sockets per configured mail port and family (a dual-stack "
              "listener counts as ipv6); a port with none in both families is down.", "short",
              [(f"sum by (port, family) (mailpath_tcp_listen_sockets{sel()})", "{{port}} {{family}}")], w=8)
    lay.panel("timeseries", "Accept queue and backlog", "Connections waiting for accept() and the listen backlog "
              "per port and family; the queue at the backlog means every daemon process is busy.", "short",
              [(f"sum by (port, family) (mailpath_tcp_listen_queue_length{sel()})", "{{port}} {{family}} queue"),
               (f"sum by (port, family) (mailpath_tcp_listen_backlog{sel()})", "{{port}} {{family}} backlog")], w=8)
    lay.panel("timeseries", "Listen overflows and drops", "Host-wide TcpExt ListenOverflows (accept queue full) and "
              "ListenDrops (any drop at a listener) per second.", "pps",
              [(rate("mailpath_tcp_listen_overflows_total"), "overflows"),
               (rate("mailpath_tcp_listen_drops_total"), "drops")], w=8)
    lay.row("Served certificates")
    lay.panel("timeseries", "Certificate probe", "1 when the last loopback TLS probe of the port got a certificate "
              "(collector cert, every few minutes).", "none",
              [(f"min by (port) (mailpath_cert_probe_success{sel()})", "{{port}}")], w=8)
    lay.panel("timeseries", "Probe stage times", "Time of each stage of the last probe per port: connect, banner, "
              "STARTTLS, TLS handshake.", "s",
              [(f"max by (port, stage) (mailpath_cert_probe_stage_seconds{sel()})", "{{port}} {{stage}}")], w=8)
    lay.panel("timeseries", "Served vs file notAfter", "notAfter of the served certificate and of the configured "
              "file per port; two lines apart means renewed on disk, not reloaded.", "dateTimeAsIso",
              [(f"max by (port, source) (mailpath_cert_not_after_timestamp_seconds{sel()}) * 1000",
                "{{port}} {{source}}")], w=8)
    return dashboard("mailpath-tcp", "Mail path / TCP path", "tcp_info of the mail ports: PMTUD, clamping, loss.",
                     ["tcp"], lay, anchor_metric="mailpath_tcp_info_bytes", links=LINKS)


def main():
    write(os.path.join(OUT, "mailpath-overview.json"), overview())
    write(os.path.join(OUT, "mailpath-postfix.json"), postfix())
    write(os.path.join(OUT, "mailpath-dovecot.json"), dovecot())
    write(os.path.join(OUT, "mailpath-tcp.json"), tcp())


if __name__ == "__main__":
    main()
