#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <string_view>
#include <vector>

namespace mailpath::metrics {

/// The text exposition format 0.0.4 content type we answer with.
inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

/// Serialises families in the text format 0.0.4 (prometheus-cpp's
/// TextSerializer). Every label value is written clean (CleanLabelValue in
/// label_value.h): valid UTF-8 without control characters. Pure.
[[nodiscard]] std::string SerializeText(const std::vector<prometheus::MetricFamily>& families);

}  // namespace mailpath::metrics
