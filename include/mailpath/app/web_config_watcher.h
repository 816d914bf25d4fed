#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "mailpath/app/web_config.h"
#include "mailpath/common/logger.h"
#include "mailpath/http/server.h"

namespace mailpath::app {

/// Reads and parses a web config file; an Error names the file (and line).
[[nodiscard]] Status LoadWebConfig(const std::string& path, WebConfig& out);

/// Copies what a web config asks of the server (TLS, basic auth, headers)
/// into `options`, leaving the listen settings alone.
void ApplyWebConfig(const WebConfig& config, http::ServerOptions& options);

/// Polls --web.config.file and its client CA file; when either changed, a
/// file that parses is applied with Server::Reload (told whether the CA file
/// changed, which needs new TLS contexts). A broken file is logged
/// and the running configuration kept. Certificate and key files are not
/// polled here: the server re-reads them at handshake time.
class WebConfigWatcher {
 public:
  WebConfigWatcher(std::string path, WebConfig current, http::ServerOptions options,
                   http::Server& server, Logger& logger,
                   std::chrono::milliseconds interval = std::chrono::seconds(2));
  /// Stops polling and joins the thread (before the server is stopped).
  ~WebConfigWatcher();
  /// Re-reads the file now, changed or not (SIGHUP), on the watcher's thread.
  void ReloadNow();
  WebConfigWatcher(const WebConfigWatcher&) = delete;
  WebConfigWatcher& operator=(const WebConfigWatcher&) = delete;

 private:
  void Run();
  [[nodiscard]] std::string CaStamp() const;  // of current_'s client CA file

  const std::string path_;
  WebConfig current_;  // only touched by the thread after start
  const http::ServerOptions options_;
  http::Server& server_;
  Logger& logger_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;  // guards stop_ and reload_
  std::condition_variable cv_;
  bool stop_ = false;
  bool reload_ = false;
  std::thread thread_;
};

}  // namespace mailpath::app
