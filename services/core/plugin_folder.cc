#include "services/core/plugin_folder.h"

#include <filesystem>
#include <system_error>

namespace okr {

namespace fs = std::filesystem;

std::string DefaultPluginFolder(const std::string& exe_dir) {
  if (exe_dir.empty()) return "";
  for (const fs::path& candidate :
       {fs::path(exe_dir) / "plugins", fs::path(exe_dir) / ".." / "lib" / "okr" / "plugins"}) {
    std::error_code error;
    if (fs::is_directory(candidate, error)) {
      fs::path absolute = fs::weakly_canonical(fs::absolute(candidate, error), error);
      return error ? candidate.lexically_normal().string() : absolute.string();
    }
  }
  return "";
}

std::string ProgramFolder() {
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (error) return "";
  return exe.parent_path().string();
}

}  // namespace okr
