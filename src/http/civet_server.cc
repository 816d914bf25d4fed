#include <civetweb.h>
#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "mailpath/http/server.h"
#include "tls_context.h"

namespace mailpath::http {
namespace {

bool AllDigits(const std::string& s) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return std::stoi(s) <= 65535;
}

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The per-request rules of a web config: swapped whole on a reload that
// leaves TLS alone, while requests keep being served.
struct Policy {
  std::shared_ptr<const BasicAuth> auth;
  std::vector<std::pair<std::string, std::string>> headers;
  std::mutex limiter_mu;
  std::optional<TokenBucket> limiter;  // guarded by limiter_mu

  explicit Policy(const ServerOptions& options) : auth(options.auth), headers(options.headers) {
    if (options.rate_limit) limiter.emplace(*options.rate_limit, SteadySeconds());
  }

  bool Allowed() {
    if (!limiter) return true;
    const double now = SteadySeconds();
    const std::lock_guard<std::mutex> lock(limiter_mu);
    return limiter->Allow(now);
  }
};

// What one civetweb context's callbacks need; lives as long as the context.
struct Handler {
  const Router* router = nullptr;
  std::unique_ptr<TlsContext> tls;
  // Connections a worker holds (one worker each, from its first byte until
  // it closes); a response keeps its connection open only while at most
  // keep_alive_limit are held, so idle keep-alive clients never hold every
  // worker.
  std::atomic<int> open_connections{0};
  int keep_alive_limit = 0;
  // Requests inside HandleRequest: Stop lets them write their answer first
  // (civetweb writes nothing once it is stopping).
  std::atomic<int> in_flight{0};

  std::shared_ptr<Policy> CurrentPolicy() {
    const std::lock_guard<std::mutex> lock(policy_mu);
    return policy;
  }
  void SetPolicy(std::shared_ptr<Policy> next) {
    const std::lock_guard<std::mutex> lock(policy_mu);
    policy = std::move(next);
  }

 private:
  std::mutex policy_mu;
  std::shared_ptr<Policy> policy;  // guarded by policy_mu; a request holds its own reference

  friend std::unique_ptr<Handler> MakeHandler(const ServerOptions& options, const Router& router);
};

void Send(mg_connection* conn, const Policy& p, const Response& resp) {
  mg_response_header_start(conn, resp.status);
  for (const auto& [name, value] : p.headers) {
    mg_response_header_add(conn, name.c_str(), value.c_str(), -1);
  }
  for (const auto& [name, value] : resp.headers) {
    mg_response_header_add(conn, name.c_str(), value.c_str(), -1);
  }
  mg_response_header_add(conn, "Content-Length", std::to_string(resp.body.size()).c_str(), -1);
  mg_response_header_send(conn);
  if (!resp.omit_body && !resp.body.empty()) {
    mg_write(conn, resp.body.data(), resp.body.size());
  }
}

Handler& HandlerOf(const mg_connection* conn) {
  return *static_cast<Handler*>(mg_get_user_data(mg_get_context(conn)));
}

// civetweb (1.15, 1.16) has no call to end a connection from a handler: it
// keeps one alive unless the request said "Connection: close". So the
// request's own header (public mg_request_info fields) is set to "close";
// civetweb then answers "Connection: close" and closes after this response.
void CloseAfterResponse(mg_connection* conn) {
  auto* info = const_cast<mg_request_info*>(mg_get_request_info(conn));
  for (int i = 0; i < info->num_headers; ++i) {
    if (strcasecmp(info->http_headers[i].name, "Connection") == 0) {
      info->http_headers[i].value = "close";
      return;
    }
  }
  const int i = info->num_headers < MG_MAX_HEADERS ? info->num_headers++ : MG_MAX_HEADERS - 1;
  info->http_headers[i].name = "Connection";
  info->http_headers[i].value = "close";
}

int InitConnection(const mg_connection* conn, void** conn_data) {
  Handler& h = HandlerOf(conn);
  h.open_connections.fetch_add(1);
  *conn_data = &h;  // counted: ConnectionClose uncounts only these
  return 0;
}

void ConnectionClose(const mg_connection* conn) {
  if (mg_get_user_connection_data(conn) != nullptr) HandlerOf(conn).open_connections.fetch_sub(1);
}

Response Refusal(int status, const std::string& method) {
  Response resp;
  resp.status = status;
  resp.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
  resp.omit_body = method == "HEAD";
  if (status == 401) {
    resp.headers.emplace_back("WWW-Authenticate", BasicAuth::kChallenge);
    resp.body = "Unauthorized\n";
  } else {
    resp.headers.emplace_back("Retry-After", "1");
    resp.body = "Too Many Requests\n";
  }
  return resp;
}

struct InFlight {
  explicit InFlight(std::atomic<int>& n) : n_(n) { n_.fetch_add(1); }
  ~InFlight() { n_.fetch_sub(1); }
  std::atomic<int>& n_;
};

int HandleRequest(mg_connection* conn) {
  Handler* h = &HandlerOf(conn);
  const InFlight counted(h->in_flight);
  const mg_request_info* info = mg_get_request_info(conn);
  Request req;
  req.method = info->request_method ? info->request_method : "";
  req.path = info->local_uri ? info->local_uri : "/";
  if (const char* ae = mg_get_header(conn, "Accept-Encoding")) req.accept_encoding = ae;
  if (const char* t = mg_get_header(conn, "X-Prometheus-Scrape-Timeout-Seconds")) {
    req.scrape_timeout_seconds = std::strtod(t, nullptr);
  }
  if (h->open_connections.load() > h->keep_alive_limit) CloseAfterResponse(conn);

  const std::shared_ptr<Policy> policy = h->CurrentPolicy();
  if (!policy->Allowed()) {
    // Refused requests end their connection: a client that is refused keeps
    // no worker, it queues again behind everyone else.
    CloseAfterResponse(conn);
    Send(conn, *policy, Refusal(429, req.method));
    return 429;
  }
  if (policy->auth) {
    const char* authorization = mg_get_header(conn, "Authorization");
    const BasicAuth::Verdict verdict = authorization == nullptr
                                           ? BasicAuth::Verdict::kDenied
                                           : policy->auth->Verify(authorization);
    if (verdict != BasicAuth::Verdict::kAllowed) {
      CloseAfterResponse(conn);
      const int status = verdict == BasicAuth::Verdict::kBusy ? 429 : 401;
      Send(conn, *policy, Refusal(status, req.method));
      return status;
    }
  }
  Response resp;
  try {
    resp = h->router->Handle(req);
  } catch (const std::exception& e) {
    resp = Response{};
    resp.status = 500;
    resp.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
    resp.body = std::string("internal error: ") + e.what() + "\n";
  }
  Send(conn, *policy, resp);
  return resp.status;  // non-zero: civetweb must not process the request itself
}

int SilenceLog(const mg_connection*, const char*) { return 1; }

int InitSsl(void* ssl_ctx, void* user_data) {
  auto* h = static_cast<Handler*>(user_data);
  return h->tls ? h->tls->Configure(ssl_ctx) : -1;
}

std::unique_ptr<Handler> MakeHandler(const ServerOptions& options, const Router& router) {
  auto h = std::make_unique<Handler>();
  h->router = &router;
  h->keep_alive_limit = std::max(1, options.max_requests / 2);
  if (options.tls) h->tls = std::make_unique<TlsContext>(*options.tls);  // may throw
  h->policy = std::make_shared<Policy>(options);
  return h;
}

// Connections that have sent nothing are held by the kernel, not queued for a
// worker (TCP_DEFER_ACCEPT): civetweb gives each accepted connection a worker
// until its request arrives, so 500 idle connections would otherwise hold
// every worker. civetweb does not hand out its listening sockets, so they are
// found among our descriptors by being listening TCP sockets on our ports.
// After kDeferAcceptSeconds (more than the kernel's SYN-ACK retries cover)
// a connection that never sent a byte is dropped without being accepted.
constexpr int kDeferAcceptSeconds = 60;

int DeferAccept(const std::vector<int>& ports) {
  int done = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  while (const dirent* e = ::readdir(dir)) {
    const int fd = std::atoi(e->d_name);
    if (fd <= 2 || fd == ::dirfd(dir)) continue;
    int listening = 0, type = 0;
    socklen_t len = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    len = sizeof type;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) continue;
    sockaddr_storage addr{};
    socklen_t alen = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) continue;
    int port = -1;
    if (addr.ss_family == AF_INET) port = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    if (addr.ss_family == AF_INET6) port = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    if (std::find(ports.begin(), ports.end(), port) == ports.end()) continue;
    if (::setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &kDeferAcceptSeconds,
                     sizeof kDeferAcceptSeconds) == 0) {
      ++done;
    }
  }
  ::closedir(dir);
  return done;
}

const char* ErrnoName(int err) {
  switch (err) {
    case EADDRINUSE:
      return "EADDRINUSE";
    case EACCES:
      return "EACCES";
    case EADDRNOTAVAIL:
      return "EADDRNOTAVAIL";
    case EAFNOSUPPORT:
      return "EAFNOSUPPORT";
    case EMFILE:
      return "EMFILE";
    default:
      return "";
  }
}

// civetweb says only "Failed to setup server ports"; binding each address
// again ourselves tells which one failed and why (in use, permission, not an
// address of this host).
std::string WhyNoListen(const std::vector<std::string>& addresses) {
  for (const auto& address : addresses) {
    const std::size_t colon = address.rfind(':');
    std::string host = address.substr(0, colon);
    const std::string port = address.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    if (const int rc =
            ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &res);
        rc != 0) {
      return address + ": " + ::gai_strerror(rc);
    }
    std::string why;
    for (addrinfo* ai = res; ai != nullptr && why.empty(); ai = ai->ai_next) {
      const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0) continue;
      const int on = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
      if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd, 1) != 0) {
        const int err = errno;
        why = address + ": " + std::strerror(err);
        if (*ErrnoName(err) != '\0') why += std::string(" (") + ErrnoName(err) + ")";
      }
      ::close(fd);
    }
    ::freeaddrinfo(res);
    if (!why.empty()) return why;
  }
  return "";
}

// Starts one civetweb context on `listen_addresses`; fills `ports` with the
// resolved port of each.
mg_context* StartContext(const ServerOptions& options, Handler& handler, std::vector<int>& ports) {
  std::string spec_list;
  for (const auto& address : options.listen_addresses) {
    const auto spec = ToCivetListenSpec(address);
    if (!spec) throw std::runtime_error(spec.message());
    if (!spec_list.empty()) spec_list += ',';
    spec_list += *spec + (options.tls ? "s" : "");
  }
  const std::string threads = std::to_string(options.max_requests);
  const std::string timeout = std::to_string(options.request_timeout_ms);
  const char* civet_options[] = {"listening_ports", spec_list.c_str(), "num_threads",
                                 threads.c_str(), "request_timeout_ms", timeout.c_str(),
                                 "enable_keep_alive", "yes", "keep_alive_timeout_ms", "2000",
                                 // Connections deferred by the kernel wait in
                                 // the SYN queue, whose size is this (capped
                                 // by net.core.somaxconn).
                                 "listen_backlog", "4096", "max_request_size", "16384", nullptr};
  mg_callbacks callbacks{};
  callbacks.begin_request = HandleRequest;
  callbacks.init_connection = InitConnection;
  callbacks.connection_close = ConnectionClose;
  callbacks.log_message = SilenceLog;
  if (options.tls) callbacks.init_ssl = InitSsl;

  mg_init_data init{};
  init.callbacks = &callbacks;
  init.user_data = &handler;
  init.configuration_options = civet_options;
  char error_text[256] = {0};
  mg_error_data error{};
#if CIVETWEB_VERSION_MAJOR > 1 || CIVETWEB_VERSION_MINOR >= 16
  // civetweb 1.16 (Debian 13) holds the code by value; 1.15 (Debian 12) writes through a pointer.
#else
  unsigned error_code = 0;
  error.code = &error_code;
#endif
  error.text = error_text;
  error.text_buffer_size = sizeof error_text;
  mg_context* ctx = mg_start2(&init, &error);
  if (ctx == nullptr) {
    const std::string why = WhyNoListen(options.listen_addresses);
    throw std::runtime_error(
        "cannot listen on " +
        (why.empty() ? spec_list + ": " + (error_text[0] ? error_text : "unknown civetweb error")
                     : why));
  }
  mg_server_port bound[16];
  const int n = mg_get_server_ports(ctx, 16, bound);
  ports.clear();
  for (int i = 0; i < n; ++i) ports.push_back(bound[i].port);
  DeferAccept(ports);
  return ctx;
}

class CivetServer final : public Server {
 public:
  static constexpr std::chrono::milliseconds kDrain{1500};

  CivetServer(const ServerOptions& options, const Router& router)
      : options_(options), router_(router) {
    handler_ = MakeHandler(options_, router_);
    std::vector<int> ports;
    ctx_ = StartContext(options_, *handler_, ports);
    // Pair each resolved port with the host part the user gave, and pin it
    // so that a reload binds the same ports.
    for (std::size_t i = 0; i < ports.size() && i < options_.listen_addresses.size(); ++i) {
      std::string& given = options_.listen_addresses[i];
      given = given.substr(0, given.rfind(':') + 1) + std::to_string(ports[i]);
      bound_.push_back(given);
    }
  }
  ~CivetServer() override { Stop(); }

  std::vector<std::string> BoundAddresses() const override { return bound_; }

  void Stop() override {
    const std::lock_guard<std::mutex> lock(mu_);
    if (ctx_ != nullptr) {
      // Requests being answered (a scrape whose collectors were just told to
      // give up) finish writing first, for up to kDrain.
      const auto until = std::chrono::steady_clock::now() + kDrain;
      while (handler_->in_flight.load() > 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      mg_stop(ctx_);
      ctx_ = nullptr;
    }
  }

  void Reload(const ServerOptions& options, bool tls_files_changed) override {
    ServerOptions next = options;
    next.listen_addresses = options_.listen_addresses;
    next.max_requests = options_.max_requests;
    next.request_timeout_ms = options_.request_timeout_ms;
    if (next.tls == options_.tls && !tls_files_changed) {
      // Only auth, headers or the rate limit changed: swap them in place, the
      // listeners stay up (no refused connection during the change).
      const std::lock_guard<std::mutex> lock(mu_);
      handler_->SetPolicy(std::make_shared<Policy>(next));
      options_ = std::move(next);
      return;
    }
    auto handler = MakeHandler(next, router_);  // bad certificate: throws, nothing changed
    const std::lock_guard<std::mutex> lock(mu_);
    if (ctx_ != nullptr) mg_stop(ctx_);  // waits for in-flight requests
    ctx_ = nullptr;
    std::vector<int> ports;
    try {
      ctx_ = StartContext(next, *handler, ports);
    } catch (const std::exception&) {
      // Serve the previous configuration rather than nothing.
      ctx_ = StartContext(options_, *handler_, ports);
      throw;
    }
    handler_ = std::move(handler);
    options_ = std::move(next);
  }

 private:
  ServerOptions options_;
  const Router& router_;
  std::mutex mu_;  // guards ctx_, handler_ and options_ against Stop/Reload races
  mg_context* ctx_ = nullptr;
  std::unique_ptr<Handler> handler_;
  std::vector<std::string> bound_;
};

}  // namespace

Result<std::string> ToCivetListenSpec(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos)
    return Error{"missing ':PORT' in listen address '" + address + "'"};
  const std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (!AllDigits(port)) return Error{"invalid port in listen address '" + address + "'"};
  if (host.empty()) {
    // All addresses, IPv4 and IPv6 when the library supports IPv6.
    return (mg_check_feature(8) ? "+" : "") + port;
  }
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) {
      return Error{"invalid IPv6 address in listen address '" + address + "'"};
    }
    return host + ":" + port;
  }
  if (host.find(':') != std::string::npos) {
    return Error{"IPv6 addresses need brackets: '[" + host + "]:" + port + "'"};
  }
  return host + ":" + port;
}

std::unique_ptr<Server> StartCivetServer(const ServerOptions& options, const Router& router) {
  return std::make_unique<CivetServer>(options, router);
}

}  // namespace mailpath::http
