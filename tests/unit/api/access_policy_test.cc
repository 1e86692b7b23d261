// The access table (services/core/access_policy.cc): every RPC of every okr.v1 service has
// one row, and CheckAccess gives every role the answer of PRODUCT.md "Access" and "Review" for
// a unit, proposal or alert of its own unit, inside its subtree, outside it, and for a request
// that names none. The expected answers are a hand-written table, not derived from the code.
#include "services/core/access_policy.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "okr/v1/access.grpc.pb.h"
#include "okr/v1/actuals.grpc.pb.h"
#include "okr/v1/explain.grpc.pb.h"
#include "okr/v1/metric.grpc.pb.h"
#include "okr/v1/org.grpc.pb.h"
#include "okr/v1/plan.grpc.pb.h"
#include "okr/v1/plugins.grpc.pb.h"
#include "okr/v1/progress.grpc.pb.h"
#include "okr/v1/review.grpc.pb.h"
#include "services/api/rpc.h"
#include "services/core/tokens.h"
#include "services/domain/org.h"

namespace okr {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

// ---------------------------------------------------------------------------------------------
// Every RPC.
// ---------------------------------------------------------------------------------------------

// Every service of the API, by its generated name. A service added to one of these proto files
// is caught below (every service of each file must be listed); a new proto file is caught by
// the folder scan.
std::vector<std::string> ServiceNames() {
  return {
      std::string(v1::OrgService::service_full_name()),
      std::string(v1::MetricService::service_full_name()),
      std::string(v1::TargetService::service_full_name()),
      std::string(v1::ActualsService::service_full_name()),
      std::string(v1::ProgressService::service_full_name()),
      std::string(v1::ReviewService::service_full_name()),
      std::string(v1::AccessService::service_full_name()),
      std::string(v1::PluginService::service_full_name()),
      std::string(v1::CloseService::service_full_name()),
      std::string(v1::AlertService::service_full_name()),
      std::string(v1::ExplainService::service_full_name()),
      std::string(v1::AdminService::service_full_name()),
  };
}

// The proto files of the API in the source tree, "okr/v1/NAME.proto".
std::vector<std::string> ApiProtoFiles() {
  // __FILE__ is .../tests/unit/access_policy_test.cc; with ccache's base_dir it is relative to
  // the build folder, which is the parent of this binary's folder (build/tests/).
  std::string here = __FILE__;
  if (!here.starts_with("/")) {
    char exe[4096] = {};
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    std::string build = n > 0 ? std::string(exe, static_cast<size_t>(n)) : ".";
    build = build.substr(0, build.rfind('/'));  // build/tests
    build = build.substr(0, build.rfind('/'));  // build
    here = build + "/" + here;
  }
  const std::string dir = here.substr(0, here.rfind("/tests/unit/")) + "/proto/okr/v1";
  std::vector<std::string> files;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name.size() > 6 && name.ends_with(".proto")) files.push_back("okr/v1/" + name);
    }
    ::closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The generated code of a proto file registers its services in the generated pool only when
// it is linked in; touching one message of each file pulls it out of the static library.
void LinkApiFiles() {
  for (const google::protobuf::Descriptor* d :
       {v1::CreateTokenRequest::descriptor(), v1::IngestRequest::descriptor(),
        v1::ExplainRequest::descriptor(), v1::DefineMetricRequest::descriptor(),
        v1::GetUnitRequest::descriptor(), v1::SetTargetRequest::descriptor(),
        v1::ListPluginsRequest::descriptor(), v1::ProgressRequest::descriptor(),
        v1::ProposeRequest::descriptor()}) {
    ASSERT_NE(d, nullptr);
  }
}

std::vector<const MethodDescriptor*> AllMethods() {
  LinkApiFiles();
  std::vector<const MethodDescriptor*> methods;
  for (const std::string& name : ServiceNames()) {
    const ServiceDescriptor* service = DescriptorPool::generated_pool()->FindServiceByName(name);
    if (service == nullptr) {
      ADD_FAILURE() << "no service " << name;
      continue;
    }
    for (int m = 0; m < service->method_count(); ++m) methods.push_back(service->method(m));
  }
  return methods;
}

std::string FullName(const MethodDescriptor* method) {
  return "/" + std::string(method->service()->full_name()) + "/" + std::string(method->name());
}

TEST(AccessTable, EveryServiceIsListed) {
  LinkApiFiles();
  const std::vector<std::string> listed = ServiceNames();
  std::set<std::string> files_of_listed;
  for (const std::string& name : listed) {
    const ServiceDescriptor* service = DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    const google::protobuf::FileDescriptor* file = service->file();
    files_of_listed.insert(std::string(file->name()));
    for (int s = 0; s < file->service_count(); ++s) {
      const std::string sibling(file->service(s)->full_name());
      EXPECT_NE(std::find(listed.begin(), listed.end(), sibling), listed.end())
          << sibling << " (in " << file->name() << ") is not in ServiceNames()";
    }
  }
  // A proto file with services that none of the listed ones is in.
  const std::vector<std::string> files = ApiProtoFiles();
  ASSERT_GE(files.size(), 9u) << "proto folder not found";
  for (const std::string& file : files) {
    if (file == "okr/v1/common.proto") continue;  // messages only
    EXPECT_TRUE(files_of_listed.contains(file)) << file << ": list its services in ServiceNames()";
  }
}

TEST(AccessTable, EveryRpcHasARuleAndEveryRuleAnRpc) {
  std::set<std::string> rpcs;
  for (const MethodDescriptor* method : AllMethods()) {
    rpcs.insert(FullName(method));
    EXPECT_TRUE(AccessTable().contains(FullName(method)))
        << "no access rule for " << FullName(method);
  }
  EXPECT_GE(rpcs.size(), 43u);
  for (const auto& [name, rule] : AccessTable()) {
    EXPECT_TRUE(rpcs.contains(name)) << "a rule for " << name << ", which is no RPC";
  }
}

// ---------------------------------------------------------------------------------------------
// The org, the stored proposals and alerts, the callers.
// ---------------------------------------------------------------------------------------------

// co -> t1 -> g1 -> {a1, a2}
//    -> t2 -> g2 -> {a3}
// g3 hangs below t1 until 2026-06-30 and below t2 from 2026-07-01; a4 is its agent.
OrgSnapshot MakeOrg() {
  auto unit = [](std::string id, std::string parent, UnitKind kind) {
    Unit u;
    u.id = std::move(id);
    u.parent_id = std::move(parent);
    u.kind = kind;
    u.name = u.id;
    return u;
  };
  Unit g3 = unit("g3", "t1", UnitKind::kGroup);
  g3.moves.push_back(Move{Date{2026, 7, 1}, "t2"});
  return OrgSnapshot({unit("co", "", UnitKind::kCompany), unit("t1", "co", UnitKind::kTeam),
                      unit("t2", "co", UnitKind::kTeam), unit("g1", "t1", UnitKind::kGroup),
                      unit("g2", "t2", UnitKind::kGroup), g3, unit("a1", "g1", UnitKind::kAgent),
                      unit("a2", "g1", UnitKind::kAgent), unit("a3", "g2", UnitKind::kAgent),
                      unit("a4", "g3", UnitKind::kAgent)});
}

// Proposals and alerts as the store would answer. For the table test there is one proposal
// and one alert about each unit: the proposal about a group or team made by that unit's lead
// (a redistribution of its own month), about an agent by its group's lead (a change of the
// agent's month), about co by a director.
class FakeResolver final : public AccessResolver {
 public:
  FakeResolver() {
    Add(1, "co", "");
    Add(2, "t1", "t1");
    Add(3, "g1", "g1");
    Add(4, "a1", "g1");
    Add(5, "a2", "g1");
    Add(6, "a3", "g2");
    Add(7, "g2", "g2");
    Add(8, "t2", "t2");
    // g3's proposals, before and after its move (spelled-out cases).
    Add(20, "a4", "g3", Date{2026, 3, 1});
    Add(21, "a4", "g3", Date{2026, 9, 1});
    // A proposal about g1 made by a director.
    Add(30, "g1", "");
  }
  static int64_t ProposalAbout(const std::string& unit) {
    static const std::map<std::string, int64_t> ids = {{"co", 1}, {"t1", 2}, {"g1", 3}, {"a1", 4},
                                                       {"a2", 5}, {"a3", 6}, {"g2", 7}, {"t2", 8}};
    return ids.at(unit);
  }
  static std::string AlertAbout(const std::string& unit) { return "A-" + unit; }

  absl::StatusOr<ProposalFacts> Proposal(int64_t id) const override {
    auto it = proposals_.find(id);
    if (it == proposals_.end()) return absl::NotFoundError("no proposal #" + std::to_string(id));
    return it->second;
  }
  absl::StatusOr<std::string> AlertUnit(std::string_view alert_id) const override {
    if (!alert_id.starts_with("A-") || alert_id.size() < 3) {
      return absl::NotFoundError("no alert '" + std::string(alert_id) + "'");
    }
    return std::string(alert_id.substr(2));
  }

 private:
  void Add(int64_t id, std::string unit, std::string proposer, Date month = Date{2026, 1, 1}) {
    proposals_[id] = ProposalFacts{std::move(unit), std::move(proposer), month};
  }
  std::map<int64_t, ProposalFacts> proposals_;
};

Caller MakeCaller(Role role, std::string unit) {
  Caller c;
  c.token_id = std::string(RoleName(role)) + "-" + unit;
  c.role = role;
  c.unit_id = std::move(unit);
  return c;
}

// The callers of the table test, and the units that are, for each, its own unit, one inside
// its subtree and one outside it. Admin and director have no unit of their own; they get the
// lead's units (they may do everything anyway). An agent has nothing below itself: its
// "inside" is not tested, and its "outside" is a colleague of its group.
struct Who {
  std::string label;
  Caller caller;
  std::string own, inside, outside;  // "" where not tested
};

std::vector<Who> Callers() {
  return {
      {"admin", MakeCaller(Role::kAdmin, ""), "g1", "a1", "a3"},
      {"director", MakeCaller(Role::kDirector, ""), "g1", "a1", "a3"},
      {"lead of g1", MakeCaller(Role::kLead, "g1"), "g1", "a1", "a3"},
      {"lead of t1", MakeCaller(Role::kLead, "t1"), "t1", "g1", "a3"},
      {"agent a1", MakeCaller(Role::kAgent, "a1"), "a1", "", "a2"},
  };
}

// ---------------------------------------------------------------------------------------------
// The expected answers.
// ---------------------------------------------------------------------------------------------

// One string per caller of Callers(), in order; each char is the answer for the scopes
// own, inside, outside, none: '+' allowed, '-' PERMISSION_DENIED, '.' not tested.
using Expected = std::array<const char*, 5>;

// clang-format off
//                                   admin   director lead g1  lead t1  agent a1
// Director and admin only.
constexpr Expected kDirectorOnly   = {"++++", "++++", "----", "----", "-.--"};
// Any token (metric definitions, the caller's own token).
constexpr Expected kAnyToken       = {"++++", "++++", "++++", "++++", "+.++"};
// A read about one named unit: a lead in its subtree, an agent itself; none named: denied.
constexpr Expected kReadNamedUnit  = {"++++", "++++", "++--", "++--", "+.--"};
// A list within a unit: none named is the caller's own unit.
constexpr Expected kReadList       = {"++++", "++++", "++-+", "++-+", "+.-+"};
// Proposing: a lead in its subtree; never an agent.
constexpr Expected kPropose        = {"++++", "++++", "++--", "++--", "-.--"};
// The plugin configs that apply to a unit: a lead in its subtree; never an agent.
constexpr Expected kLeadReadsUnit  = {"++++", "++++", "++--", "++--", "-.--"};
// The proposal list: as proposing, none named is the lead's own unit.
constexpr Expected kProposalList   = {"++++", "++++", "++-+", "++-+", "-.--"};
// Reading or commenting on a proposal (about g1 / a1 / a3 for the lead of g1; about t1 / g1
// / a3 for the lead of t1): a lead whose subtree holds its unit.
constexpr Expected kProposalRead   = {"++++", "++++", "++--", "++--", "-.--"};
// Deciding: g1's own proposal (by g1), a1's (by g1: the issue-19 case), a3's (by g2): the lead
// of g1 decides none of them; the lead of t1 may decide g1's (g1 is below t1) but not t1's
// own, nor a3's (t2's subtree).
constexpr Expected kProposalDecide = {"++++", "++++", "----", "-+--", "-.--"};
// Acting on an alert: a lead whose subtree holds the alert's unit; never an agent.
constexpr Expected kAlertAct       = {"++++", "++++", "++--", "++--", "-.--"};
// Kudos: a lead to a unit in its subtree; an agent to a colleague (a2), never to itself.
constexpr Expected kKudos          = {"++++", "++++", "++--", "++--", "-.+-"};
// clang-format on

const std::map<std::string, Expected>& ExpectedAnswers() {
  static const auto* table = new std::map<std::string, Expected>{
      {"/okr.v1.OrgService/ImportUnits", kDirectorOnly},
      {"/okr.v1.OrgService/GetUnit", kReadNamedUnit},
      {"/okr.v1.OrgService/ListSubtree", kReadList},
      {"/okr.v1.OrgService/MoveUnit", kDirectorOnly},
      {"/okr.v1.OrgService/DeactivateUnit", kDirectorOnly},
      {"/okr.v1.MetricService/DefineMetric", kDirectorOnly},
      {"/okr.v1.MetricService/ListMetrics", kAnyToken},
      {"/okr.v1.TargetService/SetTarget", kDirectorOnly},
      {"/okr.v1.TargetService/Cascade", kDirectorOnly},
      {"/okr.v1.TargetService/Hold", kDirectorOnly},
      {"/okr.v1.TargetService/GetBreakdown", kReadNamedUnit},
      {"/okr.v1.TargetService/History", kReadList},
      {"/okr.v1.TargetService/CheckPlans", kReadList},
      {"/okr.v1.ActualsService/Ingest", kDirectorOnly},
      {"/okr.v1.ActualsService/ImportCsv", kDirectorOnly},
      {"/okr.v1.ActualsService/IngestStream", kDirectorOnly},
      {"/okr.v1.ActualsService/DeleteEvent", kDirectorOnly},
      {"/okr.v1.ProgressService/GetProgress", kReadNamedUnit},
      {"/okr.v1.ProgressService/Leaderboard", kReadNamedUnit},
      {"/okr.v1.ProgressService/Watch", kReadNamedUnit},
      {"/okr.v1.ReviewService/Propose", kPropose},
      {"/okr.v1.ReviewService/ListProposals", kProposalList},
      {"/okr.v1.ReviewService/GetProposal", kProposalRead},
      {"/okr.v1.ReviewService/Approve", kProposalDecide},
      {"/okr.v1.ReviewService/Reject", kProposalDecide},
      {"/okr.v1.ReviewService/AddComment", kProposalRead},
      {"/okr.v1.AccessService/CreateToken", kDirectorOnly},
      {"/okr.v1.AccessService/ListTokens", kDirectorOnly},
      {"/okr.v1.AccessService/RevokeToken", kDirectorOnly},
      {"/okr.v1.AccessService/WhoAmI", kAnyToken},
      {"/okr.v1.PluginService/ListPlugins", kDirectorOnly},
      {"/okr.v1.PluginService/LoadPlugin", kDirectorOnly},
      {"/okr.v1.PluginService/UnloadPlugin", kDirectorOnly},
      {"/okr.v1.PluginService/ReloadPlugin", kDirectorOnly},
      {"/okr.v1.PluginService/ConfigurePlugin", kDirectorOnly},
      {"/okr.v1.PluginService/GetPluginConfig", kLeadReadsUnit},
      {"/okr.v1.CloseService/ClosePeriod", kDirectorOnly},
      {"/okr.v1.CloseService/ListPayouts", kReadList},
      {"/okr.v1.CloseService/ListAwards", kReadList},
      {"/okr.v1.CloseService/GiveKudos", kKudos},
      {"/okr.v1.CloseService/ListKudos", kReadList},
      {"/okr.v1.AlertService/ListAlerts", kReadList},
      {"/okr.v1.AlertService/AckAlert", kAlertAct},
      {"/okr.v1.AlertService/ResolveAlert", kAlertAct},
      {"/okr.v1.AlertService/WatchAlerts", kReadList},
      {"/okr.v1.ExplainService/Explain", kReadNamedUnit},
      {"/okr.v1.AdminService/Backup", kDirectorOnly},
  };
  return *table;
}

// A request of `method` about `unit`, built from its input message: every field that names a
// unit, a proposal or an alert is set to the one of `unit` (none when `unit` is empty), then
// read back the way the edge reads it.
AccessTarget TargetOf(const MethodDescriptor* method, const std::string& unit) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(method->input_type());
  std::unique_ptr<google::protobuf::Message> request(prototype->New());
  if (!unit.empty()) {
    const google::protobuf::Descriptor* d = request->GetDescriptor();
    const google::protobuf::Reflection* r = request->GetReflection();
    for (const char* name : {"unit_id", "to_unit_id"}) {
      if (const auto* f = d->FindFieldByName(name)) r->SetString(request.get(), f, unit);
    }
    if (const auto* f = d->FindFieldByName("proposal_id")) {
      r->SetInt64(request.get(), f, FakeResolver::ProposalAbout(unit));
    }
    if (const auto* f = d->FindFieldByName("alert_id")) {
      r->SetString(request.get(), f, FakeResolver::AlertAbout(unit));
    }
  }
  return RequestTarget(*request);
}

TEST(AccessTable, EveryRpcEveryRoleEveryScope) {
  const OrgSnapshot org = MakeOrg();
  const FakeResolver resolver;
  int checked = 0;
  for (const MethodDescriptor* method : AllMethods()) {
    const std::string name = FullName(method);
    auto expected = ExpectedAnswers().find(name);
    if (expected == ExpectedAnswers().end()) {
      ADD_FAILURE() << name << ": a new RPC; decide its rule here and in access_policy.cc";
      continue;
    }
    const std::vector<Who> callers = Callers();
    for (size_t c = 0; c < callers.size(); ++c) {
      const Who& who = callers[c];
      const std::string answers = expected->second[c];
      ASSERT_EQ(answers.size(), 4u) << name;
      const std::string units[4] = {who.own, who.inside, who.outside, ""};
      const char* scopes[4] = {"own unit", "inside", "outside", "no unit"};
      for (int s = 0; s < 4; ++s) {
        if (answers[s] == '.') continue;
        ASSERT_TRUE(s == 3 || !units[s].empty()) << who.label << " has no " << scopes[s];
        const absl::Status status =
            CheckAccess(name, who.caller, TargetOf(method, units[s]), org, &resolver);
        const absl::StatusCode want =
            answers[s] == '+' ? absl::StatusCode::kOk : absl::StatusCode::kPermissionDenied;
        EXPECT_EQ(status.code(), want) << name << " by " << who.label << ", " << scopes[s] << " ('"
                                       << units[s] << "'): " << status;
        ++checked;
      }
    }
  }
  // Every RPC x (4 + 4 + 4 + 4 + 3) cases (an agent has no "inside").
  EXPECT_EQ(checked, static_cast<int>(ExpectedAnswers().size()) * 19);
}

// ---------------------------------------------------------------------------------------------
// The cases that matter most, spelled out one by one.
// ---------------------------------------------------------------------------------------------

TEST(AccessTable, ApprovalNeedsALeadStrictlyAboveTheProposer) {
  const OrgSnapshot org = MakeOrg();
  const FakeResolver resolver;
  auto decide = [&](const Caller& caller, int64_t proposal) {
    AccessTarget target;
    target.proposal_id = proposal;
    return CheckAccess("/okr.v1.ReviewService/Approve", caller, target, org, &resolver).code();
  };
  auto reject = [&](const Caller& caller, int64_t proposal) {
    AccessTarget target;
    target.proposal_id = proposal;
    return CheckAccess("/okr.v1.ReviewService/Reject", caller, target, org, &resolver).code();
  };
  constexpr auto kOk = absl::StatusCode::kOk;
  constexpr auto kDenied = absl::StatusCode::kPermissionDenied;
  // Issue 19: the lead of g1 proposed a change of a1's month (#4); a second token of g1's lead
  // is a token of the proposer's own unit: it neither approves nor rejects.
  Caller second_g1 = MakeCaller(Role::kLead, "g1");
  second_g1.token_id = "another-g1-token";
  EXPECT_EQ(decide(second_g1, 4), kDenied);
  EXPECT_EQ(reject(second_g1, 4), kDenied);
  // Above g1: t1 and co, at any height. Beside or elsewhere: g2, t2. Below: the agent.
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "t1"), 4), kOk);
  EXPECT_EQ(reject(MakeCaller(Role::kLead, "t1"), 4), kOk);
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "co"), 4), kOk);
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "g2"), 4), kDenied);
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "t2"), 4), kDenied);
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "a1"), 4), kDenied);
  EXPECT_EQ(decide(MakeCaller(Role::kAgent, "a1"), 4), kDenied);
  EXPECT_EQ(decide(MakeCaller(Role::kDirector, ""), 4), kOk);
  EXPECT_EQ(decide(MakeCaller(Role::kAdmin, ""), 4), kOk);
  // A proposal made by a director (#30, about g1): no lead is above a director.
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "t1"), 30), kDenied);
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "co"), 30), kDenied);
  EXPECT_EQ(decide(MakeCaller(Role::kDirector, ""), 30), kOk);
  // g3 moved from t1 to t2 on 2026-07-01: the tree of the month under review decides.
  // March (#20): t1 is above g3, t2 is not; September (#21): the other way round.
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "t1"), 20), kOk);
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "t2"), 20), kDenied);
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "t1"), 21), kDenied);
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "t2"), 21), kOk);
  // A proposal that does not exist: a lead learns so; director+ pass to the handler (which
  // says NOT_FOUND too).
  EXPECT_EQ(decide(MakeCaller(Role::kLead, "t1"), 999), absl::StatusCode::kNotFound);
  EXPECT_EQ(decide(MakeCaller(Role::kDirector, ""), 999), kOk);
  // No resolver at hand: a rule that needs one fails closed.
  AccessTarget target;
  target.proposal_id = 4;
  EXPECT_EQ(CheckAccess("/okr.v1.ReviewService/Approve", MakeCaller(Role::kLead, "t1"), target, org,
                        nullptr)
                .code(),
            kDenied);
  // The message says who may.
  const absl::Status denied = CheckAccess("/okr.v1.ReviewService/Approve", second_g1,
                                          AccessTarget{"", 4, ""}, org, &resolver);
  EXPECT_EQ(denied.message(),
            "lead token of 'g1' may not decide on proposal #4, proposed by 'g1': only a director "
            "or a lead of a unit above 'g1' may");
}

TEST(AccessTable, SpelledOutCases) {
  const OrgSnapshot org = MakeOrg();
  const FakeResolver resolver;
  struct Case {
    const char* method;
    Caller caller;
    AccessTarget target;
    absl::StatusCode code;
  };
  constexpr auto kOk = absl::StatusCode::kOk;
  constexpr auto kDenied = absl::StatusCode::kPermissionDenied;
  constexpr auto kNotFound = absl::StatusCode::kNotFound;
  const Caller admin = MakeCaller(Role::kAdmin, "");
  const Caller director = MakeCaller(Role::kDirector, "");
  const Caller lead_t1 = MakeCaller(Role::kLead, "t1");
  const Caller lead_t2 = MakeCaller(Role::kLead, "t2");
  const Caller agent_a1 = MakeCaller(Role::kAgent, "a1");
  const Caller agent_a3 = MakeCaller(Role::kAgent, "a3");
  const Caller unbound_lead = MakeCaller(Role::kLead, "");
  auto unit = [](std::string u) { return AccessTarget{std::move(u), 0, ""}; };
  auto alert = [](std::string a) { return AccessTarget{"", 0, std::move(a)}; };
  auto proposal = [](int64_t id) { return AccessTarget{"", id, ""}; };
  const std::vector<Case> cases = {
      {"/okr.v1.ProgressService/GetProgress", agent_a1, unit("a1"), kOk},
      {"/okr.v1.ProgressService/GetProgress", agent_a1, unit("a2"), kDenied},
      {"/okr.v1.ProgressService/GetProgress", agent_a1, unit("g1"), kDenied},
      {"/okr.v1.ProgressService/GetProgress", agent_a1, unit(""), kDenied},
      {"/okr.v1.ProgressService/GetProgress", lead_t1, unit("a1"), kOk},
      {"/okr.v1.ProgressService/GetProgress", lead_t1, unit("co"), kDenied},
      {"/okr.v1.ProgressService/GetProgress", lead_t2, unit("a1"), kDenied},
      {"/okr.v1.ProgressService/GetProgress", director, unit("a3"), kOk},
      {"/okr.v1.ProgressService/GetProgress", director, unit(""), kOk},
      // A unit that does not exist is outside every lead's subtree.
      {"/okr.v1.ProgressService/GetProgress", lead_t1, unit("ghost"), kDenied},
      // A lead or agent token bound to no unit reaches nothing (such tokens are not issued).
      {"/okr.v1.ProgressService/GetProgress", unbound_lead, unit(""), kDenied},
      {"/okr.v1.OrgService/ListSubtree", unbound_lead, unit(""), kDenied},
      {"/okr.v1.TargetService/Cascade", lead_t1, unit("t1"), kDenied},
      {"/okr.v1.TargetService/Cascade", director, unit("co"), kOk},
      {"/okr.v1.ActualsService/ImportCsv", lead_t1, unit(""), kDenied},
      {"/okr.v1.AccessService/CreateToken", admin, unit(""), kOk},
      {"/okr.v1.AccessService/CreateToken", director, unit(""), kOk},
      {"/okr.v1.AccessService/CreateToken", lead_t1, unit(""), kDenied},
      {"/okr.v1.AccessService/WhoAmI", agent_a1, unit(""), kOk},
      // The list an agent asks for without a unit is its own.
      {"/okr.v1.CloseService/ListPayouts", agent_a1, unit(""), kOk},
      {"/okr.v1.CloseService/ListPayouts", agent_a1, unit("a2"), kDenied},
      // Proposals: agents never; a lead elsewhere may not even read one.
      {"/okr.v1.ReviewService/ListProposals", agent_a1, unit(""), kDenied},
      {"/okr.v1.ReviewService/ListProposals", agent_a1, unit("a1"), kDenied},
      {"/okr.v1.ReviewService/GetProposal", agent_a1, proposal(4), kDenied},
      {"/okr.v1.ReviewService/GetProposal", lead_t2, proposal(4), kDenied},
      {"/okr.v1.ReviewService/AddComment", lead_t2, proposal(4), kDenied},
      {"/okr.v1.ReviewService/AddComment", lead_t1, proposal(4), kOk},
      {"/okr.v1.ReviewService/GetProposal", lead_t1, proposal(999), kNotFound},
      {"/okr.v1.ReviewService/GetProposal", lead_t1, proposal(0), kDenied},
      // Alerts: an agent acts on none, not even its own; a lead on its subtree's.
      {"/okr.v1.AlertService/AckAlert", agent_a1, alert("A-a3"), kDenied},
      {"/okr.v1.AlertService/AckAlert", agent_a3, alert("A-a3"), kDenied},
      {"/okr.v1.AlertService/AckAlert", lead_t1, alert("A-a3"), kDenied},
      {"/okr.v1.AlertService/AckAlert", lead_t2, alert("A-a3"), kOk},
      {"/okr.v1.AlertService/ResolveAlert", lead_t2, alert("A-a1"), kDenied},
      {"/okr.v1.AlertService/AckAlert", lead_t2, alert("nope"), kNotFound},
      {"/okr.v1.AlertService/AckAlert", admin, alert("nope"), kOk},  // the handler: NOT_FOUND
      // Kudos: an agent to any colleague, also in another team; never to itself or to nobody.
      {"/okr.v1.CloseService/GiveKudos", agent_a1, unit("a3"), kOk},
      {"/okr.v1.CloseService/GiveKudos", agent_a1, unit("a1"), kDenied},
      {"/okr.v1.CloseService/GiveKudos", agent_a1, unit(""), kDenied},
      {"/okr.v1.CloseService/GiveKudos", lead_t2, unit("a1"), kDenied},
      {"/okr.v1.CloseService/GiveKudos", lead_t2, unit("a3"), kOk},
      {"/okr.v1.CloseService/GiveKudos", admin, unit(""), kOk},     // the handler: NOT_FOUND
      {"/okr.v1.NoSuchService/Nothing", admin, unit(""), kDenied},  // no rule: fails closed
  };
  for (const Case& c : cases) {
    const absl::Status status = CheckAccess(c.method, c.caller, c.target, org, &resolver);
    EXPECT_EQ(status.code(), c.code)
        << c.method << " by " << c.caller.Actor() << " about '" << c.target.unit_id << "' #"
        << c.target.proposal_id << " '" << c.target.alert_id << "': " << status;
  }
}

// The edge reads what a request is about from its fields, whatever the message.
// What lists and streams show: units the caller may read, inside the scope asked for. On
// MakeOrg's tree a lead of t1 reads g1, a1, a2 and g3's a4 (g3 was below t1 until June), never
// a3; a scope of g1 keeps a1 and drops a4.
TEST(MayReadInScope, TheCallersReachWithinTheScope) {
  const OrgSnapshot org = MakeOrg();
  const Caller director{"d", Role::kDirector, ""};
  const Caller lead{"l", Role::kLead, "t1"};
  const Caller agent{"a", Role::kAgent, "a1"};
  EXPECT_TRUE(MayReadInScope(director, "", "a3", org));
  EXPECT_TRUE(MayReadInScope(director, "t2", "a3", org));
  EXPECT_FALSE(MayReadInScope(director, "t2", "a1", org));
  EXPECT_TRUE(MayReadInScope(lead, "", "a1", org));
  EXPECT_TRUE(MayReadInScope(lead, "", "a4", org));
  EXPECT_FALSE(MayReadInScope(lead, "", "a3", org));
  EXPECT_TRUE(MayReadInScope(lead, "g1", "a1", org));
  EXPECT_FALSE(MayReadInScope(lead, "g1", "a4", org));
  EXPECT_FALSE(MayReadInScope(lead, "t2", "a3", org));  // the scope does not widen the reach
  EXPECT_TRUE(MayReadInScope(agent, "", "a1", org));
  EXPECT_FALSE(MayReadInScope(agent, "", "a2", org));
}

TEST(RequestTarget, ReadsUnitProposalAndAlertFields) {
  v1::GiveKudosRequest kudos;
  kudos.set_to_unit_id("a2");
  EXPECT_EQ(RequestTarget(kudos).unit_id, "a2");
  v1::DecideRequest decide;
  decide.set_proposal_id(17);
  EXPECT_EQ(RequestTarget(decide).proposal_id, 17);
  EXPECT_EQ(RequestTarget(decide).unit_id, "");
  v1::AlertRef ref;
  ref.set_alert_id("A5");
  EXPECT_EQ(RequestTarget(ref).alert_id, "A5");
  v1::ProgressRequest progress;
  progress.set_unit_id("g1");
  const AccessTarget target = RequestTarget(progress);
  EXPECT_EQ(target.unit_id, "g1");
  EXPECT_EQ(target.proposal_id, 0);
  EXPECT_EQ(target.alert_id, "");
}

}  // namespace
}  // namespace okr
