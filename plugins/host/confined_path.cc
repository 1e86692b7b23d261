#include "plugins/host/confined_path.h"

#include <filesystem>
#include <system_error>

#include "absl/status/status.h"

namespace okr {

absl::StatusOr<ConfinedPath> ResolveUnder(std::string_view folder, std::string_view path) {
  namespace fs = std::filesystem;
  if (path.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("path holds a NUL byte");
  }
  std::error_code ec;
  const fs::path root = fs::canonical(fs::path(std::string(folder)), ec);
  if (ec) {
    return absl::FailedPreconditionError("folder " + std::string(folder) +
                                         " cannot be resolved: " + ec.message());
  }
  fs::path wanted(std::string{path});
  if (wanted.is_relative()) wanted = root / wanted;
  // realpath of the part that exists (every symlink followed), the rest normalised lexically,
  // so that a path not created yet is still placed inside or outside the folder.
  const fs::path resolved = fs::weakly_canonical(wanted, ec);
  if (ec) {
    return absl::InvalidArgumentError(std::string(path) + " cannot be resolved: " + ec.message());
  }
  ConfinedPath out;
  out.folder = root.string();
  out.resolved = resolved.string();
  const std::string prefix = out.folder == "/" ? out.folder : out.folder + "/";
  out.inside =
      out.resolved.size() > prefix.size() && out.resolved.compare(0, prefix.size(), prefix) == 0;
  return out;
}

}  // namespace okr
