#pragma once

#include <memory>
#include <vector>

#include "mailpath/logs/checkpoint_store.h"
#include "mailpath/logs/log_pipeline.h"
#include "mailpath/metrics/collector.h"

namespace mailpath::logs {

/// The `logs` collector: the pipeline's own counters per source
/// (mailpath_log_*) and the checkpoint writes. Owns the pipeline and its
/// checkpoint store, so the pipeline lives as long as the collector.
class LogCollector final : public metrics::Collector {
 public:
  LogCollector(std::unique_ptr<CheckpointStore> store, std::unique_ptr<LogPipeline> pipeline);
  void Collect(std::vector<prometheus::MetricFamily>& out) override;
  [[nodiscard]] LogPipeline& pipeline() { return *pipeline_; }

 private:
  std::unique_ptr<CheckpointStore>
      store_;  // before pipeline_: the pipeline saves to it until destroyed
  std::unique_ptr<LogPipeline> pipeline_;
};

}  // namespace mailpath::logs
