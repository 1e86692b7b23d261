// Crash test: streams actuals into a real okrd over ActualsService.IngestStream while other
// threads run cascades, holds and month closes, and kills okrd with SIGKILL at random moments
// (at a random time, right after a batch is acknowledged, or while a cascade or a close is in
// flight). It restarts okrd and re-sends every batch whose acknowledgement it did not get,
// with the same event ids. After each round it checks, exactly:
//   - every actual total (count sums, ratio numerators/denominators, event counts) of every
//     unit, for the year and for each month, equals the sum of the batches sent: nothing
//     acknowledged is lost and nothing is counted twice (corrections replace, never add);
//   - every plan is whole: each unit's twelve months are the sum of its children's months,
//     the version is at least that of the last acknowledged cascade, and the root's year
//     total is one of the targets that were set (never a mix);
//   - the January close (its payouts and awards) is exactly the baseline, never half-written.
//
//   okr_crash_test [--rounds N] [--seed S] [--batches B] [--events E] [--verbose]
//
// Exit code 0 when every round passed; the figures are printed at the end.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/fault/fault_client.h"
#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"

namespace okr::fault {
namespace {

using Clock = std::chrono::steady_clock;
using okr::testing::FreePort;
using okr::testing::SpawnOkrd;

// okrd on a temp folder; unlike the integration harness it reports how a failed start ended
// and keeps the folder when asked (post-mortem of a failed round).
class Okrd {
 public:
  explicit Okrd(std::vector<std::string> flags) : flags_(std::move(flags)) {
    char root[] = "/tmp/okr-crashXXXXXX";
    root_ = ::mkdtemp(root);
    data_dir_ = root_ + "/data";
    Start();
  }
  ~Okrd() {
    Kill();
    std::ifstream in(root_ + "/okrd.log");
    std::ostringstream log;
    log << in.rdbuf();
    okr::testing::ForwardSanitizerReport(log.str(), "okrd (" + root_ + ")");
    std::error_code ec;
    if (!keep_) std::filesystem::remove_all(root_, ec);
  }
  void Keep() { keep_ = true; }
  const std::string& root() const { return root_; }
  const std::string& address() const { return address_; }
  std::string token() const {
    std::ifstream in(data_dir_ + "/admin.token");
    std::string t;
    std::getline(in, t);
    return t;
  }
  std::string FullLog() const {
    std::ifstream in(root_ + "/okrd.log");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::string Log() const {
    std::string all = FullLog();
    return all.size() > 4000 ? all.substr(all.size() - 4000) : all;
  }
  // Every thread's stack of the running okrd (gdb, when the machine has it): where a start
  // that never becomes ready is stuck.
  std::string Stacks() const {
    const std::string out = root_ + "/okrd-stacks.txt";
    const std::string command = "gdb -batch -p " + std::to_string(pid_) +
                                " -ex 'thread apply all bt 25' > " + out + " 2>&1";
    if (std::system(command.c_str()) != 0) return "(gdb did not run)";
    std::ifstream in(out);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // How many lines of the log name `event`.
  size_t LogCount(std::string_view event) const {
    const std::string all = FullLog();
    size_t n = 0;
    for (size_t at = all.find(event); at != std::string::npos; at = all.find(event, at + 1)) ++n;
    return n;
  }
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  void Start() {
    address_ = "127.0.0.1:" + std::to_string(FreePort());
    const std::string log = root_ + "/okrd.log";
    pid_ = SpawnOkrd(address_, data_dir_, flags_, log);
    // Generous: a sanitized okrd on a loaded two-core machine; a start that never ends fails
    // with the log's tail, so that a hang names where it is.
    const auto give_up = Clock::now() + std::chrono::seconds(90);
    std::string last_answer = "no admin.token yet";
    while (Clock::now() < give_up) {
      if (std::filesystem::exists(data_dir_ + "/admin.token")) {
        auto stub = v1::MetricService::NewStub(Connect(address_));
        v1::ListMetricsReply reply;
        const grpc::Status answer =
            stub->ListMetrics(Context(token(), std::chrono::milliseconds(500)).get(), {}, &reply);
        if (answer.ok()) return;
        last_answer = "code " + std::to_string(answer.error_code()) + ": " + answer.error_message();
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        std::ostringstream how;
        if (WIFEXITED(status)) how << "exit code " << WEXITSTATUS(status);
        if (WIFSIGNALED(status)) how << "signal " << WTERMSIG(status);
        keep_ = true;
        throw std::runtime_error("okrd ended at start (" + how.str() + "), data kept in " + root_ +
                                 "; log tail:\n" + Log());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    keep_ = true;
    throw std::runtime_error("okrd did not become ready in 90 s (last answer: " + last_answer +
                             "); data kept in " + root_ + "; its threads:\n" + Stacks() +
                             "\nlog tail:\n" + Log());
  }

 private:
  std::string root_, data_dir_, address_;
  std::vector<std::string> flags_;
  pid_t pid_ = -1;
  bool keep_ = false;
};

// The log line of each pause inside a roll-up checkpoint (okrd --test-checkpoint-delay-ms),
// and the pause.
constexpr std::string_view kCheckpointPause = "rollups.checkpoint_test_pause";
constexpr int kCheckpointPauseMs = 20;

struct Options {
  int rounds = 5;
  uint64_t seed = 1;
  int batches = 24;  // per round
  int events = 60;   // per batch
  bool verbose = false;
};

// ---- The organisation: co -> 3 teams -> 2 groups each -> 6 agents each (36 agents). ----
struct OrgModel {
  std::vector<std::string> agents;
  std::map<std::string, std::string> parent;                 // unit -> parent
  std::map<std::string, std::vector<std::string>> children;  // unit -> children
  std::vector<std::string> units;                            // every unit
  std::string csv;

  OrgModel() {
    std::ostringstream out;
    out << "unit_id,parent_id,kind,name,fte,start_date,end_date\n";
    out << "co,,company,Company,,,\n";
    units.push_back("co");
    for (int t = 1; t <= 3; ++t) {
      const std::string team = "t" + std::to_string(t);
      out << team << ",co,team,Team " << t << ",,,\n";
      Link(team, "co");
      for (int g = 1; g <= 2; ++g) {
        const std::string group = team + "g" + std::to_string(g);
        out << group << "," << team << ",group,Group " << group << ",,,\n";
        Link(group, team);
        for (int a = 1; a <= 6; ++a) {
          const std::string agent = group + "a" + std::to_string(a);
          // Mixed FTE so that the fte split has remainders to round.
          out << agent << "," << group << ",agent,Agent " << agent << ","
              << (a % 3 == 0 ? "0.5" : "1.0") << ",,\n";
          Link(agent, group);
          agents.push_back(agent);
        }
      }
    }
    csv = out.str();
  }
  void Link(const std::string& unit, const std::string& up) {
    parent[unit] = up;
    children[up].push_back(unit);
    units.push_back(unit);
  }
  std::vector<std::string> Ancestry(const std::string& agent) const {
    std::vector<std::string> chain = {agent};
    for (auto it = parent.find(agent); it != parent.end(); it = parent.find(it->second)) {
      chain.push_back(it->second);
    }
    return chain;
  }
};

struct Event {
  std::string id, unit, metric;
  int month = 1, day = 1;
  int64_t value = 0;  // whole numbers: sums are exact in doubles
  int64_t den = 0;
};

std::string DateText(int month, int day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "2026-%02d-%02d", month, day);
  return buf;
}

// ---- Shared state between the driver and the client threads. ----
struct Shared {
  std::mutex mu;
  std::condition_variable cv;
  std::string address;  // empty while okrd is down
  uint64_t generation = 0;
  std::string token;
};

std::string CurrentAddress(Shared& s, uint64_t* generation) {
  std::unique_lock<std::mutex> lock(s.mu);
  s.cv.wait_for(lock, std::chrono::seconds(30), [&] { return !s.address.empty(); });
  *generation = s.generation;
  return s.address;
}

int Fail(const std::string& what) {
  std::cerr << "crash_test: FAILED: " << what << "\n";
  return 1;
}

// ---- Ingest: batches in order, pipelined on one stream, each acked once it is durable. ----
class Ingester {
 public:
  Ingester(Shared& shared) : shared_(shared) {}

  void Append(std::vector<v1::IngestRequest> more) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& b : more) batches_.push_back(std::move(b));
  }
  size_t acked() const { return acked_.load(); }
  size_t total() {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_.size();
  }
  void Stop() { stop_ = true; }
  // After a failed round: return without waiting for acknowledgements that cannot come.
  void Abandon() { abandon_ = true; }
  // Figures.
  std::atomic<uint64_t> resent{0}, streams{0}, bad_acks{0}, duplicates_on_resend{0};
  std::string bad_ack_text;

  // Runs until Stop() and every batch is acknowledged.
  void Run() {
    while (!abandon_) {
      const size_t first = acked_.load();
      size_t end = total();
      if (first == end) {
        if (stop_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      uint64_t generation = 0;
      const std::string address = CurrentAddress(shared_, &generation);
      if (address.empty()) continue;
      auto stub = v1::ActualsService::NewStub(Connect(address));
      auto ctx = Context(shared_.token, std::chrono::seconds(60));
      auto stream = stub->IngestStream(ctx.get());
      ++streams;
      if (first < sent_high_) resent += std::min(end, sent_high_) - first;
      // The writer sends every batch not yet acknowledged; the reader takes acks in order.
      std::thread writer([&] {
        for (size_t i = first; i < end; ++i) {
          v1::IngestRequest batch;
          {
            std::lock_guard<std::mutex> lock(mu_);
            batch = batches_[i];
          }
          if (!stream->Write(batch)) return;
          {
            std::lock_guard<std::mutex> lock(mu_);
            sent_high_ = std::max(sent_high_, i + 1);
          }
        }
        stream->WritesDone();
      });
      v1::IngestReply reply;
      size_t next = first;
      while (next < end && stream->Read(&reply)) {
        int batch_size = 0;
        {
          std::lock_guard<std::mutex> lock(mu_);
          batch_size = batches_[next].events_size();
        }
        const uint32_t counted = reply.accepted() + reply.duplicates() + reply.corrected();
        if (reply.rejected() != 0 || counted != static_cast<uint32_t>(batch_size)) {
          ++bad_acks;
          bad_ack_text = reply.ShortDebugString();
        }
        if (next < resent_high_seen_ && reply.duplicates() > 0) duplicates_on_resend++;
        ++next;
        acked_.store(next);
        ack_tick_.fetch_add(1);
      }
      resent_high_seen_ = std::max(resent_high_seen_, sent_high_);
      writer.join();
      stream->Finish();  // UNAVAILABLE when okrd was killed: the loop re-sends the rest.
      if (next < end) {
        // Wait for the driver to bring okrd back (a new address) before trying again.
        std::unique_lock<std::mutex> lock(shared_.mu);
        shared_.cv.wait_for(lock, std::chrono::milliseconds(200),
                            [&] { return shared_.generation != generation; });
      }
    }
  }
  uint64_t ack_tick() const { return ack_tick_.load(); }

 private:
  Shared& shared_;
  std::mutex mu_;
  std::vector<v1::IngestRequest> batches_;
  std::atomic<size_t> acked_{0};
  std::atomic<uint64_t> ack_tick_{0};
  size_t sent_high_ = 0;
  size_t resent_high_seen_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> abandon_{false};
};

// ---- Plans and closes running beside the ingest. ----
const std::vector<int64_t> kTargets = {360000, 372000, 390000, 401500};

class Planner {
 public:
  Planner(Shared& shared, uint64_t seed) : shared_(shared), rng_(seed) {}
  std::atomic<int> in_flight{0};  // 0 none, 1 cascade, 2 close, 3 hold
  std::atomic<uint64_t> cascades_acked{0}, closes_acked{0}, holds_acked{0}, failed{0};
  std::atomic<int64_t> last_acked_version{0};
  std::atomic<bool> stop{false};
  std::vector<std::string> errors;  // unexpected (non-UNAVAILABLE) failures

  void Run() {
    while (!stop) {
      uint64_t generation = 0;
      const std::string address = CurrentAddress(shared_, &generation);
      if (address.empty()) continue;
      auto channel = Connect(address);
      auto targets = v1::TargetService::NewStub(channel);
      auto close = v1::CloseService::NewStub(channel);
      const int op = std::uniform_int_distribution<int>(0, 9)(rng_);
      grpc::Status status;
      if (op < 5) {
        v1::SetTargetRequest set;
        set.set_unit_id("co");
        set.set_metric_id("tickets");
        set.set_year(2026);
        set.set_value(static_cast<double>(kTargets[rng_() % kTargets.size()]));
        v1::Target target;
        status = targets->SetTarget(Context(shared_.token).get(), set, &target);
        if (status.ok()) {
          v1::CascadeRequest req;
          req.set_unit_id("co");
          req.set_metric_id("tickets");
          req.set_year(2026);
          req.set_method(rng_() % 2 ? v1::SPLIT_METHOD_FTE : v1::SPLIT_METHOD_EVEN);
          // January and February never move: the January close must stay the same.
          req.set_from_month(DateText(3 + static_cast<int>(rng_() % 6), 1).substr(0, 7));
          v1::CascadeReply reply;
          in_flight = 1;
          status = targets->Cascade(Context(shared_.token).get(), req, &reply);
          in_flight = 0;
          if (status.ok()) {
            ++cascades_acked;
            int64_t prev = last_acked_version.load();
            while (reply.plan_version() > prev &&
                   !last_acked_version.compare_exchange_weak(prev, reply.plan_version())) {
            }
          }
        }
      } else if (op < 7) {
        v1::HoldRequest hold;
        hold.set_unit_id("t" + std::to_string(1 + rng_() % 3) + "g1");
        hold.set_metric_id("tickets");
        hold.set_period(DateText(9 + static_cast<int>(rng_() % 3), 1).substr(0, 7));
        if (rng_() % 2) {
          hold.set_clear(true);
        } else {
          hold.set_value(static_cast<double>(1000 + rng_() % 500));
        }
        v1::HoldReply reply;
        in_flight = 3;
        status = targets->Hold(Context(shared_.token).get(), hold, &reply);
        in_flight = 0;
        if (status.ok()) ++holds_acked;
      } else {
        v1::ClosePeriodRequest req;
        req.set_month("2026-01");
        v1::ClosePeriodReply reply;
        in_flight = 2;
        status = close->ClosePeriod(Context(shared_.token).get(), req, &reply);
        in_flight = 0;
        if (status.ok()) ++closes_acked;
      }
      if (!status.ok()) {
        ++failed;
        const auto code = status.error_code();
        // NOT_FOUND: clearing a hold that is not there.
        if (code != grpc::StatusCode::UNAVAILABLE && code != grpc::StatusCode::DEADLINE_EXCEEDED &&
            code != grpc::StatusCode::CANCELLED && code != grpc::StatusCode::NOT_FOUND) {
          std::lock_guard<std::mutex> lock(mu_);
          errors.push_back(std::to_string(code) + ": " + status.error_message());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
  }

 private:
  Shared& shared_;
  std::mt19937_64 rng_;
  std::mutex mu_;
};

// ---- The checks. ----
struct Expected {
  // (unit, metric) -> month (0 = year) -> sums
  struct Sums {
    int64_t value = 0, den = 0, events = 0;
  };
  std::map<std::pair<std::string, std::string>, std::map<int, Sums>> sums;
};

Expected Expect(const OrgModel& org, const std::map<std::string, Event>& events) {
  Expected e;
  for (const auto& [id, ev] : events) {
    for (const std::string& unit : org.Ancestry(ev.unit)) {
      for (int m : {0, ev.month}) {
        auto& s = e.sums[{unit, ev.metric}][m];
        s.value += ev.value;
        s.den += ev.den;
        s.events += 1;
      }
    }
  }
  return e;
}

std::string CheckActuals(const OrgModel& org, const Expected& expected,
                         v1::ProgressService::Stub& progress, const std::string& token,
                         int* checks) {
  for (const std::string& unit : org.units) {
    for (const std::string metric : {"tickets", "csat"}) {
      for (int m = 0; m <= 12; ++m) {
        // Months that got no events are checked through the year total; spot-check them.
        const auto unit_it = expected.sums.find({unit, metric});
        Expected::Sums want;
        if (unit_it != expected.sums.end()) {
          auto it = unit_it->second.find(m);
          if (it != unit_it->second.end()) want = it->second;
        }
        if (m > 0 && unit != "co" && want.events == 0) continue;
        v1::ProgressRequest req;
        req.set_unit_id(unit);
        req.set_metric_id(metric);
        req.set_period(m == 0 ? "2026" : DateText(m, 1).substr(0, 7));
        req.set_as_of("2026-12-31");
        v1::ProgressReply reply;
        grpc::Status status = progress.GetProgress(Context(token).get(), req, &reply);
        if (!status.ok()) return "GetProgress " + unit + ": " + status.error_message();
        ++*checks;
        const v1::Progress& p = reply.progress();
        std::ostringstream where;
        where << unit << " " << metric << " " << req.period() << ": ";
        if (p.events() != want.events) {
          return where.str() + "events " + std::to_string(p.events()) + ", expected " +
                 std::to_string(want.events);
        }
        if (metric == "tickets") {
          if (p.actual() != static_cast<double>(want.value)) {
            std::ostringstream msg;
            msg.precision(17);
            msg << where.str() << "actual " << p.actual() << ", expected " << want.value;
            return msg.str();
          }
        } else if (want.den > 0) {
          const double ratio =
              100.0 * static_cast<double>(want.value) / static_cast<double>(want.den);
          if (std::fabs(p.actual() - ratio) > 1e-9 * std::max(1.0, ratio)) {
            std::ostringstream msg;
            msg.precision(17);
            msg << where.str() << "csat " << p.actual() << ", expected " << ratio;
            return msg.str();
          }
        }
      }
    }
  }
  return "";
}

std::string CheckPlans(const OrgModel& org, v1::TargetService::Stub& targets,
                       const std::string& token, int64_t min_version, int* checks) {
  std::map<std::string, std::vector<double>> months;
  int64_t version = -1;
  for (const std::string& unit : org.units) {
    v1::BreakdownRequest req;
    req.set_unit_id(unit);
    req.set_metric_id("tickets");
    req.set_year(2026);
    v1::Breakdown reply;
    grpc::Status status = targets.GetBreakdown(Context(token).get(), req, &reply);
    if (!status.ok()) return "GetBreakdown " + unit + ": " + status.error_message();
    ++*checks;
    if (reply.months_size() != 12) return "breakdown " + unit + " has no 12 months";
    months[unit].assign(reply.months().begin(), reply.months().end());
    if (unit == "co") {
      version = reply.plan_version();
      const int64_t year = std::llround(reply.year_target());
      bool known = false;
      for (int64_t t : kTargets) known = known || t == year;
      if (!known && year != 360000)
        return "root year total " + std::to_string(year) + " was never set";
      double sum = 0;
      for (double v : reply.months()) sum += v;
      if (sum != reply.year_target()) return "root months do not sum to its year";
    }
    for (const v1::PlanRow& row : reply.children()) {
      // Checked against the child's own breakdown below.
      months["row:" + row.unit_id()].assign(row.months().begin(), row.months().end());
    }
  }
  if (version < min_version) {
    return "plan version " + std::to_string(version) + " is older than the acknowledged " +
           std::to_string(min_version);
  }
  for (const auto& [unit, kids] : org.children) {
    for (int m = 0; m < 12; ++m) {
      double sum = 0;
      for (const std::string& kid : kids) sum += months[kid][m];
      if (sum != months[unit][m]) {
        std::ostringstream msg;
        msg << "plan of " << unit << " month " << (m + 1) << " is " << months[unit][m]
            << " but its children sum to " << sum;
        return msg.str();
      }
    }
    for (const std::string& kid : kids) {
      if (months["row:" + kid] != months[kid]) return "breakdown rows of " + kid + " disagree";
    }
  }
  return "";
}

std::string CloseFingerprint(v1::CloseService::Stub& close, const std::string& token,
                             std::string* error) {
  v1::ListOutcomesRequest req;
  req.set_month("2026-01");
  v1::ListPayoutsReply payouts;
  grpc::Status s = close.ListPayouts(Context(token).get(), req, &payouts);
  if (!s.ok()) {
    *error = "ListPayouts: " + s.error_message();
    return "";
  }
  v1::ListAwardsReply awards;
  s = close.ListAwards(Context(token).get(), req, &awards);
  if (!s.ok()) {
    *error = "ListAwards: " + s.error_message();
    return "";
  }
  std::multiset<std::string> lines;
  for (const auto& p : payouts.payouts()) {
    std::ostringstream l;
    l << "payout " << p.unit_id() << " " << p.amount() << " " << p.rule() << " " << p.plugin();
    lines.insert(l.str());
  }
  for (const auto& a : awards.awards()) {
    std::ostringstream l;
    l << "award " << a.unit_id() << " " << a.award() << " " << a.score() << " " << a.plugin();
    lines.insert(l.str());
  }
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

// ---- Batches: new events, corrections and duplicates of earlier ones. ----
class Generator {
 public:
  Generator(const OrgModel& org, uint64_t seed) : org_(org), rng_(seed) {}
  std::map<std::string, Event> final_events;  // the content after every batch is applied
  std::vector<std::string> ids;

  v1::IngestRequest Batch(int events) {
    v1::IngestRequest req;
    std::set<std::string> in_batch;
    for (int i = 0; i < events; ++i) {
      Event ev;
      const int kind = static_cast<int>(rng_() % 10);
      if (kind == 0 && !ids.empty()) {  // correction of an earlier event: new value
        ev = final_events[ids[rng_() % ids.size()]];
        if (in_batch.count(ev.id)) continue;
        ev.value += 1 + static_cast<int64_t>(rng_() % 7);
        if (ev.den > 0) ev.den = std::max(ev.value, ev.den);
      } else if (kind == 1 && !ids.empty()) {  // exact duplicate of an earlier event
        ev = final_events[ids[rng_() % ids.size()]];
        if (in_batch.count(ev.id)) continue;
      } else {
        ev.id = "ev-" + std::to_string(next_id_++);
        ev.unit = org_.agents[rng_() % org_.agents.size()];
        ev.metric = rng_() % 4 == 0 ? "csat" : "tickets";
        ev.month = 2 + static_cast<int>(rng_() % 11);  // February..December; January is closed
        ev.day = 1 + static_cast<int>(rng_() % 28);
        if (ev.metric == "tickets") {
          ev.value = 1 + static_cast<int64_t>(rng_() % 40);
        } else {
          ev.den = 1 + static_cast<int64_t>(rng_() % 20);
          ev.value = static_cast<int64_t>(rng_() % (ev.den + 1));
        }
        ids.push_back(ev.id);
      }
      in_batch.insert(ev.id);
      final_events[ev.id] = ev;
      v1::ActualEvent* out = req.add_events();
      out->set_event_id(ev.id);
      out->set_unit_id(ev.unit);
      out->set_metric_id(ev.metric);
      out->set_date(DateText(ev.month, ev.day));
      out->set_value(static_cast<double>(ev.value));
      out->set_denominator(static_cast<double>(ev.den));
    }
    return req;
  }

 private:
  const OrgModel& org_;
  std::mt19937_64 rng_;
  uint64_t next_id_ = 1;
};

int Main(const Options& opt) {
  const OrgModel org;
  // The incentive and recognition plugins only: the close is what is under test, and the
  // red-line plugin re-evaluates 31 days x 31-day windows after every batch (see README).
  char plugin_dir[] = "/tmp/okr-crash-pluginsXXXXXX";
  if (::mkdtemp(plugin_dir) == nullptr) return Fail("mkdtemp");
  // Copies, not symlinks: okrd loads only files that resolve inside its plugin folder.
  for (const char* name : {"tiered_bonus.so", "recognition.so"}) {
    std::filesystem::copy_file(std::string(okr::testing::PluginDir()) + "/" + name,
                               std::string(plugin_dir) + "/" + name);
  }
  struct RemoveDir {
    std::string dir;
    ~RemoveDir() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } remove_plugins{plugin_dir};
  // Events fall anywhere in 2026 and January is closed: okrd's clock reads a day after them
  // all (actuals dated after today are refused; a month closes once it has ended).
  Okrd okrd({"--plugin-dir", plugin_dir, "--threads", "4", "--test-clock-start",
             "2027-01-01T00:00:00Z", "--rollup-checkpoint-ms", "50", "--test-checkpoint-delay-ms",
             std::to_string(kCheckpointPauseMs)});
  Shared shared;
  shared.token = okrd.token();
  shared.address = okrd.address();
  const std::string token = shared.token;

  // ---- Set-up: org, metrics, target and cascade, plugin configs, January and its close. ----
  {
    auto channel = Connect(okrd.address());
    auto orgs = v1::OrgService::NewStub(channel);
    v1::ImportUnitsReply imported;
    auto ctx = Context(token);
    auto writer = orgs->ImportUnits(ctx.get(), &imported);
    v1::CsvChunk chunk;
    chunk.set_data(org.csv);
    writer->Write(chunk);
    writer->WritesDone();
    if (auto s = writer->Finish(); !s.ok()) return Fail("org import: " + s.error_message());
    auto metrics = v1::MetricService::NewStub(channel);
    for (auto [id, kind, scale] : {std::tuple{"tickets", v1::METRIC_KIND_COUNT, 1.0},
                                   std::tuple{"csat", v1::METRIC_KIND_RATIO, 100.0}}) {
      v1::DefineMetricRequest req;
      req.mutable_metric()->set_metric_id(id);
      req.mutable_metric()->set_kind(kind);
      req.mutable_metric()->set_direction(v1::DIRECTION_UP);
      req.mutable_metric()->set_scale(scale);
      v1::Metric reply;
      auto s = metrics->DefineMetric(Context(token).get(), req, &reply);
      if (!s.ok()) return Fail("define metric: " + s.error_message());
    }
    auto targets = v1::TargetService::NewStub(channel);
    v1::SetTargetRequest set;
    set.set_unit_id("co");
    set.set_metric_id("tickets");
    set.set_year(2026);
    set.set_value(360000);
    v1::Target target;
    if (auto s = targets->SetTarget(Context(token).get(), set, &target); !s.ok()) {
      return Fail("set target: " + s.error_message());
    }
    v1::CascadeRequest cascade;
    cascade.set_unit_id("co");
    cascade.set_metric_id("tickets");
    cascade.set_year(2026);
    v1::CascadeReply cascaded;
    if (auto s = targets->Cascade(Context(token).get(), cascade, &cascaded); !s.ok()) {
      return Fail("cascade: " + s.error_message());
    }
    auto plugins = v1::PluginService::NewStub(channel);
    v1::ListPluginsReply listed;
    if (auto s = plugins->ListPlugins(Context(token).get(), {}, &listed); !s.ok()) {
      return Fail("list plugins: " + s.error_message());
    }
    for (const auto& p : listed.plugins()) {
      std::string config;
      if (p.kind() == v1::PLUGIN_KIND_INCENTIVE) {
        config =
            R"({"primary_metric":"tickets","currency":"EUR","rule":"bonus",)"
            R"("tiers":[{"min_attainment":50,"amount":100},{"min_attainment":100,"amount":300}],)"
            R"("gates":[{"metric":"csat","min_actual":50}],"cap":250})";
      } else if (p.kind() == v1::PLUGIN_KIND_RECOGNITION) {
        config = R"({"primary_metric":"tickets","agent_of_the_month":{"min_volume":10},)"
                 R"("milestones":{"metric":"tickets","thresholds":[100,300]}})";
      } else {
        continue;
      }
      v1::ConfigurePluginRequest req;
      req.set_name(p.name());
      req.set_unit_id("co");
      req.set_config_json(config);
      v1::PluginInfo info;
      if (auto s = plugins->ConfigurePlugin(Context(token).get(), req, &info); !s.ok()) {
        return Fail("configure " + p.name() + ": " + s.error_message());
      }
    }
    // January actuals: fixed for the whole run.
    v1::IngestRequest jan;
    int n = 0;
    for (const std::string& agent : org.agents) {
      for (int day = 1; day <= 28; day += 3) {
        auto* e = jan.add_events();
        e->set_event_id("jan-" + std::to_string(n++));
        e->set_unit_id(agent);
        e->set_metric_id("tickets");
        e->set_date(DateText(1, day));
        e->set_value(static_cast<double>(20 + (n * 7) % 23));
        auto* c = jan.add_events();
        c->set_event_id("jan-" + std::to_string(n++));
        c->set_unit_id(agent);
        c->set_metric_id("csat");
        c->set_date(DateText(1, day));
        c->set_value(static_cast<double>(n % 10));
        c->set_denominator(10);
      }
    }
    auto actuals = v1::ActualsService::NewStub(channel);
    v1::IngestReply ingested;
    if (auto s = actuals->Ingest(Context(token).get(), jan, &ingested); !s.ok()) {
      return Fail("january: " + s.error_message());
    }
    if (ingested.rejected() != 0) return Fail("january rejected: " + ingested.ShortDebugString());
    auto close = v1::CloseService::NewStub(channel);
    v1::ClosePeriodRequest req;
    req.set_month("2026-01");
    v1::ClosePeriodReply closed;
    if (auto s = close->ClosePeriod(Context(token).get(), req, &closed); !s.ok()) {
      return Fail("close: " + s.error_message());
    }
    if (opt.verbose) std::cerr << "baseline close: " << closed.ShortDebugString() << "\n";
  }
  std::string error;
  std::string baseline;
  {
    auto close = v1::CloseService::NewStub(Connect(okrd.address()));
    baseline = CloseFingerprint(*close, token, &error);
    if (!error.empty()) return Fail(error);
  }
  // The January events count in the expected sums too.
  Generator gen(org, opt.seed);
  {
    int n = 0;
    for (const std::string& agent : org.agents) {
      for (int day = 1; day <= 28; day += 3) {
        Event t{"jan-" + std::to_string(n), agent, "tickets", 1, day, 0, 0};
        ++n;
        t.value = 20 + (n * 7) % 23;
        Event c{"jan-" + std::to_string(n), agent, "csat", 1, day, 0, 10};
        ++n;
        c.value = n % 10;
        gen.final_events[t.id] = t;
        gen.final_events[c.id] = c;
      }
    }
  }

  Ingester ingester(shared);
  Planner planner(shared, opt.seed * 7919 + 1);
  std::thread ingest_thread([&] { ingester.Run(); });
  std::thread plan_thread([&] { planner.Run(); });
  std::mt19937_64 rng(opt.seed * 104729 + 3);

  struct {
    int kills = 0, random = 0, after_ack = 0, mid_cascade = 0, mid_close = 0, mid_hold = 0;
    int mid_checkpoint = 0;
    int in_flight_at_kill = 0;     // an RPC of the planner was in flight at the kill
    uint64_t unacked_at_kill = 0;  // batches sent or queued but not acknowledged
    int checks = 0;
    double restart_ms = 0;
  } fig;
  const auto started = Clock::now();
  int failures = 0;

  for (int round = 0; round < opt.rounds && failures == 0; ++round) {
    std::vector<v1::IngestRequest> batches;
    for (int b = 0; b < opt.batches; ++b) batches.push_back(gen.Batch(opt.events));
    ingester.Append(std::move(batches));

    // Choose the moment of the kill.
    const int mode = static_cast<int>(rng() % 6);
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    const char* mode_name = "random";
    if (mode == 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 300000));
      ++fig.random;
    } else if (mode == 1) {
      mode_name = "after-ack";
      const uint64_t tick = ingester.ack_tick() + 1 + rng() % 8;
      while (ingester.ack_tick() < tick && Clock::now() < deadline) std::this_thread::yield();
      ++fig.after_ack;
    } else if (mode == 5) {
      // Inside a roll-up checkpoint: okrd logs each of its two pauses (before its batch is
      // written, and after, before the deltas leave memory) and sleeps kCheckpointPauseMs.
      mode_name = "mid-checkpoint";
      const size_t seen = okrd.LogCount(kCheckpointPause);
      bool paused = false;
      while (!(paused = okrd.LogCount(kCheckpointPause) > seen) && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % kCheckpointPauseMs));
      (paused ? fig.mid_checkpoint : fig.random)++;
    } else {
      const int want = mode == 2 ? 1 : mode == 3 ? 2 : 3;
      mode_name = mode == 2 ? "mid-cascade" : mode == 3 ? "mid-close" : "mid-hold";
      while (planner.in_flight.load() != want && Clock::now() < deadline) std::this_thread::yield();
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 1500));
      (mode == 2 ? fig.mid_cascade : mode == 3 ? fig.mid_close : fig.mid_hold)++;
    }
    if (planner.in_flight.load() != 0) ++fig.in_flight_at_kill;
    fig.unacked_at_kill += ingester.total() - ingester.acked();
    {
      std::lock_guard<std::mutex> lock(shared.mu);
      shared.address.clear();
      ++shared.generation;
    }
    okrd.Kill();
    ++fig.kills;
    const auto restart = Clock::now();
    try {
      okrd.Start();
    } catch (const std::exception& e) {
      std::cerr << "crash_test: restart failed: " << e.what() << "\n";
      failures++;
      break;
    }
    fig.restart_ms += std::chrono::duration<double, std::milli>(Clock::now() - restart).count();
    {
      std::lock_guard<std::mutex> lock(shared.mu);
      shared.address = okrd.address();
      ++shared.generation;
    }
    shared.cv.notify_all();

    // Let the client re-send everything unacknowledged, then check with the planner paused.
    const auto wait_until = Clock::now() + std::chrono::seconds(120);
    while (ingester.acked() < ingester.total() && Clock::now() < wait_until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (ingester.acked() < ingester.total()) {
      std::cerr << "crash_test: round " << round << ": batches were never acknowledged\n";
      failures++;
      break;
    }
    const auto acked_at = Clock::now();
    planner.stop = true;
    plan_thread.join();
    {
      auto channel = Connect(okrd.address());
      auto progress = v1::ProgressService::NewStub(channel);
      auto targets = v1::TargetService::NewStub(channel);
      auto close = v1::CloseService::NewStub(channel);
      const Expected expected = Expect(org, gen.final_events);
      std::string problem = CheckActuals(org, expected, *progress, token, &fig.checks);
      if (problem.empty()) {
        problem = CheckPlans(org, *targets, token, planner.last_acked_version.load(), &fig.checks);
      }
      if (problem.empty()) {
        const std::string now = CloseFingerprint(*close, token, &problem);
        if (problem.empty() && now != baseline) {
          problem = "the January close changed:\n--- baseline\n" + baseline + "--- now\n" + now;
        }
      }
      if (ingester.bad_acks > 0) problem += " bad acknowledgement: " + ingester.bad_ack_text;
      if (!planner.errors.empty())
        problem += " unexpected planner error: " + planner.errors.front();
      if (!problem.empty()) {
        okrd.Keep();
        std::cerr << "crash_test: data kept in " << okrd.root() << "\n";
        std::cerr << "crash_test: round " << round << " (" << mode_name << "): " << problem << "\n";
        failures++;
      } else if (opt.verbose) {
        std::cerr << "round " << round << " (" << mode_name << ") ok: " << gen.final_events.size()
                  << " events; re-send took "
                  << std::chrono::duration<double, std::milli>(acked_at - restart).count()
                  << " ms, checks "
                  << std::chrono::duration<double, std::milli>(Clock::now() - acked_at).count()
                  << " ms\n";
      }
    }
    planner.stop = false;
    plan_thread = std::thread([&] { planner.Run(); });
  }
  planner.stop = true;
  ingester.Stop();
  if (failures > 0) ingester.Abandon();
  plan_thread.join();
  ingest_thread.join();

  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::cout << "crash_test: " << (failures == 0 ? "PASS" : "FAIL") << " seed=" << opt.seed
            << " rounds=" << fig.kills << " seconds=" << seconds << "\n"
            << "  kills: random=" << fig.random << " after-ack=" << fig.after_ack
            << " mid-cascade=" << fig.mid_cascade << " mid-close=" << fig.mid_close
            << " mid-hold=" << fig.mid_hold << " mid-checkpoint=" << fig.mid_checkpoint
            << " (planner RPC in flight at kill: " << fig.in_flight_at_kill << ")\n"
            << "  batches: " << ingester.total() << " of " << opt.events
            << " events, unacknowledged at kill (summed): " << fig.unacked_at_kill
            << ", re-sent: " << ingester.resent << ", streams opened: " << ingester.streams << "\n"
            << "  distinct events: " << gen.final_events.size()
            << "; planner acked: cascades=" << planner.cascades_acked
            << " holds=" << planner.holds_acked << " closes=" << planner.closes_acked
            << " failed(killed)=" << planner.failed << "\n"
            << "  checks: " << fig.checks << " progress/breakdown reads, mean restart "
            << (fig.kills ? fig.restart_ms / fig.kills : 0) << " ms\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace okr::fault

int main(int argc, char** argv) {
  okr::fault::Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--rounds") {
      opt.rounds = std::atoi(next());
    } else if (arg == "--seed") {
      opt.seed = std::strtoull(next(), nullptr, 10);
    } else if (arg == "--batches") {
      opt.batches = std::atoi(next());
    } else if (arg == "--events") {
      opt.events = std::atoi(next());
    } else if (arg == "--verbose") {
      opt.verbose = true;
    } else {
      std::cerr << "usage: okr_crash_test [--rounds N] [--seed S] [--batches B] [--events E] "
                   "[--verbose]\n";
      return 2;
    }
  }
  ::signal(SIGPIPE, SIG_IGN);
  try {
    return okr::fault::Main(opt);
  } catch (const std::exception& e) {
    std::cerr << "crash_test: " << e.what() << "\n";
    return 1;
  }
}
