// Index keys read in order beyond a bound, chunk by chunk, and several indexes merged into one
// order: how History and ListAlerts read a page of a unit's subtree (one index range per unit)
// without reading the whole family.
//
// A range is the keys of a column family that start with a prefix; a key's "position" is what
// follows the prefix (e.g. an audit sequence number, KeyBuilder-encoded), and positions of
// every range compare in the list's order as bytes.
#ifndef OKR_SERVICES_CORE_INDEX_MERGE_H_
#define OKR_SERVICES_CORE_INDEX_MERGE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/org.h"
#include "store/db.h"

namespace okr {

struct IndexRange {
  store::Cf cf = store::Cf::kMeta;
  std::string prefix;
};

class IndexMerge {
 public:
  // Positions after `bound` in ascending order, or (descending) below it in descending order;
  // an empty bound: from the first (or last) position. A position present in several ranges
  // comes once.
  IndexMerge(const store::Db& db, const std::vector<IndexRange>& ranges, std::string bound,
             bool descending);

  // The next position in the merged order; nullopt once every range is read.
  absl::StatusOr<std::optional<std::string>> Next();

 private:
  struct Source {
    IndexRange range;
    std::string resume;              // the last position read (or the bound)
    std::vector<std::string> chunk;  // read, not yet taken
    size_t taken = 0;                // of chunk
    bool exhausted = false;          // nothing after `resume`
  };
  // Reads the next chunk of `source` when its current one is used up.
  absl::Status Refill(Source& source);

  const store::Db& db_;
  bool descending_;
  std::vector<Source> sources_;
  std::optional<std::string> last_;  // the position returned last
};

// Above this many ranges (units), a list reads its one range of everything and filters: at
// that size the subtree is a large part of the org anyway.
inline constexpr size_t kMaxMergedRanges = 256;

// `unit` and every unit ever below it (any parent it had on any day), or nullopt when they
// are more than `cap`.
std::optional<std::vector<std::string>> UnitsBelowEver(const OrgSnapshot& org,
                                                       std::string_view unit, size_t cap);
// Every unit that `unit` was ever below, not `unit` itself.
std::vector<std::string> UnitsAboveEver(const OrgSnapshot& org, std::string_view unit);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_INDEX_MERGE_H_
