#include "mailpath/logs/checkpoint_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "mailpath/common/read_file.h"
#include "mailpath/logs/checkpoint.h"

namespace mailpath::logs {

std::uint64_t Fingerprint(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string SerializeCheckpoint(const Checkpoint& cp) {
  nlohmann::json doc;
  doc["version"] = 1;
  doc["files"] = nlohmann::json::object();
  for (const auto& [path, pos] : cp.files) {
    doc["files"][path] = {{"dev", pos.id.dev},
                          {"ino", pos.id.ino},
                          {"offset", pos.offset},
                          {"fingerprint", pos.fingerprint},
                          {"fingerprint_len", pos.fingerprint_len}};
  }
  doc["journal_cursor"] = cp.journal_cursor;
  return doc.dump(2) + "\n";
}

namespace {
std::uint64_t Unsigned(const nlohmann::json& v, const char* key) {
  const auto& x = v.at(key);
  if (!x.is_number_unsigned())
    throw std::invalid_argument(std::string(key) + " must be a non-negative integer");
  return x.get<std::uint64_t>();
}
}  // namespace

std::optional<Checkpoint> ParseCheckpoint(std::string_view text, std::string& error) {
  try {
    const auto doc = nlohmann::json::parse(text);
    if (!doc.is_object() || doc.value("version", 0) != 1) {
      error = "unknown checkpoint version";
      return std::nullopt;
    }
    Checkpoint cp;
    for (const auto& [path, v] : doc.at("files").items()) {
      FilePosition pos;
      pos.id.dev = Unsigned(v, "dev");
      pos.id.ino = Unsigned(v, "ino");
      pos.offset = Unsigned(v, "offset");
      pos.fingerprint = Unsigned(v, "fingerprint");
      const std::uint64_t len = Unsigned(v, "fingerprint_len");
      if (len > kFingerprintBytes) {
        error = "fingerprint_len out of range";
        return std::nullopt;
      }
      pos.fingerprint_len = static_cast<std::uint32_t>(len);
      cp.files[path] = pos;
    }
    cp.journal_cursor = doc.value("journal_cursor", std::string());
    return cp;
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

std::string WriteFileAtomically(const std::string& path, std::string_view text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return "open " + tmp + ": " + std::strerror(errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string err = "write " + tmp + ": " + std::strerror(errno);
      ::close(fd);
      return err;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const std::string err = "fsync " + tmp + ": " + std::strerror(errno);
    ::close(fd);
    return err;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    return "rename " + tmp + ": " + std::strerror(errno);
  return "";
}

CheckpointStore::CheckpointStore(std::string state_dir, Logger& logger)
    : path_(state_dir.empty() ? std::string() : state_dir + "/log-checkpoint.json"),
      logger_(logger) {}

Checkpoint CheckpointStore::Load() {
  if (path_.empty()) return {};
  std::string text;
  try {
    text = ReadSmallFile(path_);
  } catch (const std::system_error& e) {
    if (e.code().value() != ENOENT)
      logger_.Warn("cannot read log checkpoint", {{"path", path_}, {"err", e.what()}});
    return {};
  }
  std::string err;
  if (auto cp = ParseCheckpoint(text, err)) return std::move(*cp);
  logger_.Warn("ignoring damaged log checkpoint", {{"path", path_}, {"err", err}});
  return {};
}

bool CheckpointStore::Save(const Checkpoint& cp) {
  if (path_.empty()) return true;
  if (std::string err = WriteFileAtomically(path_, SerializeCheckpoint(cp)); !err.empty()) {
    failures_.fetch_add(1);
    logger_.LogEvery("checkpoint", std::chrono::minutes(1), LogLevel::kWarn,
                     "cannot write log checkpoint", {{"err", err}});
    return false;
  }
  writes_.fetch_add(1);
  return true;
}

}  // namespace mailpath::logs
