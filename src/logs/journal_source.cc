#include "mailpath/logs/journal_source.h"

#include <cstring>
#include <stdexcept>

#include "mailpath/logs/envelope.h"

#ifdef MAILPATH_WITH_JOURNALD
#include <systemd/sd-journal.h>
#endif

namespace mailpath::logs {

#ifdef MAILPATH_WITH_JOURNALD
namespace {

std::string_view Field(sd_journal* j, const char* name) {
  const void* data = nullptr;
  size_t len = 0;
  if (sd_journal_get_data(j, name, &data, &len) < 0) return {};
  std::string_view v(static_cast<const char*>(data), len);
  const std::size_t eq = v.find('=');
  return eq == std::string_view::npos ? std::string_view{} : v.substr(eq + 1);
}

}  // namespace

struct JournalSource::Impl {
  sd_journal* j = nullptr;
};

JournalSource::JournalSource(const std::string& directory, const std::vector<std::string>& matches,
                             Logger& logger)
    : impl_(std::make_unique<Impl>()), logger_(logger) {
  const int r = directory.empty() ? sd_journal_open(&impl_->j, SD_JOURNAL_LOCAL_ONLY)
                                  : sd_journal_open_directory(&impl_->j, directory.c_str(), 0);
  if (r < 0) {
    throw std::runtime_error("cannot open the systemd journal" +
                             (directory.empty() ? std::string() : " in " + directory) + ": " +
                             std::strerror(-r) +
                             " (the exporter's user needs group systemd-journal or adm)");
  }
  sd_journal_set_data_threshold(impl_->j, 64 * 1024);
  for (const std::string& match : matches) {
    // Matches on the same field are ORed by sd-journal; a disjunction also ORs a
    // slice with a unit.
    if (const int m = sd_journal_add_match(impl_->j, match.data(), match.size()); m < 0) {
      throw std::runtime_error("bad journal match " + match + ": " + std::strerror(-m));
    }
    sd_journal_add_disjunction(impl_->j);
  }
}

JournalSource::~JournalSource() {
  if (impl_->j != nullptr) sd_journal_close(impl_->j);
}

void JournalSource::Start(const std::string& cursor, bool from_beginning) {
  if (!cursor.empty() && sd_journal_seek_cursor(impl_->j, cursor.c_str()) >= 0) {
    // seek_cursor lands on the entry itself; it was handled before the stop.
    if (sd_journal_next(impl_->j) > 0 && sd_journal_test_cursor(impl_->j, cursor.c_str()) <= 0) {
      sd_journal_previous(impl_->j);
    }
    cursor_ = cursor;
    return;
  }
  if (from_beginning) {
    sd_journal_seek_head(impl_->j);
  } else {
    sd_journal_seek_tail(impl_->j);
    sd_journal_previous(impl_->j);
  }
}

std::size_t JournalSource::Poll(const OnRecord& on_record) {
  std::size_t n = 0;
  for (;;) {
    const int r = sd_journal_next(impl_->j);
    if (r < 0) {
      logger_.LogEvery("journal-next", std::chrono::minutes(1), LogLevel::kWarn,
                       "journal read failed", {{"err", std::strerror(-r)}});
      break;
    }
    if (r == 0) break;
    ++n;
    char* c = nullptr;
    if (sd_journal_get_cursor(impl_->j, &c) >= 0) {
      cursor_ = c;
      free(c);
    }
    const std::string_view ident = Field(impl_->j, "SYSLOG_IDENTIFIER");
    LogRecord record;
    record.message = Field(impl_->j, "MESSAGE");
    ResolveProgram(ident, record);
    std::uint64_t usec = 0;
    if (sd_journal_get_realtime_usec(impl_->j, &usec) >= 0)
      record.timestamp_us = static_cast<std::int64_t>(usec);
    on_record(record);
  }
  return n;
}

#else

struct JournalSource::Impl {};

JournalSource::JournalSource(const std::string&, const std::vector<std::string>&, Logger& logger)
    : logger_(logger) {
  throw std::runtime_error("this build has no journal support (MAILPATH_WITH_JOURNALD=OFF)");
}
JournalSource::~JournalSource() = default;
void JournalSource::Start(const std::string&, bool) {}
std::size_t JournalSource::Poll(const OnRecord&) { return 0; }

#endif

}  // namespace mailpath::logs
