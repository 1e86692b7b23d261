// A real okrd on a temporary folder and a free port, driven by the okrctl binary.
#ifndef OKR_TESTS_INTEGRATION_HARNESS_H_
#define OKR_TESTS_INTEGRATION_HARNESS_H_

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace okr::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  nlohmann::json Json() const { return nlohmann::json::parse(out); }
};

class OkrdProcess {
 public:
  // Starts okrd with a fresh temporary data folder (kept across Restart()). With `tls_ca`
  // (a PEM file), Ctl/CtlAs and the readiness probe connect with TLS trusting it (for okrd
  // started with --tls-cert/--tls-key in `extra_flags`).
  explicit OkrdProcess(std::vector<std::string> extra_flags = {}, std::string tls_ca = "");
  ~OkrdProcess();

  void Stop(int signal = 15);  // SIGTERM by default; waits for exit
  void Start();
  void Restart() {
    Stop();
    Start();
  }
  // The flags of the next Start() (e.g. a later --test-clock-start), instead of the first.
  void set_extra_flags(std::vector<std::string> flags) { extra_flags_ = std::move(flags); }

  const std::string& data_dir() const { return data_dir_; }
  const std::string& address() const { return address_; }
  const std::string& tls_ca() const { return tls_ca_; }
  std::string admin_token() const;
  int last_exit_status() const { return last_exit_status_; }
  pid_t pid() const { return pid_; }
  // okrd's stdout and stderr (appended across restarts).
  std::string log_path() const { return root_ + "/okrd.log"; }

  // Runs okrctl with --server set; the token given (admin's by default, "" for none).
  CommandResult Ctl(const std::vector<std::string>& args) const;
  CommandResult CtlAs(const std::string& token, const std::vector<std::string>& args) const;

  // Writes `text` to a file in the temp folder and returns its path.
  std::string WriteFile(const std::string& name, const std::string& text) const;

 private:
  std::string root_;
  std::string data_dir_;
  std::string address_;
  std::vector<std::string> extra_flags_;
  std::string tls_ca_;
  pid_t pid_ = -1;
  int last_exit_status_ = 0;
};

// Starts okrd with --listen `address` --data-dir `data_dir` and `extra_flags`, its output
// appended to `log_path`; returns its pid (the caller waits for it to be ready). Unless
// `extra_flags` name a --time-zone, okrd runs in UTC: no test depends on the machine's zone.
// Unless they name --plugin-dir (or --no-plugins or --config), okrd loads no plugins.
pid_t SpawnOkrd(const std::string& address, const std::string& data_dir,
                const std::vector<std::string>& extra_flags, const std::string& log_path);

// Sanitized builds: GCC's UBSan (combined with ASan) prints its reports to stderr whatever
// log_path says, and okrd's stderr goes to a log that the harness deletes. When `text` (a
// child's stderr or log) holds a sanitizer report, this copies it to a new file in
// $OKR_SANITIZER_REPORTS (scripts/ci-sanitizers fails on any file there), or to our stderr.
// Returns whether there was one.
bool ForwardSanitizerReport(const std::string& text, const std::string& source);

// Runs a program with arguments; captures stdout and stderr. `env` sets (name, value)
// variables in the child only; a null value unsets one.
struct EnvVar {
  std::string name;
  const char* value;
};
CommandResult RunCommand(const std::vector<std::string>& argv, const std::vector<EnvVar>& env = {});

int FreePort();

}  // namespace okr::testing

#endif  // OKR_TESTS_INTEGRATION_HARNESS_H_
