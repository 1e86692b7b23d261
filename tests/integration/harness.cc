#include "tests/integration/harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/integration/build_paths.h"
#include "tests/integration/exec_args.h"

namespace okr::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool ForwardSanitizerReport(const std::string& text, const std::string& source) {
  // "runtime error:" is how UBSan starts a report; ASan, TSan and LSan say "Sanitizer".
  const bool report = text.find("runtime error:") != std::string::npos ||
                      text.find("AddressSanitizer") != std::string::npos ||
                      text.find("ThreadSanitizer") != std::string::npos ||
                      text.find("LeakSanitizer") != std::string::npos;
  if (!report) return false;
  const char* dir = std::getenv("OKR_SANITIZER_REPORTS");
  if (dir == nullptr || *dir == '\0') {
    std::fprintf(stderr, "sanitizer report from %s:\n%s\n", source.c_str(), text.c_str());
    return true;
  }
  std::string path = std::string(dir) + "/report-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd >= 0) {
    const std::string body = "from " + source + ":\n" + text;
    if (::write(fd, body.data(), body.size()) < 0) std::perror("write sanitizer report");
    ::close(fd);
  }
  return true;
}

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

CommandResult RunCommand(const std::vector<std::string>& argv, const std::vector<EnvVar>& env) {
  // The child's environment, built before fork (a forked child of a threaded process may
  // only call async-signal-safe functions): ours with `env` applied.
  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (std::none_of(env.begin(), env.end(), [&](const EnvVar& v) { return v.name == name; })) {
      environment.push_back(entry);
    }
  }
  for (const EnvVar& var : env) {
    if (var.value != nullptr) environment.push_back(var.name + "=" + var.value);
  }
  const ExecArgs envp(environment);
  const ExecArgs args(argv);  // before the fork (exec_args.h)
  char out_path[] = "/tmp/okr-test-outXXXXXX";
  char err_path[] = "/tmp/okr-test-errXXXXXX";
  int out_fd = ::mkstemp(out_path);
  int err_fd = ::mkstemp(err_path);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    ::execve(args.program(), args.get(), envp.get());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(out_fd);
  ::close(err_fd);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadAll(out_path);
  result.err = ReadAll(err_path);
  ForwardSanitizerReport(result.err, argv.front());
  ::unlink(out_path);
  ::unlink(err_path);
  return result;
}

OkrdProcess::OkrdProcess(std::vector<std::string> extra_flags, std::string tls_ca)
    : extra_flags_(std::move(extra_flags)), tls_ca_(std::move(tls_ca)) {
  char root[] = "/tmp/okr-itestXXXXXX";
  root_ = ::mkdtemp(root);
  data_dir_ = root_ + "/data";
  Start();
}

OkrdProcess::~OkrdProcess() {
  Stop(SIGKILL);
  ForwardSanitizerReport(ReadAll(root_ + "/okrd.log"), "okrd (" + root_ + ")");
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

pid_t SpawnOkrd(const std::string& address, const std::string& data_dir,
                const std::vector<std::string>& extra_flags, const std::string& log_path) {
  std::vector<std::string> argv = {OkrdPath(), "--listen", address, "--data-dir", data_dir};
  if (std::find(extra_flags.begin(), extra_flags.end(), "--time-zone") == extra_flags.end()) {
    argv.insert(argv.end(), {"--time-zone", "UTC"});
  }
  // okrd loads the shipped plugins beside it by default; a test has the plugins it asks for.
  const auto names = [&](const char* flag) {
    return std::find(extra_flags.begin(), extra_flags.end(), flag) != extra_flags.end();
  };
  if (!names("--plugin-dir") && !names("--no-plugins") && !names("--config")) {
    argv.push_back("--no-plugins");
  }
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  const ExecArgs args(argv);  // before the fork (exec_args.h)
  const char* log = log_path.c_str();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execv(args.program(), args.get());
    ::_exit(127);
  }
  return pid;
}

void OkrdProcess::Start() {
  address_ = "127.0.0.1:" + std::to_string(FreePort());
  const std::string log = root_ + "/okrd.log";
  pid_ = SpawnOkrd(address_, data_dir_, extra_flags_, log);
  // Ready when an authenticated call answers.
  for (int i = 0; i < 200; ++i) {
    if (std::filesystem::exists(data_dir_ + "/admin.token")) {
      CommandResult r = Ctl({"metric", "list"});
      if (r.exit_code == 0) return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("okrd exited at start: " + ReadAll(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("okrd did not become ready: " + ReadAll(log));
}

void OkrdProcess::Stop(int signal) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  last_exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  pid_ = -1;
}

std::string OkrdProcess::admin_token() const {
  std::string token = ReadAll(data_dir_ + "/admin.token");
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

CommandResult OkrdProcess::Ctl(const std::vector<std::string>& args) const {
  return CtlAs(admin_token(), args);
}

CommandResult OkrdProcess::CtlAs(const std::string& token,
                                 const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {OkrctlPath(), "--server", address_};
  if (!tls_ca_.empty()) {
    argv.push_back("--tls-ca");
    argv.push_back(tls_ca_);
  }
  if (!token.empty()) {
    argv.push_back("--token");
    argv.push_back(token);
  }
  argv.insert(argv.end(), args.begin(), args.end());
  ::unsetenv("OKR_TOKEN");
  ::unsetenv("OKR_SERVER");
  return RunCommand(argv);
}

std::string OkrdProcess::WriteFile(const std::string& name, const std::string& text) const {
  const std::string path = root_ + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace okr::testing
