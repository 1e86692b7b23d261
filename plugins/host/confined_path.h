// Where a caller-named path really leads, and whether that is inside a given folder: the one
// rule behind "plugins load only from --plugin-dir" (plugin_trust.h) and "backups go only
// under --backup-dir" (services/core/backup_ops.h).
#ifndef OKR_PLUGINS_HOST_CONFINED_PATH_H_
#define OKR_PLUGINS_HOST_CONFINED_PATH_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace okr {

struct ConfinedPath {
  std::string folder;    // the folder, canonical (realpath)
  std::string resolved;  // the path: the part that exists realpath'd, the rest normalised
  bool inside = false;   // resolved lies strictly inside folder
};

// `path` is absolute or relative to `folder`. FAILED_PRECONDITION when `folder` cannot be
// resolved (it must exist); INVALID_ARGUMENT for a path with a NUL byte.
absl::StatusOr<ConfinedPath> ResolveUnder(std::string_view folder, std::string_view path);

}  // namespace okr

#endif  // OKR_PLUGINS_HOST_CONFINED_PATH_H_
