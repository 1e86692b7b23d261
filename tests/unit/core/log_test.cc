#include "services/core/log.h"

#include <gtest/gtest.h>

#include <cmath>

namespace okr {
namespace {

TEST(LogLineTest, TextQuotesOnlyValuesThatNeedIt) {
  EXPECT_EQ(FormatLogLine(LogFormat::kText, "plugin.disabled",
                          {{"plugin", "tiered_bonus"}, {"reason", "crashed \"twice\""}, {"n", 3}}),
            R"(plugin.disabled plugin=tiered_bonus reason="crashed \"twice\"" n=3)");
  EXPECT_EQ(FormatLogLine(LogFormat::kText, "x", {{"empty", ""}, {"eq", "a=b"}}),
            R"(x empty="" eq="a=b")");
}

TEST(LogLineTest, JsonKeepsNumbersAndEscapesStrings) {
  EXPECT_EQ(FormatLogLine(LogFormat::kJson, "grpc.request",
                          {{"method", "GetProgress"}, {"ok", true}, {"line", "a\nb"}, {"ms", 12}}),
            R"("event":"grpc.request","method":"GetProgress","ok":true,"line":"a\nb","ms":12})");
}

TEST(LogLineTest, FractionsAreWrittenShortest) {
  EXPECT_EQ(FormatLogLine(LogFormat::kText, "x", {{"ms", 0.412}, {"s", 10.0}, {"half", 0.5}}),
            "x ms=0.412 s=10 half=0.5");
  EXPECT_EQ(FormatLogLine(LogFormat::kJson, "x", {{"nan", std::nan("")}}),
            R"("event":"x","nan":null})");
}

TEST(LogLineTest, ParsesTheDocumentedChoicesOnly) {
  LogLevel level = LogLevel::kInfo;
  EXPECT_TRUE(ParseLogLevel("warn", &level).ok());
  EXPECT_EQ(level, LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel("verbose", &level).code(), absl::StatusCode::kInvalidArgument);
  LogFormat format = LogFormat::kText;
  EXPECT_TRUE(ParseLogFormat("json", &format).ok());
  EXPECT_EQ(format, LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("xml", &format).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace okr
