// okrctl's contexts (clients/okrctl/contexts.h): where the file lives, its format and mode,
// what a bad file says, and which server, token and CA a command uses.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "clients/okrctl/contexts.h"
#include "tests/integration/temp_folder.h"

namespace okrctl {
namespace {

namespace fs = std::filesystem;

class OkrctlContextsTest : public ::testing::Test {
 protected:
  void SetUp() override { config_ = (root_ / "xdg" / "okr" / "config").string(); }

  std::string Write(const std::string& name, const std::string& text) {
    const fs::path path = root_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static int Mode(const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  }
  // Two contexts, "prod" current, each with its token file (and prod with a CA).
  void SaveTwoContexts() {
    ContextsFile file;
    file.current = "prod";
    file.contexts.push_back({"prod", "prod.example.com:50051", Write("prod.token", "prod-token\n"),
                             Write("ca.pem", "PEM")});
    file.contexts.push_back({"dev", "127.0.0.1:7000", Write("dev.token", "dev-token"), ""});
    ASSERT_TRUE(SaveContexts(config_, file).ok());
  }

  okr::testing::TempFolder folder_;
  const fs::path root_{folder_.path()};
  std::string config_;
};

TEST(OkrctlConfigPathTest, XdgConfigHomeThenHome) {
  EXPECT_EQ(*ConfigPath("/x/cfg", "/home/me"), "/x/cfg/okr/config");
  EXPECT_EQ(*ConfigPath("", "/home/me"), "/home/me/.config/okr/config");
  EXPECT_EQ(*ConfigPath(nullptr, "/home/me"), "/home/me/.config/okr/config");
  // The XDG spec ignores a relative XDG_CONFIG_HOME.
  EXPECT_EQ(*ConfigPath("rel/cfg", "/home/me"), "/home/me/.config/okr/config");
  EXPECT_EQ(ConfigPath(nullptr, nullptr).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(OkrctlContextNameTest, RejectsEmptyWhitespaceControlAndDash) {
  EXPECT_TRUE(ValidateContextName("prod-eu_1.a").ok());
  for (const char* bad : {"", "two words", "tab\there", "new\nline", "bell\a", "-flag"}) {
    EXPECT_EQ(ValidateContextName(bad).code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ValidateContextName(std::string(101, 'a')).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateContextName(std::string(100, 'a')).ok());
}

TEST(OkrctlServerAddressTest, HostColonPort) {
  for (const char* good : {"127.0.0.1:50051", "okr.example.com:1", "[::1]:65535", "localhost:80"}) {
    EXPECT_TRUE(ValidateServerAddress(good).ok()) << good;
  }
  for (const char* bad : {"", "localhost", ":50051", "host:", "host:0", "host:65536", "host:5a",
                          "ho st:1", "[::1:50051", "host:-1", "host:+80"}) {
    EXPECT_EQ(ValidateServerAddress(bad).code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST_F(OkrctlContextsTest, MissingFileIsNoContexts) {
  absl::StatusOr<ContextsFile> file = LoadContexts(config_);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->current, "");
  EXPECT_TRUE(file->contexts.empty());
}

TEST_F(OkrctlContextsTest, SaveCreatesPrivateFileAndFoldersAndRoundTrips) {
  SaveTwoContexts();
  EXPECT_EQ(Mode(config_), 0600);
  EXPECT_EQ(Mode(root_ / "xdg" / "okr"), 0700);
  EXPECT_EQ(Mode(root_ / "xdg"), 0700);
  // No temp file left beside it.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(root_ / "xdg" / "okr")) ++entries;
  EXPECT_EQ(entries, 1);

  // The documented format, key by key.
  const nlohmann::json doc = nlohmann::json::parse(Read(config_));
  EXPECT_EQ(doc["current_context"], "prod");
  ASSERT_EQ(doc["contexts"].size(), 2u);
  EXPECT_EQ(doc["contexts"][0]["name"], "prod");
  EXPECT_EQ(doc["contexts"][0]["server"], "prod.example.com:50051");
  EXPECT_EQ(doc["contexts"][0]["token_file"], (root_ / "prod.token").string());
  EXPECT_EQ(doc["contexts"][0]["ca_file"], (root_ / "ca.pem").string());
  EXPECT_FALSE(doc["contexts"][1].contains("ca_file"));

  absl::StatusOr<ContextsFile> back = LoadContexts(config_);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->current, "prod");
  ASSERT_EQ(back->contexts.size(), 2u);
  EXPECT_EQ(back->contexts[1].name, "dev");
  EXPECT_EQ(back->contexts[1].server, "127.0.0.1:7000");
  EXPECT_EQ(back->contexts[1].ca_file, "");
}

TEST_F(OkrctlContextsTest, SaveMakesAnExistingLooseFilePrivate) {
  fs::create_directories(root_ / "xdg" / "okr");
  Write("xdg/okr/config", "{}");
  fs::permissions(config_, fs::perms(0644));
  ASSERT_TRUE(SaveContexts(config_, ContextsFile{}).ok());
  EXPECT_EQ(Mode(config_), 0600);
}

TEST_F(OkrctlContextsTest, CorruptFileIsAnErrorNamingIt) {
  fs::create_directories(root_ / "xdg" / "okr");
  for (const char* text :
       {"{not json", "[1, 2]", R"({"contexts": {}})", R"({"contexts": [{"name": "a"}]})",
        R"({"contexts": [{"name": "a b", "server": "h:1"}]})",
        R"({"contexts": [{"name": "a", "server": 7}]})", R"({"current_context": 3})",
        R"({"contexts": [{"name": "a", "server": "h:1"},
                                            {"name": "a", "server": "h:2"}]})"}) {
    Write("xdg/okr/config", text);
    absl::StatusOr<ContextsFile> file = LoadContexts(config_);
    EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(file.status().message().find(config_), std::string::npos) << file.status();
  }
}

TEST_F(OkrctlContextsTest, UnreadableFileIsAnErrorNamingIt) {
  fs::create_directories(config_);  // a folder where the file should be
  absl::StatusOr<ContextsFile> file = LoadContexts(config_);
  EXPECT_EQ(file.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(file.status().message().find(config_), std::string::npos) << file.status();
}

TEST_F(OkrctlContextsTest, TokenFileIsReadWholeWithoutTrailingWhitespace) {
  EXPECT_EQ(*ReadTokenFile(Write("t1", "abc.def\r\n \t\n")), "abc.def");
  EXPECT_EQ(*ReadTokenFile(Write("t2", "  lead")), "  lead");
  EXPECT_EQ(ReadTokenFile(Write("t3", " \n")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const std::string missing = (root_ / "nope.token").string();
  absl::StatusOr<std::string> none = ReadTokenFile(missing);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(none.status().message().find(missing), std::string::npos) << none.status();
}

// ---- Precedence: server, token and CA, value by value ----

TEST_F(OkrctlContextsTest, NoFlagsNoEnvNoContextIsTheDefault) {
  absl::StatusOr<Connection> c = ResolveConnection({}, config_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "127.0.0.1:50051");
  EXPECT_EQ(c->token, "");
  EXPECT_EQ(c->tls_ca, "");
  EXPECT_EQ(c->context, "");
}

TEST_F(OkrctlContextsTest, CurrentContextGivesServerTokenAndCa) {
  SaveTwoContexts();
  absl::StatusOr<Connection> c = ResolveConnection({}, config_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "prod.example.com:50051");
  EXPECT_EQ(c->token, "prod-token");
  EXPECT_EQ(c->tls_ca, (root_ / "ca.pem").string());
  EXPECT_EQ(c->context, "prod");
}

TEST_F(OkrctlContextsTest, TokenFlagThenEnvBeatTheContextsTokenFile) {
  SaveTwoContexts();
  ConnectionInputs in;
  in.token_env = "env-token";
  EXPECT_EQ(ResolveConnection(in, config_)->token, "env-token");
  EXPECT_EQ(ResolveConnection(in, config_)->server, "prod.example.com:50051");
  in.token_flag = "flag-token";
  EXPECT_EQ(ResolveConnection(in, config_)->token, "flag-token");
}

TEST_F(OkrctlContextsTest, TlsCaFlagBeatsTheContextsCaFile) {
  SaveTwoContexts();
  ConnectionInputs in;
  in.tls_ca_flag = "/etc/other-ca.pem";
  EXPECT_EQ(ResolveConnection(in, config_)->tls_ca, "/etc/other-ca.pem");
}

TEST_F(OkrctlContextsTest, TlsCaFlagThenOkrCaFileBeatTheContextsCaFile) {
  SaveTwoContexts();
  ConnectionInputs in;
  in.tls_ca_env = "/etc/env-ca.pem";
  absl::StatusOr<Connection> c = ResolveConnection(in, config_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->tls_ca, "/etc/env-ca.pem");
  EXPECT_EQ(c->tls_ca_source, "OKR_CA_FILE");
  EXPECT_EQ(c->token, "prod-token");  // the context still gives what the environment does not
  in.tls_ca_flag = "/etc/flag-ca.pem";
  c = ResolveConnection(in, config_);
  EXPECT_EQ(c->tls_ca, "/etc/flag-ca.pem");
  EXPECT_EQ(c->tls_ca_source, "--tls-ca");
  // Without either, the context's, named as such.
  c = ResolveConnection({}, config_);
  EXPECT_EQ(c->tls_ca_source, "context 'prod' ca-file");
}

TEST_F(OkrctlContextsTest, CaFileMustHoldPemCertificates) {
  const std::string missing = (root_ / "none.pem").string();
  absl::Status none = CheckCaFile(missing, "--tls-ca");
  EXPECT_EQ(none.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(none.message(), "--tls-ca " + missing + ": no such file");
  const std::string text = Write("text.pem", "PEM");
  absl::Status not_pem = CheckCaFile(text, "OKR_CA_FILE");
  EXPECT_EQ(not_pem.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(not_pem.message(),
            "OKR_CA_FILE " + text +
                ": not a PEM certificate (no block starting -----BEGIN CERTIFICATE----- parses)");
  const std::string key =
      Write("key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  EXPECT_EQ(CheckCaFile(key, "--tls-ca").message(),
            "--tls-ca " + key + ": holds a private key, not a CA certificate");
}

TEST_F(OkrctlContextsTest, ServerFlagThenEnvBeatTheContextAndLeaveItOut) {
  SaveTwoContexts();
  ConnectionInputs in;
  in.server_env = "env.example.com:1";
  absl::StatusOr<Connection> c = ResolveConnection(in, config_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "env.example.com:1");
  // prod's token and CA are never sent to a server other than prod's.
  EXPECT_EQ(c->token, "");
  EXPECT_EQ(c->tls_ca, "");
  EXPECT_EQ(c->context, "");
  in.server_flag = "flag.example.com:2";
  EXPECT_EQ(ResolveConnection(in, config_)->server, "flag.example.com:2");
}

TEST_F(OkrctlContextsTest, ServerGivenDoesNotReadTheConfigFile) {
  fs::create_directories(root_ / "xdg" / "okr");
  Write("xdg/okr/config", "{corrupt");
  ConnectionInputs in;
  in.server_flag = "h:1";
  absl::StatusOr<Connection> c = ResolveConnection(in, config_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "h:1");
  // Without a server given, the same file is an error.
  EXPECT_EQ(ResolveConnection({}, config_).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(OkrctlContextsTest, ContextFlagPicksAnotherContextEvenWithAServerGiven) {
  SaveTwoContexts();
  ConnectionInputs in;
  in.context_flag = "dev";
  absl::StatusOr<Connection> c = ResolveConnection(in, config_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "127.0.0.1:7000");
  EXPECT_EQ(c->token, "dev-token");
  EXPECT_EQ(c->tls_ca, "");
  // A replica of dev's server: dev's token, the given server.
  in.server_flag = "127.0.0.1:7001";
  c = ResolveConnection(in, config_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "127.0.0.1:7001");
  EXPECT_EQ(c->token, "dev-token");
}

TEST_F(OkrctlContextsTest, UnknownContextIsNotFound) {
  SaveTwoContexts();
  ConnectionInputs in;
  in.context_flag = "staging";
  absl::StatusOr<Connection> c = ResolveConnection(in, config_);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find("'staging'"), std::string::npos) << c.status();
}

TEST_F(OkrctlContextsTest, MissingTokenFileOfTheContextIsAnErrorNamingIt) {
  ContextsFile file;
  file.current = "prod";
  const std::string missing = (root_ / "gone.token").string();
  file.contexts.push_back({"prod", "h:1", missing, ""});
  ASSERT_TRUE(SaveContexts(config_, file).ok());
  absl::StatusOr<Connection> c = ResolveConnection({}, config_);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find(missing), std::string::npos) << c.status();
  // A token given another way does not need the file.
  ConnectionInputs in;
  in.token_env = "t";
  EXPECT_TRUE(ResolveConnection(in, config_).ok());
}

TEST_F(OkrctlContextsTest, MissingCaFileOfTheContextIsAnErrorNamingIt) {
  ContextsFile file;
  file.current = "prod";
  const std::string missing = (root_ / "gone.pem").string();
  file.contexts.push_back({"prod", "h:1", "", missing});
  ASSERT_TRUE(SaveContexts(config_, file).ok());
  absl::StatusOr<Connection> c = ResolveConnection({}, config_);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find(missing), std::string::npos) << c.status();
}

}  // namespace
}  // namespace okrctl
