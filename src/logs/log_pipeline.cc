#include "mailpath/logs/log_pipeline.h"

#include <chrono>

#include "mailpath/logs/envelope.h"

namespace mailpath::logs {

// A source, its stats, and the sink its lines arrive at.
struct LogPipeline::Entry final : LineSink {
  LogPipeline& pipeline;
  std::unique_ptr<LineSource> source;
  SourceStats stats;

  Entry(LogPipeline& p, std::unique_ptr<LineSource> s) : pipeline(p), source(std::move(s)) {
    stats.name = source->name();
    stats.kind = source->kind();
    stats.counters.journal = stats.kind == SourceKind::kJournal;
  }
  void Line(std::string_view line, bool oversized) override {
    pipeline.HandleLine(stats.counters, line, oversized);
  }
  void Record(LogRecord& record) override { pipeline.HandleRecord(stats.counters, record); }
  void CopyHealth() {
    const SourceHealth h = source->Health();
    stats.up = h.up ? 1 : 0;
    stats.rotations = h.rotations;
    stats.truncations = h.truncations;
    stats.open_errors = h.open_errors;
  }
};

namespace {

std::int64_t SystemNowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

LogPipeline::LogPipeline(PipelineOptions options, CheckpointStore& store, Logger& logger, NowUs now)
    : options_(options),
      store_(store),
      logger_(logger),
      now_(now ? std::move(now) : NowUs(SystemNowUs)) {}

LogPipeline::~LogPipeline() { Stop(); }

void LogPipeline::Route(Program program, RecordConsumer& consumer) {
  routes_.at(static_cast<std::size_t>(program)).push_back(&consumer);
}

void LogPipeline::AddSource(std::unique_ptr<LineSource> source) { Add(std::move(source)); }

LogPipeline::Entry& LogPipeline::Add(std::unique_ptr<LineSource> source) {
  std::lock_guard<std::mutex> lock(entries_mu_);
  entries_.push_back(std::make_unique<Entry>(*this, std::move(source)));
  return *entries_.back();
}

void LogPipeline::HandleRecord(SourceCounters& counters, LogRecord& record) {
  if (counters.journal) counters.bytes.fetch_add(record.message.size(), std::memory_order_relaxed);
  if (record.program == Program::kForeign) {
    counters.foreign.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  counters.routed.fetch_add(1, std::memory_order_relaxed);
  if (record.timestamp_us > counters.newest_us.load(std::memory_order_relaxed)) {
    counters.newest_us.store(record.timestamp_us, std::memory_order_relaxed);
  }
  for (RecordConsumer* c : routes_[static_cast<std::size_t>(record.program)]) {
    try {
      c->Consume(record);
    } catch (const std::exception& e) {
      // A classifier bug must cost one line, never the exporter.
      if (counters.classifier_errors.fetch_add(1, std::memory_order_relaxed) < 10) {
        logger_.Error("classifier failed on a line; skipped", {{"err", e.what()}});
      }
    }
  }
}

void LogPipeline::HandleLine(SourceCounters& counters, std::string_view line, bool oversized) {
  counters.bytes.fetch_add(line.size() + 1, std::memory_order_relaxed);
  if (oversized) {
    counters.oversized.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  LogRecord record;
  if (!ParseLogLine(line, poll_now_us_, record)) {
    (IsFramingOnly(line) ? counters.skipped : counters.malformed)
        .fetch_add(1, std::memory_order_relaxed);
    return;
  }
  HandleRecord(counters, record);
}

std::string LogPipeline::Replay(const std::string& path) {
  auto source = std::make_unique<ReplayLineSource>(path, options_.max_line_bytes);
  ReplayLineSource& replay = *source;
  Entry& entry = Add(std::move(source));
  poll_now_us_ = now_();
  replay.Poll(entry);
  entry.CopyHealth();
  return replay.error();
}

void LogPipeline::Open() {
  loaded_ = store_.Load();
  for (auto& e : entries_) {
    SourcePosition saved;
    if (auto it = loaded_.files.find(e->source->name()); it != loaded_.files.end())
      saved.file = it->second;
    saved.journal_cursor = loaded_.journal_cursor;
    e->source->Start(saved);
    e->CopyHealth();
  }
}

void LogPipeline::PollOnce() {
  for (auto& e : entries_) {
    poll_now_us_ = now_();
    e->source->Poll(*e);
    e->CopyHealth();
  }
}

void LogPipeline::SaveCheckpoint() {
  if (!store_.enabled()) return;
  Checkpoint cp = loaded_;  // keep entries of sources that have no open file right now
  for (auto& e : entries_) {
    SourcePosition pos = e->source->Position();
    if (pos.file) {
      cp.files[e->source->name()] = *pos.file;
    } else if (!pos.journal_cursor.empty()) {
      cp.journal_cursor = std::move(pos.journal_cursor);
    }
  }
  if (store_.Save(cp)) loaded_ = std::move(cp);
}

void LogPipeline::Start() {
  Open();
  thread_ = std::thread([this] { Run(); });
}

void LogPipeline::Run() {
  auto last_save = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stopping_) {
    const bool requested = checkpoint_requested_;
    checkpoint_requested_ = false;
    lock.unlock();
    PollOnce();
    if (requested || std::chrono::steady_clock::now() - last_save >= options_.checkpoint_interval) {
      SaveCheckpoint();
      last_save = std::chrono::steady_clock::now();
    }
    lock.lock();
    stop_cv_.wait_for(lock, options_.poll_interval,
                      [this] { return stopping_ || checkpoint_requested_; });
  }
}

void LogPipeline::RequestCheckpoint() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    checkpoint_requested_ = true;
  }
  stop_cv_.notify_all();
}

void LogPipeline::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (stopping_ || !thread_.joinable()) return;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
  PollOnce();  // what arrived since the last poll
  SaveCheckpoint();
}

void LogPipeline::ForEachSource(const std::function<void(const SourceStats&)>& fn) {
  std::lock_guard<std::mutex> lock(entries_mu_);
  for (const auto& e : entries_) fn(e->stats);
}

}  // namespace mailpath::logs
