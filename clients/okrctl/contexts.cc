#include "clients/okrctl/contexts.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace okrctl {
namespace {

constexpr size_t kMaxNameBytes = 100;
constexpr size_t kMaxTokenBytes = 64 * 1024;
constexpr size_t kMaxConfigBytes = 4 * 1024 * 1024;

std::string ErrnoText() { return std::strerror(errno); }

// Reads a whole file of at most `limit` bytes; NotFound when it does not exist.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path, size_t limit) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) {
    return absl::NotFoundError(absl::StrCat(path, ": no such file"));
  }
  if (std::filesystem::is_directory(path, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": is a folder, not a file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::FailedPreconditionError(absl::StrCat(path, ": cannot read: ", ErrnoText()));
  std::string text;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > limit) {
      return absl::OutOfRangeError(absl::StrCat(path, ": larger than ", limit, " bytes"));
    }
  }
  if (in.bad()) return absl::FailedPreconditionError(absl::StrCat(path, ": cannot read"));
  return text;
}

// Creates `dir` and its missing parents with mode 0700.
absl::Status MakePrivateFolders(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return absl::OkStatus();
  if (dir.has_parent_path() && dir.parent_path() != dir) {
    if (absl::Status s = MakePrivateFolders(dir.parent_path()); !s.ok()) return s;
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create folder ", dir.string(), ": ", ErrnoText()));
  }
  ::chmod(dir.c_str(), 0700);  // whatever the umask
  return absl::OkStatus();
}

// A field of a context object: absent is "", anything but a string is an error.
absl::Status ReadField(const nlohmann::json& object, const char* key, const std::string& where,
                       std::string& out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_string()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": \"", key, "\" is not a string"));
  }
  out = it->get<std::string>();
  return absl::OkStatus();
}

absl::Status CorruptFile(const std::string& path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("okrctl config ", path, ": ", what,
                                                 "; fix the file or remove it and run "
                                                 "'okrctl config set-context' again"));
}

}  // namespace

const ServerContext* ContextsFile::Find(absl::string_view name) const {
  for (const ServerContext& c : contexts) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string ContextsFile::Names() const {
  if (contexts.empty()) return "none";
  return absl::StrJoin(contexts, ", ",
                       [](std::string* out, const ServerContext& c) { out->append(c.name); });
}

ServerContext* ContextsFile::Find(absl::string_view name) {
  return const_cast<ServerContext*>(static_cast<const ContextsFile*>(this)->Find(name));
}

absl::StatusOr<std::string> ConfigPath(const char* xdg_config_home, const char* home) {
  if (xdg_config_home != nullptr && xdg_config_home[0] == '/') {
    return (std::filesystem::path(xdg_config_home) / "okr" / "config").string();
  }
  if (home != nullptr && home[0] != '\0') {
    return (std::filesystem::path(home) / ".config" / "okr" / "config").string();
  }
  return absl::FailedPreconditionError(
      "cannot find the okrctl config file: neither XDG_CONFIG_HOME (absolute) nor HOME is set");
}

absl::StatusOr<std::string> ConfigPathFromEnvironment() {
  return ConfigPath(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"));
}

absl::Status ValidateContextName(absl::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("a context name must not be empty");
  if (name.size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("context name '", name, "' is longer than ", kMaxNameBytes, " bytes"));
  }
  if (name.front() == '-') {
    return absl::InvalidArgumentError(
        absl::StrCat("context name '", name, "' must not start with '-'"));
  }
  for (char ch : name) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte <= 0x20 || byte == 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat("context name '", absl::CEscape(name),
                       "' holds whitespace or a control character; use letters, digits, "
                       "'-', '_' or '.'"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateServerAddress(absl::string_view server) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad server address '", absl::CEscape(server), "': ", why,
                     "; expected HOST:PORT, e.g. okr.example.com:50051 or [::1]:50051"));
  };
  const size_t colon = server.rfind(':');
  if (colon == absl::string_view::npos) return bad("no port");
  absl::string_view host = server.substr(0, colon);
  const absl::string_view port_text = server.substr(colon + 1);
  int port = 0;
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(port_text, &port) || port < 1 || port > 65535) {
    return bad("the port must be a number from 1 to 65535");
  }
  if (host.empty()) return bad("no host");
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']' ||
        host.substr(1, host.size() - 2).find_first_not_of("0123456789abcdefABCDEF:.") !=
            absl::string_view::npos) {
      return bad("a bracketed IPv6 address is malformed");
    }
    return absl::OkStatus();
  }
  for (char ch : host) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '.' &&
        ch != '_') {
      return bad("the host may hold only letters, digits, '-', '_' and '.' (bracket IPv6)");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadSmallFile(path, kMaxTokenBytes);
  if (!text.ok()) {
    return absl::Status(text.status().code(), absl::StrCat("token file ", text.status().message()));
  }
  std::string token(absl::StripTrailingAsciiWhitespace(*text));
  if (token.empty()) return absl::FailedPreconditionError("token file " + path + " is empty");
  return token;
}

absl::StatusOr<ContextsFile> LoadContexts(const std::string& path) {
  absl::StatusOr<std::string> text = ReadSmallFile(path, kMaxConfigBytes);
  if (absl::IsNotFound(text.status())) return ContextsFile{};
  if (!text.ok()) {
    return absl::Status(text.status().code(),
                        absl::StrCat("okrctl config ", text.status().message()));
  }
  ContextsFile file;
  if (absl::StripAsciiWhitespace(*text).empty()) return file;
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() says where: "[json.exception.parse_error.101] parse error at line 1, ...".
    std::string what = e.what();
    if (const size_t at = what.find("] "); at != std::string::npos) what = what.substr(at + 2);
    return CorruptFile(path, "not valid JSON: " + what);
  }
  if (!doc.is_object()) return CorruptFile(path, "not a JSON object");
  if (absl::Status s = ReadField(doc, "current_context", "top level", file.current); !s.ok()) {
    return CorruptFile(path, s.message());
  }
  auto contexts = doc.find("contexts");
  if (contexts == doc.end() || contexts->is_null()) return file;
  if (!contexts->is_array()) return CorruptFile(path, "\"contexts\" is not a list");
  for (size_t i = 0; i < contexts->size(); ++i) {
    const nlohmann::json& entry = (*contexts)[i];
    const std::string where = absl::StrCat("context #", i + 1);
    if (!entry.is_object()) return CorruptFile(path, where + " is not an object");
    ServerContext c;
    for (auto [key, field] :
         {std::pair{"name", &c.name}, std::pair{"server", &c.server},
          std::pair{"token_file", &c.token_file}, std::pair{"ca_file", &c.ca_file}}) {
      if (absl::Status s = ReadField(entry, key, where, *field); !s.ok()) {
        return CorruptFile(path, s.message());
      }
    }
    if (absl::Status s = ValidateContextName(c.name); !s.ok()) {
      return CorruptFile(path, absl::StrCat(where, ": ", s.message()));
    }
    if (c.server.empty()) return CorruptFile(path, absl::StrCat(where, " has no \"server\""));
    if (file.Find(c.name) != nullptr) {
      return CorruptFile(path, absl::StrCat("context '", c.name, "' is listed twice"));
    }
    file.contexts.push_back(std::move(c));
  }
  return file;
}

absl::Status SaveContexts(const std::string& path, const ContextsFile& file) {
  const std::filesystem::path target(path);
  const std::filesystem::path dir = target.parent_path();
  if (absl::Status s = MakePrivateFolders(dir); !s.ok()) return s;

  // Keys in the documented order, not sorted, for a reader of the file.
  nlohmann::ordered_json contexts = nlohmann::ordered_json::array();
  for (const ServerContext& c : file.contexts) {
    nlohmann::ordered_json entry = {{"name", c.name}, {"server", c.server}};
    if (!c.token_file.empty()) entry["token_file"] = c.token_file;
    if (!c.ca_file.empty()) entry["ca_file"] = c.ca_file;
    contexts.push_back(std::move(entry));
  }
  const std::string text =
      nlohmann::ordered_json{{"current_context", file.current}, {"contexts", contexts}}.dump(2) +
      "\n";

  std::string temp = (dir / ".config.XXXXXX").string();
  const int fd = ::mkstemp(temp.data());  // mode 0600
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write okrctl config in ", dir.string(), ": ", ErrnoText()));
  }
  const auto fail = [&](absl::string_view step) {
    const std::string why = ErrnoText();
    ::close(fd);
    ::unlink(temp.c_str());
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write okrctl config ", path, " (", step, "): ", why));
  };
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    written += static_cast<size_t>(n);
  }
  if (::fchmod(fd, 0600) != 0) return fail("chmod");
  if (::fsync(fd) != 0) return fail("fsync");
  if (::close(fd) != 0) {
    const std::string why = ErrnoText();
    ::unlink(temp.c_str());
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write okrctl config ", path, " (close): ", why));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = ErrnoText();
    ::unlink(temp.c_str());
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write okrctl config ", path, " (rename): ", why));
  }
  // The rename itself is durable once the folder is synced.
  if (const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return absl::OkStatus();
}

absl::StatusOr<Connection> ResolveConnection(const ConnectionInputs& inputs,
                                             const std::string& config_path) {
  Connection connection;
  const std::optional<std::string>& given_server =
      inputs.server_flag ? inputs.server_flag : inputs.server_env;
  const ServerContext* context = nullptr;
  ContextsFile file;
  if (!given_server || inputs.context_flag) {
    absl::StatusOr<ContextsFile> loaded = LoadContexts(config_path);
    if (!loaded.ok()) return loaded.status();
    file = *std::move(loaded);
    const std::string& name = inputs.context_flag ? *inputs.context_flag : file.current;
    if (!name.empty()) {
      context = file.Find(name);
      if (context == nullptr) {
        return absl::NotFoundError(
            absl::StrCat(inputs.context_flag ? "--context names" : "the current context is", " '",
                         name, "', which is not in ", config_path, " (contexts: ", file.Names(),
                         "); see 'okrctl config get-contexts'"));
      }
    }
  }
  if (context != nullptr) connection.context = context->name;

  connection.server = given_server ? *given_server
                      : context    ? context->server
                                   : std::string(kDefaultServer);
  if (inputs.token_flag) {
    connection.token = *inputs.token_flag;
  } else if (inputs.token_env) {
    connection.token = *inputs.token_env;
  } else if (context != nullptr && !context->token_file.empty()) {
    absl::StatusOr<std::string> token = ReadTokenFile(context->token_file);
    if (!token.ok()) {
      return absl::Status(token.status().code(), absl::StrCat("context '", context->name,
                                                              "': ", token.status().message()));
    }
    connection.token = *std::move(token);
  }
  if (inputs.tls_ca_flag) {
    connection.tls_ca = *inputs.tls_ca_flag;
    connection.tls_ca_source = "--tls-ca";
  } else if (inputs.tls_ca_env) {
    connection.tls_ca = *inputs.tls_ca_env;
    connection.tls_ca_source = "OKR_CA_FILE";
  } else if (context != nullptr && !context->ca_file.empty()) {
    // Checked here: the channel would read a missing file as "no CA" and fail obscurely.
    absl::StatusOr<std::string> pem = ReadSmallFile(context->ca_file, kMaxConfigBytes);
    if (!pem.ok()) {
      return absl::Status(pem.status().code(), absl::StrCat("context '", context->name,
                                                            "': ca-file ", pem.status().message()));
    }
    connection.tls_ca = context->ca_file;
    connection.tls_ca_source = absl::StrCat("context '", context->name, "' ca-file");
  }
  return connection;
}

absl::Status CheckCaFile(const std::string& path, const std::string& source) {
  absl::StatusOr<std::string> pem = ReadSmallFile(path, kMaxConfigBytes);
  if (!pem.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(source, " ", pem.status().message()));
  }
  auto fail = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(source, " ", path, ": ", why));
  };
  ERR_clear_error();
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  int certificates = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    X509_free(cert);
    ++certificates;
  }
  BIO_free(bio);
  const unsigned long end = ERR_peek_last_error();
  ERR_clear_error();
  const bool clean_end =
      ERR_GET_LIB(end) == ERR_LIB_PEM && ERR_GET_REASON(end) == PEM_R_NO_START_LINE;
  if (certificates == 0) {
    return fail(absl::StrContains(*pem, "PRIVATE KEY-----")
                    ? "holds a private key, not a CA certificate"
                    : "not a PEM certificate (no block starting -----BEGIN CERTIFICATE----- "
                      "parses)");
  }
  if (!clean_end) return fail(absl::StrCat("certificate ", certificates + 1, " does not parse"));
  return absl::OkStatus();
}

}  // namespace okrctl
