#include "mailpath/app/web_config_watcher.h"

#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace mailpath::app {
namespace {

// (mtime, size, inode) of a file; "" when absent.
std::string FileStamp(const std::string& path) {
  struct stat st {};
  if (path.empty() || stat(path.c_str(), &st) != 0) return "";
  return std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "/" +
         std::to_string(st.st_size) + "/" + std::to_string(st.st_ino);
}

}  // namespace

Status LoadWebConfig(const std::string& path, WebConfig& out) {
  std::ifstream in(path);
  if (!in) return ErrnoError(path + ": cannot read web config file");
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseWebConfig(buf.str(), path, out);
}

void ApplyWebConfig(const WebConfig& config, http::ServerOptions& options) {
  options.tls = config.tls;
  options.auth = config.basic_auth_users.empty()
                     ? nullptr
                     : std::make_shared<const http::BasicAuth>(config.basic_auth_users);
  options.headers = config.headers;
  options.rate_limit = config.rate_limit;
}

WebConfigWatcher::WebConfigWatcher(std::string path, WebConfig current, http::ServerOptions options,
                                   http::Server& server, Logger& logger,
                                   std::chrono::milliseconds interval)
    : path_(std::move(path)),
      current_(std::move(current)),
      options_(std::move(options)),
      server_(server),
      logger_(logger),
      interval_(interval) {
  thread_ = std::thread([this] { Run(); });
}

WebConfigWatcher::~WebConfigWatcher() {
  {
    const std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::string WebConfigWatcher::CaStamp() const {
  return FileStamp(current_.tls ? current_.tls->client_ca_file : "");
}

void WebConfigWatcher::ReloadNow() {
  {
    const std::lock_guard<std::mutex> lock(mu_);
    reload_ = true;
  }
  cv_.notify_all();
}

void WebConfigWatcher::Run() {
  std::string config_stamp = FileStamp(path_);
  std::string ca_stamp = CaStamp();
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait_for(lock, interval_, [this] { return stop_ || reload_; });
    if (stop_) break;
    const bool forced = reload_;
    reload_ = false;
    const std::string config_now = FileStamp(path_);
    const std::string ca_now = CaStamp();
    if (!forced && config_now == config_stamp && ca_now == ca_stamp) continue;
    const bool ca_changed = ca_now != ca_stamp;
    config_stamp = config_now;  // a broken file is reported once, not every poll
    ca_stamp = ca_now;
    WebConfig next;
    if (const Status loaded = LoadWebConfig(path_, next); !loaded) {
      logger_.Error("web config not reloaded, keeping the previous one",
                    {{"err", loaded.message()}});
      continue;
    }
    http::ServerOptions reloaded = options_;
    ApplyWebConfig(next, reloaded);
    try {
      server_.Reload(reloaded, ca_changed);
    } catch (const std::exception& e) {
      logger_.Error("web config not reloaded, keeping the previous one", {{"err", e.what()}});
      continue;
    }
    current_ = std::move(next);
    ca_stamp = CaStamp();  // the CA file may be another one now
    for (const auto& warning : current_.warnings) {
      logger_.Warn("web config warning", {{"file", path_}, {"msg", warning}});
    }
    logger_.Info("web config reloaded", {{"file", path_}});
  }
}

}  // namespace mailpath::app
