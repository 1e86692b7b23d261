// PluginHost against plugins compiled in the test with the system compiler and the SDK headers
// only: loading, every refusal, faults and disabling, reload, unload, directories.
#include "plugins/host/plugin_host.h"

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "okr/plugin/v1/plugin.pb.h"
#include "tests/plugins/plugin_test_util.h"

namespace okr::plugins {
namespace {

using testing::CompilePlugin;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::WriteFile;

constexpr absl::Duration kBudget = absl::Seconds(5);

// Test plugins are compiled on first use and kept for the rest of the process: ctest runs each
// test in its own process, so a test compiles only the variants it needs.
class PluginHostTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    if (!built_dir_.empty()) std::filesystem::remove_all(built_dir_);
    built_dir_.clear();
    built_.clear();
  }

  static const std::string& Built(const std::string& stem, const char* source,
                                  const std::string& flags = "") {
    if (built_dir_.empty()) built_dir_ = testing::MakeTempDir();
    auto it = built_.find(stem);
    if (it == built_.end()) {
      it = built_.emplace(stem, CompilePlugin(built_dir_, stem, source, flags)).first;
    }
    return it->second;
  }
  // test_plugin 1.0, incentive.
  static const std::string& Plugin() { return Built("test_plugin", testing::kTestPluginSource); }
  static const std::string& PluginV2() {
    return Built("test_plugin_v2", testing::kTestPluginSource, "-DTEST_VERSION='\"2.0\"'");
  }
  static const std::string& RecognitionPlugin() {
    return Built("test_recognition", testing::kTestPluginSource,
                 "-DTEST_NAME='\"test_recognition\"' -DTEST_KIND=OKR_PLUGIN_KIND_RECOGNITION");
  }
  static const std::string& UnknownKind() {
    return Built("unknown_kind", testing::kTestPluginSource,
                 "-DTEST_NAME='\"odd_plugin\"' -DTEST_KIND=7");
  }
  // A name with the byte 0xFF, which UTF-8 never holds.
  static const std::string& NotUtf8Name() {
    return Built("not_utf8_name", testing::kTestPluginSource, "-DTEST_NAME='\"bad\\xffname\"'");
  }
  static const std::string& WrongAbi() { return Built("wrong_abi", testing::kWrongAbiSource); }
  static const std::string& NoEntry() { return Built("no_entry", testing::kNoEntrySource); }

  void SetUp() override { dir_ = testing::MakeTempDir(); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A private copy of a built plugin, so that a test may replace or delete it.
  std::string CopyOf(const std::string& path, const std::string& name) {
    const std::string copy = dir_ + "/" + name;
    std::filesystem::copy_file(path, copy);
    return copy;
  }

  PluginInfo InfoOf(const std::string& name) {
    absl::StatusOr<PluginInfo> info = host_.Info(name);
    EXPECT_TRUE(info.ok()) << info.status();
    return info.ok() ? *info : PluginInfo{};
  }

  static inline std::string built_dir_;
  static inline std::map<std::string, std::string> built_;
  std::string dir_;
  boost::asio::thread_pool pool_{4};
  PluginHost host_{pool_};
};

TEST_F(PluginHostTest, LoadsAnOutOfTreePluginAndEvaluatesIt) {
  absl::StatusOr<PluginInfo> info = host_.Load(Plugin());
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->name, "test_plugin");
  EXPECT_EQ(info->kind, PluginKind::kIncentive);
  EXPECT_EQ(KindName(info->kind), "incentive");
  EXPECT_EQ(info->version, "1.0");
  EXPECT_EQ(info->abi_version, 1u);
  EXPECT_EQ(info->path, Plugin());
  EXPECT_TRUE(info->enabled);

  absl::StatusOr<std::string> empty = host_.Evaluate("test_plugin", "", "", kBudget);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(*empty, "");

  // Bytes pass through the ABI untouched.
  okr::plugin::v1::IncentiveOutput message;
  message.add_payouts()->set_amount(12.5);
  const std::string bytes = message.SerializeAsString();
  absl::StatusOr<std::string> echoed = host_.Evaluate("test_plugin", "echo", bytes, kBudget);
  ASSERT_TRUE(echoed.ok()) << echoed.status();
  EXPECT_EQ(*echoed, bytes);
  ASSERT_EQ(host_.List().size(), 1u);
}

TEST_F(PluginHostTest, RefusesAFileThatIsNoLibrary) {
  const std::string path = dir_ + "/x.so";
  WriteFile(path, "this is a text file, not a shared library\n");
  absl::StatusOr<PluginInfo> info = host_.Load(path);
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(info.status().message(), HasSubstr("cannot load plugin " + path));
  EXPECT_THAT(info.status().message(), HasSubstr("not a loadable library"));
  EXPECT_THAT(host_.List(), IsEmpty());
}

TEST_F(PluginHostTest, RefusesAMissingFile) {
  absl::StatusOr<PluginInfo> info = host_.Load(dir_ + "/absent.so");
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(info.status().message(), HasSubstr("absent.so"));
}

TEST_F(PluginHostTest, RefusesALibraryWithoutTheEntrySymbol) {
  absl::StatusOr<PluginInfo> info = host_.Load(NoEntry());
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(info.status().message(), HasSubstr("not an okr plugin (no symbol okr_plugin_entry)"));
  EXPECT_THAT(host_.List(), IsEmpty());
}

TEST_F(PluginHostTest, RefusesASystemLibraryAndDoesNotSearchTheLibraryPath) {
  const std::string libz = "/lib/x86_64-linux-gnu/libz.so.1";
  if (std::filesystem::exists(libz)) {
    absl::StatusOr<PluginInfo> info = host_.Load(libz);
    EXPECT_THAT(info.status().message(), HasSubstr("no symbol okr_plugin_entry"));
  }
  // A bare name means a file in the working folder, not a library found on the system path.
  absl::StatusOr<PluginInfo> bare = host_.Load("libz.so.1");
  EXPECT_EQ(bare.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bare.status().message(), HasSubstr("not a loadable library"));
  EXPECT_THAT(host_.List(), IsEmpty());
}

TEST_F(PluginHostTest, RefusesAnotherAbiVersion) {
  absl::StatusOr<PluginInfo> info = host_.Load(WrongAbi());
  EXPECT_EQ(info.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(info.status().message(),
              HasSubstr("built for plugin ABI version 2, this host supports version 1"));
  EXPECT_THAT(host_.List(), IsEmpty());
}

TEST_F(PluginHostTest, RefusesAnUnknownKind) {
  absl::StatusOr<PluginInfo> info = host_.Load(UnknownKind());
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(info.status().message(), HasSubstr("plugin odd_plugin has unknown kind 7"));
  EXPECT_THAT(host_.List(), IsEmpty());
}

TEST_F(PluginHostTest, RefusesANameThatIsNotUtf8) {
  absl::StatusOr<PluginInfo> info = host_.Load(NotUtf8Name());
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(info.status().message(),
              HasSubstr("its name is not valid text: not valid UTF-8 (byte 0xFF at offset 3)"));
  EXPECT_THAT(host_.List(), IsEmpty());
}

TEST_F(PluginHostTest, RefusesADuplicateNameAndKeepsTheFirst) {
  ASSERT_TRUE(host_.Load(Plugin()).ok());
  const std::string copy = CopyOf(Plugin(), "same_name.so");
  absl::StatusOr<PluginInfo> again = host_.Load(copy);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(again.status().message(),
              HasSubstr("a plugin named test_plugin is already loaded from " + Plugin()));
  // The same path twice is a duplicate too, and closing the refused handle does no harm.
  EXPECT_EQ(host_.Load(Plugin()).status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_EQ(host_.List().size(), 1u);
  EXPECT_EQ(host_.List()[0].path, Plugin());
  EXPECT_TRUE(host_.Evaluate("test_plugin", "", "", kBudget).ok());
}

TEST_F(PluginHostTest, LoadDirectoryReportsEachFileAndLoadsTheGoodOnes) {
  CopyOf(Plugin(), "a_good.so");
  CopyOf(RecognitionPlugin(), "b_good.so");
  CopyOf(NoEntry(), "c_no_entry.so");
  WriteFile(dir_ + "/d_text.so", "not a library");
  WriteFile(dir_ + "/README.txt", "ignored: not a .so");
  absl::StatusOr<std::vector<LoadResult>> results = host_.LoadDirectory(dir_);
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 4u);
  EXPECT_TRUE((*results)[0].status.ok());
  EXPECT_EQ((*results)[0].name, "test_plugin");
  EXPECT_TRUE((*results)[1].status.ok());
  EXPECT_EQ((*results)[1].name, "test_recognition");
  EXPECT_THAT((*results)[2].status.message(), HasSubstr("no symbol okr_plugin_entry"));
  EXPECT_EQ((*results)[2].path, dir_ + "/c_no_entry.so");
  EXPECT_THAT((*results)[3].status.message(), HasSubstr("not a loadable library"));
  ASSERT_EQ(host_.List().size(), 2u);
  EXPECT_EQ(host_.List()[1].kind, PluginKind::kRecognition);

  EXPECT_EQ(host_.LoadDirectory(dir_ + "/absent").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(PluginHostTest, GarbageOutputIsDroppedAndCounted) {
  ASSERT_TRUE(host_.Load(Plugin()).ok());
  absl::StatusOr<std::string> out = host_.Evaluate("test_plugin", "garbage", "", kBudget);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(out.status().message(),
              HasSubstr("plugin test_plugin returned 12 bytes that do not parse as "
                        "okr.plugin.v1.IncentiveOutput; evaluation dropped"));
  const PluginInfo info = InfoOf("test_plugin");
  EXPECT_EQ(info.faults, 1);
  EXPECT_EQ(info.consecutive_faults, 1);
  EXPECT_TRUE(info.enabled);
  EXPECT_EQ(info.last_error, out.status().message());
}

TEST_F(PluginHostTest, OutputIsCheckedAgainstThePluginsKind) {
  ASSERT_TRUE(host_.Load(RecognitionPlugin()).ok());
  okr::plugin::v1::RecognitionOutput good;
  good.add_awards()->set_award("kudos");
  absl::StatusOr<std::string> out =
      host_.Evaluate("test_recognition", "echo", good.SerializeAsString(), kBudget);
  EXPECT_TRUE(out.ok()) << out.status();
  out = host_.Evaluate("test_recognition", "garbage", "", kBudget);
  EXPECT_THAT(out.status().message(), HasSubstr("okr.plugin.v1.RecognitionOutput"));
}

TEST_F(PluginHostTest, AnErrorCodeIsDroppedAndCounted) {
  ASSERT_TRUE(host_.Load(Plugin()).ok());
  absl::StatusOr<std::string> out = host_.Evaluate("test_plugin", "error", "", kBudget);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(out.status().message(),
              HasSubstr("plugin test_plugin evaluate failed (3, internal error): deliberate "
                        "failure; evaluation dropped"));
  EXPECT_EQ(InfoOf("test_plugin").faults, 1);
}

TEST_F(PluginHostTest, AnExceptionInsideThePluginBecomesAnErrorCode) {
  ASSERT_TRUE(host_.Load(Plugin()).ok());
  absl::StatusOr<std::string> out = host_.Evaluate("test_plugin", "throw", "", kBudget);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(out.status().message(), HasSubstr("exception: boom"));
  EXPECT_EQ(InfoOf("test_plugin").faults, 1);
}

TEST_F(PluginHostTest, AnOverrunIsDroppedAndDisablesThePluginAtOnce) {
  ASSERT_TRUE(host_.Load(Plugin()).ok());
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::string> out =
      host_.Evaluate("test_plugin", "sleep", "", absl::Milliseconds(50));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(out.status().message(),
              HasSubstr("plugin test_plugin exceeded its time budget of 50ms; evaluation dropped"));
  EXPECT_LT(waited, std::chrono::milliseconds(400));  // did not wait for the plugin
  // One overrun is enough: the run still holds a pool thread, a second would take another.
  const PluginInfo info = InfoOf("test_plugin");
  EXPECT_EQ(info.faults, 1);
  EXPECT_FALSE(info.enabled);
  EXPECT_EQ(info.last_error,
            "plugin test_plugin disabled: it ran longer than its time budget of 50ms and may "
            "still hold a plugin thread; fix it, then reload it");
  absl::StatusOr<std::string> after = host_.Evaluate("test_plugin", "", "", kBudget);
  EXPECT_EQ(after.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(after.status().message(), info.last_error);
}

// The budget is the plugin's own time: a call that waits for a busy pool is not the plugin's
// overrun, and a call no thread takes within the budget is dropped without a fault.
TEST_F(PluginHostTest, WaitingForABusyPoolIsNoFaultOfThePlugin) {
  boost::asio::thread_pool one_thread(1);
  PluginHost host(one_thread);
  ASSERT_TRUE(host.Load(Plugin()).ok());
  ASSERT_TRUE(host.Load(RecognitionPlugin()).ok());
  // test_plugin hangs (500 ms against 100 ms) and keeps the only thread.
  EXPECT_EQ(host.Evaluate("test_plugin", "sleep", "", absl::Milliseconds(100)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  absl::StatusOr<std::string> queued =
      host.Evaluate("test_recognition", "", "", absl::Milliseconds(20));
  EXPECT_EQ(queued.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(queued.status().message(),
              HasSubstr("no plugin thread was free to run plugin test_recognition within 20ms"));
  absl::StatusOr<PluginInfo> info = host.Info("test_recognition");
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->enabled);
  EXPECT_EQ(info->faults, 0);
  // With a budget longer than the wait, it runs once the thread is free.
  EXPECT_TRUE(host.Evaluate("test_recognition", "", "", kBudget).ok());
  one_thread.join();
}

TEST_F(PluginHostTest, ARejectedConfigIsReportedButNotCountedAsAFault) {
  ASSERT_TRUE(host_.Load(Plugin()).ok());
  absl::StatusOr<std::string> out = host_.Evaluate("test_plugin", "bad_config", "", kBudget);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("plugin test_plugin create failed (1, config error): exception: bad "
                        "config"));
  EXPECT_EQ(InfoOf("test_plugin").faults, 0);
}

TEST_F(PluginHostTest, ThreeConsecutiveFaultsDisableThePlugin) {
  ASSERT_TRUE(host_.Load(Plugin()).ok());
  EXPECT_EQ(host_.Evaluate("test_plugin", "garbage", "", kBudget).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(host_.Evaluate("test_plugin", "error", "", kBudget).status().code(),
            absl::StatusCode::kInternal);
  absl::StatusOr<std::string> third = host_.Evaluate("test_plugin", "throw", "", kBudget);
  EXPECT_EQ(third.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(third.status().message(),
              HasSubstr("plugin test_plugin disabled after 3 consecutive faults"));

  // Even a good request is refused now, with the reason.
  absl::StatusOr<std::string> after = host_.Evaluate("test_plugin", "", "", kBudget);
  EXPECT_EQ(after.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(after.status().message(),
              HasSubstr("plugin test_plugin disabled after 3 faults: plugin test_plugin "
                        "evaluate failed"));
  const PluginInfo info = InfoOf("test_plugin");
  EXPECT_FALSE(info.enabled);
  EXPECT_EQ(info.faults, 3);
  EXPECT_THAT(info.last_error, HasSubstr("exception: boom"));
}

TEST_F(PluginHostTest, AGoodEvaluationResetsTheRun) {
  ASSERT_TRUE(host_.Load(Plugin()).ok());
  EXPECT_FALSE(host_.Evaluate("test_plugin", "garbage", "", kBudget).ok());
  EXPECT_FALSE(host_.Evaluate("test_plugin", "garbage", "", kBudget).ok());
  EXPECT_TRUE(host_.Evaluate("test_plugin", "", "", kBudget).ok());
  EXPECT_FALSE(host_.Evaluate("test_plugin", "garbage", "", kBudget).ok());
  const PluginInfo info = InfoOf("test_plugin");
  EXPECT_TRUE(info.enabled);
  EXPECT_EQ(info.faults, 3);
  EXPECT_EQ(info.consecutive_faults, 1);
}

TEST_F(PluginHostTest, ReloadPicksUpANewBuildAndClearsFaults) {
  const std::string path = CopyOf(Plugin(), "reloadable.so");
  ASSERT_TRUE(host_.Load(path).ok());
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(host_.Evaluate("test_plugin", "error", "", kBudget).ok());
  }
  ASSERT_FALSE(InfoOf("test_plugin").enabled);

  testing::ReplaceFile(PluginV2(), path);
  absl::StatusOr<PluginInfo> reloaded = host_.Reload("test_plugin");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->version, "2.0");
  EXPECT_TRUE(reloaded->enabled);
  EXPECT_EQ(reloaded->faults, 0);
  EXPECT_EQ(reloaded->path, path);
  EXPECT_TRUE(host_.Evaluate("test_plugin", "", "", kBudget).ok());
  EXPECT_EQ(InfoOf("test_plugin").version, "2.0");

  EXPECT_EQ(host_.Reload("nobody").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(PluginHostTest, AFailedReloadLeavesThePluginListedAndDisabled) {
  const std::string path = CopyOf(Plugin(), "reloadable.so");
  ASSERT_TRUE(host_.Load(path).ok());
  const std::string text = dir_ + "/text";
  WriteFile(text, "not a library any more");
  testing::ReplaceFile(text, path);
  absl::StatusOr<PluginInfo> reloaded = host_.Reload("test_plugin");
  EXPECT_EQ(reloaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(reloaded.status().message(),
              HasSubstr("plugin test_plugin disabled: reload failed: cannot load plugin"));
  const PluginInfo info = InfoOf("test_plugin");
  EXPECT_FALSE(info.enabled);
  EXPECT_THAT(info.last_error, HasSubstr("not a loadable library"));
  EXPECT_EQ(host_.Evaluate("test_plugin", "", "", kBudget).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Put a good build back: the next reload recovers.
  testing::ReplaceFile(Plugin(), path);
  ASSERT_TRUE(host_.Reload("test_plugin").ok());
  EXPECT_TRUE(host_.Evaluate("test_plugin", "", "", kBudget).ok());
}

TEST_F(PluginHostTest, UnloadForgetsThePluginEvenWithAnEvaluationInFlight) {
  ASSERT_TRUE(host_.Load(Plugin()).ok());
  // The overrun keeps running on the pool; the library must stay mapped until it returns.
  EXPECT_FALSE(host_.Evaluate("test_plugin", "sleep", "", absl::Milliseconds(10)).ok());
  ASSERT_TRUE(host_.Unload("test_plugin").ok());
  EXPECT_THAT(host_.List(), IsEmpty());
  EXPECT_EQ(host_.Evaluate("test_plugin", "", "", kBudget).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(host_.Unload("test_plugin").code(), absl::StatusCode::kNotFound);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));  // the plugin returns, closes
  // Loading again works once the old one is gone.
  ASSERT_TRUE(host_.Load(Plugin()).ok());
  EXPECT_TRUE(host_.Evaluate("test_plugin", "", "", kBudget).ok());
}

TEST_F(PluginHostTest, ConcurrentEvaluationsEachGetTheirResult) {
  ASSERT_TRUE(host_.Load(Plugin()).ok());
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      okr::plugin::v1::IncentiveOutput message;
      message.add_payouts()->set_unit_id("a" + std::to_string(i));
      const std::string bytes = message.SerializeAsString();
      absl::StatusOr<std::string> out = host_.Evaluate("test_plugin", "echo", bytes, kBudget);
      if (out.ok() && *out == bytes) ++good;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(good.load(), 8);
}

// okrd logs a disabled plugin through this callback (the host writes no log of its own).
TEST_F(PluginHostTest, TheDisabledCallbackHearsOfEachDisablingOnce) {
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> heard;
  host_.set_on_disabled([&](std::string_view name, std::string_view reason) {
    std::lock_guard<std::mutex> lock(mu);
    heard.emplace_back(name, reason);
  });
  const std::string path = CopyOf(Plugin(), "disabled.so");
  ASSERT_TRUE(host_.Load(path).ok());
  // Three faults in a row disable it: one call, at the third.
  for (int i = 0; i < 3; ++i)
    EXPECT_FALSE(host_.Evaluate("test_plugin", "garbage", "", kBudget).ok());
  EXPECT_FALSE(host_.Evaluate("test_plugin", "", "", kBudget).ok());  // refused: no new call
  {
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_EQ(heard.size(), 1u);
    EXPECT_EQ(heard[0].first, "test_plugin");
    EXPECT_THAT(heard[0].second, HasSubstr("plugin test_plugin disabled after 3 faults: "));
  }
  // Reloaded, it overruns once: the second call.
  ASSERT_TRUE(host_.Reload("test_plugin").ok());
  EXPECT_EQ(host_.Evaluate("test_plugin", "sleep", "", absl::Milliseconds(50)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  {
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_EQ(heard.size(), 2u);
    EXPECT_EQ(heard[1].second,
              "plugin test_plugin disabled: it ran longer than its time budget of 50ms and may "
              "still hold a plugin thread; fix it, then reload it");
  }
  // Reloaded from a file that is gone: refused and disabled, the third call.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));  // the sleeping run returns
  std::filesystem::remove(path);
  EXPECT_FALSE(host_.Reload("test_plugin").ok());
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(heard.size(), 3u);
  EXPECT_THAT(heard[2].second, HasSubstr("plugin test_plugin disabled: reload failed: "));
}

}  // namespace
}  // namespace okr::plugins
