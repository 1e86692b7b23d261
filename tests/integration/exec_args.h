// An argument (or environment) list as execv takes it, built before a fork.
//
// The test programs that start okrd and okrctl have other threads (gRPC's, the crash test's
// clients), and the child of a threaded process may call only async-signal-safe functions
// until it execs: an allocation there can wait forever on an allocator lock that another
// thread held at the fork (GCC 12's ASan allocator takes no fork handlers), and the child never
// becomes the program. So the child only opens, dups and execs what this holds.
#ifndef OKR_TESTS_INTEGRATION_EXEC_ARGS_H_
#define OKR_TESTS_INTEGRATION_EXEC_ARGS_H_

#include <string>
#include <vector>

namespace okr::testing {

class ExecArgs {
 public:
  // `strings` must outlive this (their characters are not copied).
  explicit ExecArgs(const std::vector<std::string>& strings) {
    pointers_.reserve(strings.size() + 1);
    for (const std::string& s : strings) pointers_.push_back(const_cast<char*>(s.c_str()));
    pointers_.push_back(nullptr);
  }
  char* const* get() const { return pointers_.data(); }
  const char* program() const { return pointers_.front(); }

 private:
  std::vector<char*> pointers_;
};

}  // namespace okr::testing

#endif  // OKR_TESTS_INTEGRATION_EXEC_ARGS_H_
