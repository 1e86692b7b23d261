// Where this build put the programs and folders the tests drive. The paths are compiled into
// build_paths.cc alone (okr_drives_okrd in tests/CMakeLists.txt): a test file that embedded
// them would differ from one checkout to the next and never be a ccache hit in a fresh clone.
#ifndef OKR_TESTS_INTEGRATION_BUILD_PATHS_H_
#define OKR_TESTS_INTEGRATION_BUILD_PATHS_H_

namespace okr::testing {

const char* OkrdPath();
const char* OkrctlPath();
// The shipped plugins of this build (tiered_bonus.so, threshold_redline.so, recognition.so).
const char* PluginDir();
// plugins/sdk: the C ABI header a test plugin is compiled against.
const char* PluginSdkDir();

}  // namespace okr::testing

#endif  // OKR_TESTS_INTEGRATION_BUILD_PATHS_H_
