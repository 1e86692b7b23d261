#include "tests/plugins/plugin_test_util.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace okr::plugins::testing {

std::string ShippedPlugin(const std::string& name) {
  return std::string(OKR_PLUGIN_BUILD_DIR) + "/" + name + ".so";
}

std::string MakeTempDir() {
  char pattern[] = "/tmp/okr_plugin_test_XXXXXX";
  const char* dir = mkdtemp(pattern);
  if (dir == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return "/tmp";
  }
  return dir;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

void ReplaceFile(const std::string& from, const std::string& to) {
  const std::string staging = to + ".staging";
  std::filesystem::copy_file(from, staging, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::rename(staging, to);
}

std::string CompilePlugin(const std::string& dir, const std::string& stem,
                          const std::string& source, const std::string& flags) {
  const std::string source_path = dir + "/" + stem + ".cc";
  const std::string library_path = dir + "/" + stem + ".so";
  const std::string log_path = dir + "/" + stem + ".log";
  WriteFile(source_path, source);
  // Only the SDK folder on the include path: no protobuf, no project headers.
  const std::string command = std::string(OKR_CXX) +
                              " -std=c++17 -O0 -shared -fPIC -fvisibility=hidden -I" +
                              OKR_PLUGIN_SDK_DIR + " " + flags + " -o " + library_path + " " +
                              source_path + " > " + log_path + " 2>&1";
  if (std::system(command.c_str()) != 0) {
    std::ifstream log(log_path);
    std::stringstream text;
    text << log.rdbuf();
    ADD_FAILURE() << "compiling a test plugin failed: " << command << "\n" << text.str();
  }
  return library_path;
}

const char* const kTestPluginSource = R"(
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "okr_plugin_cpp.h"

#ifndef TEST_NAME
#define TEST_NAME "test_plugin"
#endif
#ifndef TEST_KIND
#define TEST_KIND OKR_PLUGIN_KIND_INCENTIVE
#endif
#ifndef TEST_VERSION
#define TEST_VERSION "1.0"
#endif

class TestPlugin {
 public:
  explicit TestPlugin(std::string_view config) : mode_(config) {
    if (mode_ == "bad_config") throw std::invalid_argument("bad config");
  }
  std::string Evaluate(std::string_view input) const {
    if (mode_ == "echo") return std::string(input);
    if (mode_ == "garbage") return std::string(12, '\xff');  // a varint that never ends
    if (mode_ == "error") {
      throw okr_plugin_sdk::Error(OKR_PLUGIN_ERROR_INTERNAL, "deliberate failure");
    }
    if (mode_ == "throw") throw std::runtime_error("boom");
    if (mode_ == "sleep") std::this_thread::sleep_for(std::chrono::milliseconds(500));
    return std::string();  // the empty message, valid for every kind
  }

 private:
  std::string mode_;
};

OKR_PLUGIN_DEFINE(TestPlugin, TEST_KIND, TEST_NAME, TEST_VERSION)
)";

const char* const kWrongAbiSource = R"(
#include "okr_plugin.h"

// A plugin from the future: the same entry symbol, a table of ABI version 2.
static okr_plugin_v1 table = {2u, OKR_PLUGIN_KIND_INCENTIVE, "future_plugin", "9.0",
                              0, 0, 0, 0};

extern "C" __attribute__((visibility("default"))) const okr_plugin_v1* okr_plugin_entry(void) {
  return &table;
}
)";

const char* const kNoEntrySource = R"(
extern "C" __attribute__((visibility("default"))) int not_a_plugin(void) { return 42; }
)";

}  // namespace okr::plugins::testing
