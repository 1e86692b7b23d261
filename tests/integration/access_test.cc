// Access: every RPC of okr.v1 has a rule in okr::AccessTable(), and okr::CheckAccess gives
// each role the answer of PRODUCT.md "Access" inside and outside its subtree; then a few
// end-to-end checks through okrctl.
#include <dirent.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "okr/v1/access.pb.h"
#include "okr/v1/actuals.pb.h"
#include "okr/v1/common.pb.h"
#include "okr/v1/explain.pb.h"
#include "okr/v1/metric.pb.h"
#include "okr/v1/org.pb.h"
#include "okr/v1/plan.pb.h"
#include "okr/v1/plugins.pb.h"
#include "okr/v1/progress.pb.h"
#include "okr/v1/review.pb.h"
#include "services/domain/org.h"
#include "services/server/access_policy.h"
#include "services/server/auth.h"
#include "services/server/rpc.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

// The generated code of a proto file registers it in the generated pool only when it is
// linked in; touching one message of each file pulls it out of the static library. A new
// proto file needs a line here (the test below says so).
void LinkApiFiles() {
  for (const google::protobuf::Descriptor* d :
       {v1::CreateTokenRequest::descriptor(), v1::IngestRequest::descriptor(),
        v1::CsvChunk::descriptor(), v1::ExplainRequest::descriptor(),
        v1::DefineMetricRequest::descriptor(), v1::GetUnitRequest::descriptor(),
        v1::SetTargetRequest::descriptor(), v1::ListPluginsRequest::descriptor(),
        v1::ProgressRequest::descriptor(), v1::ProposeRequest::descriptor()}) {
    ASSERT_NE(d, nullptr);
  }
}

// The proto files of the API, found in the source tree next to this test, so that a new
// file (and every service and RPC in it) is covered without editing this list.
std::vector<std::string> ApiProtoFiles() {
  std::string here = __FILE__;  // .../tests/integration/access_test.cc
  const std::string root = here.substr(0, here.rfind("/tests/integration/"));
  const std::string dir = root + "/proto/okr/v1";
  std::vector<std::string> files;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name.size() > 6 && name.substr(name.size() - 6) == ".proto") {
        files.push_back("okr/v1/" + name);
      }
    }
    ::closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Every RPC of every service of okr.v1, as "/okr.v1.Service/Method".
std::vector<const MethodDescriptor*> AllMethods() {
  LinkApiFiles();
  std::vector<const MethodDescriptor*> methods;
  for (const std::string& file_name : ApiProtoFiles()) {
    const FileDescriptor* file = DescriptorPool::generated_pool()->FindFileByName(file_name);
    if (file == nullptr) {
      ADD_FAILURE() << file_name << " is not linked in: add it to LinkApiFiles()";
      continue;
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) methods.push_back(service->method(m));
    }
  }
  return methods;
}

std::string FullName(const MethodDescriptor* method) {
  return "/" + std::string(method->service()->full_name()) + "/" + std::string(method->name());
}

TEST(AccessTable, EveryRpcHasARuleAndEveryRuleAnRpc) {
  const std::vector<std::string> files = ApiProtoFiles();
  ASSERT_GE(files.size(), 9u) << "proto folder not found";
  // The services PRODUCT.md's features need are all there.
  for (const char* service :
       {"okr.v1.OrgService", "okr.v1.MetricService", "okr.v1.TargetService",
        "okr.v1.ActualsService", "okr.v1.ProgressService", "okr.v1.ReviewService",
        "okr.v1.AccessService", "okr.v1.PluginService", "okr.v1.CloseService",
        "okr.v1.AlertService", "okr.v1.ExplainService"}) {
    EXPECT_NE(DescriptorPool::generated_pool()->FindServiceByName(service), nullptr) << service;
  }
  std::set<std::string> rpcs;
  for (const MethodDescriptor* method : AllMethods()) {
    const std::string name = FullName(method);
    rpcs.insert(name);
    EXPECT_TRUE(AccessTable().contains(name)) << "no access rule for " << name;
  }
  EXPECT_GE(rpcs.size(), 40u);
  for (const auto& [name, rule] : AccessTable()) {
    EXPECT_TRUE(rpcs.contains(name)) << "a rule for " << name << ", which is no RPC";
  }
}

// co -> t1 -> g1 -> {a1, a2}
//    -> t2 -> g2 -> {a3}
OrgSnapshot MakeOrg() {
  auto unit = [](std::string id, std::string parent, UnitKind kind) {
    Unit u;
    u.id = std::move(id);
    u.parent_id = std::move(parent);
    u.kind = kind;
    u.name = u.id;
    return u;
  };
  return OrgSnapshot({unit("co", "", UnitKind::kCompany), unit("t1", "co", UnitKind::kTeam),
                      unit("t2", "co", UnitKind::kTeam), unit("g1", "t1", UnitKind::kGroup),
                      unit("g2", "t2", UnitKind::kGroup), unit("a1", "g1", UnitKind::kAgent),
                      unit("a2", "g1", UnitKind::kAgent), unit("a3", "g2", UnitKind::kAgent)});
}

// The rule each RPC should have, by PRODUCT.md:
//   Director: changes to the org, metrics, targets, plans, actuals, plugins config, close.
//   Admin: tokens, loading code into the server, backups (the keys to everything; the
//          admin token is the one okrd creates itself).
//   ReadUnit: reads about a unit: a lead within its subtree, an agent only itself.
//   LeadUnit: proposals: a lead within its subtree; never an agent.
//   Anyone: calls that name no unit (the handler filters or checks the proposal/alert), and
//          kudos (agents give them).
enum class Rule { kDirector, kAdmin, kReadUnit, kLeadUnit, kAnyone };

const std::map<std::string, Rule>& ExpectedRules() {
  static const auto* rules = new std::map<std::string, Rule>{
      {"/okr.v1.OrgService/ImportUnits", Rule::kDirector},
      {"/okr.v1.OrgService/GetUnit", Rule::kReadUnit},
      {"/okr.v1.OrgService/ListSubtree", Rule::kReadUnit},
      {"/okr.v1.OrgService/MoveUnit", Rule::kDirector},
      {"/okr.v1.OrgService/DeactivateUnit", Rule::kDirector},
      {"/okr.v1.MetricService/DefineMetric", Rule::kDirector},
      {"/okr.v1.MetricService/ListMetrics", Rule::kAnyone},
      {"/okr.v1.TargetService/SetTarget", Rule::kDirector},
      {"/okr.v1.TargetService/Cascade", Rule::kDirector},
      {"/okr.v1.TargetService/Hold", Rule::kDirector},
      {"/okr.v1.TargetService/GetBreakdown", Rule::kReadUnit},
      {"/okr.v1.TargetService/History", Rule::kReadUnit},
      {"/okr.v1.ActualsService/Ingest", Rule::kDirector},
      {"/okr.v1.ActualsService/ImportCsv", Rule::kDirector},
      {"/okr.v1.ActualsService/IngestStream", Rule::kDirector},
      {"/okr.v1.ProgressService/GetProgress", Rule::kReadUnit},
      {"/okr.v1.ProgressService/Leaderboard", Rule::kReadUnit},
      {"/okr.v1.ProgressService/Watch", Rule::kReadUnit},
      {"/okr.v1.ReviewService/Propose", Rule::kLeadUnit},
      {"/okr.v1.ReviewService/ListProposals", Rule::kAnyone},
      {"/okr.v1.ReviewService/GetProposal", Rule::kAnyone},
      {"/okr.v1.ReviewService/Approve", Rule::kAnyone},
      {"/okr.v1.ReviewService/Reject", Rule::kAnyone},
      {"/okr.v1.ReviewService/AddComment", Rule::kAnyone},
      {"/okr.v1.AccessService/CreateToken", Rule::kDirector},
      {"/okr.v1.AccessService/ListTokens", Rule::kDirector},
      {"/okr.v1.AccessService/RevokeToken", Rule::kDirector},
      {"/okr.v1.AccessService/WhoAmI", Rule::kAnyone},
      {"/okr.v1.PluginService/ListPlugins", Rule::kDirector},
      {"/okr.v1.PluginService/LoadPlugin", Rule::kDirector},
      {"/okr.v1.PluginService/UnloadPlugin", Rule::kDirector},
      {"/okr.v1.PluginService/ReloadPlugin", Rule::kDirector},
      {"/okr.v1.PluginService/ConfigurePlugin", Rule::kDirector},
      {"/okr.v1.CloseService/ClosePeriod", Rule::kDirector},
      {"/okr.v1.CloseService/ListPayouts", Rule::kReadUnit},
      {"/okr.v1.CloseService/ListAwards", Rule::kReadUnit},
      {"/okr.v1.CloseService/GiveKudos", Rule::kAnyone},
      {"/okr.v1.AlertService/ListAlerts", Rule::kReadUnit},
      {"/okr.v1.AlertService/AckAlert", Rule::kAnyone},
      {"/okr.v1.AlertService/ResolveAlert", Rule::kAnyone},
      {"/okr.v1.AlertService/WatchAlerts", Rule::kReadUnit},
      {"/okr.v1.ExplainService/Explain", Rule::kReadUnit},
      {"/okr.v1.AdminService/Backup", Rule::kDirector},
  };
  return *rules;
}

struct Who {
  std::string label;
  Caller caller;
  std::set<std::string> scope;  // the units it may read (hand-listed from the tree above)
};

std::vector<Who> Callers() {
  auto make = [](std::string label, Role role, std::string unit, std::set<std::string> scope) {
    Caller c;
    c.token_id = label;
    c.role = role;
    c.unit_id = std::move(unit);
    return Who{std::move(label), c, std::move(scope)};
  };
  const std::set<std::string> all = {"co", "t1", "t2", "g1", "g2", "a1", "a2", "a3"};
  return {
      make("admin", Role::kAdmin, "", all),
      make("director", Role::kDirector, "", all),
      make("lead of t1", Role::kLead, "t1", {"t1", "g1", "a1", "a2"}),
      make("lead of t2", Role::kLead, "t2", {"t2", "g2", "a3"}),
      make("agent a1 (self)", Role::kAgent, "a1", {"a1"}),
      make("agent a2 (other)", Role::kAgent, "a2", {"a2"}),
  };
}

// The answer worked out from the rule, the role and whether the unit is in the scope.
absl::StatusCode Expected(Rule rule, const Who& who, const std::string& unit) {
  constexpr auto kOk = absl::StatusCode::kOk;
  constexpr auto kDenied = absl::StatusCode::kPermissionDenied;
  const Role role = who.caller.role;
  const bool privileged = role == Role::kAdmin || role == Role::kDirector;
  switch (rule) {
    case Rule::kAnyone:
      return kOk;
    case Rule::kAdmin:
      return role == Role::kAdmin ? kOk : kDenied;
    case Rule::kDirector:
      return privileged ? kOk : kDenied;
    case Rule::kReadUnit:
      if (privileged || unit.empty()) return kOk;  // no unit: the caller's own scope
      return who.scope.contains(unit) ? kOk : kDenied;
    case Rule::kLeadUnit:
      if (privileged) return kOk;
      return role == Role::kLead && who.scope.contains(unit) ? kOk : kDenied;
  }
  return kDenied;
}

// A representative request of `method` about `unit`: its input message with the unit field
// set (unit_id or to_unit_id), read back the way the server reads it.
std::string RequestUnitOf(const MethodDescriptor* method, const std::string& unit) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(method->input_type());
  std::unique_ptr<google::protobuf::Message> request(prototype->New());
  for (const char* field_name : {"unit_id", "to_unit_id"}) {
    const auto* field = request->GetDescriptor()->FindFieldByName(field_name);
    if (field != nullptr && field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      request->GetReflection()->SetString(request.get(), field, unit);
      break;
    }
  }
  return RequestUnit(*request);
}

TEST(AccessTable, EveryRoleInsideAndOutsideItsSubtree) {
  const OrgSnapshot org = MakeOrg();
  int checked = 0;
  for (const MethodDescriptor* method : AllMethods()) {
    const std::string name = FullName(method);
    auto rule = ExpectedRules().find(name);
    if (rule == ExpectedRules().end()) {
      ADD_FAILURE() << name << ": a new RPC; decide its rule here and in access_policy.cc";
      continue;
    }
    for (const Who& who : Callers()) {
      // a1: inside t1's subtree (and agent a1 itself); a3: inside t2's; g1, t1: mid-tree;
      // co: above every lead.
      for (const std::string unit : {"a1", "a2", "a3", "g1", "t1", "co"}) {
        const std::string requested = RequestUnitOf(method, unit);
        // Requests that name no unit (a proposal or alert id, a token id) carry none.
        EXPECT_TRUE(requested == unit || requested.empty()) << name << " " << requested;
        const absl::Status status = CheckAccess(name, who.caller, requested, org);
        EXPECT_EQ(status.code(), Expected(rule->second, who, requested))
            << name << " by " << who.label << " about '" << requested << "': " << status;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 40 * 6 * 6);
}

// The cases that matter most, spelled out one by one.
TEST(AccessTable, SpelledOutCases) {
  const OrgSnapshot org = MakeOrg();
  std::map<std::string, Caller> callers;
  for (const Who& who : Callers()) callers[who.label] = who.caller;
  struct Case {
    const char* method;
    const char* who;
    const char* unit;
    absl::StatusCode code;
  };
  constexpr auto kOk = absl::StatusCode::kOk;
  constexpr auto kDenied = absl::StatusCode::kPermissionDenied;
  const std::vector<Case> cases = {
      {"/okr.v1.ProgressService/GetProgress", "agent a1 (self)", "a1", kOk},
      {"/okr.v1.ProgressService/GetProgress", "agent a2 (other)", "a1", kDenied},
      {"/okr.v1.ProgressService/GetProgress", "agent a1 (self)", "g1", kDenied},
      {"/okr.v1.ProgressService/GetProgress", "lead of t1", "a1", kOk},
      {"/okr.v1.ProgressService/GetProgress", "lead of t1", "t1", kOk},
      {"/okr.v1.ProgressService/GetProgress", "lead of t1", "co", kDenied},
      {"/okr.v1.ProgressService/GetProgress", "lead of t2", "a1", kDenied},
      {"/okr.v1.ProgressService/GetProgress", "director", "a3", kOk},
      {"/okr.v1.TargetService/Cascade", "lead of t1", "t1", kDenied},
      {"/okr.v1.TargetService/Cascade", "director", "co", kOk},
      {"/okr.v1.TargetService/Hold", "lead of t1", "g1", kDenied},
      {"/okr.v1.TargetService/GetBreakdown", "lead of t1", "g1", kOk},
      {"/okr.v1.TargetService/GetBreakdown", "lead of t2", "g1", kDenied},
      {"/okr.v1.ReviewService/Propose", "lead of t1", "g1", kOk},
      {"/okr.v1.ReviewService/Propose", "lead of t2", "g1", kDenied},
      {"/okr.v1.ReviewService/Propose", "agent a1 (self)", "a1", kDenied},
      {"/okr.v1.ActualsService/ImportCsv", "lead of t1", "", kDenied},
      // PRODUCT.md: admin and director may do everything.
      {"/okr.v1.AccessService/CreateToken", "director", "", kOk},
      {"/okr.v1.AccessService/CreateToken", "lead of t1", "", kDenied},
      {"/okr.v1.AccessService/CreateToken", "admin", "", kOk},
      {"/okr.v1.AccessService/WhoAmI", "agent a2 (other)", "", kOk},
      {"/okr.v1.CloseService/ListPayouts", "agent a1 (self)", "a1", kOk},
      {"/okr.v1.CloseService/ListPayouts", "agent a1 (self)", "a2", kDenied},
      {"/okr.v1.CloseService/GiveKudos", "agent a1 (self)", "a2", kOk},
      {"/okr.v1.NoSuchService/Nothing", "admin", "", kDenied},  // no rule: fails closed
  };
  for (const Case& c : cases) {
    const absl::Status status = CheckAccess(c.method, callers.at(c.who), c.unit, org);
    EXPECT_EQ(status.code(), c.code)
        << c.method << " by " << c.who << " about " << c.unit << ": " << status;
  }
}

// End to end through okrctl.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team one,,,\n"
    "t2,co,team,Team two,,,\n"
    "g1,t1,group,Group one,,,\n"
    "g2,t2,group,Group two,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n"
    "a3,g2,agent,Cid,1.0,,\n";

TEST(AccessEndToEnd, TokensRolesAndScopes) {
  OkrdProcess okrd;
  ASSERT_EQ(okrd.Ctl({"org", "import", okrd.WriteFile("org.csv", kOrg)}).exit_code, 0);
  ASSERT_EQ(okrd.Ctl({"metric", "define", "tickets", "--kind", "count"}).exit_code, 0);
  ASSERT_EQ(okrd.Ctl({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026",
                      "--value", "36500"})
                .exit_code,
            0);
  ASSERT_EQ(
      okrd.Ctl({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"}).exit_code, 0);
  auto token = [&](const std::string& role, const std::string& unit) {
    CommandResult r = okrd.Ctl({"-o", "json", "token", "create", "--role", role, "--unit", unit});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.Json();
  };
  const std::string agent = token("agent", "a1")["token"];
  const std::string lead = token("lead", "t1")["token"];
  auto expect_status = [](const CommandResult& r, const std::string& status) {
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.err.find(status), std::string::npos) << r.err;
  };
  const std::vector<std::string> progress = {"progress", "--metric", "tickets",    "--period",
                                             "2026-01",  "--as-of",  "2026-01-10", "--unit"};
  auto with_unit = [&](const std::string& unit) {
    std::vector<std::string> args = progress;
    args.push_back(unit);
    return args;
  };

  // An agent reads its own progress but not a colleague's.
  CommandResult own = okrd.CtlAs(agent, with_unit("a1"));
  EXPECT_EQ(own.exit_code, 0) << own.err;
  expect_status(okrd.CtlAs(agent, with_unit("a2")), "PERMISSION_DENIED");
  expect_status(okrd.CtlAs(agent, with_unit("g1")), "PERMISSION_DENIED");
  // A lead reads its subtree but cannot cascade, not even its own unit.
  EXPECT_EQ(okrd.CtlAs(lead, with_unit("a2")).exit_code, 0);
  expect_status(okrd.CtlAs(lead, with_unit("a3")), "PERMISSION_DENIED");
  expect_status(
      okrd.CtlAs(lead, {"cascade", "--unit", "t1", "--metric", "tickets", "--year", "2026"}),
      "PERMISSION_DENIED");
  expect_status(okrd.CtlAs(lead, {"token", "create", "--role", "admin"}), "PERMISSION_DENIED");
  // No token, a made-up one.
  expect_status(okrd.CtlAs("", with_unit("a1")), "UNAUTHENTICATED");
  expect_status(okrd.CtlAs("okr_0000", with_unit("a1")), "UNAUTHENTICATED");

  // `org show` as the lead shows t1's subtree only: t1, g1, a1, a2 (depth first by id).
  CommandResult show = okrd.CtlAs(lead, {"-o", "json", "org", "show"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  std::vector<std::string> units;
  const nlohmann::json shown = show.Json();
  for (const auto& u : shown["units"]) units.push_back(u["unit_id"]);
  EXPECT_EQ(units, (std::vector<std::string>{"t1", "g1", "a1", "a2"}));
  expect_status(okrd.CtlAs(lead, {"org", "show", "co"}), "PERMISSION_DENIED");
  expect_status(okrd.CtlAs(lead, {"org", "show", "t2"}), "PERMISSION_DENIED");

  // A revoked token no longer authenticates.
  auto doomed = token("agent", "a2");
  CommandResult before = okrd.CtlAs(doomed["token"], with_unit("a2"));
  EXPECT_EQ(before.exit_code, 0) << before.err;
  CommandResult revoke = okrd.Ctl({"token", "revoke", doomed["token_id"]});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  expect_status(okrd.CtlAs(doomed["token"], with_unit("a2")), "UNAUTHENTICATED");
  // ...also after a restart, while the others still work.
  okrd.Restart();
  expect_status(okrd.CtlAs(doomed["token"], with_unit("a2")), "UNAUTHENTICATED");
  EXPECT_EQ(okrd.CtlAs(agent, with_unit("a1")).exit_code, 0);
}

}  // namespace
}  // namespace okr::testing
