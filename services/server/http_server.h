// The small HTTP side of okrd (Boost.Beast): /metrics, /healthz and the read-only dashboard.
// It runs on okrd's Asio worker pool, never on gRPC threads, with per-connection timeouts and
// size limits so a slow or hostile client cannot hold a worker.
#ifndef OKR_SERVICES_SERVER_HTTP_SERVER_H_
#define OKR_SERVICES_SERVER_HTTP_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "services/server/server_state.h"

namespace okr {

class HttpServer {
 public:
  virtual ~HttpServer() = default;
  // Binds `listen` (HOST:PORT; port 0 picks one) and starts accepting; HTTPS when a PEM
  // certificate and key are given.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(ServerState& state,
                                                           const std::string& listen,
                                                           const std::string& cert_pem = "",
                                                           const std::string& key_pem = "");
  virtual int port() const = 0;
  virtual void Stop() = 0;
};

// The response to one request, computed without I/O (for tests and for the server).
struct HttpResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::string set_cookie;
  std::string location;
};

struct HttpRequestView {
  std::string method;  // GET, POST
  std::string target;  // path and query
  std::string cookie;  // the Cookie header
  std::string body;
};

HttpResponse HandleHttp(ServerState& state, const HttpRequestView& request);

// HTML-escapes text for element content and attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace okr

#endif  // OKR_SERVICES_SERVER_HTTP_SERVER_H_
