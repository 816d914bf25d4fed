#include <civetweb.h>

#include <cstring>
#include <stdexcept>

#include "mailpath/http/server.h"

namespace mailpath::http {
namespace {

bool AllDigits(const std::string& s) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return std::stoi(s) <= 65535;
}

int HandleRequest(mg_connection* conn) {
  const auto* router = static_cast<const Router*>(mg_get_user_data(mg_get_context(conn)));
  const mg_request_info* info = mg_get_request_info(conn);
  Request req;
  req.method = info->request_method ? info->request_method : "";
  req.path = info->local_uri ? info->local_uri : "/";
  if (const char* ae = mg_get_header(conn, "Accept-Encoding")) req.accept_encoding = ae;

  Response resp;
  try {
    resp = router->Handle(req);
  } catch (const std::exception& e) {
    resp = Response{};
    resp.status = 500;
    resp.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
    resp.body = std::string("internal error: ") + e.what() + "\n";
  }
  mg_response_header_start(conn, resp.status);
  for (const auto& [name, value] : resp.headers) {
    mg_response_header_add(conn, name.c_str(), value.c_str(), -1);
  }
  mg_response_header_add(conn, "Content-Length", std::to_string(resp.body.size()).c_str(), -1);
  mg_response_header_send(conn);
  if (!resp.omit_body && !resp.body.empty()) {
    mg_write(conn, resp.body.data(), resp.body.size());
  }
  return resp.status;  // non-zero: civetweb must not process the request itself
}

int SilenceLog(const mg_connection*, const char*) { return 1; }

class CivetServer final : public Server {
 public:
  explicit CivetServer(mg_context* ctx) : ctx_(ctx) {}
  ~CivetServer() override { Stop(); }

  std::vector<std::string> BoundAddresses() const override { return bound_; }
  void Stop() override {
    if (ctx_ != nullptr) {
      mg_stop(ctx_);
      ctx_ = nullptr;
    }
  }
  void SetBound(std::vector<std::string> bound) { bound_ = std::move(bound); }

 private:
  mg_context* ctx_;
  std::vector<std::string> bound_;
};

}  // namespace

bool ToCivetListenSpec(const std::string& address, std::string& spec, std::string& error) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    error = "missing ':PORT' in listen address '" + address + "'";
    return false;
  }
  const std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (!AllDigits(port)) {
    error = "invalid port in listen address '" + address + "'";
    return false;
  }
  if (host.empty()) {
    // All addresses, IPv4 and IPv6 when the library supports IPv6.
    spec = (mg_check_feature(8) ? "+" : "") + port;
  } else if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) {
      error = "invalid IPv6 address in listen address '" + address + "'";
      return false;
    }
    spec = host + ":" + port;
  } else if (host.find(':') != std::string::npos) {
    error = "IPv6 addresses need brackets: '[" + host + "]:" + port + "'";
    return false;
  } else {
    spec = host + ":" + port;
  }
  return true;
}

std::unique_ptr<Server> StartCivetServer(const ServerOptions& options, const Router& router) {
  std::string ports;
  for (const auto& address : options.listen_addresses) {
    std::string spec, error;
    if (!ToCivetListenSpec(address, spec, error)) throw std::runtime_error(error);
    if (!ports.empty()) ports += ',';
    ports += spec;
  }
  const std::string threads = std::to_string(options.max_requests);
  const std::string timeout = std::to_string(options.request_timeout_ms);
  const char* civet_options[] = {"listening_ports", ports.c_str(),
                                 "num_threads", threads.c_str(),
                                 "request_timeout_ms", timeout.c_str(),
                                 "enable_keep_alive", "yes",
                                 "keep_alive_timeout_ms", "5000",
                                 "max_request_size", "16384",
                                 nullptr};
  mg_callbacks callbacks{};
  callbacks.begin_request = HandleRequest;
  callbacks.log_message = SilenceLog;

  mg_init_data init{};
  init.callbacks = &callbacks;
  init.user_data = const_cast<Router*>(&router);
  init.configuration_options = civet_options;
  char error_text[256] = {0};
  unsigned error_code = 0;
  mg_error_data error{&error_code, error_text, sizeof error_text};
  mg_context* ctx = mg_start2(&init, &error);
  if (ctx == nullptr) {
    throw std::runtime_error(std::string("cannot listen on ") + ports + ": " +
                             (error_text[0] ? error_text : "unknown civetweb error"));
  }
  auto server = std::make_unique<CivetServer>(ctx);
  mg_server_port bound[16];
  const int n = mg_get_server_ports(ctx, 16, bound);
  std::vector<std::string> addresses;
  for (int i = 0; i < n; ++i) addresses.push_back(std::to_string(bound[i].port));
  // Pair each resolved port with the host part the user gave.
  std::vector<std::string> named;
  for (std::size_t i = 0; i < addresses.size() && i < options.listen_addresses.size(); ++i) {
    const std::string& given = options.listen_addresses[i];
    named.push_back(given.substr(0, given.rfind(':') + 1) + addresses[i]);
  }
  server->SetBound(std::move(named));
  return server;
}

}  // namespace mailpath::http
