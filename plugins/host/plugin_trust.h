// Which plugin files okrd trusts enough to dlopen. A plugin runs inside okrd, with okrd's access
// to the database and every token hash, so loading a file is running its code as okrd:
//
//   1. The file lies inside the plugin folder (--plugin-dir) once every symlink is followed
//      (realpath). A caller names a plugin ("tiered_bonus" is <folder>/tiered_bonus.so), a file
//      of the folder, or a path that resolves into it; nothing else. ResolvePluginFile.
//   2. The file is a regular file owned by root or by okrd's own effective uid, and neither it
//      nor the folder that holds it is group- or world-writable: nobody but its owner can
//      change or swap it between the check and dlopen. CheckTrustedPluginFile, applied by
//      PluginLibrary::Open to every load, directory scan and reload.
#ifndef OKR_PLUGINS_HOST_PLUGIN_TRUST_H_
#define OKR_PLUGINS_HOST_PLUGIN_TRUST_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace okr::plugins {

// The canonical path of the plugin file `request` names inside the plugin folder `dir`.
// `request` is a plugin name (no '/', no ".so": <dir>/<name>.so), a file name of the folder
// (<dir>/<name>), or a path: absolute, or relative to the folder.
// INVALID_ARGUMENT: empty request. FAILED_PRECONDITION: no plugin folder (`dir` empty) or one
// that cannot be resolved. PERMISSION_DENIED: the file resolves outside the folder.
// NOT_FOUND: no such file in the folder.
absl::StatusOr<std::string> ResolvePluginFile(std::string_view dir, std::string_view request);

// OK when `path` (followed if a symlink) is a regular file owned by root or by this process's
// effective uid, without group- or world-write permission, in a folder that is owned the same
// way and not group- or world-writable either. PERMISSION_DENIED otherwise, naming the file,
// what is wrong, and the chmod or chown that fixes it. INVALID_ARGUMENT when it cannot be
// inspected (no such file).
absl::Status CheckTrustedPluginFile(const std::string& path);

}  // namespace okr::plugins

#endif  // OKR_PLUGINS_HOST_PLUGIN_TRUST_H_
