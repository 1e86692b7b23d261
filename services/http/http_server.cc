#include "services/http/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <memory>
#include <mutex>

#include "services/core/log.h"
#include "services/core/pool_jobs.h"

namespace okr {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr auto kIoTimeout = std::chrono::seconds(10);
constexpr uint32_t kHeaderLimit = 8 * 1024;
constexpr uint64_t kBodyLimit = 64 * 1024;

// "ipv4:10.0.0.7:51234" or "ipv6:[::1]:51234", as gRPC names its peers, so that one client's
// failures on both sides count together (auth_failure_log.h); "-" when the socket has none.
std::string PeerOf(const tcp::socket& socket) {
  beast::error_code ec;
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) return "-";
  const net::ip::address address = remote.address();
  if (address.is_v4()) return "ipv4:" + address.to_string() + ":" + std::to_string(remote.port());
  return "ipv6:[" + address.to_string() + "]:" + std::to_string(remote.port());
}

// One connection: read one request (bounded in size and time), answer it, and close.
// `Stream` is a beast::tcp_stream (HTTP) or a beast::ssl_stream over one (HTTPS).
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(tcp::socket socket, ServerState& state, SessionStore& sessions)
      : stream_(std::move(socket)), state_(state), sessions_(sessions) {}
  // The connection keeps its TLS context alive: a SIGHUP reload may replace the server's.
  Session(tcp::socket socket, std::shared_ptr<net::ssl::context> tls, ServerState& state,
          SessionStore& sessions)
      : tls_(std::move(tls)),
        stream_(std::move(socket), *tls_),
        state_(state),
        sessions_(sessions) {}

  void Start() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      Read();
    } else {
      beast::get_lowest_layer(stream_).expires_after(kIoTimeout);
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->Read();
                              });
    }
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kBodyLimit);
    beast::get_lowest_layer(stream_).expires_after(kIoTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::header_limit || ec == http::error::body_limit) {
      HttpResponse too_large;
      too_large.status = 431;
      too_large.content_type = "text/plain";
      too_large.body = "request too large\n";
      Reply(too_large);
      return;
    }
    if (ec) return Close();  // timeouts and resets: just drop the connection
    const auto& req = parser_->get();
    HttpRequestView view;
    view.method = std::string(req.method_string());
    view.target = std::string(req.target());
    view.cookie = std::string(req[http::field::cookie]);
    view.authorization = std::string(req[http::field::authorization]);
    view.body = req.body();
    view.tls = !std::is_same_v<Stream, beast::tcp_stream>;
    view.peer = PeerOf(beast::get_lowest_layer(stream_).socket());
    HttpResponse response;
    try {
      response = HandleHttp(state_, sessions_, view);
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "http.handler_failed",
          {{"method", view.method},
           {"path", view.target.substr(0, view.target.find('?'))},
           {"error", e.what()}});
      response = HttpResponse();
      response.status = 500;
      response.content_type = "text/plain";
      response.body = "internal error\n";
    }
    Reply(response);
  }

  void Reply(const HttpResponse& response) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(11);
    res->result(static_cast<http::status>(response.status));
    res->set(http::field::server, "okrd");
    res->set(http::field::content_type, response.content_type);
    res->set(http::field::cache_control, "no-store");
    res->set("X-Content-Type-Options", "nosniff");
    res->set("Content-Security-Policy",
             "default-src 'none'; style-src 'unsafe-inline'; "
             "img-src 'self' data:; form-action 'self'");
    for (const std::string& cookie : response.set_cookies) {
      res->insert(http::field::set_cookie, cookie);
    }
    if (!response.location.empty()) res->set(http::field::location, response.location);
    for (const auto& [name, value] : response.headers) res->set(name, value);
    res->keep_alive(false);
    res->body() = response.body;
    res->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(kIoTimeout);
    http::async_write(
        stream_, *res,
        [self = this->shared_from_this(), res](beast::error_code, size_t) { self->Close(); });
  }

  void Close() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  std::shared_ptr<net::ssl::context> tls_;  // null for plain HTTP; declared before stream_
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  ServerState& state_;
  SessionStore& sessions_;
};

class HttpServerImpl final : public HttpServer {
 public:
  HttpServerImpl(ServerState& state, SessionLimits session_limits)
      : state_(state), sessions_(session_limits), acceptor_(net::make_strand(state.pool())) {}

  // Serve HTTPS with this PEM certificate chain and key.
  absl::Status EnableTls(const std::string& cert_pem, const std::string& key_pem) {
    auto tls = MakeTlsContext(cert_pem, key_pem);
    if (!tls.ok()) return tls.status();
    std::lock_guard<std::mutex> lock(tls_mu_);
    tls_ = *std::move(tls);
    return absl::OkStatus();
  }

  absl::Status ReplaceTlsCertificate(const std::string& cert_pem,
                                     const std::string& key_pem) override {
    if (CurrentTls() == nullptr) {
      return absl::FailedPreconditionError("the HTTP side serves plain HTTP, not HTTPS");
    }
    return EnableTls(cert_pem, key_pem);
  }

  absl::Status Listen(const std::string& listen) {
    const size_t colon = listen.rfind(':');
    if (colon == std::string::npos) {
      return absl::InvalidArgumentError("--http-listen wants HOST:PORT, got " + listen);
    }
    beast::error_code ec;
    const auto address = net::ip::make_address(listen.substr(0, colon), ec);
    if (ec) return absl::InvalidArgumentError("bad --http-listen address " + listen);
    int port = 0;
    try {
      port = std::stoi(listen.substr(colon + 1));
    } catch (const std::exception&) {
      return absl::InvalidArgumentError("bad --http-listen port " + listen);
    }
    tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return absl::UnavailableError("cannot listen on " + listen + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    Accept();
    return absl::OkStatus();
  }

  int port() const override { return port_; }

  void Stop() override {
    PostGuarded(acceptor_.get_executor(), "http stop", [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
    });
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(state_.pool()),
                           Guarded("http accept", [this](beast::error_code ec, tcp::socket socket) {
                             if (ec == net::error::operation_aborted || !acceptor_.is_open()) {
                               return;
                             }
                             std::shared_ptr<net::ssl::context> tls = CurrentTls();
                             if (!ec && tls != nullptr) {
                               std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
                                   std::move(socket), std::move(tls), state_, sessions_)
                                   ->Start();
                             } else if (!ec) {
                               std::make_shared<Session<beast::tcp_stream>>(std::move(socket),
                                                                            state_, sessions_)
                                   ->Start();
                             }
                             Accept();
                           }));
  }

  // A new context for every certificate: connections hold the one they started with.
  static absl::StatusOr<std::shared_ptr<net::ssl::context>> MakeTlsContext(
      const std::string& cert_pem, const std::string& key_pem) {
    auto tls = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
    beast::error_code ec;
    tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                     net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                     net::ssl::context::no_tlsv1_1);
    tls->use_certificate_chain(net::buffer(cert_pem), ec);
    if (!ec) tls->use_private_key(net::buffer(key_pem), net::ssl::context::pem, ec);
    if (ec) return absl::InvalidArgumentError("HTTPS certificate or key: " + ec.message());
    return tls;
  }
  std::shared_ptr<net::ssl::context> CurrentTls() {
    std::lock_guard<std::mutex> lock(tls_mu_);
    return tls_;
  }

  ServerState& state_;
  SessionStore sessions_;
  tcp::acceptor acceptor_;
  std::mutex tls_mu_;
  std::shared_ptr<net::ssl::context> tls_;  // null: plain HTTP; guarded by tls_mu_
  int port_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(ServerState& state,
                                                              const std::string& listen,
                                                              const std::string& cert_pem,
                                                              const std::string& key_pem,
                                                              SessionLimits session_limits) {
  auto server = std::make_unique<HttpServerImpl>(state, session_limits);
  if (!cert_pem.empty()) {
    if (absl::Status s = server->EnableTls(cert_pem, key_pem); !s.ok()) return s;
  }
  if (absl::Status s = server->Listen(listen); !s.ok()) return s;
  return server;
}

}  // namespace okr
