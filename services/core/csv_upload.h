// A CSV file as a client uploaded it, whole, with the flags of its first chunk.
#ifndef OKR_SERVICES_CORE_CSV_UPLOAD_H_
#define OKR_SERVICES_CORE_CSV_UPLOAD_H_

#include <cstddef>
#include <string>

namespace okr {

// The largest CSV file a single upload may carry.
inline constexpr size_t kMaxUploadBytes = size_t{1} << 30;

struct CsvUpload {
  std::string text;
  bool skip_invalid = false;  // store the valid rows even if some rows are bad
  bool dry_run = false;       // validate only, store nothing
};

}  // namespace okr

#endif  // OKR_SERVICES_CORE_CSV_UPLOAD_H_
