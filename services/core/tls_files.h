// The certificate and private key okrd serves TLS with (--tls-cert, --tls-key), read and
// checked with OpenSSL before gRPC or the HTTP side sees them, so that a bad file is refused
// with its real cause instead of gRPC's "cannot listen" or a handshake every client fails.
// The checks, in order; the first that fails is the answer:
//   1. each file reads (the message names the flag and the path);
//   2. --tls-cert holds a PEM certificate (and any chain after it parses);
//   3. --tls-key holds an unencrypted PEM private key;
//   4. the key is the certificate's (X509_check_private_key);
//   5. the certificate is valid now: not before notBefore, not after notAfter (an expired
//      certificate is refused: every client would reject it).
// Used at start (okrd refuses to start) and on SIGHUP (okrd keeps the old pair and logs why).
#ifndef OKR_SERVICES_CORE_TLS_FILES_H_
#define OKR_SERVICES_CORE_TLS_FILES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace okr {

// A certificate okrd serves within this many days of its notAfter is warned about (log, and
// the expiry gauge an alert rule compares with time()).
inline constexpr int64_t kTlsExpiryWarningDays = 30;

// A checked pair, as read from the files.
struct TlsIdentity {
  std::string cert_pem;  // the --tls-cert file: the certificate, then any chain
  std::string key_pem;
  std::string subject;     // of the (first) certificate, RFC 2253: "CN=okr.example.com,O=Example"
  std::string serial;      // hex, as `openssl x509 -serial` prints it
  int64_t not_before = 0;  // Unix seconds
  int64_t not_after = 0;
};

// Reads and checks the pair; `now` (Unix seconds) is the instant validity is checked at.
// INVALID_ARGUMENT for a file that is not what its flag wants or a key that does not match,
// FAILED_PRECONDITION for a file that cannot be read or a certificate outside its validity.
absl::StatusOr<TlsIdentity> LoadTlsIdentity(const std::string& cert_path,
                                            const std::string& key_path, int64_t now);

// The same checks on PEM text (`cert_source` and `key_source` name them in messages, e.g.
// "--tls-cert /etc/okr/cert.pem").
absl::StatusOr<TlsIdentity> CheckTlsIdentity(std::string cert_pem, std::string key_pem,
                                             const std::string& cert_source,
                                             const std::string& key_source, int64_t now);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_TLS_FILES_H_
