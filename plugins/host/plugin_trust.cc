#include "plugins/host/plugin_trust.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "plugins/host/confined_path.h"

namespace okr::plugins {
namespace {

namespace fs = std::filesystem;

// absl here predates std::string_view interoperability: absl::StrCat takes absl::string_view.
absl::string_view Sv(std::string_view text) { return {text.data(), text.size()}; }

std::string Octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Owned by root or by us, writable by nobody else. `what` is "" for the file itself or
// "its folder D " for the folder that holds it.
absl::Status CheckOwnerAndMode(const struct stat& st, const std::string& plugin,
                               const std::string& object, const std::string& what) {
  const uid_t self = ::geteuid();
  if (st.st_uid != 0 && st.st_uid != self) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot load plugin ", plugin, ": ", what, "is owned by uid ", st.st_uid,
                     "; a plugin runs as okrd, so it must be owned by root or by okrd's user (uid ",
                     self, "): chown root ", object));
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot load plugin ", plugin, ": ", what, "is group- or world-writable (mode ",
        Octal(st.st_mode), "); a plugin runs as okrd, so only its owner may change it: chmod go-w ",
        object));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ResolvePluginFile(std::string_view dir, std::string_view request) {
  if (request.empty()) {
    return absl::InvalidArgumentError(
        "plugin load needs a plugin name (e.g. tiered_bonus) or a file in okrd's plugin folder");
  }
  if (dir.empty()) {
    return absl::FailedPreconditionError(
        "okrd has no plugin folder: start it with --plugin-dir DIR, put the plugin there and "
        "load it by name");
  }
  std::string file(request);
  if (file.find('/') == std::string::npos) {
    const bool has_suffix = file.size() > 3 && file.compare(file.size() - 3, 3, ".so") == 0;
    if (!has_suffix) file += ".so";  // a plugin name
  }
  absl::StatusOr<ConfinedPath> path = ResolveUnder(dir, file);
  if (!path.ok()) {
    return absl::Status(path.status().code(),
                        absl::StrCat("plugin ", Sv(request), ": ", path.status().message()));
  }
  if (!path->inside) {
    return absl::PermissionDeniedError(
        absl::StrCat("plugin ", Sv(request), " resolves to ", path->resolved,
                     ", outside okrd's plugin folder ", path->folder,
                     ": okrd loads plugins only from its --plugin-dir; copy the file there and "
                     "load it by name"));
  }
  std::error_code ec;
  if (!fs::exists(path->resolved, ec)) {
    return absl::NotFoundError(absl::StrCat("no plugin file ", path->resolved,
                                            " in the plugin folder ", path->folder,
                                            " (the name tiered_bonus loads tiered_bonus.so)"));
  }
  return path->resolved;
}

absl::Status CheckTrustedPluginFile(const std::string& path) {
  // The file dlopen maps is the symlink's target; check it and the folder that holds it.
  char real[PATH_MAX];
  if (::realpath(path.c_str(), real) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot load plugin ", path, ": not a loadable library: ", std::strerror(errno)));
  }
  struct stat file {};
  if (::stat(real, &file) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot load plugin ", path, ": not a loadable library: ", std::strerror(errno)));
  }
  if (!S_ISREG(file.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot load plugin ", path, ": ", real, " is not a regular file"));
  }
  if (absl::Status s = CheckOwnerAndMode(file, path, real, ""); !s.ok()) return s;
  const std::string folder = fs::path(real).parent_path().string();
  struct stat dir {};
  if (::stat(folder.c_str(), &dir) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("cannot load plugin ", path, ": its folder ",
                                                   folder, ": ", std::strerror(errno)));
  }
  return CheckOwnerAndMode(dir, path, folder, "its folder " + folder + " ");
}

}  // namespace okr::plugins
