// Where okrd finds its plugins when no --plugin-dir is given: beside the program, so that
// both a build folder (build/okrd, build/plugins/) and an installed package (/usr/bin/okrd,
// /usr/lib/okr/plugins/) load the shipped plugins with no flag.
#ifndef OKR_SERVICES_CORE_PLUGIN_FOLDER_H_
#define OKR_SERVICES_CORE_PLUGIN_FOLDER_H_

#include <string>

namespace okr {

// The first folder that exists of `<exe_dir>/plugins` and `<exe_dir>/../lib/okr/plugins`
// (made absolute and normal), or "" when neither does.
std::string DefaultPluginFolder(const std::string& exe_dir);

// The folder of the running program (from /proc/self/exe), or "" when it cannot be read.
std::string ProgramFolder();

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PLUGIN_FOLDER_H_
