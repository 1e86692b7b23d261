// The request log's level by status code (services/api/rpc.h RequestLogLevel): the rule the
// README's "Logs" table states.
#include <gtest/gtest.h>

#include "services/api/rpc.h"

namespace okr {
namespace {

TEST(RequestLogLevel, FollowsTheCode) {
  using absl::StatusCode;
  EXPECT_EQ(RequestLogLevel(StatusCode::kOk), LogLevel::kDebug);
  // Reported by auth.failed, rate-limited per peer.
  EXPECT_EQ(RequestLogLevel(StatusCode::kUnauthenticated), LogLevel::kDebug);
  for (StatusCode code : {StatusCode::kInternal, StatusCode::kUnknown, StatusCode::kDataLoss}) {
    EXPECT_EQ(RequestLogLevel(code), LogLevel::kError) << absl::StatusCodeToString(code);
  }
  for (StatusCode code :
       {StatusCode::kInvalidArgument, StatusCode::kNotFound, StatusCode::kPermissionDenied,
        StatusCode::kFailedPrecondition, StatusCode::kCancelled, StatusCode::kResourceExhausted,
        StatusCode::kUnavailable, StatusCode::kDeadlineExceeded}) {
    EXPECT_EQ(RequestLogLevel(code), LogLevel::kInfo) << absl::StatusCodeToString(code);
  }
}

}  // namespace
}  // namespace okr
