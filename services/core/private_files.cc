#include "services/core/private_files.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

namespace okr {
namespace {

namespace fs = std::filesystem;

absl::Status Chmod(const fs::path& path, unsigned mode) {
  if (::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) {
    return absl::FailedPreconditionError("cannot restrict " + path.string() + " to mode " +
                                         (mode == kPrivateFolderMode ? "0700" : "0600") + ": " +
                                         std::strerror(errno));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status MakePrivateFolder(const std::string& dir) {
  fs::path path(dir);
  std::error_code ec;
  // The missing ancestors first, outermost first, each created 0700 (mkdir applies the mode
  // through the umask, which can only take bits away).
  std::vector<fs::path> missing;
  for (fs::path p = path; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), static_cast<mode_t>(kPrivateFolderMode)) != 0 && errno != EEXIST) {
      return absl::FailedPreconditionError("cannot create folder " + it->string() + ": " +
                                           std::strerror(errno));
    }
  }
  if (!fs::is_directory(path, ec)) {
    return absl::FailedPreconditionError(dir + " is not a folder");
  }
  return Chmod(path, kPrivateFolderMode);
}

absl::Status MakeTreePrivate(const std::string& root) {
  if (absl::Status s = Chmod(root, kPrivateFolderMode); !s.ok()) return s;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::file_status status = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_directory(status)) {
      if (absl::Status s = Chmod(it->path(), kPrivateFolderMode); !s.ok()) return s;
    } else if (fs::is_regular_file(status)) {
      if (absl::Status s = Chmod(it->path(), kPrivateFileMode); !s.ok()) return s;
    }
  }
  if (ec) return absl::FailedPreconditionError("cannot list " + root + ": " + ec.message());
  return absl::OkStatus();
}

}  // namespace okr
