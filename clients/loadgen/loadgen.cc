// okr_loadgen: an async gRPC load generator for okrd.
//
//   --method health|progress   unary calls through the callback API (both as generic calls, so
//                              the client does the same work for each); closed loop with
//                              --concurrency calls in flight, or open loop at --rate calls/s
//                              (latency measured from the scheduled start: no coordinated
//                              omission).
//   --method ingest-stream     --concurrency IngestStream calls, each sending --batch events and
//                              waiting for the durable acknowledgement before the next batch.
//   --method cascade           --runs timed Cascade calls (wall time around the RPC) for every
//                              metric in --metrics; --dry-run computes without writing.
//   --method first-progress    polls GetProgress until it answers OK; prints the time from
//                              --since-ns (CLOCK_REALTIME ns, e.g. `date +%s%N`).
// Prints one JSON object on stdout.
#include <grpc/grpc.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "okr/v1/actuals.grpc.pb.h"
#include "okr/v1/plan.grpc.pb.h"
#include "okr/v1/progress.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Options {
  std::string server = "127.0.0.1:50051";
  std::string token;
  std::string token_file;
  std::string method = "progress";
  int concurrency = 1;
  double rate = 0;
  double duration = 10;
  double warmup = 1;
  std::string org;
  std::vector<std::string> metrics = {"tickets"};
  int year = 2026;
  // Ingested events are dated within the year's last `days` days (365: the whole year; a
  // stream of today's actuals is 1).
  int days = 365;
  std::string as_of;
  uint64_t seed = 1;
  // ingest-stream
  int64_t events = 100000;
  int batch = 5000;
  std::string id_prefix = "e";
  std::vector<std::string> ratio_metrics;
  // cascade
  int runs = 3;
  bool dry_run = false;
  std::string root = "acme";
  // first-progress
  int64_t since_ns = 0;
  double timeout = 60;
};

struct OrgUnit {
  std::string id;
  bool agent = false;
  std::string start, end;  // YYYY-MM-DD or empty
};

std::vector<OrgUnit> ReadOrg(const std::string& path) {
  std::vector<OrgUnit> units;
  std::ifstream in(path);
  if (!in) {
    std::cerr << "okr_loadgen: cannot read " << path << "\n";
    std::exit(2);
  }
  std::string line;
  std::getline(in, line);  // header: unit_id,parent_id,kind,name,fte,start_date,end_date
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    while (f.size() < 7) f.emplace_back();
    units.push_back({f[0], f[2] == "agent", f[5], f[6]});
  }
  return units;
}

double Percentile(std::vector<int64_t>& sorted_ns, double p) {
  if (sorted_ns.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted_ns.size() - 1) + 0.5);
  return static_cast<double>(sorted_ns[std::min(i, sorted_ns.size() - 1)]) / 1e6;
}

json LatencyJson(std::vector<int64_t>& ns) {
  std::sort(ns.begin(), ns.end());
  return json{{"p50_ms", Percentile(ns, 0.50)},
              {"p99_ms", Percentile(ns, 0.99)},
              {"p999_ms", Percentile(ns, 0.999)},
              {"max_ms", ns.empty() ? 0.0 : static_cast<double>(ns.back()) / 1e6}};
}

std::string Bearer(const Options& o) { return "Bearer " + o.token; }

// ---------------------------------------------------------------- unary (health, progress)

class UnaryLoad {
 public:
  UnaryLoad(const Options& o, std::shared_ptr<grpc::Channel> channel) : o_(o), stub_(channel) {
    if (o.method == "health") {
      path_ = "/grpc.health.v1.Health/Check";
      requests_.push_back("");  // HealthCheckRequest{service: ""}
    } else {
      path_ = "/okr.v1.ProgressService/GetProgress";
      std::vector<OrgUnit> units = ReadOrg(o.org);
      std::mt19937_64 rng(o.seed);
      for (int i = 0; i < 100000; ++i) {
        okr::v1::ProgressRequest r;
        r.set_unit_id(units[rng() % units.size()].id);
        r.set_metric_id(o.metrics[rng() % o.metrics.size()]);
        const int m = static_cast<int>(rng() % 13);  // 0: the year, else a month
        char period[32];
        if (m == 0) {
          std::snprintf(period, sizeof period, "%04d", o.year);
        } else {
          std::snprintf(period, sizeof period, "%04d-%02d", o.year, m);
        }
        r.set_period(period);
        r.set_as_of(o.as_of);
        requests_.push_back(r.SerializeAsString());
      }
    }
  }

  json Run() {
    start_ = Clock::now();
    measure_from_ = start_ + Dur(o_.warmup);
    stop_at_ = measure_from_ + Dur(o_.duration);
    if (o_.rate > 0) {
      RunOpenLoop();
    } else {
      for (int i = 0; i < o_.concurrency; ++i) Issue(Clock::now(), true);
    }
    std::unique_lock<std::mutex> lock(mu_);
    while (!(in_flight_ == 0 && Clock::now() >= stop_at_)) {
      done_cv_.wait_for(lock, std::chrono::milliseconds(50));
    }
    json out = {{"method", o_.method},
                {"concurrency", o_.concurrency},
                {"rate", o_.rate},
                {"duration_s", o_.duration},
                {"calls", latencies_.size()},
                {"errors", errors_},
                {"qps", static_cast<double>(latencies_.size()) / o_.duration}};
    if (!first_error_.empty()) out["first_error"] = first_error_;
    out.update(LatencyJson(latencies_));
    return out;
  }

 private:
  struct Call {
    grpc::ClientContext ctx;
    grpc::ByteBuffer request, response;
    Clock::time_point scheduled;
    bool closed_loop = false;
  };

  static Clock::duration Dur(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  }

  void RunOpenLoop() {
    const auto interval = Dur(1.0 / o_.rate);
    auto next = start_;
    while (next < stop_at_) {
      std::this_thread::sleep_until(next);
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (in_flight_ > 20000) {  // the server is far behind: count as an error, drop
          ++errors_;
          next += interval;
          continue;
        }
      }
      Issue(next, false);
      next += interval;
    }
  }

  void Issue(Clock::time_point scheduled, bool closed_loop) {
    auto* call = new Call();
    call->scheduled = scheduled;
    call->closed_loop = closed_loop;
    call->ctx.AddMetadata("authorization", Bearer(o_));
    call->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    const std::string& bytes = requests_[next_request_.fetch_add(1) % requests_.size()];
    grpc::Slice slice(bytes);
    call->request = grpc::ByteBuffer(&slice, 1);
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++in_flight_;
    }
    stub_.UnaryCall(&call->ctx, path_, grpc::StubOptions(), &call->request, &call->response,
                    [this, call](grpc::Status status) { Done(call, status); });
  }

  void Done(Call* call, const grpc::Status& status) {
    const auto now = Clock::now();
    const bool again = call->closed_loop && now < stop_at_;
    {
      std::lock_guard<std::mutex> lock(mu_);
      --in_flight_;
      if (call->scheduled >= measure_from_ && call->scheduled < stop_at_) {
        if (status.ok()) {
          latencies_.push_back(
              std::chrono::duration_cast<std::chrono::nanoseconds>(now - call->scheduled).count());
        } else {
          ++errors_;
          if (first_error_.empty()) first_error_ = status.error_message();
        }
      }
      if (!again && in_flight_ == 0) done_cv_.notify_all();
    }
    delete call;
    if (again) Issue(Clock::now(), true);
  }

  const Options& o_;
  grpc::GenericStub stub_;
  std::string path_;
  std::vector<std::string> requests_;
  std::atomic<uint64_t> next_request_{0};
  Clock::time_point start_, measure_from_, stop_at_;
  std::mutex mu_;
  std::condition_variable done_cv_;
  int64_t in_flight_ = 0;
  int64_t errors_ = 0;
  std::string first_error_;
  std::vector<int64_t> latencies_;
};

// ---------------------------------------------------------------- ingest-stream

std::string DayOf(int year, int day_of_year) {
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int m = 0;
  while (m < 11 && day_of_year >= kDays[m]) day_of_year -= kDays[m++];
  char out[48];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, m + 1, day_of_year + 1);
  return out;
}

std::vector<okr::v1::IngestRequest> MakeBatches(const Options& o) {
  std::vector<OrgUnit> all = ReadOrg(o.org);
  std::vector<OrgUnit> agents;
  for (auto& u : all) {
    if (u.agent) agents.push_back(u);
  }
  std::mt19937_64 rng(o.seed);
  std::vector<okr::v1::IngestRequest> batches;
  okr::v1::IngestRequest current;
  for (int64_t i = 0; i < o.events; ++i) {
    const OrgUnit* a = nullptr;
    std::string date;
    for (int tries = 0; tries < 100; ++tries) {  // an agent active on the day
      a = &agents[rng() % agents.size()];
      date = DayOf(o.year, 365 - o.days + static_cast<int>(rng() % o.days));
      if ((a->start.empty() || a->start <= date) && (a->end.empty() || date <= a->end)) break;
    }
    okr::v1::ActualEvent* e = current.add_events();
    e->set_event_id(o.id_prefix + std::to_string(i));
    e->set_unit_id(a->id);
    const std::string& metric = o.metrics[static_cast<size_t>(i) % o.metrics.size()];
    e->set_metric_id(metric);
    e->set_date(date);
    const bool ratio =
        std::find(o.ratio_metrics.begin(), o.ratio_metrics.end(), metric) != o.ratio_metrics.end();
    if (ratio) {
      const double den = static_cast<double>(1 + rng() % 40);
      e->set_value(std::floor(den * 0.9));
      e->set_denominator(den);
    } else {
      e->set_value(static_cast<double>(rng() % 50));
    }
    if (current.events_size() == o.batch) {
      batches.push_back(std::move(current));
      current = okr::v1::IngestRequest();
    }
  }
  if (current.events_size() > 0) batches.push_back(std::move(current));
  return batches;
}

class IngestLoad {
 public:
  IngestLoad(const Options& o, std::shared_ptr<grpc::Channel> channel)
      : o_(o), stub_(okr::v1::ActualsService::NewStub(channel)), batches_(MakeBatches(o)) {}

  json Run() {
    const auto start = Clock::now();
    std::vector<std::unique_ptr<Stream>> streams;
    for (int i = 0; i < o_.concurrency; ++i) {
      streams.push_back(std::make_unique<Stream>(this));
    }
    for (auto& s : streams) s->Begin();
    for (auto& s : streams) s->Await();
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    json out = {{"method", "ingest-stream"},
                {"streams", o_.concurrency},
                {"batch", o_.batch},
                {"events", o_.events},
                {"seconds", secs},
                {"events_per_s", static_cast<double>(accepted_ + duplicates_ + corrected_) / secs},
                {"accepted", accepted_},
                {"duplicates", duplicates_},
                {"corrected", corrected_},
                {"rejected", rejected_},
                {"stream_errors", errors_}};
    if (!first_error_.empty()) out["first_error"] = first_error_;
    json lat = LatencyJson(batch_latencies_);
    out["batch_ack"] = lat;
    return out;
  }

 private:
  class Stream : public grpc::ClientBidiReactor<okr::v1::IngestRequest, okr::v1::IngestReply> {
   public:
    explicit Stream(IngestLoad* load) : load_(load) {}
    void Begin() {
      ctx_.AddMetadata("authorization", Bearer(load_->o_));
      load_->stub_->async()->IngestStream(&ctx_, this);
      StartCall();
      SendNext();
    }
    void Await() {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return done_; });
    }
    void OnWriteDone(bool ok) override {
      if (ok) StartRead(&reply_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) return;  // OnDone follows
      load_->Acked(reply_, Clock::now() - sent_);
      SendNext();
    }
    void OnDone(const grpc::Status& status) override {
      if (!status.ok()) load_->Failed(status);
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
      cv_.notify_all();
    }

   private:
    void SendNext() {
      const size_t i = load_->next_batch_.fetch_add(1);
      if (i >= load_->batches_.size()) {
        StartWritesDone();
        return;
      }
      sent_ = Clock::now();
      StartWrite(&load_->batches_[i]);
    }
    IngestLoad* load_;
    grpc::ClientContext ctx_;
    okr::v1::IngestReply reply_;
    Clock::time_point sent_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool done_ = false;
  };

  void Acked(const okr::v1::IngestReply& r, Clock::duration latency) {
    std::lock_guard<std::mutex> lock(mu_);
    accepted_ += r.accepted();
    duplicates_ += r.duplicates();
    corrected_ += r.corrected();
    rejected_ += r.rejected();
    if (r.rejected() > 0 && first_error_.empty() && r.errors_size() > 0) {
      first_error_ = r.errors(0).message();
    }
    batch_latencies_.push_back(
        std::chrono::duration_cast<std::chrono::nanoseconds>(latency).count());
  }
  void Failed(const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    ++errors_;
    if (first_error_.empty()) first_error_ = status.error_message();
  }

  const Options& o_;
  std::unique_ptr<okr::v1::ActualsService::Stub> stub_;
  std::vector<okr::v1::IngestRequest> batches_;
  std::atomic<size_t> next_batch_{0};
  std::mutex mu_;
  int64_t accepted_ = 0, duplicates_ = 0, corrected_ = 0, rejected_ = 0, errors_ = 0;
  std::string first_error_;
  std::vector<int64_t> batch_latencies_;
};

// ---------------------------------------------------------------- cascade, first-progress

json RunCascade(const Options& o, std::shared_ptr<grpc::Channel> channel) {
  auto stub = okr::v1::TargetService::NewStub(channel);
  json runs = json::array();
  std::vector<double> all_metrics_ms;
  for (int r = 0; r < o.runs; ++r) {
    json per_metric = json::object();
    double total = 0;
    for (const std::string& metric : o.metrics) {
      okr::v1::CascadeRequest req;
      req.set_unit_id(o.root);
      req.set_metric_id(metric);
      req.set_year(o.year);
      req.set_dry_run(o.dry_run);
      req.set_reason("bench");
      okr::v1::CascadeReply reply;
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", Bearer(o));
      const auto t0 = Clock::now();
      grpc::Status s = stub->Cascade(&ctx, req, &reply);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      if (!s.ok()) {
        std::cerr << "okr_loadgen: cascade " << metric << ": " << s.error_message() << "\n";
        std::exit(1);
      }
      per_metric[metric] = json{{"ms", ms}, {"units", reply.units()}};
      total += ms;
    }
    runs.push_back(json{{"metrics", per_metric}, {"total_ms", total}});
  }
  return json{{"method", "cascade"}, {"dry_run", o.dry_run}, {"root", o.root}, {"runs", runs}};
}

json RunFirstProgress(const Options& o, std::shared_ptr<grpc::Channel> channel) {
  auto stub = okr::v1::ProgressService::NewStub(channel);
  const auto give_up = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(o.timeout));
  int attempts = 0;
  std::string last_error;
  while (Clock::now() < give_up) {
    ++attempts;
    okr::v1::ProgressRequest req;
    req.set_unit_id(o.root);
    req.set_metric_id(o.metrics.front());
    req.set_period(std::to_string(o.year));
    req.set_as_of(o.as_of);
    okr::v1::ProgressReply reply;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", Bearer(o));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::Status s = stub->GetProgress(&ctx, req, &reply);
    if (s.ok()) {
      const int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
      return json{{"method", "first-progress"},
                  {"attempts", attempts},
                  {"ms_since_start", static_cast<double>(now_ns - o.since_ns) / 1e6},
                  {"events", reply.progress().events()},
                  {"actual", reply.progress().actual()}};
    }
    last_error = std::to_string(s.error_code()) + " " + s.error_message();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::cerr << "okr_loadgen: no progress answer within " << o.timeout << " s (last: " << last_error
            << ")\n";
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"okr_loadgen: load generator for okrd"};
  app.add_option("--server", o.server)->capture_default_str();
  app.add_option("--token", o.token);
  app.add_option("--token-file", o.token_file, "read the bearer token from this file");
  app.add_option("--method", o.method, "health|progress|ingest-stream|cascade|first-progress")
      ->capture_default_str();
  app.add_option("--concurrency", o.concurrency, "calls (or streams) in flight")
      ->capture_default_str();
  app.add_option("--rate", o.rate, "open loop: calls per second (0: closed loop)");
  app.add_option("--duration", o.duration, "measured seconds")->capture_default_str();
  app.add_option("--warmup", o.warmup, "seconds before measuring")->capture_default_str();
  app.add_option("--org", o.org, "org CSV (units for progress and ingest)");
  app.add_option("--metrics", o.metrics, "metric ids")->delimiter(',');
  app.add_option("--ratio-metrics", o.ratio_metrics, "which of --metrics are ratios")
      ->delimiter(',');
  app.add_option("--year", o.year)->capture_default_str();
  app.add_option("--days", o.days, "ingest: events dated within the year's last N days")
      ->check(CLI::Range(1, 365))
      ->capture_default_str();
  app.add_option("--as-of", o.as_of, "progress as of this day (default: server today)");
  app.add_option("--seed", o.seed)->capture_default_str();
  app.add_option("--events", o.events)->capture_default_str();
  app.add_option("--batch", o.batch, "events per IngestRequest")->capture_default_str();
  app.add_option("--id-prefix", o.id_prefix, "event id prefix")->capture_default_str();
  app.add_option("--runs", o.runs)->capture_default_str();
  app.add_flag("--dry-run", o.dry_run, "cascade: compute only");
  app.add_option("--root", o.root, "the unit to cascade from / query")->capture_default_str();
  app.add_option("--since-ns", o.since_ns, "first-progress: start time, epoch ns");
  app.add_option("--timeout", o.timeout, "first-progress: give up after seconds");
  CLI11_PARSE(app, argc, argv);

  if (!o.token_file.empty()) {
    std::ifstream in(o.token_file);
    std::getline(in, o.token);
  }
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(16 << 20);
  args.SetMaxReceiveMessageSize(16 << 20);
  // Reconnect quickly (gRPC's default first backoff is 1 s, which would quantise the restart
  // measurement to whole seconds).
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 5);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 5);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 50);
  auto channel = grpc::CreateCustomChannel(o.server, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10)) &&
      o.method != "first-progress") {
    std::cerr << "okr_loadgen: cannot connect to " << o.server << "\n";
    return 1;
  }

  json out;
  if (o.method == "health" || o.method == "progress") {
    if (o.method == "progress" && o.org.empty()) {
      std::cerr << "okr_loadgen: --method progress needs --org\n";
      return 2;
    }
    UnaryLoad load(o, channel);
    out = load.Run();
  } else if (o.method == "ingest-stream") {
    if (o.org.empty()) {
      std::cerr << "okr_loadgen: --method ingest-stream needs --org\n";
      return 2;
    }
    IngestLoad load(o, channel);
    out = load.Run();
  } else if (o.method == "cascade") {
    out = RunCascade(o, channel);
  } else if (o.method == "first-progress") {
    out = RunFirstProgress(o, channel);
  } else {
    std::cerr << "okr_loadgen: unknown --method " << o.method << "\n";
    return 2;
  }
  std::cout << out.dump() << std::endl;
  return 0;
}
