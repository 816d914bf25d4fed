#include "mailpath/logs/log_collector.h"

#include "mailpath/metrics/family_builder.h"

namespace mailpath::logs {

LogCollector::LogCollector(std::unique_ptr<CheckpointStore> store,
                           std::unique_ptr<LogPipeline> pipeline)
    : store_(std::move(store)), pipeline_(std::move(pipeline)) {}

void LogCollector::Collect(std::vector<prometheus::MetricFamily>& out) {
  using metrics::FamilyBuilder;
  using prometheus::MetricType;
  FamilyBuilder lines(
      "mailpath_log_lines_total",
      "Log lines read, by source and result: routed (Postfix/Dovecot, handed to the classifiers), "
      "foreign (other programs), malformed (no envelope), oversized (over the line cap, skipped), "
      "skipped "
      "(blank lines and journalctl's \"-- ... --\" markers).",
      MetricType::Counter);
  FamilyBuilder bytes("mailpath_log_read_bytes_total",
                      "Bytes of log lines read, by source (for the journal: MESSAGE bytes).",
                      MetricType::Counter);
  FamilyBuilder rotations(
      "mailpath_log_rotations_total",
      "Rotations followed (the old file drained, the new one opened), by source.",
      MetricType::Counter);
  FamilyBuilder truncations("mailpath_log_truncations_total",
                            "Files found shorter than the read position (copytruncate), by source.",
                            MetricType::Counter);
  FamilyBuilder open_errors("mailpath_log_open_errors_total",
                            "Failed attempts to open a log source, by source.",
                            MetricType::Counter);
  FamilyBuilder classifier_errors(
      "mailpath_log_classifier_errors_total",
      "Routed lines a classifier failed on (skipped; a bug worth reporting), by source.",
      MetricType::Counter);
  FamilyBuilder up("mailpath_log_source_up", "1 while the source is open and readable.",
                   MetricType::Gauge);
  FamilyBuilder lag(
      "mailpath_log_lag_seconds",
      "Seconds between now and the newest Postfix/Dovecot line's own timestamp, by source.",
      MetricType::Gauge);
  const double now_s = static_cast<double>(pipeline_->NowMicros()) / 1e6;
  pipeline_->ForEachSource([&](const SourceStats& s) {
    const SourceCounters& c = s.counters;
    for (const auto& [result, v] :
         {std::pair{"routed", &c.routed}, std::pair{"foreign", &c.foreign},
          std::pair{"malformed", &c.malformed}, std::pair{"oversized", &c.oversized},
          std::pair{"skipped", &c.skipped}}) {
      lines.Counter({{"source", s.name}, {"result", result}}, static_cast<double>(v->load()));
    }
    bytes.Counter({{"source", s.name}}, static_cast<double>(c.bytes.load()));
    classifier_errors.Counter({{"source", s.name}},
                              static_cast<double>(c.classifier_errors.load()));
    if (s.kind == SourceKind::kJournal) {
      open_errors.Counter({{"source", s.name}}, static_cast<double>(s.open_errors.load()));
    }
    if (s.kind == SourceKind::kFile) {
      rotations.Counter({{"source", s.name}}, static_cast<double>(s.rotations.load()));
      truncations.Counter({{"source", s.name}}, static_cast<double>(s.truncations.load()));
      open_errors.Counter({{"source", s.name}}, static_cast<double>(s.open_errors.load()));
    }
    up.Gauge({{"source", s.name}}, s.up.load());
    if (const std::int64_t newest = c.newest_us.load();
        newest > 0 && s.kind != SourceKind::kReplay) {
      lag.Gauge({{"source", s.name}}, now_s - static_cast<double>(newest) / 1e6);
    }
  });
  for (FamilyBuilder* b :
       {&lines, &bytes, &classifier_errors, &rotations, &truncations, &open_errors, &up, &lag}) {
    if (!b->family().metric.empty()) out.push_back(std::move(*b).Build());
  }
  if (store_->enabled()) {
    out.push_back(FamilyBuilder("mailpath_log_checkpoint_writes_total",
                                "Checkpoint writes to --state.dir, by result.", MetricType::Counter)
                      .Counter({{"result", "ok"}}, static_cast<double>(store_->writes()))
                      .Counter({{"result", "error"}}, static_cast<double>(store_->failures()))
                      .family());
  }
}

}  // namespace mailpath::logs
