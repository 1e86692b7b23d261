// Certificates for the TLS tests, made with the openssl command line in a temporary folder:
// self-signed for localhost and 127.0.0.1 (each is its own CA, so trusting one certificate
// tells which one a server presents), valid for some days from now or between given dates.
#ifndef OKR_TESTS_INTEGRATION_TLS_FIXTURES_H_
#define OKR_TESTS_INTEGRATION_TLS_FIXTURES_H_

#include <time.h>

#include <cstdint>
#include <ctime>
#include <fstream>
#include <string>

#include "tests/integration/harness.h"
#include "tests/integration/temp_folder.h"

namespace okr::testing {

class Certs {
 public:
  // Makes NAME.key.pem and NAME.cert.pem, valid from now for `days`; returns openssl's result.
  CommandResult Make(const std::string& name, int days = 2) {
    return RunCommand({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                       "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                       "-keyout", Key(name), "-out", Cert(name), "-days", std::to_string(days)});
  }
  // The same valid from `start` to `end` ("YYYYMMDDHHMMSSZ"): openssl req cannot set dates, so
  // `openssl ca -selfsign` signs NAME's request with NAME's own key.
  CommandResult MakeDated(const std::string& name, const std::string& start,
                          const std::string& end) {
    const std::string ca = folder_ / (name + ".ca");
    std::filesystem::create_directories(ca);
    std::ofstream(ca + "/ca.cnf") << "[ca]\ndefault_ca = d\n[d]\ndatabase = " << ca
                                  << "/index.txt\nnew_certs_dir = " << ca << "\nserial = " << ca
                                  << "/serial\ndefault_md = sha256\npolicy = p\n"
                                     "copy_extensions = copy\nunique_subject = no\n"
                                     "[p]\ncommonName = supplied\n";
    std::ofstream(ca + "/index.txt");
    std::ofstream(ca + "/serial") << "01\n";
    CommandResult request =
        RunCommand({"/usr/bin/openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", Key(name), "-out", ca + "/request.pem"});
    if (request.exit_code != 0) return request;
    return RunCommand({"/usr/bin/openssl", "ca", "-batch", "-notext", "-config", ca + "/ca.cnf",
                       "-selfsign", "-keyfile", Key(name), "-in", ca + "/request.pem", "-startdate",
                       start, "-enddate", end, "-out", Cert(name)});
  }
  std::string Key(const std::string& name) const { return folder_ / (name + ".key.pem"); }
  std::string Cert(const std::string& name) const { return folder_ / (name + ".cert.pem"); }
  std::string Path(const std::string& file) const { return folder_ / file; }

  // NAME's notAfter in Unix seconds, from `openssl x509 -enddate` ("notAfter=Dec 11 23:40:00
  // 2026 GMT"); -1 when openssl or the parse fails.
  int64_t NotAfter(const std::string& name) const {
    CommandResult r =
        RunCommand({"/usr/bin/openssl", "x509", "-in", Cert(name), "-noout", "-enddate"});
    const std::string prefix = "notAfter=";
    if (r.exit_code != 0 || r.out.rfind(prefix, 0) != 0) return -1;
    std::tm tm{};
    if (::strptime(r.out.c_str() + prefix.size(), "%b %d %H:%M:%S %Y GMT", &tm) == nullptr) {
      return -1;
    }
    return static_cast<int64_t>(::timegm(&tm));
  }

 private:
  TempFolder folder_;
};

}  // namespace okr::testing

#endif  // OKR_TESTS_INTEGRATION_TLS_FIXTURES_H_
