// The harness itself: sanitizer reports from children must not be lost with their logs.
#include "tests/integration/harness.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace okr::testing {
namespace {

class SanitizerReportDir : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* previous = std::getenv("OKR_SANITIZER_REPORTS");
    if (previous != nullptr) previous_ = previous;
    char dir[] = "/tmp/okr-san-reportsXXXXXX";
    dir_ = ::mkdtemp(dir);
    ::setenv("OKR_SANITIZER_REPORTS", dir_.c_str(), 1);
  }
  void TearDown() override {
    if (previous_.empty()) {
      ::unsetenv("OKR_SANITIZER_REPORTS");
    } else {
      ::setenv("OKR_SANITIZER_REPORTS", previous_.c_str(), 1);
    }
    std::filesystem::remove_all(dir_);
  }
  std::vector<std::string> Reports() const {
    std::vector<std::string> texts;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      std::ifstream in(entry.path());
      std::ostringstream text;
      text << in.rdbuf();
      texts.push_back(text.str());
    }
    return texts;
  }

  std::string dir_;
  std::string previous_;
};

TEST_F(SanitizerReportDir, UbsanAndAsanReportsAreCopiedWithTheirSource) {
  EXPECT_TRUE(ForwardSanitizerReport(
      "x.cc:3:49: runtime error: signed integer overflow: 1 + 2147483647", "okrd (/tmp/a)"));
  EXPECT_TRUE(
      ForwardSanitizerReport("==1==ERROR: AddressSanitizer: heap-use-after-free", "okrctl"));
  const std::vector<std::string> reports = Reports();
  ASSERT_EQ(reports.size(), 2u);
  int ubsan = 0, asan = 0;
  for (const std::string& r : reports) {
    if (r ==
        "from okrd (/tmp/a):\nx.cc:3:49: runtime error: signed integer overflow: 1 + 2147483647")
      ++ubsan;
    if (r == "from okrctl:\n==1==ERROR: AddressSanitizer: heap-use-after-free") ++asan;
  }
  EXPECT_EQ(ubsan, 1);
  EXPECT_EQ(asan, 1);
}

TEST_F(SanitizerReportDir, OrdinaryLogsAreNotReports) {
  EXPECT_FALSE(
      ForwardSanitizerReport("okrd: listening on 127.0.0.1:5000\nerror: bad flag\n", "okrd"));
  EXPECT_TRUE(Reports().empty());
}

}  // namespace
}  // namespace okr::testing
