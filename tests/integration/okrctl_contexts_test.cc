// okrctl contexts end to end (docs/okrctl-contexts.md): the real okrctl with XDG_CONFIG_HOME
// in a temp folder, against a real okrd. A context gives the server and the token; --server
// and OKR_SERVER win over it; the config commands need no server; the script completes.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

class OkrctlContextsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char path[] = "/tmp/okr-ctxXXXXXX";
    xdg_ = ::mkdtemp(path);
  }
  void TearDown() override { std::filesystem::remove_all(xdg_); }

  // okrctl with only the given flags: no --server or --token from the harness, and no
  // OKR_SERVER or OKR_TOKEN unless `env` sets them.
  CommandResult Okrctl(const std::vector<std::string>& args, std::vector<EnvVar> env = {}) {
    std::vector<std::string> argv = {OkrctlPath()};
    argv.insert(argv.end(), args.begin(), args.end());
    env.insert(
        env.begin(),
        {{"XDG_CONFIG_HOME", xdg_.c_str()}, {"OKR_SERVER", nullptr}, {"OKR_TOKEN", nullptr}});
    return RunCommand(argv, env);
  }
  std::string config_path() const { return xdg_ + "/okr/config"; }

  std::string xdg_;
};

void ExpectOk(const CommandResult& r) { EXPECT_EQ(r.exit_code, 0) << r.out << r.err; }

TEST_F(OkrctlContextsTest, CurrentContextGivesServerAndToken) {
  OkrdProcess okrd;
  const std::string token_file = okrd.WriteFile("admin.token", okrd.admin_token() + "\n");
  ExpectOk(Okrctl(
      {"config", "set-context", "local", "--server", okrd.address(), "--token-file", token_file}));
  ExpectOk(Okrctl({"config", "use-context", "local"}));
  // No --server, no --token: both from the context (metric list needs a valid token).
  ExpectOk(Okrctl({"metric", "list"}));

  struct stat st {};
  ASSERT_EQ(::stat(config_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  ASSERT_EQ(::stat((xdg_ + "/okr").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700);
}

TEST_F(OkrctlContextsTest, ContextWithoutTokenFileSendsNoToken) {
  OkrdProcess okrd;
  ExpectOk(Okrctl({"config", "set-context", "anon", "--server", okrd.address()}));
  ExpectOk(Okrctl({"config", "use-context", "anon"}));
  CommandResult r = Okrctl({"metric", "list"});
  EXPECT_EQ(r.exit_code, 16) << r.err;  // UNAUTHENTICATED: the server was reached
  EXPECT_NE(r.err.find("UNAUTHENTICATED"), std::string::npos) << r.err;
  // OKR_TOKEN fills in the token; the server still comes from the context.
  ExpectOk(Okrctl({"metric", "list"}, {{"OKR_TOKEN", okrd.admin_token().c_str()}}));
}

TEST_F(OkrctlContextsTest, ServerFlagAndOkrServerBeatTheContext) {
  OkrdProcess okrd;
  const std::string token = okrd.admin_token();
  // The current context points at a port where nothing listens.
  const std::string dead = "127.0.0.1:" + std::to_string(FreePort());
  ExpectOk(Okrctl({"config", "set-context", "dead", "--server", dead}));
  ExpectOk(Okrctl({"config", "use-context", "dead"}));
  CommandResult none = Okrctl({"--token", token, "--timeout", "2", "metric", "list"});
  EXPECT_EQ(none.exit_code, 14) << none.err;  // UNAVAILABLE: the context's server was used

  ExpectOk(Okrctl({"--server", okrd.address(), "--token", token, "metric", "list"}));
  ExpectOk(Okrctl({"--token", token, "metric", "list"}, {{"OKR_SERVER", okrd.address().c_str()}}));
  // --server beats OKR_SERVER.
  ExpectOk(Okrctl({"--server", okrd.address(), "--token", token, "metric", "list"},
                  {{"OKR_SERVER", dead.c_str()}}));
}

TEST_F(OkrctlContextsTest, TokenFileOfAContextIsNotSentToAnotherServer) {
  OkrdProcess okrd;
  const std::string token_file = okrd.WriteFile("admin.token", okrd.admin_token());
  ExpectOk(Okrctl(
      {"config", "set-context", "local", "--server", okrd.address(), "--token-file", token_file}));
  ExpectOk(Okrctl({"config", "use-context", "local"}));
  // The same okrd named by --server: the current context is left out, so no token.
  CommandResult r = Okrctl({"--server", okrd.address(), "metric", "list"});
  EXPECT_EQ(r.exit_code, 16) << r.err;
  // --context opts back in.
  ExpectOk(Okrctl({"--server", okrd.address(), "--context", "local", "metric", "list"}));
}

TEST_F(OkrctlContextsTest, UnknownContextIsNotFound) {
  CommandResult use = Okrctl({"config", "use-context", "nowhere"});
  EXPECT_EQ(use.exit_code, 5) << use.err;  // NOT_FOUND
  EXPECT_NE(use.err.find("NOT_FOUND"), std::string::npos) << use.err;
  EXPECT_NE(use.err.find("'nowhere'"), std::string::npos) << use.err;
  CommandResult flag = Okrctl({"--context", "nowhere", "metric", "list"});
  EXPECT_EQ(flag.exit_code, 5) << flag.err;
  CommandResult del = Okrctl({"config", "delete-context", "nowhere"});
  EXPECT_EQ(del.exit_code, 5) << del.err;
}

TEST_F(OkrctlContextsTest, MissingTokenFileIsAnErrorNamingIt) {
  const std::string missing = xdg_ + "/gone.token";
  ExpectOk(
      Okrctl({"config", "set-context", "x", "--server", "127.0.0.1:1", "--token-file", missing}));
  ExpectOk(Okrctl({"config", "use-context", "x"}));
  CommandResult r = Okrctl({"metric", "list"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find(missing), std::string::npos) << r.err;
}

TEST_F(OkrctlContextsTest, CorruptConfigIsAnErrorNamingTheFile) {
  std::filesystem::create_directories(xdg_ + "/okr");
  { std::ofstream(config_path()) << "{\"contexts\": ["; }
  CommandResult r = Okrctl({"config", "get-contexts"});
  EXPECT_EQ(r.exit_code, 3) << r.err;  // INVALID_ARGUMENT
  EXPECT_NE(r.err.find(config_path()), std::string::npos) << r.err;
}

TEST_F(OkrctlContextsTest, SetContextValidatesAndUpdatesOnlyGivenFields) {
  EXPECT_EQ(Okrctl({"config", "set-context", "bad name", "--server", "h:1"}).exit_code, 3);
  EXPECT_EQ(Okrctl({"config", "set-context", "a", "--server", "no-port"}).exit_code, 3);
  EXPECT_EQ(Okrctl({"config", "set-context", "a"}).exit_code, 3);  // new: needs --server
  // Nothing was written by the refused commands.
  EXPECT_FALSE(std::filesystem::exists(config_path()));

  ExpectOk(Okrctl({"config", "set-context", "a", "--server", "h.example.com:1", "--token-file",
                   "/t/a.token", "--ca-file", "/t/ca.pem"}));
  ExpectOk(Okrctl({"config", "set-context", "a", "--server", "h.example.com:2"}));
  ExpectOk(Okrctl({"config", "set-context", "b", "--server", "[::1]:3"}));
  ExpectOk(Okrctl({"config", "use-context", "b"}));
  CommandResult list = Okrctl({"-o", "json", "config", "get-contexts"});
  ExpectOk(list);
  const nlohmann::json expected = nlohmann::json::parse(R"({
    "current": "b",
    "contexts": [
      {"name": "a", "server": "h.example.com:2", "token_file": "/t/a.token",
       "ca_file": "/t/ca.pem", "current": false},
      {"name": "b", "server": "[::1]:3", "token_file": "", "ca_file": "", "current": true}]})");
  EXPECT_EQ(list.Json(), expected) << list.out;

  // The table: a header and the current one starred.
  CommandResult table = Okrctl({"config", "get-contexts"});
  ExpectOk(table);
  EXPECT_EQ(table.out,
            "CURRENT  NAME  SERVER           TOKEN-FILE  CA-FILE\n"
            "         a     h.example.com:2  /t/a.token  /t/ca.pem\n"
            "*        b     [::1]:3\n");
  CommandResult current = Okrctl({"config", "current-context"});
  EXPECT_EQ(current.out, "b\n");

  // An empty value clears a file; deleting the current context leaves none current.
  ExpectOk(Okrctl({"config", "set-context", "a", "--ca-file", ""}));
  ExpectOk(Okrctl({"config", "delete-context", "b"}));
  list = Okrctl({"config", "get-contexts", "-o", "json"});
  EXPECT_EQ(list.Json()["current"], "");
  ASSERT_EQ(list.Json()["contexts"].size(), 1u);
  EXPECT_EQ(list.Json()["contexts"][0]["ca_file"], "");
  EXPECT_EQ(list.Json()["contexts"][0]["token_file"], "/t/a.token");
  EXPECT_EQ(Okrctl({"config", "current-context"}).exit_code, 5);
}

TEST_F(OkrctlContextsTest, RelativeTokenFileIsStoredAbsolute) {
  // okrctl runs in the test's working folder; the stored path is that folder's.
  ExpectOk(Okrctl({"config", "set-context", "a", "--server", "h:1", "--token-file", "t/a.token"}));
  CommandResult list = Okrctl({"config", "get-contexts", "-o", "json"});
  EXPECT_EQ(list.Json()["contexts"][0]["token_file"],
            (std::filesystem::current_path() / "t" / "a.token").string());
}

// The completion script: valid bash, every top-level command of PRODUCT.md's okrctl contract
// (written out by hand here), the config subcommands, and the context names it offers.
TEST_F(OkrctlContextsTest, BashCompletionScript) {
  CommandResult script = Okrctl({"completion", "bash"});
  ExpectOk(script);
  const std::string path = xdg_ + "/okrctl.bash";
  { std::ofstream(path) << script.out; }
  CommandResult syntax = RunCommand({"/bin/bash", "-n", path});
  EXPECT_EQ(syntax.exit_code, 0) << syntax.err;

  ExpectOk(Okrctl({"config", "set-context", "prod", "--server", "h:1"}));
  ExpectOk(Okrctl({"config", "set-context", "dev", "--server", "h:2"}));
  // COMPREPLY for the words typed so far, one a line, sorted.
  const auto complete = [&](const std::string& words) {
    const std::string code = "source '" + path + "'; COMP_WORDS=(" + words +
                             "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _okrctl; "
                             "printf '%s\\n' \"${COMPREPLY[@]}\" | sort";
    return RunCommand({"/bin/bash", "-c", code},
                      {{"XDG_CONFIG_HOME", xdg_.c_str()}, {"PATH", "/usr/bin:/bin"}});
  };
  const std::string okrctl = std::string("'") + OkrctlPath() + "'";
  CommandResult top = complete(okrctl + " ''");
  ExpectOk(top);
  for (const char* command :
       {"org",      "metric", "target",  "cascade", "hold",    "breakdown", "actuals",
        "progress", "review", "history", "plugin",  "period",  "payouts",   "awards",
        "alerts",   "token",  "explain", "config",  "version", "completion"}) {
    EXPECT_NE(("\n" + top.out).find(std::string("\n") + command + "\n"), std::string::npos)
        << command << " missing from:\n"
        << top.out;
  }
  EXPECT_EQ(complete(okrctl + " config ''").out,
            "current-context\ndelete-context\nget-contexts\nset-context\nuse-context\n");
  EXPECT_EQ(complete(okrctl + " config use-context ''").out, "dev\nprod\n");
  EXPECT_EQ(complete(okrctl + " --context p").out, "prod\n");
  EXPECT_EQ(complete(okrctl + " -o ''").out, "json\ntable\n");
  // A flag's value is skipped on the way to the command: --server's value is no command.
  EXPECT_EQ(complete(okrctl + " --server h:1 config use-context d").out, "dev\n");
  const std::string set_flags = complete(okrctl + " config set-context x --").out;
  for (const char* flag : {"--server", "--token-file", "--ca-file", "--context", "--help"}) {
    EXPECT_NE(("\n" + set_flags).find("\n" + std::string(flag) + "\n"), std::string::npos)
        << flag << set_flags;
  }
  EXPECT_EQ(set_flags.find("--names"), std::string::npos) << set_flags;  // hidden
}

}  // namespace
}  // namespace okr::testing
