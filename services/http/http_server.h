// The small HTTP side of okrd (Boost.Beast): /metrics, /healthz and the read-only dashboard.
// It runs on okrd's Asio worker pool, never on gRPC threads, with per-connection timeouts and
// size limits so a slow or hostile client cannot hold a worker. Browsers sign in through a form
// and get a session cookie (dashboard_sessions.h); scripts send `Authorization: Bearer TOKEN`.
// Both reach the same pages under the same access rules as gRPC.
#ifndef OKR_SERVICES_HTTP_HTTP_SERVER_H_
#define OKR_SERVICES_HTTP_HTTP_SERVER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "services/core/server_state.h"
#include "services/http/dashboard_sessions.h"

namespace okr {

class HttpServer {
 public:
  virtual ~HttpServer() = default;
  // Binds `listen` (HOST:PORT; port 0 picks one) and starts accepting; HTTPS when a PEM
  // certificate and key are given.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(ServerState& state,
                                                           const std::string& listen,
                                                           const std::string& cert_pem = "",
                                                           const std::string& key_pem = "",
                                                           SessionLimits session_limits = {});
  virtual int port() const = 0;
  virtual void Stop() = 0;
  // HTTPS only: connections accepted from now on are served with this pair (checked by the
  // caller, tls_files.h); open ones keep theirs. An error leaves the served pair as it was.
  virtual absl::Status ReplaceTlsCertificate(const std::string& cert_pem,
                                             const std::string& key_pem) = 0;
};

// The response to one request, computed without I/O (for tests and for the server).
struct HttpResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::string> set_cookies;  // one Set-Cookie header each
  std::string location;
  std::vector<std::pair<std::string, std::string>> headers;  // more headers (Allow, ...)
};

struct HttpRequestView {
  std::string method;         // GET, POST
  std::string target;         // path and query
  std::string cookie;         // the Cookie header
  std::string authorization;  // the Authorization header ("Bearer TOKEN" from scripts)
  std::string body;
  bool tls = false;  // arrived over HTTPS: cookies are marked Secure
  std::string peer;  // the client's address as gRPC writes one ("ipv4:10.0.0.7:51234"), for logs
};

HttpResponse HandleHttp(ServerState& state, SessionStore& sessions, const HttpRequestView& request);

// HTML-escapes text for element content and attribute values: & < > " ' become entities,
// every other byte is kept as is.
std::string HtmlEscape(std::string_view text);

// Decodes application/x-www-form-urlencoded text (a query string or a form body): '+' is a
// space, %XX (either case) is the byte XX, and a '%' without two hex digits after it stays a
// '%'. Bytes are kept as they come, NUL and bytes of multibyte characters included: checking
// the text is the caller's business.
std::string UrlDecode(std::string_view text);

}  // namespace okr

#endif  // OKR_SERVICES_HTTP_HTTP_SERVER_H_
