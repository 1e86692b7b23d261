#include "services/core/index_merge.h"

#include <set>

#include "store/keys.h"

namespace okr {
namespace {

// Keys read per range at a time: a page of a few items reads little; a long page reads in
// few iterator seeks.
constexpr size_t kIndexChunk = 128;

}  // namespace

IndexMerge::IndexMerge(const store::Db& db, const std::vector<IndexRange>& ranges,
                       std::string bound, bool descending)
    : db_(db), descending_(descending) {
  sources_.reserve(ranges.size());
  for (const IndexRange& range : ranges) sources_.push_back(Source{range, bound, {}, 0, false});
}

absl::Status IndexMerge::Refill(Source& source) {
  if (source.taken < source.chunk.size() || source.exhausted) return absl::OkStatus();
  source.chunk.clear();
  source.taken = 0;
  const std::string& prefix = source.range.prefix;
  auto collect = [&](std::string_view key, std::string_view) {
    source.chunk.emplace_back(key.substr(prefix.size()));
    return source.chunk.size() < kIndexChunk;
  };
  absl::Status s;
  if (descending_) {
    const std::string end =
        source.resume.empty() ? store::PrefixSuccessor(prefix) : prefix + source.resume;
    s = db_.ScanRangeReverse(source.range.cf, prefix, end, collect);
  } else {
    // The smallest key above prefix + resume is that key with a 0 byte appended.
    const std::string begin =
        source.resume.empty() ? prefix : prefix + source.resume + std::string(1, '\0');
    s = db_.ScanRange(source.range.cf, begin, store::PrefixSuccessor(prefix), collect);
  }
  if (!s.ok()) return s;
  if (source.chunk.size() < kIndexChunk) source.exhausted = true;
  if (!source.chunk.empty()) source.resume = source.chunk.back();
  return absl::OkStatus();
}

std::optional<std::vector<std::string>> UnitsBelowEver(const OrgSnapshot& org,
                                                       std::string_view unit, size_t cap) {
  std::set<std::string, std::less<>> seen{std::string(unit)};
  std::vector<std::string> frontier{std::string(unit)};
  while (!frontier.empty()) {
    const std::string current = std::move(frontier.back());
    frontier.pop_back();
    for (const std::string& child : org.ChildrenEver(current)) {
      if (!seen.insert(child).second) continue;
      if (seen.size() > cap) return std::nullopt;
      frontier.push_back(child);
    }
  }
  return std::vector<std::string>(seen.begin(), seen.end());
}

std::vector<std::string> UnitsAboveEver(const OrgSnapshot& org, std::string_view unit) {
  std::set<std::string, std::less<>> seen{std::string(unit)};
  std::vector<std::string> frontier{std::string(unit)}, above;
  while (!frontier.empty()) {
    const Unit* current = org.Find(frontier.back());
    frontier.pop_back();
    if (current == nullptr) continue;
    std::vector<std::string> parents;
    if (!current->parent_id.empty()) parents.push_back(current->parent_id);
    for (const Move& move : current->moves) parents.push_back(move.parent_id);
    for (std::string& parent : parents) {
      if (parent.empty() || !seen.insert(parent).second) continue;
      above.push_back(parent);
      frontier.push_back(std::move(parent));
    }
  }
  return above;
}

absl::StatusOr<std::optional<std::string>> IndexMerge::Next() {
  while (true) {
    Source* best = nullptr;
    for (Source& source : sources_) {
      if (absl::Status s = Refill(source); !s.ok()) return s;
      if (source.taken >= source.chunk.size()) continue;
      const std::string& head = source.chunk[source.taken];
      if (best == nullptr) {
        best = &source;
        continue;
      }
      const std::string& best_head = best->chunk[best->taken];
      if (descending_ ? head > best_head : head < best_head) best = &source;
    }
    if (best == nullptr) return std::nullopt;
    std::string position = std::move(best->chunk[best->taken++]);
    if (last_ && *last_ == position) continue;  // the same position in another range
    last_ = position;
    return position;
  }
}

}  // namespace okr
