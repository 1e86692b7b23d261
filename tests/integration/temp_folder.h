// Temporary folders for tests that must name a folder before okrd starts: a plugin folder
// holding copies of the shipped plugins, a parent for --backup-dir.
#ifndef OKR_TESTS_INTEGRATION_TEMP_FOLDER_H_
#define OKR_TESTS_INTEGRATION_TEMP_FOLDER_H_

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "tests/integration/build_paths.h"

namespace okr::testing {

// A fresh folder under /tmp (mode 0700, ours), removed with everything in it.
class TempFolder {
 public:
  TempFolder() {
    char path[] = "/tmp/okr-folderXXXXXX";
    path_ = ::mkdtemp(path);
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

  // Copies the shipped plugin `file` (e.g. "tiered_bonus.so", from PluginDir()) in as
  // `as` (default: the same name) with mode `mode`; returns its path.
  std::string CopyPlugin(const std::string& file, const std::string& as = "",
                         unsigned mode = 0755) const {
    const std::string to = path_ + "/" + (as.empty() ? file : as);
    std::filesystem::copy_file(std::string(PluginDir()) + "/" + file, to,
                               std::filesystem::copy_options::overwrite_existing);
    ::chmod(to.c_str(), static_cast<mode_t>(mode));
    return to;
  }

 private:
  std::string path_;
};

// The permission bits of `path` (e.g. 0700), or -1 when it cannot be inspected.
inline int ModeOf(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

}  // namespace okr::testing

#endif  // OKR_TESTS_INTEGRATION_TEMP_FOLDER_H_
