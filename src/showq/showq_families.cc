#include "mailpath/showq/showq_families.h"

#include <algorithm>
#include <functional>

#include "mailpath/metrics/family_builder.h"
#include "mailpath/metrics/label_value.h"

namespace mailpath::showq {
namespace {

using metrics::FamilyBuilder;
using prometheus::MetricType;

// The five queues always; `other` only when a newer Postfix sent a queue
// name we do not know.
template <typename F>
void ForEachQueue(const ShowqSnapshot& s, F f) {
  for (std::size_t i = 0; i < kQueueCount; ++i) {
    const auto q = static_cast<Queue>(i);
    if (q == Queue::kOther && s.queues[i].messages == 0) continue;
    f(std::string(QueueName(q)), s.queues[i]);
  }
}

prometheus::MetricFamily QueueGauge(const ShowqSnapshot& s, std::string name, std::string help,
                                    const std::function<double(const QueueStats&)>& value) {
  FamilyBuilder b(std::move(name), std::move(help), MetricType::Gauge);
  ForEachQueue(s, [&](const std::string& q, const QueueStats& st) {
    b.Gauge({{"queue", q}}, value(st));
  });
  return std::move(b).Build();
}

}  // namespace

prometheus::MetricFamily UpFamily(const std::string& path, bool up) {
  FamilyBuilder b("postfix_up", "Whether scraping Postfix's metrics was successful.",
                  MetricType::Gauge);
  b.Gauge({{"path", path}}, up ? 1 : 0);
  return std::move(b).Build();
}

void AppendShowqFamilies(const ShowqSnapshot& s, std::vector<prometheus::MetricFamily>& out) {
  {
    FamilyBuilder b("postfix_showq_message_size_bytes",
                    "Size of messages in Postfix's message queue, in bytes", MetricType::Histogram);
    ForEachQueue(s, [&](const std::string& q, const QueueStats& st) {
      b.Histogram({{"queue", q}}, SizeBuckets(), st.size_histogram.Cumulative(),
                  st.size_histogram.sum);
    });
    out.push_back(std::move(b).Build());
  }
  {
    FamilyBuilder b("postfix_showq_message_age_seconds",
                    "Age of messages in Postfix's message queue, in seconds",
                    MetricType::Histogram);
    ForEachQueue(s, [&](const std::string& q, const QueueStats& st) {
      b.Histogram({{"queue", q}}, AgeBuckets(), st.age_histogram.Cumulative(),
                  st.age_histogram.sum);
    });
    out.push_back(std::move(b).Build());
  }
  out.push_back(QueueGauge(s, "postfix_showq_queue_depth",
                           "Number of messages in each Postfix queue, from showq.",
                           [](const QueueStats& q) { return double(q.messages); }));
  out.push_back(QueueGauge(s, "postfix_showq_queue_size_bytes",
                           "Total size of the messages in each Postfix queue, in bytes "
                           "(the size showq reports per message).",
                           [](const QueueStats& q) { return double(q.bytes); }));
  out.push_back(QueueGauge(s, "postfix_showq_queue_recipients",
                           "Number of recipients still to be delivered in each Postfix queue.",
                           [](const QueueStats& q) { return double(q.recipients); }));
  out.push_back(QueueGauge(s, "postfix_showq_oldest_message_age_seconds",
                           "Age of the oldest message in each Postfix queue, in seconds "
                           "(0 when the queue is empty).",
                           [](const QueueStats& q) { return q.oldest_age_seconds; }));
  out.push_back(QueueGauge(s, "postfix_showq_forced_expire_messages",
                           "Messages in each Postfix queue marked for forced expiry "
                           "(postsuper -e).",
                           [](const QueueStats& q) { return double(q.forced_expire); }));
  {
    FamilyBuilder b("postfix_showq_deferred_recipients",
                    "Recipients in the deferred queue by class of their defer reason "
                    "(docs/metrics-showq.md).",
                    MetricType::Gauge);
    for (const ReasonClass c : AllReasonClasses()) {
      b.Gauge({{"reason", std::string(ReasonClassName(c))}},
              double(s.deferred_by_reason[static_cast<std::size_t>(c)]));
    }
    out.push_back(std::move(b).Build());
  }
  if (s.domains_enabled) {
    FamilyBuilder b("postfix_showq_deferred_domain_recipients",
                    "Recipients in the deferred queue by destination domain; the domains "
                    "beyond --showq.deferred-domains-cap are summed in domain=\"other\".",
                    MetricType::Gauge);
    // Domains come from envelopes as sent: two spellings that clean to one
    // label value (label_value.h) are one series, never two with one name.
    std::vector<std::pair<std::string, double>> by_label;
    for (const auto& [domain, count] : s.deferred_domains.top) {
      std::string label = metrics::CleanLabelValue(domain);
      auto same = std::find_if(by_label.begin(), by_label.end(),
                               [&](const auto& e) { return e.first == label; });
      if (same != by_label.end()) {
        same->second += double(count);
      } else {
        by_label.emplace_back(std::move(label), double(count));
      }
    }
    for (const auto& [domain, count] : by_label) b.Gauge({{"domain", domain}}, count);
    b.Gauge({{"domain", "other"}}, double(s.deferred_domains.other_recipients));
    out.push_back(std::move(b).Build());
    FamilyBuilder folded("postfix_showq_deferred_domains_overflow",
                         "Distinct deferred destination domains folded into domain=\"other\" "
                         "by the cap in the last showq read.",
                         MetricType::Gauge);
    folded.Gauge({}, double(s.deferred_domains.folded_domains));
    out.push_back(std::move(folded).Build());
  }
}

}  // namespace mailpath::showq
