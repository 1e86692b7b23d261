// Test helpers: build tiny plugins with the system compiler against plugins/sdk only (the way
// an out-of-tree plugin is built), and temp folders to put them in.
#ifndef OKR_TESTS_PLUGINS_PLUGIN_TEST_UTIL_H_
#define OKR_TESTS_PLUGINS_PLUGIN_TEST_UTIL_H_

#include <string>

namespace okr::plugins::testing {

// The path of a shipped plugin built by this build: ShippedPlugin("tiered_bonus").
std::string ShippedPlugin(const std::string& name);

// A fresh empty folder under /tmp.
std::string MakeTempDir();

void WriteFile(const std::string& path, const std::string& content);

// Copies `from` to `to` atomically (copy beside, then rename), so that a library mapped from
// `to` is never overwritten in place.
void ReplaceFile(const std::string& from, const std::string& to);

// Compiles `source` with `c++ -shared -fPIC` and `flags` into `dir`/`stem`.so; returns its path.
// Fails the current test (ADD_FAILURE) with the compiler's output when compilation fails.
std::string CompilePlugin(const std::string& dir, const std::string& stem,
                          const std::string& source, const std::string& flags = "");

// The source of the configurable test plugin: its config picks the behaviour of evaluate():
// "" returns empty bytes; "echo" returns the input; "garbage" returns bytes that parse as no
// message; "error" returns OKR_PLUGIN_ERROR_INTERNAL; "throw" throws std::runtime_error;
// "sleep" sleeps 500 ms; "bad_config" makes create() throw. -DTEST_NAME=..., -DTEST_KIND=...,
// -DTEST_VERSION=... change its table.
extern const char* const kTestPluginSource;

// A plugin whose table says ABI version 2.
extern const char* const kWrongAbiSource;

// A library without the entry symbol.
extern const char* const kNoEntrySource;

}  // namespace okr::plugins::testing

#endif  // OKR_TESTS_PLUGINS_PLUGIN_TEST_UTIL_H_
