// A program a test starts and lets run (okrctl ... --watch, say): its stdout and stderr go to
// files the test reads while it runs; the test waits for its exit or stops it.
#ifndef OKR_TESTS_INTEGRATION_CHILD_PROCESS_H_
#define OKR_TESTS_INTEGRATION_CHILD_PROCESS_H_

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/exec_args.h"

namespace okr::testing {

class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv) {
    out_path_ = TempFile("out");
    err_path_ = TempFile("err");
    const ExecArgs args(argv);  // before the fork (exec_args.h)
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(out_path_.c_str(), O_WRONLY | O_TRUNC);
      const int err = ::open(err_path_.c_str(), O_WRONLY | O_TRUNC);
      const int null_fd = ::open("/dev/null", O_RDWR);
      ::dup2(null_fd, 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      ::execv(args.program(), args.get());
      ::_exit(127);
    }
  }
  ~ChildProcess() {
    Stop();
    ::unlink(out_path_.c_str());
    ::unlink(err_path_.c_str());
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // SIGTERM, then waits (a no-op once it has exited).
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // Its exit code once it exits within `limit` (128 + n when signal n ended it); nullopt
  // while it still runs.
  std::optional<int> WaitExit(std::chrono::milliseconds limit) {
    if (pid_ <= 0) return exit_code_;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return exit_code_;
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::string Out() const { return Read(out_path_); }
  std::string Err() const { return Read(err_path_); }
  // Its stdout's lines that are JSON documents.
  std::vector<nlohmann::json> JsonLines() const {
    std::istringstream in(Out());
    std::vector<nlohmann::json> lines;
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded()) lines.push_back(j);
    }
    return lines;
  }

 private:
  static std::string TempFile(const char* what) {
    std::string path = std::string("/tmp/okr-child-") + what + "-XXXXXX";
    const int fd = ::mkstemp(path.data());
    ::close(fd);
    return path;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string out_path_, err_path_;
};

}  // namespace okr::testing

#endif  // OKR_TESTS_INTEGRATION_CHILD_PROCESS_H_
