// okrctl config set-context | use-context | get-contexts | current-context | delete-context,
// and the global --context flag: the command-line side of contexts.h. None of these commands
// talks to a server.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "clients/okrctl/commands.h"
#include "clients/okrctl/contexts.h"
#include "clients/okrctl/table.h"

namespace okrctl {
namespace {

// Prints "okrctl: CODE: message"; the exit code is the status code, as for a failed call.
int ReportStatus(const absl::Status& status) {
  ReportError(absl::StatusCodeToString(status.code()), std::string(status.message()));
  return static_cast<int>(status.code());
}

std::optional<std::string> NonEmptyEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// A path as typed, made absolute so that the context works from any folder ("" stays "").
std::string AbsolutePath(const std::string& path) {
  if (path.empty()) return path;
  return std::filesystem::absolute(path).lexically_normal().string();
}

absl::Status NoSuchContext(const std::string& name, const std::string& path,
                           const ContextsFile& file) {
  return absl::NotFoundError(absl::StrCat("no context '", name, "' in ", path,
                                          " (contexts: ", file.Names(),
                                          "); create it with 'okrctl config set-context'"));
}

// Runs `show` on the loaded file (read only).
int Show(const std::function<int(const std::string&, const ContextsFile&)>& show) {
  absl::StatusOr<std::string> path = ConfigPathFromEnvironment();
  if (!path.ok()) return ReportStatus(path.status());
  absl::StatusOr<ContextsFile> file = LoadContexts(*path);
  if (!file.ok()) return ReportStatus(file.status());
  return show(*path, *file);
}

// Runs `edit` on the loaded file and saves it when it returns OK.
int Edit(const std::function<absl::Status(const std::string&, ContextsFile&)>& edit) {
  return Show([&](const std::string& path, const ContextsFile& loaded) {
    ContextsFile file = loaded;
    if (absl::Status s = edit(path, file); !s.ok()) return ReportStatus(s);
    if (absl::Status s = SaveContexts(path, file); !s.ok()) return ReportStatus(s);
    return 0;
  });
}

nlohmann::json ContextJson(const ServerContext& c, const std::string& current) {
  return {{"name", c.name},
          {"server", c.server},
          {"token_file", c.token_file},
          {"ca_file", c.ca_file},
          {"current", c.name == current}};
}

struct SetContextArgs {
  std::string name, server, token_file, ca_file;
};

void AddSetContext(CLI::App& config, Context& ctx) {
  auto a = std::make_shared<SetContextArgs>();
  auto* cmd = config.add_subcommand(
      "set-context", "create a context, or change the given fields of one (\"\" clears a file)");
  cmd->add_option("NAME", a->name, "the context's name")->required();
  auto* server = cmd->add_option("--server", a->server, "okrd address HOST:PORT");
  auto* token_file =
      cmd->add_option("--token-file", a->token_file, "a file holding the bearer token");
  auto* ca_file = cmd->add_option("--ca-file", a->ca_file, "PEM CA certificate: use TLS");
  cmd->callback([&ctx, a, server, token_file, ca_file] {
    const bool given_server = server->count() > 0;
    const bool given_token = token_file->count() > 0;
    const bool given_ca = ca_file->count() > 0;
    ctx.run = [&ctx, a, given_server, given_token, given_ca] {
      if (absl::Status s = ValidateContextName(a->name); !s.ok()) return ReportStatus(s);
      if (given_server) {
        if (absl::Status s = ValidateServerAddress(a->server); !s.ok()) return ReportStatus(s);
      }
      bool created = false;
      const int code = Edit([&](const std::string& path, ContextsFile& file) {
        ServerContext* c = file.Find(a->name);
        if (c == nullptr) {
          if (!given_server) {
            return absl::InvalidArgumentError(
                absl::StrCat("context '", a->name, "' is new: give its --server HOST:PORT"));
          }
          file.contexts.push_back(ServerContext{a->name, "", "", ""});
          c = &file.contexts.back();
          created = true;
        }
        if (given_server) c->server = a->server;
        if (given_token) c->token_file = AbsolutePath(a->token_file);
        if (given_ca) c->ca_file = AbsolutePath(a->ca_file);
        if (ctx.options.output == "json") {
          PrintJson(ContextJson(*c, file.current));
        } else {
          std::cout << "context " << a->name << (created ? " created" : " updated") << "\n";
        }
        return absl::OkStatus();
      });
      return code;
    };
  });
}

void AddUseContext(CLI::App& config, Context& ctx) {
  auto name = std::make_shared<std::string>();
  auto* cmd = config.add_subcommand("use-context", "make a context the current one");
  cmd->add_option("NAME", *name, "the context's name")->required();
  cmd->callback([&ctx, name] {
    ctx.run = [name] {
      return Edit([&](const std::string& path, ContextsFile& file) {
        if (file.Find(*name) == nullptr) return NoSuchContext(*name, path, file);
        file.current = *name;
        std::cout << "switched to context " << *name << "\n";
        return absl::OkStatus();
      });
    };
  });
}

void AddDeleteContext(CLI::App& config, Context& ctx) {
  auto name = std::make_shared<std::string>();
  auto* cmd = config.add_subcommand("delete-context",
                                    "remove a context (if current, no context is current)");
  cmd->add_option("NAME", *name, "the context's name")->required();
  cmd->callback([&ctx, name] {
    ctx.run = [name] {
      return Edit([&](const std::string& path, ContextsFile& file) {
        if (file.Find(*name) == nullptr) return NoSuchContext(*name, path, file);
        std::erase_if(file.contexts, [&](const ServerContext& c) { return c.name == *name; });
        if (file.current == *name) file.current.clear();
        std::cout << "deleted context " << *name << "\n";
        return absl::OkStatus();
      });
    };
  });
}

void AddGetContexts(CLI::App& config, Context& ctx) {
  auto names_only = std::make_shared<bool>(false);
  auto* cmd = config.add_subcommand("get-contexts", "list the contexts; * marks the current");
  // For the completion script: one name per line, nothing else.
  cmd->add_flag("--names", *names_only, "only the names, one a line")->group("");
  cmd->callback([&ctx, names_only] {
    ctx.run = [&ctx, names_only] {
      return Show([&](const std::string&, const ContextsFile& file) {
        if (*names_only) {
          for (const ServerContext& c : file.contexts) std::cout << c.name << "\n";
        } else if (ctx.options.output == "json") {
          nlohmann::json list = nlohmann::json::array();
          for (const ServerContext& c : file.contexts) list.push_back(ContextJson(c, file.current));
          PrintJson({{"current", file.current}, {"contexts", list}});
        } else {
          Table table({"CURRENT", "NAME", "SERVER", "TOKEN-FILE", "CA-FILE"});
          for (const ServerContext& c : file.contexts) {
            table.Add(
                {c.name == file.current ? "*" : "", c.name, c.server, c.token_file, c.ca_file});
          }
          table.Print(std::cout);
        }
        return 0;
      });
    };
  });
}

void AddCurrentContext(CLI::App& config, Context& ctx) {
  auto* cmd = config.add_subcommand("current-context", "print the current context's name");
  cmd->callback([&ctx] {
    ctx.run = [] {
      return Show([](const std::string& path, const ContextsFile& file) {
        if (file.current.empty()) {
          return ReportStatus(absl::NotFoundError(absl::StrCat(
              "no current context in ", path, "; run 'okrctl config use-context NAME'")));
        }
        std::cout << file.current << "\n";
        return 0;
      });
    };
  });
}

}  // namespace

void AddConfigCommands(CLI::App& app, Context& ctx) {
  auto context_name = std::make_shared<std::string>();
  CLI::Option* context_flag = app.add_option(
      "--context", *context_name,
      "use this okrctl context instead of the current one (okrctl config get-contexts)");
  CLI::Option* server_flag = app.get_option("--server");
  CLI::Option* token_flag = app.get_option("--token");
  CLI::Option* tls_ca_flag = app.get_option("--tls-ca");
  ctx.apply_context = [&ctx, context_name, context_flag, server_flag, token_flag, tls_ca_flag] {
    ConnectionInputs inputs;
    if (server_flag->count() > 0) inputs.server_flag = ctx.options.server;
    inputs.server_env = NonEmptyEnv("OKR_SERVER");
    if (token_flag->count() > 0) inputs.token_flag = ctx.options.token;
    inputs.token_env = NonEmptyEnv("OKR_TOKEN");
    if (tls_ca_flag->count() > 0) inputs.tls_ca_flag = ctx.options.tls_ca;
    inputs.tls_ca_env = NonEmptyEnv("OKR_CA_FILE");
    if (context_flag->count() > 0) inputs.context_flag = *context_name;
    // Without HOME or XDG_CONFIG_HOME there is no config file, hence no context.
    const std::string path = ConfigPathFromEnvironment().value_or("");
    absl::StatusOr<Connection> connection = ResolveConnection(inputs, path);
    if (!connection.ok()) return ReportStatus(connection.status());
    if (!connection->tls_ca.empty()) {
      if (absl::Status s = CheckCaFile(connection->tls_ca, connection->tls_ca_source); !s.ok()) {
        return ReportStatus(s);
      }
    }
    ctx.options.server = connection->server;
    ctx.options.token = connection->token;
    ctx.options.tls_ca = connection->tls_ca;
    return 0;
  };

  CLI::App* config = app.add_subcommand(
      "config", "okrctl contexts: named servers and their tokens (no server needed)");
  config->require_subcommand(1);
  AddSetContext(*config, ctx);
  AddUseContext(*config, ctx);
  AddGetContexts(*config, ctx);
  AddCurrentContext(*config, ctx);
  AddDeleteContext(*config, ctx);
}

}  // namespace okrctl
