// A small HTTP/1.1 client for the dashboard tests: raw requests over TCP, or over TLS trusting
// a given CA; the sign-in flow with its CSRF value; and readers of a raw response.
#ifndef OKR_TESTS_INTEGRATION_HTTP_CLIENT_H_
#define OKR_TESTS_INTEGRATION_HTTP_CLIENT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <string>
#include <vector>

namespace okr::testing {

inline int ConnectLoopback(int port, int timeout_seconds = 5) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{timeout_seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends `raw` as is and reads until the server closes (or the timeout); "" when nothing came.
inline std::string Exchange(int port, const std::string& raw) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return "";
  size_t sent = 0;
  while (sent < raw.size()) {
    const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may cut a hostile request short
    sent += static_cast<size_t>(n);
  }
  std::string response;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    response.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return response;
}

// The same over TLS, verifying the server's certificate (for 127.0.0.1) against the PEM file
// `ca`; "" when the handshake fails.
inline std::string ExchangeTls(int port, const std::string& ca, const std::string& raw) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  std::string response;
  if (ctx != nullptr && SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr) == 1) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    const int fd = ConnectLoopback(port);
    SSL* ssl = fd < 0 ? nullptr : SSL_new(ctx);
    if (ssl != nullptr) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
      SSL_set_fd(ssl, fd);
      if (SSL_connect(ssl) == 1 && SSL_write(ssl, raw.data(), static_cast<int>(raw.size())) ==
                                       static_cast<int>(raw.size())) {
        char buf[65536];
        for (;;) {
          const int n = SSL_read(ssl, buf, sizeof buf);
          if (n <= 0) break;
          response.append(buf, static_cast<size_t>(n));
        }
      }
      SSL_free(ssl);
    }
    if (fd >= 0) ::close(fd);
  }
  SSL_CTX_free(ctx);
  return response;
}

inline int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::stoi(response.substr(9, 3));
}

inline std::string Body(const std::string& response) {
  const size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

// Every value of header `name` (case-insensitive), in order.
inline std::vector<std::string> Headers(const std::string& response, const std::string& name) {
  const std::string head = response.substr(0, response.find("\r\n\r\n"));
  std::string lower_head = head, lower_name = name + ":";
  for (char& c : lower_head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char& c : lower_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::vector<std::string> values;
  for (size_t at = lower_head.find("\r\n" + lower_name); at != std::string::npos;
       at = lower_head.find("\r\n" + lower_name, at + 2)) {
    const size_t start = at + 2 + lower_name.size();
    const size_t end = head.find("\r\n", start);
    std::string value = head.substr(start, end - start);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    values.push_back(value);
  }
  return values;
}

inline std::string Header(const std::string& response, const std::string& name) {
  std::vector<std::string> values = Headers(response, name);
  return values.empty() ? "" : values.front();
}

// The Set-Cookie header that sets cookie `name`; "" if none.
inline std::string SetCookie(const std::string& response, const std::string& name) {
  for (const std::string& value : Headers(response, "Set-Cookie")) {
    if (value.rfind(name + "=", 0) == 0) return value;
  }
  return "";
}

// "name=value" of a Set-Cookie header (what a browser sends back).
inline std::string CookiePair(const std::string& set_cookie) {
  return set_cookie.substr(0, set_cookie.find(';'));
}

// The value of the hidden form field `name` in a page; "" if none.
inline std::string HiddenField(const std::string& html, const std::string& name) {
  const std::string marker = "name=" + name + " value=\"";
  const size_t at = html.find(marker);
  if (at == std::string::npos) return "";
  const size_t from = at + marker.size();
  return html.substr(from, html.find('"', from) - from);
}

// The dashboard at 127.0.0.1:port, over HTTPS when `tls_ca` is given.
class HttpClient {
 public:
  explicit HttpClient(int port, std::string tls_ca = "") : port_(port), ca_(std::move(tls_ca)) {}

  std::string Send(const std::string& raw) const {
    return ca_.empty() ? Exchange(port_, raw) : ExchangeTls(port_, ca_, raw);
  }

  // `headers`: more header lines, each ending in \r\n.
  std::string Get(const std::string& target, const std::string& cookie = "",
                  const std::string& headers = "") const {
    std::string raw = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers;
    if (!cookie.empty()) raw += "Cookie: " + cookie + "\r\n";
    return Send(raw + "Connection: close\r\n\r\n");
  }

  std::string Post(const std::string& target, const std::string& body,
                   const std::string& cookie = "") const {
    std::string raw = "POST " + target +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Content-Type: application/x-www-form-urlencoded\r\n"
                      "Content-Length: " +
                      std::to_string(body.size()) + "\r\n";
    if (!cookie.empty()) raw += "Cookie: " + cookie + "\r\n";
    return Send(raw + "Connection: close\r\n\r\n" + body);
  }

  // GET /login: the raw response, the CSRF cookie to send back and the form's CSRF value.
  struct LoginForm {
    std::string response;
    std::string cookie;  // "okr_csrf=..."
    std::string csrf;
  };
  LoginForm OpenLoginForm() const {
    LoginForm form;
    form.response = Get("/login");
    form.cookie = CookiePair(SetCookie(form.response, "okr_csrf"));
    form.csrf = HiddenField(Body(form.response), "csrf");
    return form;
  }

  // The sign-in form submitted with `token`: the raw response of POST /login.
  std::string SubmitLogin(const std::string& token) const {
    const LoginForm form = OpenLoginForm();
    return Post("/login", "csrf=" + form.csrf + "&token=" + token, form.cookie);
  }

  // Signs in; the session cookie to send ("okr_session=..."), "" when refused.
  std::string SignIn(const std::string& token) const {
    return CookiePair(SetCookie(SubmitLogin(token), "okr_session"));
  }

 private:
  int port_;
  std::string ca_;
};

}  // namespace okr::testing

#endif  // OKR_TESTS_INTEGRATION_HTTP_CLIENT_H_
