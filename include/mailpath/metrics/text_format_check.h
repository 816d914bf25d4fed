#pragma once

#include <string>
#include <string_view>

namespace mailpath::metrics {

/// Checks an exposition against the rules Prometheus applies when it parses
/// the text format 0.0.4 (prometheus/common expfmt/text_parse.go, as used by
/// `promtool check metrics`, and model/textparse/promparse.go, as used by the
/// scraper). Returns "" when every rule holds, else "line N: reason" for the
/// first rule broken:
/// - metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names
///   [a-zA-Z_][a-zA-Z0-9_]*, no label name twice in one series;
/// - label values are quoted, use only the escapes \\ \" \n, and decode to
///   valid UTF-8; HELP text is valid UTF-8;
/// - values parse as Go floats (NaN, +Inf, -Inf included); an optional
///   timestamp is an integer;
/// - TYPE is one of counter, gauge, histogram, summary, untyped; at most one
///   HELP and one TYPE per family, both before the family's samples; a
///   family's samples are contiguous; histogram samples are _bucket (with a
///   float "le"), _sum or _count, summary samples carry a float "quantile"
///   or are _sum or _count;
/// - no series (name and label set) appears twice.
/// Pure; used by the fuzz target and unit tests as an in-process promtool.
[[nodiscard]] std::string CheckTextFormat(std::string_view exposition);

}  // namespace mailpath::metrics
