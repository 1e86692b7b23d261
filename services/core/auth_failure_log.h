// Failed authentications in okrd's log, rate-limited per client address: a client trying
// thousands of wrong tokens gets one line per interval (default 10 s, okrd
// --auth-log-interval-seconds), each carrying the count since the previous one:
//
//   ... warn auth.failed peer=ipv4:10.0.0.7 method=/okr.v1.OrgService/GetUnit
//       reason="unknown or revoked token" failures=734 since_last_s=10.2
//
// The peer is the address without its port (log_throttle.h). At most kMaxPeers addresses are
// remembered; beyond that the least recently seen is forgotten.
#ifndef OKR_SERVICES_CORE_AUTH_FAILURE_LOG_H_
#define OKR_SERVICES_CORE_AUTH_FAILURE_LOG_H_

#include <chrono>
#include <cstddef>
#include <string_view>

namespace okr {

inline constexpr size_t kAuthFailureLogMaxPeers = 4096;

// Sets the interval (okrd's flag); call at start, before serving.
void SetAuthFailureLogInterval(std::chrono::milliseconds interval);

// Notes one failed authentication of `peer` (gRPC's peer text, with the port) calling
// `method`; writes the line when the peer is due one.
void LogAuthFailure(std::string_view peer, std::string_view method, std::string_view reason);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_AUTH_FAILURE_LOG_H_
