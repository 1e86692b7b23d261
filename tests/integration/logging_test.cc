// okrd's log (issue 22, item 5), read from a real okrd's stderr: levelled, timestamped lines
// with key=value fields or JSON (--log-format json); one request-log line per finished call,
// unary or streaming, at the level of its code; failed authentications rate-limited per peer.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/fault/fault_client.h"
#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using fault::Connect;
using fault::Context;
using nlohmann::json;

constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "a1,co,agent,Ann,1.0,,\n";

// okrd's log so far, a line each.
std::vector<std::string> LogLines(const OkrdProcess& okrd) {
  std::ifstream in(okrd.log_path());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines that hold `text`.
std::vector<std::string> LinesWith(const OkrdProcess& okrd, const std::string& text) {
  std::vector<std::string> out;
  for (const std::string& line : LogLines(okrd)) {
    if (line.find(text) != std::string::npos) out.push_back(line);
  }
  return out;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// A GetUnit of a unit that does not exist: NOT_FOUND.
void GetMissingUnit(const std::shared_ptr<grpc::Channel>& channel, const std::string& token) {
  v1::GetUnitRequest request;
  request.set_unit_id("nobody");
  v1::Unit unit;
  const grpc::Status status =
      v1::OrgService::NewStub(channel)->GetUnit(Context(token).get(), request, &unit);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
}

// A ListMetrics with `token`; returns its code.
grpc::StatusCode ListMetrics(const std::shared_ptr<grpc::Channel>& channel,
                             const std::string& token) {
  v1::ListMetricsReply reply;
  return v1::MetricService::NewStub(channel)
      ->ListMetrics(Context(token).get(), {}, &reply)
      .error_code();
}

TEST(LogIT, JsonLinesParseAndCarryTimestampLevelAndEvent) {
  // The format from the config file (as every flag may be), the level from the command line.
  char folder[] = "/tmp/okr-log-itestXXXXXX";
  const std::string config = std::string(::mkdtemp(folder)) + "/okrd.conf";
  std::ofstream(config) << "log-format = \"json\"\n";
  OkrdProcess okrd({"--config", config, "--log-level", "debug"});
  auto channel = Connect(okrd.address());
  ASSERT_EQ(ListMetrics(channel, okrd.admin_token()), grpc::StatusCode::OK);
  GetMissingUnit(channel, okrd.admin_token());
  okrd.Stop();

  const std::regex utc_millis(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  const std::vector<std::string> lines = LogLines(okrd);
  ASSERT_FALSE(lines.empty());
  int started = 0, list_ok = 0, get_not_found = 0;
  for (const std::string& line : lines) {
    json object;
    ASSERT_NO_THROW(object = json::parse(line)) << line;
    ASSERT_TRUE(object.is_object()) << line;
    ASSERT_TRUE(object["ts"].is_string()) << line;
    EXPECT_TRUE(std::regex_match(object["ts"].get<std::string>(), utc_millis)) << line;
    ASSERT_TRUE(object["level"].is_string()) << line;
    ASSERT_TRUE(object["event"].is_string()) << line;
    const std::string event = object["event"];
    if (event == "server.started") {
      ++started;
      EXPECT_EQ(object["level"], "info");
      EXPECT_EQ(object["port"], std::stoi(okrd.address().substr(okrd.address().rfind(':') + 1)));
      EXPECT_EQ(object["data_dir"], okrd.data_dir());
    }
    if (event == "grpc.request" && object["method"] == "ListMetrics" && object["code"] == "OK" &&
        object["caller"].get<std::string>().starts_with("admin:")) {
      ++list_ok;  // the harness's readiness probes and ours
      EXPECT_EQ(object["level"], "debug");
      EXPECT_EQ(object["service"], "okr.v1.MetricService");
      EXPECT_TRUE(object["duration_ms"].is_number()) << line;
      EXPECT_TRUE(object["peer"].get<std::string>().starts_with("ipv4:127.0.0.1:")) << line;
    }
    if (event == "grpc.request" && object["method"] == "GetUnit") {
      ++get_not_found;
      EXPECT_EQ(object["code"], "NOT_FOUND");
      EXPECT_EQ(object["level"], "info");
      EXPECT_TRUE(object["error"].is_string()) << line;
    }
  }
  EXPECT_EQ(started, 1);
  EXPECT_GE(list_ok, 1);
  EXPECT_EQ(get_not_found, 1);
  std::filesystem::remove_all(folder);
}

TEST(LogIT, AtInfoTheRequestLogHoldsTheFailedCallOnly) {
  OkrdProcess okrd;
  auto channel = Connect(okrd.address());
  ASSERT_EQ(ListMetrics(channel, okrd.admin_token()), grpc::StatusCode::OK);
  GetMissingUnit(channel, okrd.admin_token());

  const std::vector<std::string> requests = LinesWith(okrd, " grpc.request ");
  ASSERT_EQ(requests.size(), 1u) << Joined(LogLines(okrd));
  const std::regex shape(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info grpc\.request service=okr\.v1\.OrgService )"
      R"(method=GetUnit code=NOT_FOUND duration_ms=[0-9.e-]+ caller=admin:\S+ )"
      R"(peer=ipv4:127\.0\.0\.1:\d+ error=".+")");
  EXPECT_TRUE(std::regex_match(requests[0], shape)) << requests[0];
}

TEST(LogIT, FiftyWrongTokensFromOnePeerGiveOneLineAndTheNextCarriesTheCount) {
  OkrdProcess okrd({"--auth-log-interval-seconds", "3"});
  auto channel = Connect(okrd.address());
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(ListMetrics(channel, "okr_wrong_" + std::to_string(i)),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  const auto answered = std::chrono::steady_clock::now();
  // The first failure was written at once (before okrd answered); the 49 others are counted.
  std::vector<std::string> failed = LinesWith(okrd, " auth.failed ");
  ASSERT_EQ(failed.size(), 1u) << Joined(failed);
  EXPECT_NE(failed[0].find(" warn auth.failed peer=ipv4:127.0.0.1 "
                           "method=/okr.v1.MetricService/ListMetrics "
                           "reason=\"unknown or revoked token\" failures=1 since_last_s=0"),
            std::string::npos)
      << failed[0];
  // UNAUTHENTICATED calls are at debug in the request log: none at info.
  EXPECT_EQ(LinesWith(okrd, " grpc.request ").size(), 0u);

  // Once 3 s have passed since the first line, the next failure writes a line for all 50 since
  // it (the 49 and this one).
  std::this_thread::sleep_until(answered + std::chrono::milliseconds(3100));
  ASSERT_EQ(ListMetrics(channel, ""), grpc::StatusCode::UNAUTHENTICATED);  // no token at all
  failed = LinesWith(okrd, " auth.failed ");
  ASSERT_EQ(failed.size(), 2u) << Joined(failed);
  EXPECT_NE(failed[1].find(" failures=50 since_last_s="), std::string::npos) << failed[1];
}

TEST(LogIT, StreamingCallsAreInTheRequestLog) {
  OkrdProcess okrd({"--log-level", "debug"});
  // ImportUnits, a client stream: OK, by the admin.
  CommandResult imported = okrd.Ctl({"org", "import", okrd.WriteFile("org.csv", kOrg)});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  std::vector<std::string> lines = LinesWith(okrd, " method=ImportUnits ");
  ASSERT_EQ(lines.size(), 1u) << Joined(lines);
  EXPECT_NE(lines[0].find(" debug grpc.request service=okr.v1.OrgService method=ImportUnits "
                          "code=OK duration_ms="),
            std::string::npos)
      << lines[0];
  EXPECT_NE(lines[0].find(" caller=admin:"), std::string::npos) << lines[0];

  // IngestStream without a token: UNAUTHENTICATED, no caller.
  auto channel = Connect(okrd.address());
  auto ctx = Context("");
  auto stream = v1::ActualsService::NewStub(channel)->IngestStream(ctx.get());
  stream->WritesDone();
  ASSERT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  lines = LinesWith(okrd, " method=IngestStream ");
  ASSERT_EQ(lines.size(), 1u) << Joined(lines);
  EXPECT_NE(lines[0].find(" code=UNAUTHENTICATED "), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(" caller=- peer=ipv4:127.0.0.1:"), std::string::npos) << lines[0];
}

TEST(LogIT, ABadLevelOrFormatStopsOkrdNamingTheChoices) {
  CommandResult level =
      RunCommand({OkrdPath(), "--data-dir", "/nonexistent/okr", "--log-level", "verbose"});
  EXPECT_EQ(level.exit_code, 105);  // CLI11's ValidationError, as for any flag that fails its check
  EXPECT_NE(level.err.find("log level 'verbose' is none of debug, info, warn, error, off"),
            std::string::npos)
      << level.err;
  CommandResult format =
      RunCommand({OkrdPath(), "--data-dir", "/nonexistent/okr", "--log-format", "xml"});
  EXPECT_EQ(format.exit_code, 105);
  EXPECT_NE(format.err.find("log format 'xml' is neither text nor json"), std::string::npos)
      << format.err;
}

}  // namespace
}  // namespace okr::testing
