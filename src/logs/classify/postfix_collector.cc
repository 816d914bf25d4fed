#include "mailpath/logs/classify/postfix_collector.h"

#include <arpa/inet.h>

#include <array>
#include <cstdio>
#include <string>

#include "mailpath/common/address_domain.h"
#include "mailpath/logs/classify/delivery_reason.h"
#include "mailpath/logs/classify/postfix_event.h"
#include "mailpath/metrics/family_builder.h"

namespace mailpath::logs::classify {
namespace {

using std::string_view;
using L = std::vector<std::string>;

const std::vector<double> kDelayBuckets = {1e-3, 1e-2, 1e-1, 1.0, 10, 60, 3600, 86400, 172800};
const std::vector<double> kRecipientBuckets = {1, 2, 4, 8, 16, 32, 64, 128};
const std::vector<double> kSizeBuckets = {1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
constexpr string_view kStages[4] = {"before_queue_manager", "queue_manager", "connection_setup",
                                    "transmission"};

// The last few values a policy admitted, so the instance and service of
// most lines (a handful of values, repeated) skip the policy's set lookup.
// Only admitted values are kept: an overflow into "other" is counted on
// every occurrence, as before.
class AdmitMemo {
 public:
  string_view Admit(metrics::LabelPolicy& policy, string_view raw) {
    for (const Entry& e : entries_) {
      if (!e.admitted.empty() && e.raw == raw) return e.admitted;
    }
    const string_view admitted = policy.Admit(raw);
    if (admitted != "other" && raw.size() <= 32) {
      Entry& e = entries_[next_++ % entries_.size()];
      e.raw.assign(raw);
      e.admitted = admitted;
    }
    return admitted;
  }

 private:
  struct Entry {
    std::string raw;
    string_view admitted;  // points into the policy's admitted set (stable)
  };
  std::array<Entry, 8> entries_;  // more than the services one instance runs at once
  std::size_t next_ = 0;
};

// Issue 19: a session lost or timed out in the TLS handshake (after STARTTLS, or at CONNECT on 465)
// or in DATA goes to the tcp collector's memory of that client's path.
void CountPathLoss(PathAttribution& a, string_view stage, string_view client) {
  if (stage == "STARTTLS" || stage == "CONNECT") a.CountLoss("postfix", "tls", client);
  if (stage == "DATA" || stage == "END-OF-MESSAGE") a.CountLoss("postfix", "data", client);
}

}  // namespace

std::string ClientNetwork(std::string_view address) {
  std::string a(address);
  if (a.starts_with("ipv6:")) a = a.substr(5);
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN + 8];
  if (inet_pton(AF_INET, a.c_str(), buf) == 1) {
    std::snprintf(out, sizeof out, "%u.%u.%u.0/24", buf[0], buf[1], buf[2]);
    return out;
  }
  if (inet_pton(AF_INET6, a.c_str(), buf) == 1) {
    for (int i = 8; i < 16; ++i) buf[i] = 0;
    if (inet_ntop(AF_INET6, buf, out, sizeof out) == nullptr) return "";
    return std::string(out) + "/64";
  }
  return "";
}

struct PostfixCollector::Tables {
  explicit Tables(const PostfixCollectorOptions& o) : options(o) {}

  const PostfixCollectorOptions options;
  // Every family and label policy registers itself where it is declared
  // (members are built in declaration order), so Collect keeps no list of
  // its own.
  std::vector<const metrics::LabelPolicy*> policies;
  std::vector<const metrics::LabeledCounters*> counters;
  std::vector<const metrics::LabeledHistograms*> histograms;
  struct Reg {
    template <class V, class F>
    Reg(V& v, const F& f) {
      v.push_back(&f);
    }
  };
#define PF_POLICY(var, family, label, cap)      \
  metrics::LabelPolicy var{family, label, cap}; \
  Reg var##_reg{policies, var};
  PF_POLICY(instances, "postfix", "postfix_instance", 16)
  PF_POLICY(services, "postfix", "service", 64)
  PF_POLICY(anvil_services, "postfix_anvil", "service", 64)
  PF_POLICY(ciphers, "postfix_tls_connections_total", "cipher", 32)
  PF_POLICY(policy_servers, "postfix_policy_service_failures_total", "server", 16)
  PF_POLICY(sasl_users, "postfix_sasl_user_messages_total", "sasl_username", options.sasl_users_cap)
  PF_POLICY(networks, "postfix_client_network_limit_hits_total", "network",
            options.client_networks_cap)
  PF_POLICY(domains, "postfix_remote_throttling_by_domain_total", "domain",
            options.destination_domains_cap)
#undef PF_POLICY
  AdmitMemo instance_memo, service_memo;

#define PF_COUNTER(var, name, help, ...)                                                     \
  metrics::LabeledCounters var{name, help, L{"postfix_instance", "service", ##__VA_ARGS__}}; \
  Reg var##_reg{counters, var};
  PF_COUNTER(connects, "postfix_smtpd_connects_total", "smtpd \"connect from\" lines.")
  PF_COUNTER(disconnects, "postfix_smtpd_disconnects_total", "smtpd \"disconnect from\" lines.")
  PF_COUNTER(lost, "postfix_smtpd_connections_lost_total",
             "smtpd \"lost connection after STAGE\" lines (kumina's name; with or without the 3.10 "
             "prefix).",
             "after_stage")
  PF_COUNTER(
      session_ends, "postfix_smtpd_session_ends_total",
      "smtpd sessions that ended abnormally, by reason (lost_connection, timeout, too_many_errors) "
      "and the "
      "SMTP stage. After STARTTLS (25/587) or CONNECT (465) this is the PMTU-blackhole look-alike.",
      "reason", "stage")
  PF_COUNTER(rejects, "postfix_smtpd_rejects_total",
             "smtpd access decisions (reject, reject_warning, hold, discard, ...) by stage, reply "
             "code and a "
             "bounded reason class.",
             "action", "stage", "code", "reason")
  PF_COUNTER(rejected_rcpt, "postfix_smtpd_messages_rejected_total",
             "smtpd \"NOQUEUE: reject: RCPT\" by reply code (kumina's name and meaning).", "code")
  PF_COUNTER(sasl_failures, "postfix_smtpd_sasl_authentication_failures_total",
             "smtpd SASL authentication failures by mechanism.", "method")
  PF_COUNTER(
      processed, "postfix_smtpd_messages_processed_total",
      "Messages accepted by smtpd (\"client=\" lines), by SASL method (\"\" when unauthenticated).",
      "sasl_method")
  PF_COUNTER(smtpd_tls, "postfix_smtpd_tls_connections_total", "Inbound TLS sessions established.",
             "trust", "protocol", "cipher")
  PF_COUNTER(smtp_tls, "postfix_smtp_tls_connections_total", "Outbound TLS sessions established.",
             "trust", "protocol", "cipher")
  PF_COUNTER(
      tls_failures, "postfix_tls_handshake_failures_total",
      "TLS handshakes that failed (SSL_accept/SSL_connect error), by side (server, client) and "
      "cause. A "
      "timeout or lost connection here with healthy certificates points at the network path.",
      "side", "cause")
  PF_COUNTER(tls_library, "postfix_tls_library_problems_total",
             "\"TLS library problem\" warnings by bounded OpenSSL reason.", "reason")
  PF_COUNTER(anvil_limits, "postfix_anvil_limit_exceeded_total",
             "smtpd \"<limit> limit exceeded\" warnings (anvil client limits), by limit; `service` "
             "is the master.cf "
             "service the limit applied to.",
             "limit")
  PF_COUNTER(starttls_refused, "postfix_smtpd_starttls_refused_total",
             "\"Refusing STARTTLS request\" (new TLS session rate limit reached).")
  PF_COUNTER(policy_failures, "postfix_policy_service_failures_total",
             "Failures talking to a policy service (\"connect to\", \"problem talking to "
             "server\"), by server and "
             "cause.",
             "server", "cause")
  PF_COUNTER(dependency_failures, "postfix_dependency_failures_total",
             "Failures of a service Postfix depends on, by dependency (policy, milter, "
             "lookup_table, sasl_backend, "
             "postfix_internal) and cause (refused, timeout, missing_socket, lost_connection, "
             "lookup_error, "
             "tempfail, other). Policy services are also in postfix_policy_service_failures_total.",
             "dependency", "cause")
  PF_COUNTER(process_exits, "postfix_master_process_exits_total",
             "Daemon processes the master reaped abnormally (\"exit status N\", \"killed by signal "
             "N\"), by program "
             "and cause (exit_status, signal).",
             "program", "cause")
  PF_COUNTER(
      throttled, "postfix_master_service_throttled_total",
      "master \"bad command startup -- throttling\": a daemon died at start and the master stops "
      "spawning it for a while (a crash loop), by program.",
      "program")
  PF_COUNTER(process_limits, "postfix_master_process_limit_reached_total",
             "master \"service S has reached its process limit\" warnings (logged at most every "
             "1000 s), by "
             "master.cf service.",
             "master_service")
  PF_COUNTER(fatals, "postfix_fatal_errors_total",
             "fatal: and panic: lines by level; `service` is the daemon's syslog name (smtps, "
             "submission, ...).",
             "level")
  PF_COUNTER(pipelining, "postfix_smtpd_improper_pipelining_total",
             "Improper command pipelining, by stage.", "stage")
  PF_COUNTER(fcrdns, "postfix_smtpd_forward_confirmed_reverse_dns_errors_total",
             "\"hostname X does not resolve to address\" warnings.")
  PF_COUNTER(postscreen, "postfix_postscreen_events_total",
             "postscreen events (connect, pass_new, pregreet, dnsbl, hangup, denylisted, "
             "too_many_connections, ...).",
             "event")
  PF_COUNTER(deliveries, "postfix_deliveries_total",
             "Delivery attempts by agent (daemon) and status.", "daemon", "status")
  PF_COUNTER(smtp_processed, "postfix_smtp_messages_processed_total",
             "smtp client delivery attempts by status (kumina's name and meaning).", "status")
  PF_COUNTER(
      deferrals, "postfix_delivery_deferrals_total",
      "Deferred deliveries by agent and reason class (rate_limited, greylisted, blocklisted, "
      "connect_timeout, ...; the vocabulary of showq's reason label).",
      "daemon", "reason")
  PF_COUNTER(bounces, "postfix_delivery_bounces_total",
             "Bounced deliveries by agent, reason class and enhanced status class (\"5.1\" from "
             "dsn=5.1.1).",
             "daemon", "reason", "dsn_class")
  PF_COUNTER(connect_failures, "postfix_smtp_connect_failures_total",
             "smtp \"connect to\" failures by cause (timeout, refused, no_route).", "cause")
  PF_COUNTER(connect_timeouts, "postfix_smtp_connection_timed_out_total",
             "smtp \"connect to ...: Connection timed out\" (kumina's name).")
  PF_COUNTER(qmgr_removed, "postfix_qmgr_messages_removed_total", "qmgr \"removed\" lines.")
  PF_COUNTER(qmgr_expired, "postfix_qmgr_messages_expired_total",
             "Messages expired or force-expired by qmgr.")
  PF_COUNTER(qmgr_active_warnings, "postfix_qmgr_active_queue_warnings_total",
             "\"mail for X is using up N of M active queue entries\": one destination crowds the "
             "active queue.")
  PF_COUNTER(cleanup_processed, "postfix_cleanup_messages_processed_total",
             "cleanup \"message-id=\" lines.")
  PF_COUNTER(cleanup_rejected, "postfix_cleanup_messages_rejected_total",
             "cleanup reject and milter-reject actions.")
  PF_COUNTER(cleanup_not_accepted, "postfix_cleanup_messages_not_accepted_total",
             "Messages cleanup did not accept: reject, discard and their milter forms (kumina's "
             "name; it never "
             "incremented there).")
  PF_COUNTER(cleanup_actions, "postfix_cleanup_actions_total",
             "cleanup actions (hold, discard, reject, ...).", "action")
  PF_COUNTER(ndr, "postfix_bounce_non_delivery_notification_total",
             "Non-delivery notifications sent.")
  PF_COUNTER(postsuper, "postfix_postsuper_actions_total",
             "Messages postsuper acted on (hold, release, expire, requeue, delete), from its "
             "summary lines.",
             "action")
  PF_COUNTER(pickup, "postfix_pickup_messages_total",
             "Messages picked up from maildrop (sendmail/postdrop).")
  PF_COUNTER(unsupported, "postfix_unsupported_log_entries_total",
             "Postfix lines no classifier recognised, by daemon and level (kumina's name).",
             "level")
#undef PF_COUNTER
  metrics::LabeledCounters sasl_user_messages{
      "postfix_sasl_user_messages_total",
      "Messages accepted per SASL user (capped; the rest is \"other\").", L{"sasl_username"}};
  Reg sasl_user_messages_reg{counters, sasl_user_messages};
  metrics::LabeledCounters sasl_user_failures{"postfix_sasl_user_auth_failures_total",
                                              "SASL failures per username (3.9+ logs it; capped).",
                                              L{"sasl_username"}};
  Reg sasl_user_failures_reg{counters, sasl_user_failures};
  metrics::LabeledCounters network_limits{"postfix_client_network_limit_hits_total",
                                          "anvil limit hits per client network (/24, /64; capped).",
                                          L{"network", "limit"}};
  Reg network_limits_reg{counters, network_limits};
  metrics::LabeledCounters domain_throttling{
      "postfix_remote_throttling_by_domain_total",
      "Deferrals classed rate_limited per recipient domain (capped).", L{"domain"}};
  Reg domain_throttling_reg{counters, domain_throttling};
  metrics::LabeledCounters domain_blocking{
      "postfix_remote_blocking_by_domain_total",
      "Deferrals and bounces classed blocklisted or reputation per recipient "
      "domain (capped; shares the throttling view's domain cap).",
      L{"domain", "reason"}};
  Reg domain_blocking_reg{counters, domain_blocking};
  metrics::LabeledHistograms smtp_delay{
      "postfix_smtp_delivery_delay_seconds",
      "smtp delivery delays by stage, final statuses only (kumina's name, with "
      "its stage label fixed).",
      L{"postfix_instance", "service", "stage"}, kDelayBuckets};
  Reg smtp_delay_reg{histograms, smtp_delay};
  metrics::LabeledHistograms lmtp_delay{"postfix_lmtp_delivery_delay_seconds",
                                        "lmtp delivery delays by stage.",
                                        L{"postfix_instance", "service", "stage"}, kDelayBuckets};
  Reg lmtp_delay_reg{histograms, lmtp_delay};
  metrics::LabeledHistograms pipe_delay{"postfix_pipe_delivery_delay_seconds",
                                        "pipe delivery delays by stage; relay is the transport.",
                                        L{"postfix_instance", "relay", "stage"}, kDelayBuckets};
  Reg pipe_delay_reg{histograms, pipe_delay};
  metrics::LabeledHistograms inserted_rcpt{"postfix_qmgr_messages_inserted_recipients",
                                           "Recipients per message entering the active queue.",
                                           L{"postfix_instance", "service"}, kRecipientBuckets};
  Reg inserted_rcpt_reg{histograms, inserted_rcpt};
  metrics::LabeledHistograms inserted_size{"postfix_qmgr_messages_inserted_size_bytes",
                                           "Size of messages entering the active queue.",
                                           L{"postfix_instance", "service"}, kSizeBuckets};
  Reg inserted_size_reg{histograms, inserted_size};
  std::map<std::string, double> anvil_max;  // "instance\x1fservice\x1fkind" -> last peak
  std::map<std::string, int> stress_mode;   // "instance\x1fservice" -> 0/1
};

PostfixCollector::PostfixCollector(PostfixCollectorOptions options)
    : tables_(std::make_unique<Tables>(options)) {}
PostfixCollector::~PostfixCollector() = default;

void PostfixCollector::Consume(const LogRecord& record) {
  if (record.program != Program::kPostfix) return;
  const PostfixEvent ev = ClassifyPostfix(record.daemon, record.message);
  std::lock_guard<std::mutex> lock(mu_);
  Count(record, ev);
}

// The classifier hands over final, bounded label values; this only counts them.
void PostfixCollector::Count(const LogRecord& record, const PostfixEvent& ev) {
  Tables& t = *tables_;
  const string_view in = t.instance_memo.Admit(t.instances, record.instance);
  const string_view sv = t.service_memo.Admit(t.services, record.service);
  if (!ev.dependency.empty())
    t.dependency_failures.Add({in, sv, ev.dependency, ev.dependency_cause});
  switch (ev.kind) {
    case PostfixKind::kUnsupported:
      t.unsupported.Add({in, sv, ev.severity.empty() ? "info" : ev.severity});
      break;
    case PostfixKind::kKnownIgnored:
      break;
    case PostfixKind::kConnect:
      t.connects.Add({in, sv});
      break;
    case PostfixKind::kDisconnect:
      t.disconnects.Add({in, sv});
      break;
    case PostfixKind::kSessionEnd:
      t.session_ends.Add({in, sv, ev.reason, ev.stage});
      if (ev.reason == "lost_connection") t.lost.Add({in, sv, ev.stage});
      if (attribution_ && ev.reason != "too_many_errors")
        CountPathLoss(*attribution_, ev.stage, ev.client);
      break;
    case PostfixKind::kReject:
      t.rejects.Add({in, sv, ev.reason, ev.stage, ev.code, ev.cause});
      if (ev.reason == "reject" && ev.stage == "RCPT") t.rejected_rcpt.Add({in, sv, ev.code});
      break;
    case PostfixKind::kSaslFailure:
      t.sasl_failures.Add({in, sv, ev.method});
      if (!ev.user.empty()) t.sasl_user_failures.Add({t.sasl_users.Admit(ev.user)});
      break;
    case PostfixKind::kClientAccepted:
      t.processed.Add({in, sv, ev.method});
      if (!ev.user.empty()) t.sasl_user_messages.Add({t.sasl_users.Admit(ev.user)});
      break;
    case PostfixKind::kTlsEstablished:
      (ev.outbound ? t.smtp_tls : t.smtpd_tls)
          .Add({in, sv, ev.trust, ev.protocol, t.ciphers.Admit(ev.cipher)});
      break;
    case PostfixKind::kTlsHandshakeFailure:
      t.tls_failures.Add({in, sv, ev.reason, ev.cause});
      break;
    case PostfixKind::kTlsLibraryProblem:
      t.tls_library.Add({in, sv, ev.cause});
      break;
    case PostfixKind::kAnvilLimit: {
      const string_view target = ev.service.empty() ? sv : t.anvil_services.Admit(ev.service);
      t.anvil_limits.Add({in, target, ev.reason});
      if (const std::string net = ClientNetwork(ev.client); !net.empty()) {
        t.network_limits.Add({t.networks.Admit(net), ev.reason});
      }
      break;
    }
    case PostfixKind::kStarttlsRefused:
      t.starttls_refused.Add({in, sv});
      break;
    case PostfixKind::kAnvilStatistics: {
      const string_view target = t.anvil_services.Admit(ev.service);
      t.anvil_max[std::string(in) + '\x1f' + std::string(target) + '\x1f' +
                  std::string(ev.reason)] = ev.value;
      break;
    }
    case PostfixKind::kPolicyFailure:
      t.policy_failures.Add({in, sv, t.policy_servers.Admit(ev.server), ev.dependency_cause});
      break;
    case PostfixKind::kDependencyFailure:
      break;  // counted above
    case PostfixKind::kMasterProcessExit:
      t.process_exits.Add({in, sv, ev.program, ev.reason});
      break;
    case PostfixKind::kMasterThrottle:
      t.throttled.Add({in, sv, ev.program});
      break;
    case PostfixKind::kMasterProcessLimit:
      t.process_limits.Add({in, sv, t.anvil_services.Admit(ev.service)});
      break;
    case PostfixKind::kFatal:
      t.fatals.Add({in, sv, ev.reason});
      break;
    case PostfixKind::kImproperPipelining:
      t.pipelining.Add({in, sv, ev.stage});
      break;
    case PostfixKind::kFcrdnsError:
      t.fcrdns.Add({in, sv});
      break;
    case PostfixKind::kDelivery: {
      t.deliveries.Add({in, sv, ev.agent, ev.status});
      if (ev.agent == "smtp") t.smtp_processed.Add({in, sv, ev.status});
      if (ev.status == "deferred") t.deferrals.Add({in, sv, ev.agent, ev.cause});
      if (ev.status == "bounced") t.bounces.Add({in, sv, ev.agent, ev.cause, ev.dsn_class});
      const DeliveryReason r = ev.delivery_reason;
      if (r == DeliveryReason::kRateLimited || r == DeliveryReason::kBlocklisted ||
          r == DeliveryReason::kReputation) {
        const std::string domain = AddressDomain(ev.recipient);
        const string_view d = t.domains.Admit(domain.empty() ? "unknown" : domain);
        if (r != DeliveryReason::kRateLimited) {
          t.domain_blocking.Add({d, ev.cause});
        } else if (ev.status == "deferred") {
          t.domain_throttling.Add({d});
        }
      }
      if (ev.has_delays && (ev.status == "sent" || ev.status == "bounced")) {
        metrics::LabeledHistograms* h = ev.agent == "smtp"   ? &t.smtp_delay
                                        : ev.agent == "lmtp" ? &t.lmtp_delay
                                        : ev.agent == "pipe" ? &t.pipe_delay
                                                             : nullptr;
        for (int i = 0; h != nullptr && i < 4; ++i) h->Observe({in, sv, kStages[i]}, ev.delays[i]);
      }
      break;
    }
    case PostfixKind::kConnectFailure:
      t.connect_failures.Add({in, sv, ev.cause});
      if (ev.cause == "timeout") t.connect_timeouts.Add({in, sv});
      break;
    case PostfixKind::kQmgrInserted:
      t.inserted_rcpt.Observe({in, sv}, ev.count);
      t.inserted_size.Observe({in, sv}, ev.value);
      break;
    case PostfixKind::kQmgrRemoved:
      t.qmgr_removed.Add({in, sv});
      break;
    case PostfixKind::kQmgrExpired:
      t.qmgr_expired.Add({in, sv});
      break;
    case PostfixKind::kQmgrActiveQueueWarning:
      t.qmgr_active_warnings.Add({in, sv});
      break;
    case PostfixKind::kCleanupMessage:
      t.cleanup_processed.Add({in, sv});
      break;
    case PostfixKind::kCleanupAction:
      t.cleanup_actions.Add({in, sv, ev.reason});
      if (ev.reason == "reject" || ev.reason == "milter-reject") t.cleanup_rejected.Add({in, sv});
      if (ev.reason == "reject" || ev.reason == "milter-reject" || ev.reason == "discard" ||
          ev.reason == "milter-discard") {
        t.cleanup_not_accepted.Add({in, sv});
      }
      break;
    case PostfixKind::kBounceNotification:
      t.ndr.Add({in, sv});
      break;
    case PostfixKind::kPostsuper:
      t.postsuper.Add({in, sv, ev.reason}, ev.value);
      break;
    case PostfixKind::kPickup:
      t.pickup.Add({in, sv});
      break;
    case PostfixKind::kPostscreen:
      if (ev.reason.empty())
        break;  // recognised, not counted (cache cleanups, dnsblog timeouts, ...)
      t.postscreen.Add({in, sv, ev.reason});
      if (ev.reason == "stress_enter" || ev.reason == "stress_leave") {
        t.stress_mode[std::string(in) + '\x1f' + std::string(sv)] =
            ev.reason == "stress_enter" ? 1 : 0;
      }
      break;
  }
}

void PostfixCollector::Collect(std::vector<prometheus::MetricFamily>& out) {
  std::lock_guard<std::mutex> lock(mu_);
  Tables& t = *tables_;
  for (const metrics::LabeledCounters* c : t.counters) {
    if (c->size() > 0) out.push_back(c->Snapshot());
  }
  for (const metrics::LabeledHistograms* h : t.histograms) {
    if (h->size() > 0) out.push_back(h->Snapshot());
  }
  auto split = [](const std::string& key) {
    std::vector<std::string> parts;
    std::size_t start = 0, end;
    while ((end = key.find('\x1f', start)) != std::string::npos) {
      parts.push_back(key.substr(start, end - start));
      start = end + 1;
    }
    parts.push_back(key.substr(start));
    return parts;
  };
  if (!t.anvil_max.empty()) {
    metrics::FamilyBuilder b(
        "postfix_anvil_max_rate",
        "anvil's periodic peak per service and kind "
        "(\"statistics: max ... rate N/60s\" or count), the last value reported.",
        prometheus::MetricType::Gauge);
    for (const auto& [key, v] : t.anvil_max) {
      const auto p = split(key);
      b.Gauge({{"postfix_instance", p[0]}, {"service", p[1]}, {"kind", p[2]}}, v);
    }
    out.push_back(std::move(b).Build());
  }
  if (!t.stress_mode.empty()) {
    metrics::FamilyBuilder b("postfix_postscreen_stress_mode",
                             "1 after postscreen entered STRESS mode, 0 after "
                             "it left.",
                             prometheus::MetricType::Gauge);
    for (const auto& [key, v] : t.stress_mode) {
      const auto p = split(key);
      b.Gauge({{"postfix_instance", p[0]}, {"service", p[1]}}, v);
    }
    out.push_back(std::move(b).Build());
  }
  metrics::FamilyBuilder overflow(
      "postfix_label_overflow_total",
      "Values folded into \"other\" because a label reached its cap, by family and "
      "label.",
      prometheus::MetricType::Counter);
  for (const metrics::LabelPolicy* p : t.policies) {
    overflow.Counter({{"family", p->family()}, {"label", p->label()}},
                     static_cast<double>(p->overflow()));
  }
  out.push_back(std::move(overflow).Build());
}

}  // namespace mailpath::logs::classify
