#include "services/okrd/demo.h"

#include <cstdio>

#include "plugins/host/plugin_host.h"
#include "services/core/actuals_ops.h"
#include "services/core/log.h"
#include "services/core/org_ops.h"
#include "services/core/plan_ops.h"
#include "services/core/plugin_ops.h"

namespace okr {
namespace {

struct DemoGroup {
  const char* id;
  const char* team;
  const char* name;
  int agents;
};

// 8 groups, 120 agents.
constexpr DemoGroup kGroups[] = {
    {"presales-chat", "presales", "Pre-sales chat", 16},
    {"presales-phone", "presales", "Pre-sales phone", 14},
    {"aftersales-orders", "aftersales", "Orders and delivery", 18},
    {"aftersales-returns", "aftersales", "Returns and refunds", 17},
    {"aftersales-payments", "aftersales", "Payments", 13},
    {"quality-complaints", "quality", "Complaints desk", 15},
    {"quality-escalations", "quality", "Escalations", 12},
    {"quality-qa", "quality", "Quality assurance", 15},
};

constexpr const char* kFirstNames[] = {"Ana",   "Ben",  "Chloe", "Dmitri", "Eva",   "Farid",
                                       "Grace", "Hugo", "Ines",  "Jonas",  "Kira",  "Liam",
                                       "Mei",   "Noah", "Olga",  "Pablo",  "Quinn", "Rosa"};

Caller DemoCaller() {
  Caller caller;
  caller.token_id = "demo";
  caller.role = Role::kAdmin;
  return caller;
}

// A small deterministic generator, so the demo is the same on every machine.
class DemoRandom {
 public:
  explicit DemoRandom(uint64_t seed)
      : state_(seed * 6364136223846793005ULL + 1442695040888963407ULL) {}
  // Uniform in [0, n).
  int Next(int n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state_ >> 33) % static_cast<uint64_t>(n));
  }

 private:
  uint64_t state_;
};

// Daily actuals of every active agent from January 1st to yesterday: tickets resolved,
// CSAT (satisfied / responses), AHT (handle seconds / tickets), and the odd complaint.
absl::Status LoadDemoActuals(ServerState& state, int year, IngestResult* out) {
  const Date today = state.clock().Today();
  const Date last =
      Date::FromDayNumber(std::min(today.DayNumber() - 1, Date{year, 12, 31}.DayNumber()));
  auto org = state.org();
  std::vector<ActualRow> rows;
  int serial = 0;
  for (const Unit& agent : org->units()) {
    if (agent.kind != UnitKind::kAgent) continue;
    DemoRandom random(++serial);
    const int skill = 85 + random.Next(35);  // percent of the average agent's pace
    for (int d = Date{year, 1, 1}.DayNumber(); d <= last.DayNumber(); ++d) {
      const Date day = Date::FromDayNumber(d);
      if (!agent.ActiveOn(day) || (d + 4) % 7 >= 5) continue;  // weekdays only
      const std::string date = day.ToString();
      const std::string id = agent.id + "-" + date + "-";
      const int tickets = static_cast<int>((44 + random.Next(14)) * agent.fte * skill / 100);
      const int responses = 1 + tickets / 4;
      const int satisfied = responses - random.Next(responses / 6 + 1);
      const int handle = tickets * (240 + random.Next(120));
      rows.push_back(
          {0, id + "t", agent.id, "tickets_resolved", date, std::to_string(tickets), ""});
      rows.push_back({0, id + "c", agent.id, "csat", date, std::to_string(std::max(satisfied, 0)),
                      std::to_string(responses)});
      if (tickets > 0) {
        rows.push_back(
            {0, id + "h", agent.id, "aht", date, std::to_string(handle), std::to_string(tickets)});
      }
      if (random.Next(40) == 0) {
        rows.push_back({0, id + "x", agent.id, "complaints", date, "1", ""});
      }
    }
  }
  return IngestRows(state, rows, /*skip_invalid=*/false, out);
}

// When plugins are loaded: a config for each shipped plugin at the top of the org, a few
// kudos, and last month closed, so that payouts, awards and alerts have something to show.
absl::Status ConfigureDemoPlugins(ServerState& state, const Caller& caller) {
  if (state.plugin_host() == nullptr) return absl::OkStatus();
  const std::map<std::string, std::string> configs = {
      {"tiered_bonus",
       R"({"primary_metric":"tickets_resolved","currency":"EUR","rule":"monthly_tiered_bonus",)"
       R"("tiers":[{"min_attainment":100,"amount":200},{"min_attainment":110,"amount":350}],)"
       R"("gates":[{"metric":"csat","min_actual":90}],"cap":450})"},
      {"recognition",
       R"({"primary_metric":"tickets_resolved","agent_of_the_month":{"min_volume":200},)"
       R"("milestones":{"metric":"tickets_resolved","thresholds":[1000,5000,10000]},)"
       R"("streak":{"min_months":3},"kudos":{"min_received":2}})"},
      {"threshold_redline",
       R"({"rules":[{"name":"complaints_14d","type":"window_sum","metric":"complaints",)"
       R"("days":14,"op":">=","threshold":3,"severity":"critical"},)"
       R"({"name":"csat_below_80_14d","type":"window_ratio","metric":"csat","days":14,)"
       R"("op":"<","threshold":80,"scale":100,"severity":"warning"}]})"},
  };
  bool any = false;
  for (const auto& info : state.plugin_host()->List()) {
    auto it = configs.find(info.name);
    if (it == configs.end()) continue;
    if (absl::Status s = ConfigurePlugin(state, caller, {info.name, "shopnow", it->second});
        !s.ok()) {
      return s;
    }
    any = true;
  }
  if (!any) return absl::OkStatus();
  const Date today = state.clock().Today();
  if (today.month == 1) return absl::OkStatus();  // no earlier month of the demo year
  auto closed = ClosePeriod(state, caller, today.year, today.month - 1);
  if (!closed.ok()) return closed.status();
  Log(LogLevel::kInfo, "demo.closed",
      {{"month", closed->month}, {"payouts", closed->payouts}, {"awards", closed->awards}});
  return absl::OkStatus();
}

}  // namespace

std::string DemoOrgCsv(int year) {
  std::string csv = "unit_id,parent_id,kind,name,fte,start_date,end_date\n";
  csv += "shopnow,,company,ShopNow Customer Care,,,\n";
  csv += "presales,shopnow,team,Pre-sales,,,\n";
  csv += "aftersales,shopnow,team,After-sales,,,\n";
  csv += "quality,shopnow,team,Complaints and quality,,,\n";
  int serial = 0;
  for (const DemoGroup& group : kGroups) {
    csv += std::string(group.id) + "," + group.team + ",group," + group.name + ",,,\n";
    for (int i = 1; i <= group.agents; ++i, ++serial) {
      char line[256];
      // Mostly full-time; every 5th part-time at 0.5, every 7th at 0.8.
      const char* fte = serial % 5 == 4 ? "0.5" : serial % 7 == 6 ? "0.8" : "1.0";
      std::string start, end;
      if (serial % 11 == 3) {
        start = std::to_string(year) + "-07-01";  // joiners in July
      } else if (serial % 13 == 5) {
        start = std::to_string(year) + "-04-15";  // and mid-April
      } else if (serial % 17 == 8) {
        end = std::to_string(year) + "-03-15";  // leavers in March
      } else if (serial % 19 == 10) {
        end = std::to_string(year) + "-09-30";  // and September
      }
      std::snprintf(line, sizeof line, "%s-a%02d,%s,agent,%s %c.,%s,%s,%s\n", group.id, i, group.id,
                    kFirstNames[serial % 18], 'A' + serial % 26, fte, start.c_str(), end.c_str());
      csv += line;
    }
  }
  return csv;
}

absl::Status LoadDemo(ServerState& state) {
  if (state.org()->size() > 0) {
    Log(LogLevel::kInfo, "demo.skipped",
        {{"reason", "the data folder already holds an organisation"}});
    return absl::OkStatus();
  }
  const Caller caller = DemoCaller();
  const int year = state.clock().Today().year;
  CsvUpload upload;
  upload.text = DemoOrgCsv(year);
  auto imported = ImportOrg(state, caller, upload);
  if (!imported.ok()) return imported.status();
  if (imported->rejected > 0) {
    return absl::InternalError("demo org rejected: " + imported->errors.front());
  }
  const Metric metrics[] = {
      {"tickets_resolved", MetricKind::kCount, Direction::kUp, 1, "tickets", "Tickets resolved"},
      {"csat", MetricKind::kRatio, Direction::kUp, 100, "%", "Customer satisfaction"},
      {"aht", MetricKind::kRatio, Direction::kDown, 1, "s", "Average handle time"},
      {"complaints", MetricKind::kCount, Direction::kDown, 1, "complaints", "Complaints"},
  };
  for (const Metric& metric : metrics) {
    if (auto defined = DefineMetric(state, caller, metric); !defined.ok()) return defined.status();
  }
  // Annual targets, cascaded by FTE: tickets with a busy Q4 (seasonality), CSAT, AHT.
  struct DemoTarget {
    const char* metric;
    double value;
    std::vector<double> seasonality;
  };
  const DemoTarget targets[] = {
      {"tickets_resolved", 1200000, {8, 7, 8, 8, 8, 8, 8, 8, 8, 9, 10, 11}},
      {"csat", 92, {}},
      {"aht", 300, {}},
      {"complaints", 500, {}},
  };
  for (const DemoTarget& t : targets) {
    auto target = SetTarget(state, caller,
                            {.unit_id = "shopnow",
                             .metric_id = t.metric,
                             .year = year,
                             .value = t.value,
                             .seasonality = t.seasonality,
                             .reason = "demo: the director's annual target"});
    if (!target.ok()) return target.status();
    CascadeRun cascade;  // by fte, the whole year
    cascade.unit_id = "shopnow";
    cascade.metric_id = t.metric;
    cascade.year = year;
    cascade.reason = "demo: first plan";
    if (auto plan = RunCascade(state, caller, cascade); !plan.ok()) return plan.status();
  }
  IngestResult ingested;
  if (absl::Status s = LoadDemoActuals(state, year, &ingested); !s.ok()) return s;
  Log(LogLevel::kInfo, "demo.loaded",
      {{"units", imported->created}, {"actual_events", ingested.accepted}});
  return ConfigureDemoPlugins(state, caller);
  return absl::OkStatus();
}

}  // namespace okr
