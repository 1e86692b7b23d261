// TLS: okrd with --tls-cert/--tls-key serves only TLS; okrctl --tls-ca trusts it, a client
// without the CA (plaintext) or with another CA cannot connect; tokens still apply.
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

// A self-signed certificate for localhost and 127.0.0.1, made in a temporary folder.
class Certs {
 public:
  Certs() {
    char dir[] = "/tmp/okr-tlsXXXXXX";
    dir_ = ::mkdtemp(dir);
  }
  ~Certs() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  // Makes NAME.key.pem and NAME.cert.pem; returns the result of openssl.
  CommandResult Make(const std::string& name) {
    return RunCommand({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                       "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                       "-keyout", Key(name), "-out", Cert(name), "-days", "2"});
  }
  std::string Key(const std::string& name) const { return dir_ + "/" + name + ".key.pem"; }
  std::string Cert(const std::string& name) const { return dir_ + "/" + name + ".cert.pem"; }

 private:
  std::string dir_;
};

TEST(Tls, OnlyClientsTrustingTheCertificateConnect) {
  Certs certs;
  CommandResult made = certs.Make("server");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ASSERT_EQ(certs.Make("other").exit_code, 0);

  const std::string cert = certs.Cert("server");
  OkrdProcess okrd({"--tls-cert", cert, "--tls-key", certs.Key("server")}, cert);

  // Ctl passes --tls-ca: it connects (the start-up probe did the same).
  CommandResult ok = okrd.Ctl({"-o", "json", "metric", "list"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(ok.Json()["metrics"].empty());
  ASSERT_EQ(okrd.Ctl({"metric", "define", "tickets", "--kind", "count"}).exit_code, 0);
  EXPECT_EQ(okrd.Ctl({"-o", "json", "metric", "list"}).Json()["metrics"].size(), 1u);

  // Over TLS, a call still needs a token.
  CommandResult anonymous = okrd.CtlAs("", {"metric", "list"});
  EXPECT_NE(anonymous.exit_code, 0);
  EXPECT_NE(anonymous.err.find("UNAUTHENTICATED"), std::string::npos) << anonymous.err;

  const std::string token = okrd.admin_token();
  // Without --tls-ca okrctl speaks plaintext to a TLS port: UNAVAILABLE.
  CommandResult plain = RunCommand({OkrctlPath(), "--server", okrd.address(), "--token", token,
                                    "--timeout", "5", "metric", "list"});
  EXPECT_NE(plain.exit_code, 0);
  EXPECT_NE(plain.err.find("UNAVAILABLE"), std::string::npos) << plain.err;
  // With another CA the server's certificate is not trusted: UNAVAILABLE too.
  CommandResult wrong_ca =
      RunCommand({OkrctlPath(), "--server", okrd.address(), "--token", token, "--tls-ca",
                  certs.Cert("other"), "--timeout", "5", "metric", "list"});
  EXPECT_NE(wrong_ca.exit_code, 0);
  EXPECT_NE(wrong_ca.err.find("UNAVAILABLE"), std::string::npos) << wrong_ca.err;

  // TLS stays on across a restart.
  okrd.Restart();
  EXPECT_EQ(okrd.Ctl({"metric", "list"}).exit_code, 0);
}

TEST(Tls, CertificateWithoutKeyIsRefusedAtStart) {
  Certs certs;
  ASSERT_EQ(certs.Make("server").exit_code, 0);
  EXPECT_THROW(OkrdProcess({"--tls-cert", certs.Cert("server")}, certs.Cert("server")),
               std::runtime_error);
}

}  // namespace
}  // namespace okr::testing
