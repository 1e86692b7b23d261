// okrctl's contexts (as kubectl's and etcdctl's): named connections to an okrd, so that a
// shell needs no --server and --token on every command. Documented in docs/okrctl-contexts.md.
//
// The file: $XDG_CONFIG_HOME/okr/config, else $HOME/.config/okr/config; mode 0600 in a 0700
// folder, rewritten whole and atomically (a temp file in the same folder, fsync, rename).
// It is one JSON document:
//   {"current_context": "prod",
//    "contexts": [{"name": "prod", "server": "okr.example.com:50051",
//                  "token_file": "/home/me/.okr/prod.token", "ca_file": "/etc/okr/ca.pem"}]}
// `token_file` and `ca_file` are optional and stored as absolute paths. A missing file is no
// contexts at all; a file that cannot be read or parsed is an error that names it.
//
// Which connection a command uses (ResolveConnection), value by value:
//   server: --server, then OKR_SERVER, then the context's server, then 127.0.0.1:50051;
//   token:  --token, then OKR_TOKEN, then the context's token_file (read whole, trailing
//           whitespace stripped), then none;
//   CA:     --tls-ca, then OKR_CA_FILE, then the context's ca_file, then none (plain text).
// The context is the one --context names, else the current one. A server named by --server
// or OKR_SERVER leaves the current context out altogether: its token and CA belong to its own
// server and are never sent elsewhere (`--context NAME` opts back in).
#ifndef OKR_CLIENTS_OKRCTL_CONTEXTS_H_
#define OKR_CLIENTS_OKRCTL_CONTEXTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace okrctl {

inline constexpr char kDefaultServer[] = "127.0.0.1:50051";

struct ServerContext {
  std::string name;
  std::string server;      // HOST:PORT
  std::string token_file;  // "" for none
  std::string ca_file;     // "" for plain text
};

struct ContextsFile {
  std::string current;  // "" for none
  std::vector<ServerContext> contexts;

  const ServerContext* Find(absl::string_view name) const;
  ServerContext* Find(absl::string_view name);
  // The contexts' names for an error message: "prod, dev", or "none".
  std::string Names() const;
};

// The config file's path from the values of XDG_CONFIG_HOME and HOME (null or "" for unset).
// XDG_CONFIG_HOME must be absolute to count (the XDG spec); without either, an error.
absl::StatusOr<std::string> ConfigPath(const char* xdg_config_home, const char* home);
// The same from this process's environment.
absl::StatusOr<std::string> ConfigPathFromEnvironment();

// Reads the file at `path`; a missing (or empty) file is an empty ContextsFile.
absl::StatusOr<ContextsFile> LoadContexts(const std::string& path);
// Writes `file` to `path` atomically with mode 0600, creating missing folders with 0700.
absl::Status SaveContexts(const std::string& path, const ContextsFile& file);

// A context name: 1 to 100 bytes, no whitespace or control characters, not starting with '-'.
absl::Status ValidateContextName(absl::string_view name);
// HOST:PORT with a host name, an IPv4 address or a [bracketed] IPv6 address; port 1-65535.
absl::Status ValidateServerAddress(absl::string_view server);

// A token file's token: the whole file, trailing whitespace stripped; must not be empty.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

// What the command line and the environment gave (nullopt: not given).
struct ConnectionInputs {
  std::optional<std::string> server_flag;
  std::optional<std::string> server_env;  // OKR_SERVER, when set and not empty
  std::optional<std::string> token_flag;
  std::optional<std::string> token_env;  // OKR_TOKEN, when set and not empty
  std::optional<std::string> tls_ca_flag;
  std::optional<std::string> tls_ca_env;    // OKR_CA_FILE, when set and not empty
  std::optional<std::string> context_flag;  // --context NAME
};

struct Connection {
  std::string server;
  std::string token;
  std::string tls_ca;
  std::string tls_ca_source;  // what named tls_ca: "--tls-ca", "OKR_CA_FILE", "context 'prod'"
  std::string context;        // the context used, "" for none
};

// The connection per the precedence above; reads the config file at `config_path` only when
// a context may be needed (no server given, or --context).
absl::StatusOr<Connection> ResolveConnection(const ConnectionInputs& inputs,
                                             const std::string& config_path);

// The CA file a command trusts, checked before any call (gRPC would read a missing or wrong
// file as "no CA" and fail later with "certificate verify failed"): it must be readable and
// hold PEM certificates only, at least one. INVALID_ARGUMENT naming `source` and the file.
absl::Status CheckCaFile(const std::string& path, const std::string& source);

}  // namespace okrctl

#endif  // OKR_CLIENTS_OKRCTL_CONTEXTS_H_
