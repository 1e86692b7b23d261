// A server-streaming reactor that pushes messages whenever a WatchHub topic is touched.
//
// The lifetime is the subtle part, so it lives here once: gRPC calls OnDone when it is
// finished with the reactor, but work posted to the pool may still be running; the reactor
// deletes itself when both have happened. After Unsubscribe returns no new Kick can start
// (the hub calls back under its lock).
#ifndef OKR_SERVICES_API_WATCH_REACTOR_H_
#define OKR_SERVICES_API_WATCH_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/api/grpc_handoff.h"
#include "services/api/rpc.h"
#include "services/api/stream_call.h"
#include "services/core/pool_jobs.h"
#include "services/core/server_state.h"

namespace okr {

template <typename Message>
class WatchReactor : public grpc::ServerWriteReactor<Message> {
 public:
  // Subclasses call Begin() from their constructor once their own members are set. `method`
  // names the RPC in /metrics and the request log (stream_call.h).
  WatchReactor(ServerState& state, grpc::CallbackServerContext* ctx, std::string_view method)
      : state_(state), call_(ctx, method) {}

  void OnWriteDone(bool ok) override {
    TakeFromGrpc(this);
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status::OK);
      return;
    }
    if (ending_) {
      FinishLocked(*ending_);
      return;
    }
    WriteNextLocked();
  }

  void OnCancel() override {
    TakeFromGrpc(this);
    std::lock_guard<std::mutex> lock(mu_);
    FinishLocked(grpc::Status::OK);
  }

  void OnDone() override {
    TakeFromGrpc(this);
    if (subscribed_) state_.watches().Unsubscribe(subscription_);
    bool delete_now = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
      delete_now = pending_ == 0;
    }
    if (delete_now) delete this;
  }

 protected:
  // The messages to send now (called on the worker pool). An error ends the stream.
  virtual absl::StatusOr<std::vector<Message>> Collect() = 0;

  // Authorizes, subscribes to `topic` and sends the first messages.
  void Begin(const absl::StatusOr<Caller>& caller, const std::string& topic) {
    if (!caller.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      FinishLocked(ToGrpc(caller.status()));
      return;
    }
    call_.set_caller(*caller);
    subscription_ = state_.watches().Subscribe(
        topic, caller->token_id, [this] { Kick(); }, [this](const absl::Status& why) { End(why); });
    subscribed_ = true;
    Kick();
  }

  ServerState& state_;

 private:
  // The hub ends the stream (its token was revoked, or okrd is stopping): nothing more is
  // sent, and the status goes out now, or after the write gRPC holds, which cannot be taken
  // back.
  void End(const absl::Status& why) {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_ || done_) return;
    queue_.clear();
    if (writing_) {
      ending_ = ToGrpc(why);
    } else {
      FinishLocked(ToGrpc(why));
    }
  }

  void Kick() {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_ || done_ || ending_) return;
    ++pending_;
    PostGuarded(state_.pool(), "watch", [this] { Run(); });
  }

  void Run() {
    // A Collect that throws ends the stream with INTERNAL; the bookkeeping below always runs.
    absl::StatusOr<std::vector<Message>> messages = StatusOfCall([this] { return Collect(); });
    bool last_reference = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      --pending_;
      if (done_) {
        last_reference = pending_ == 0;
      } else if (!messages.ok()) {
        FinishLocked(ToGrpc(messages.status()));
      } else {
        for (Message& m : *messages) queue_.push_back(std::move(m));
        WriteNextLocked();
      }
    }
    if (last_reference) delete this;
  }

  void WriteNextLocked() {
    if (writing_ || finished_ || ending_ || queue_.empty()) return;
    current_ = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    HandToGrpc(this);
    this->StartWrite(&current_);
  }

  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    const grpc::Status ended = call_.Ends(status);
    HandToGrpc(this);
    this->Finish(ended);
  }

  StreamCall call_;
  uint64_t subscription_ = 0;
  bool subscribed_ = false;
  std::mutex mu_;
  std::deque<Message> queue_;
  Message current_;
  bool writing_ = false;
  std::optional<grpc::Status> ending_;  // End() came while a write was in flight
  bool finished_ = false;
  bool done_ = false;
  int pending_ = 0;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_WATCH_REACTOR_H_
