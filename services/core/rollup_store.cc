#include "services/core/rollup_store.h"

#include <algorithm>
#include <map>
#include <queue>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/core/log.h"
#include "store/codecs.h"
#include "store/damage.h"
#include "store/keys.h"
#include "store/records.pb.h"

namespace okr {
namespace {

// The RollupSnapshot in force on this thread (of one store; views of two stores do not mix).
thread_local const RollupSnapshot* current_view = nullptr;

absl::StatusOr<uint64_t> ReadCheckpointSeq(const store::Db& db) {
  store::RollupCheckpointMark mark;
  auto found = db.GetProto(store::Cf::kMeta, store::kRollupCheckpointKey, &mark);
  if (!found.ok()) return found.status();
  return mark.seq();
}

absl::StatusOr<RollupSegment> DecodeJournalEntry(std::string_view key, std::string_view value) {
  store::KeyReader reader(key);
  std::optional<int64_t> seq = reader.I64();
  store::RollupJournalEntry entry;
  if (!seq || !reader.done() || *seq <= 0 ||
      !entry.ParseFromArray(value.data(), static_cast<int>(value.size())) ||
      entry.value_micros_size() != entry.keys_size() ||
      entry.denominator_micros_size() != entry.keys_size() ||
      entry.events_size() != entry.keys_size()) {
    return absl::DataLossError(absl::StrCat("the roll-up journal entry \"", store::EscapeBytes(key),
                                            "\" does not parse (run okrd --verify)"));
  }
  RollupSegment segment;
  segment.seq = static_cast<uint64_t>(*seq);
  segment.deltas.reserve(entry.keys_size());
  for (int i = 0; i < entry.keys_size(); ++i) {
    segment.deltas.emplace_back(
        std::move(*entry.mutable_keys(i)),
        store::RollupValue{entry.value_micros(i), entry.denominator_micros(i), entry.events(i)});
  }
  return segment;
}

// Calls fn with every journal entry after `after_seq`, in order.
absl::Status ForEachJournalEntry(const store::Db& db, uint64_t after_seq,
                                 const std::function<void(RollupSegment)>& fn) {
  absl::Status damaged;
  absl::Status s = db.ScanRange(store::Cf::kRollupJournal, store::CommandKey(after_seq + 1), "",
                                [&](std::string_view key, std::string_view value) {
                                  absl::StatusOr<RollupSegment> segment =
                                      DecodeJournalEntry(key, value);
                                  if (!segment.ok()) {
                                    damaged = segment.status();
                                    return false;
                                  }
                                  fn(*std::move(segment));
                                  return true;
                                });
  if (!s.ok()) return s;
  return damaged;
}

absl::Status Overflow(std::string_view key) {
  return absl::DataLossError(absl::StrCat("the roll-up \"", store::EscapeBytes(key),
                                          "\" adds up beyond int64 (run okrd --verify)"));
}

}  // namespace

absl::Status RollupStore::Load() {
  absl::StatusOr<uint64_t> checkpoint = ReadCheckpointSeq(*db_);
  if (!checkpoint.ok()) return checkpoint.status();
  std::deque<std::shared_ptr<const RollupSegment>> segments;
  absl::Status s = ForEachJournalEntry(*db_, *checkpoint, [&](RollupSegment segment) {
    segments.push_back(std::make_shared<const RollupSegment>(std::move(segment)));
  });
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  checkpoint_seq_ = *checkpoint;
  segments_ = std::move(segments);
  return absl::OkStatus();
}

void RollupStore::Record(uint64_t seq, RollupDeltas deltas, Applied& applied) {
  auto segment = std::make_shared<RollupSegment>();
  segment->seq = seq;
  segment->deltas = std::move(deltas).TakeSorted();
  if (segment->deltas.empty()) return;
  store::RollupJournalEntry entry;
  const int n = static_cast<int>(segment->deltas.size());
  entry.mutable_keys()->Reserve(n);
  entry.mutable_value_micros()->Reserve(n);
  entry.mutable_denominator_micros()->Reserve(n);
  entry.mutable_events()->Reserve(n);
  for (const auto& [key, value] : segment->deltas) {
    entry.add_keys(key);
    entry.add_value_micros(value.value_micros);
    entry.add_denominator_micros(value.denominator_micros);
    entry.add_events(value.events);
  }
  applied.batch.PutProto(store::Cf::kRollupJournal, store::CommandKey(seq), entry);
  applied.after_write.push_back([this, segment = std::shared_ptr<const RollupSegment>(segment)] {
    std::lock_guard<std::mutex> lock(mu_);
    segments_.push_back(segment);
  });
}

absl::Status RollupStore::ScanRange(std::string_view begin, std::string_view end,
                                    const RollupVisitor& fn) const {
  if (current_view != nullptr && &current_view->store_ == this) {
    return current_view->ScanRange(begin, end, fn);
  }
  if (store::ReadSnapshot::InForceOn(*db_)) {
    return absl::InternalError(
        "roll-ups were read inside a store::ReadSnapshot without a RollupSnapshot: that view's "
        "point in time is not the roll-ups' (take a RollupSnapshot instead)");
  }
  RollupSnapshot now(*this);
  return now.ScanRange(begin, end, fn);
}

absl::Status RollupStore::Checkpoint() {
  std::lock_guard<std::mutex> checkpoint_lock(checkpoint_mu_);
  std::vector<std::shared_ptr<const RollupSegment>> segments;
  {
    std::lock_guard<std::mutex> lock(mu_);
    segments.assign(segments_.begin(), segments_.end());
  }
  if (segments.empty()) return absl::OkStatus();
  const uint64_t last = segments.back()->seq;
  // Summed per key across the segments, so that a unit's day or month that several commands
  // touched is written once, in key order (RocksDB takes sorted keys in a batch markedly
  // faster): a merge of the segments, each already in key order.
  using Delta = std::pair<std::string, store::RollupValue>;
  struct Cursor {
    const Delta* at;
    const Delta* end;
  };
  auto later = [](const Cursor& a, const Cursor& b) { return a.at->first > b.at->first; };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(later)> next(later);
  for (const auto& segment : segments) {
    const Delta* begin = segment->deltas.data();
    if (!segment->deltas.empty()) next.push({begin, begin + segment->deltas.size()});
  }
  store::Batch batch = db_->NewBatch();
  std::string_view key;  // into a segment, which `segments` keeps alive
  store::RollupValue sum;
  auto write = [&] {
    if (sum != store::RollupValue{}) batch.Merge(store::Cf::kRollups, key, sum.Encode());
  };
  bool any = false;
  while (!next.empty()) {
    Cursor cursor = next.top();
    next.pop();
    if (any && cursor.at->first != key) {
      write();
      sum = {};
    }
    key = cursor.at->first;
    any = true;
    if (!sum.AddChecked(cursor.at->second)) return Overflow(key);
    if (++cursor.at != cursor.end) next.push(cursor);
  }
  if (any) write();
  store::RollupCheckpointMark mark;
  mark.set_seq(last);
  batch.PutProto(store::Cf::kMeta, store::kRollupCheckpointKey, mark);
  batch.DeleteRange(store::Cf::kRollupJournal, store::CommandKey(0), store::CommandKey(last + 1));
  TestPause("before_write", last);
  if (absl::Status s = db_->Write(batch, /*sync=*/false); !s.ok()) return s;
  TestPause("after_write", last);
  // Snapshots taken from here on read the new mark, so they no longer need these segments;
  // the ones taken before hold their own references.
  std::lock_guard<std::mutex> lock(mu_);
  while (!segments_.empty() && segments_.front()->seq <= last) segments_.pop_front();
  checkpoint_seq_ = last;
  return absl::OkStatus();
}

void RollupStore::TestPause(std::string_view phase, uint64_t seq) const {
  if (test_delay_.count() == 0) return;
  Log(LogLevel::kInfo, "rollups.checkpoint_test_pause",
      {{"phase", phase}, {"through_seq", static_cast<int64_t>(seq)}});
  std::this_thread::sleep_for(test_delay_);
}

uint64_t RollupStore::checkpoint_seq() const {
  std::lock_guard<std::mutex> lock(mu_);
  return checkpoint_seq_;
}

size_t RollupStore::pending_segments() const {
  std::lock_guard<std::mutex> lock(mu_);
  return segments_.size();
}

RollupSnapshot::RollupSnapshot(const RollupStore& store) : store_(store), outer_(current_view) {
  if (current_view != nullptr && &current_view->store_ == &store) {
    nested_ = true;
    return;
  }
  {
    // Under the store's lock, so that the database's point in time and the segments agree: a
    // checkpoint drops segments only after its batch is written, under this lock.
    std::lock_guard<std::mutex> lock(store.mu_);
    snapshot_.emplace(*store.db_);
    absl::StatusOr<uint64_t> checkpoint = ReadCheckpointSeq(*store.db_);
    if (!checkpoint.ok()) {
      status_ = checkpoint.status();
    } else {
      for (const auto& segment : store.segments_) {
        if (segment->seq > *checkpoint) segments_.push_back(segment);
      }
    }
  }
  current_view = this;
}

RollupSnapshot::~RollupSnapshot() {
  if (nested_) return;
  current_view = outer_;
}

absl::Status RollupSnapshot::ScanRange(std::string_view begin, std::string_view end,
                                       const RollupVisitor& fn) const {
  if (nested_) return outer_->ScanRange(begin, end, fn);
  if (!status_.ok()) return status_;
  // The pending deltas in the range, summed per key; a range is a unit's days or months.
  std::map<std::string, store::RollupValue, std::less<>> pending;
  for (const auto& segment : segments_) {
    auto it = std::lower_bound(segment->deltas.begin(), segment->deltas.end(), begin,
                               [](const auto& entry, std::string_view key) {
                                 return std::string_view(entry.first) < key;
                               });
    for (; it != segment->deltas.end() && (end.empty() || it->first < end); ++it) {
      if (!pending[it->first].AddChecked(it->second)) return Overflow(it->first);
    }
  }
  // Merged with the stored values in key order. A key that adds up to zero is skipped: whether
  // its deltas were checkpointed (a stored zero) or not (none) must not show.
  auto next = pending.begin();
  bool go_on = true;
  absl::Status failed;
  auto visit = [&](std::string_view key, const store::RollupValue& value) {
    return value == store::RollupValue{} || fn(key, value);
  };
  absl::Status s = store_.db_->ScanRange(
      store::Cf::kRollups, begin, end, [&](std::string_view key, std::string_view bytes) {
        for (; next != pending.end() && next->first < key && go_on; ++next) {
          go_on = visit(next->first, next->second);
        }
        if (!go_on) return false;
        store::RollupValue value = store::RollupValue::Decode(bytes);  // damaged: zero
        if (next != pending.end() && next->first == key) {
          if (!value.AddChecked(next->second)) {
            failed = Overflow(key);
            return false;
          }
          ++next;
        }
        go_on = visit(key, value);
        return go_on;
      });
  if (!s.ok()) return s;
  if (!failed.ok()) return failed;
  for (; next != pending.end() && go_on; ++next) go_on = visit(next->first, next->second);
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, store::RollupValue>> JournalAfterCheckpoint(
    const store::Db& db) {
  absl::StatusOr<uint64_t> checkpoint = ReadCheckpointSeq(db);
  if (!checkpoint.ok()) return checkpoint.status();
  std::map<std::string, store::RollupValue> sums;
  absl::Status overflow;
  absl::Status s = ForEachJournalEntry(db, *checkpoint, [&](RollupSegment segment) {
    for (const auto& [key, delta] : segment.deltas) {
      if (!sums[key].AddChecked(delta) && overflow.ok()) overflow = Overflow(key);
    }
  });
  if (!s.ok()) return s;
  if (!overflow.ok()) return overflow;
  return sums;
}

}  // namespace okr
