#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <vector>

#include "mailpath/showq/queue_aggregator.h"

namespace mailpath::showq {

/// `postfix_up{path}`: 1 when the last showq read succeeded, else 0 (name,
/// help and label as prometheus-postfix-exporter).
[[nodiscard]] prometheus::MetricFamily UpFamily(const std::string& path, bool up);

/// The queue families of one successful read (docs/metrics-showq.md): the
/// five queues always (0 when empty), `other` only when non-empty, every
/// reason class always, the domain view only when enabled. Pure.
void AppendShowqFamilies(const ShowqSnapshot& snapshot, std::vector<prometheus::MetricFamily>& out);

}  // namespace mailpath::showq
