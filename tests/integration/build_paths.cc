#include "tests/integration/build_paths.h"

namespace okr::testing {

const char* OkrdPath() { return OKRD_PATH; }
const char* OkrctlPath() { return OKRCTL_PATH; }
const char* PluginDir() { return OKR_PLUGIN_DIR; }
const char* PluginSdkDir() { return OKR_PLUGIN_SDK_DIR; }

}  // namespace okr::testing
