// TLS that explains itself: okrd names the real cause of a bad certificate or key at start,
// warns about and exports a certificate's coming expiry, and reloads the pair on SIGHUP
// (a bad new pair leaves the old one served); okrctl refuses a CA file it cannot use before
// any call, and takes the CA from OKR_CA_FILE.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"
#include "tests/integration/http_client.h"
#include "tests/integration/temp_folder.h"
#include "tests/integration/tls_fixtures.h"
#include "tests/integration/wait_for.h"

namespace okr::testing {
namespace {

namespace fs = std::filesystem;

// okrd with these flags on a fresh folder, expected not to start (timeout ends it if it
// does, and the exit code then says 124).
CommandResult StartRefused(const TempFolder& folder, const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {"/usr/bin/timeout", "20",
                                   OkrdPath(),         "--no-plugins",
                                   "--listen",         "127.0.0.1:" + std::to_string(FreePort()),
                                   "--data-dir",       folder / "data"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return RunCommand(argv);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void CopyOver(const std::string& from, const std::string& to) {
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

// The value of an unlabelled gauge in a /metrics response; -1 when it is not there.
double Gauge(const std::string& response, const std::string& name) {
  const std::string body = Body(response);
  const size_t at = body.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(body.substr(at + name.size() + 2));
}

// Unix seconds as openssl ca's -startdate/-enddate want them: "20261212001000Z".
std::string OpensslDate(int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d%H%M%SZ", &tm);
  return text;
}

// The same as okrd's logs write instants: "2026-12-12T00:10:00Z".
std::string FormatUtc(int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// The first line of okrd's log that names `event`; "" when none does.
std::string LogLine(const OkrdProcess& okrd, const std::string& event) {
  std::istringstream log(ReadAll(okrd.log_path()));
  for (std::string line; std::getline(log, line);) {
    if (line.find(" " + event + " ") != std::string::npos) return line;
  }
  return "";
}

std::string GetMetrics(int http_port, const std::string& ca) {
  return ExchangeTls(http_port, ca,
                     "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

TEST(TlsDiagnostics, KeyOfAnotherCertificateIsRefusedNamingTheMismatch) {
  Certs certs;
  ASSERT_EQ(certs.Make("server").exit_code, 0);
  ASSERT_EQ(certs.Make("other").exit_code, 0);
  TempFolder folder;
  CommandResult r =
      StartRefused(folder, {"--tls-cert", certs.Cert("server"), "--tls-key", certs.Key("other")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("--tls-key " + certs.Key("other") +
                       " does not match the certificate of --tls-cert " + certs.Cert("server")),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("cannot listen"), std::string::npos) << r.err;
  // Checked before the database opens: nothing was created.
  EXPECT_FALSE(fs::exists(folder / "data"));
}

TEST(TlsDiagnostics, ExpiredCertificateIsRefusedNamingItsNotAfter) {
  Certs certs;
  CommandResult made = certs.MakeDated("old", "20200101000000Z", "20200102030405Z");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  TempFolder folder;
  CommandResult r =
      StartRefused(folder, {"--tls-cert", certs.Cert("old"), "--tls-key", certs.Key("old")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("--tls-cert " + certs.Cert("old") +
                       ": the certificate expired at 2020-01-02T03:04:05Z (notAfter)"),
            std::string::npos)
      << r.err;
}

TEST(TlsDiagnostics, CertificateNotYetValidIsRefusedNamingItsNotBefore) {
  Certs certs;
  CommandResult made = certs.MakeDated("future", "20990101000000Z", "20991231000000Z");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  TempFolder folder;
  CommandResult r =
      StartRefused(folder, {"--tls-cert", certs.Cert("future"), "--tls-key", certs.Key("future")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("the certificate is not valid before 2099-01-01T00:00:00Z (notBefore)"),
            std::string::npos)
      << r.err;
}

TEST(TlsDiagnostics, UnreadableAndNonPemFilesAreNamedWithTheirFlag) {
  Certs certs;
  ASSERT_EQ(certs.Make("server").exit_code, 0);
  const std::string text = certs.Path("notes.txt");
  std::ofstream(text) << "not a certificate\n";
  const std::string missing = certs.Path("missing.pem");
  struct Case {
    std::string cert, key, expected;
  };
  const std::vector<Case> cases = {
      {missing, certs.Key("server"), "--tls-cert " + missing + ": cannot read"},
      {certs.Cert("server"), missing, "--tls-key " + missing + ": cannot read"},
      {text, certs.Key("server"), "--tls-cert " + text + ": not a PEM certificate"},
      {certs.Cert("server"), text, "--tls-key " + text + ": not a PEM private key"},
      {certs.Key("server"), certs.Cert("server"),
       "--tls-cert " + certs.Key("server") +
           ": holds a private key, not a certificate (are --tls-cert and --tls-key swapped?)"},
  };
  for (const Case& c : cases) {
    TempFolder folder;
    CommandResult r = StartRefused(folder, {"--tls-cert", c.cert, "--tls-key", c.key});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << "want: " << c.expected << "\n" << r.err;
  }
}

TEST(TlsDiagnostics, CertificateExpiringIn10DaysStartsWithAWarningAndItsNotAfterOnMetrics) {
  // Valid from yesterday until 10.5 days from now: 10 whole days left however long the start
  // takes (under 12 hours), and notAfter known to the second.
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  const int64_t not_after = now + 10 * 86400 + 12 * 3600;
  Certs certs;
  CommandResult made = certs.MakeDated("soon", OpensslDate(now - 86400), OpensslDate(not_after));
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ASSERT_EQ(certs.NotAfter("soon"), not_after);  // openssl's own reading agrees
  const int http_port = FreePort();
  OkrdProcess okrd({"--tls-cert", certs.Cert("soon"), "--tls-key", certs.Key("soon"),
                    "--http-listen", "127.0.0.1:" + std::to_string(http_port)},
                   certs.Cert("soon"));
  // One line at level warn (spdlog may spell it "warning").
  const std::string line = LogLine(okrd, "tls.certificate_expires_soon");
  EXPECT_NE(line.find(" warn"), std::string::npos) << line;
  EXPECT_NE(line.find(" days_left=10 "), std::string::npos) << line;
  EXPECT_NE(line.find(" not_after=" + FormatUtc(not_after) + " "), std::string::npos) << line;
  const std::string metrics = GetMetrics(http_port, certs.Cert("soon"));
  ASSERT_EQ(StatusOf(metrics), 200) << metrics;
  EXPECT_EQ(Gauge(metrics, "okr_tls_certificate_expiry_timestamp_seconds"),
            static_cast<double>(not_after));
}

TEST(TlsDiagnostics, CertificateWithMonthsLeftStartsWithoutAWarning) {
  Certs certs;
  ASSERT_EQ(certs.Make("fresh", 90).exit_code, 0);
  OkrdProcess okrd({"--tls-cert", certs.Cert("fresh"), "--tls-key", certs.Key("fresh")},
                   certs.Cert("fresh"));
  const std::string log = ReadAll(okrd.log_path());
  EXPECT_NE(log.find("tls.certificate_loaded"), std::string::npos) << log;
  EXPECT_EQ(log.find("tls.certificate_expires_soon"), std::string::npos) << log;
}

// okrd serves live.{cert,key}.pem; "a" and "b" are two pairs copied over them in turn.
class TlsReload : public ::testing::Test {
 protected:
  TlsReload() {
    EXPECT_EQ(certs_.Make("a", 10).exit_code, 0);
    EXPECT_EQ(certs_.Make("b", 40).exit_code, 0);
    CopyOver(certs_.Cert("a"), certs_.Cert("live"));
    CopyOver(certs_.Key("a"), certs_.Key("live"));
  }

  // A new connection's call, trusting only `ca`'s certificate: it succeeds only when okrd
  // presents that very certificate.
  int CallTrusting(const OkrdProcess& okrd, const std::string& ca) const {
    return RunCommand({OkrctlPath(), "--server", okrd.address(), "--token", okrd.admin_token(),
                       "--tls-ca", ca, "--timeout", "5", "metric", "list"})
        .exit_code;
  }

  Certs certs_;
  const int http_port_ = FreePort();
  const std::vector<std::string> flags_ = {
      "--tls-cert",       certs_.Cert("live"), "--tls-key",
      certs_.Key("live"), "--http-listen",     "127.0.0.1:" + std::to_string(http_port_)};
};

TEST_F(TlsReload, SighupServesTheNewCertificateToNewConnections) {
  OkrdProcess okrd(flags_, certs_.Cert("a"));
  ASSERT_EQ(CallTrusting(okrd, certs_.Cert("a")), 0);
  ASSERT_NE(CallTrusting(okrd, certs_.Cert("b")), 0);  // okrd presents a, not b

  CopyOver(certs_.Cert("b"), certs_.Cert("live"));
  CopyOver(certs_.Key("b"), certs_.Key("live"));
  ASSERT_EQ(::kill(okrd.pid(), SIGHUP), 0);
  EXPECT_TRUE(WaitFor(10, [&] { return CallTrusting(okrd, certs_.Cert("b")) == 0; }));
  EXPECT_NE(CallTrusting(okrd, certs_.Cert("a")), 0);
  // HTTPS too, and the gauge follows.
  const std::string metrics = GetMetrics(http_port_, certs_.Cert("b"));
  ASSERT_EQ(StatusOf(metrics), 200) << metrics;
  EXPECT_EQ(Gauge(metrics, "okr_tls_certificate_expiry_timestamp_seconds"),
            static_cast<double>(certs_.NotAfter("b")));
  EXPECT_EQ(GetMetrics(http_port_, certs_.Cert("a")), "");  // a's handshake fails
}

TEST_F(TlsReload, SighupWithABadPairKeepsTheOldCertificateAndLogsWhy) {
  OkrdProcess okrd(flags_, certs_.Cert("a"));
  auto reload_failures = [&] {
    const std::string log = ReadAll(okrd.log_path());
    size_t count = 0;
    for (size_t at = log.find(" error tls.reload_failed "); at != std::string::npos;
         at = log.find(" error tls.reload_failed ", at + 1)) {
      ++count;
    }
    return count;
  };

  // A file that is no certificate.
  std::ofstream(certs_.Cert("live"), std::ios::trunc) << "half-written\n";
  ASSERT_EQ(::kill(okrd.pid(), SIGHUP), 0);
  ASSERT_TRUE(WaitFor(10, [&] { return reload_failures() == 1; }));
  EXPECT_NE(ReadAll(okrd.log_path())
                .find("--tls-cert " + certs_.Cert("live") + ": not a PEM certificate"),
            std::string::npos);
  EXPECT_EQ(CallTrusting(okrd, certs_.Cert("a")), 0);

  // b's certificate with a's key.
  CopyOver(certs_.Cert("b"), certs_.Cert("live"));
  ASSERT_EQ(::kill(okrd.pid(), SIGHUP), 0);
  ASSERT_TRUE(WaitFor(10, [&] { return reload_failures() == 2; }));
  EXPECT_NE(ReadAll(okrd.log_path()).find("does not match the certificate of --tls-cert"),
            std::string::npos);
  EXPECT_EQ(CallTrusting(okrd, certs_.Cert("a")), 0);
  EXPECT_NE(CallTrusting(okrd, certs_.Cert("b")), 0);
  const std::string metrics = GetMetrics(http_port_, certs_.Cert("a"));
  ASSERT_EQ(StatusOf(metrics), 200) << metrics;
  EXPECT_EQ(Gauge(metrics, "okr_tls_certificate_expiry_timestamp_seconds"),
            static_cast<double>(certs_.NotAfter("a")));
}

TEST(OkrctlCa, CaFileThatCannotBeUsedIsInvalidArgumentBeforeAnyCall) {
  Certs certs;
  const std::string text = certs.Path("notes.txt");
  std::ofstream(text) << "not a certificate\n";
  // Nothing listens there: a call would say UNAVAILABLE.
  const std::string server = "127.0.0.1:" + std::to_string(FreePort());
  CommandResult missing = RunCommand({OkrctlPath(), "--server", server, "--tls-ca",
                                      "/nonexistent/ca.pem", "--timeout", "5", "metric", "list"});
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  EXPECT_NE(missing.err.find("INVALID_ARGUMENT: --tls-ca /nonexistent/ca.pem: no such file"),
            std::string::npos)
      << missing.err;
  CommandResult not_pem = RunCommand(
      {OkrctlPath(), "--server", server, "--tls-ca", text, "--timeout", "5", "metric", "list"});
  EXPECT_EQ(not_pem.exit_code, 3) << not_pem.err;
  EXPECT_NE(not_pem.err.find("--tls-ca " + text + ": not a PEM certificate"), std::string::npos)
      << not_pem.err;
  CommandResult env =
      RunCommand({OkrctlPath(), "--server", server, "--timeout", "5", "metric", "list"},
                 {{"OKR_CA_FILE", "/nonexistent/ca.pem"}});
  EXPECT_EQ(env.exit_code, 3) << env.err;
  EXPECT_NE(env.err.find("OKR_CA_FILE /nonexistent/ca.pem: no such file"), std::string::npos)
      << env.err;
}

TEST(OkrctlCa, OkrCaFileGivesTheCaAndTheFlagBeatsIt) {
  Certs certs;
  ASSERT_EQ(certs.Make("server").exit_code, 0);
  OkrdProcess okrd({"--tls-cert", certs.Cert("server"), "--tls-key", certs.Key("server")},
                   certs.Cert("server"));
  const std::vector<std::string> call = {OkrctlPath(), "--server",         okrd.address(),
                                         "--token",    okrd.admin_token(), "--timeout",
                                         "5",          "metric",           "list"};
  CommandResult from_env = RunCommand(call, {{"OKR_CA_FILE", certs.Cert("server").c_str()}});
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  // --tls-ca wins: the bad file in OKR_CA_FILE is not even read.
  std::vector<std::string> with_flag = call;
  with_flag.insert(with_flag.begin() + 1, {"--tls-ca", certs.Cert("server")});
  CommandResult flag = RunCommand(with_flag, {{"OKR_CA_FILE", "/nonexistent/ca.pem"}});
  EXPECT_EQ(flag.exit_code, 0) << flag.err;
}

}  // namespace
}  // namespace okr::testing
