// TLS: okrd with --tls-cert/--tls-key serves only TLS; okrctl --tls-ca trusts it, a client
// without the CA (plaintext) or with another CA cannot connect; tokens still apply.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"
#include "tests/integration/tls_fixtures.h"

namespace okr::testing {
namespace {

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
