#include "services/core/backup_ops.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "plugins/host/confined_path.h"
#include "services/core/apply.h"
#include "services/core/metrics.h"
#include "services/core/private_files.h"

namespace okr {
namespace {

namespace fs = std::filesystem;

bool HasDotDot(std::string_view name) {
  for (const fs::path& part : fs::path(std::string(name))) {
    if (part == "..") return true;
  }
  return false;
}

uint64_t TreeBytes(const std::string& root) {
  uint64_t bytes = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) bytes += it->file_size(ec);
  }
  return bytes;
}

}  // namespace

absl::StatusOr<std::string> ResolveBackupFolder(std::string_view backup_dir,
                                                std::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError(
        "backup needs a folder name, e.g. okrctl admin backup 2026-03-31 (it is created under "
        "okrd's --backup-dir)");
  }
  if (backup_dir.empty()) {
    return absl::FailedPreconditionError(
        "okrd has no backup folder: start it with --backup-dir DIR; backups are written only "
        "under it");
  }
  if (HasDotDot(name)) {
    return absl::InvalidArgumentError("backup name '" + std::string(name) +
                                      "' has a '..' component: name a new folder inside okrd's "
                                      "backup folder " +
                                      std::string(backup_dir));
  }
  absl::StatusOr<ConfinedPath> path = ResolveUnder(backup_dir, name);
  if (!path.ok()) {
    return absl::Status(path.status().code(),
                        "backup folder: " + std::string(path.status().message()));
  }
  if (path->resolved == path->folder) {
    return absl::InvalidArgumentError("backup name '" + std::string(name) +
                                      "' is the backup folder itself: name a new folder inside it");
  }
  if (!path->inside) {
    return absl::PermissionDeniedError("backup folder " + std::string(name) + " resolves to " +
                                       path->resolved + ", outside okrd's backup folder " +
                                       path->folder + ": backups are written only under it");
  }
  std::error_code ec;
  if (fs::exists(fs::symlink_status(path->resolved, ec))) {
    return absl::AlreadyExistsError("backup folder " + path->resolved + " already exists");
  }
  return path->resolved;
}

absl::StatusOr<BackupResult> Backup(ServerState& state, const Caller& caller,
                                    std::string_view name) {
  absl::StatusOr<std::string> folder = ResolveBackupFolder(state.backup_dir(), name);
  if (!folder.ok()) return folder.status();
  // Parents 0700, then the folder itself: mkdir fails if it appeared meanwhile.
  if (absl::Status s = MakePrivateFolder(fs::path(*folder).parent_path().string()); !s.ok()) {
    return s;
  }
  if (::mkdir(folder->c_str(), kPrivateFolderMode) != 0) {
    if (errno == EEXIST) return absl::AlreadyExistsError("backup folder " + *folder + " exists");
    return absl::FailedPreconditionError("cannot create backup folder " + *folder + ": " +
                                         std::strerror(errno));
  }
  // The checkpoint is a database folder; okrd --data-dir expects it under db/.
  const std::string db_dir = *folder + "/db";
  if (absl::Status s = state.db().Checkpoint(db_dir); !s.ok()) return s;
  if (absl::Status s = MakeTreePrivate(*folder); !s.ok()) return s;
  const uint64_t bytes = TreeBytes(db_dir);

  store::Command command = NewCommand(state, caller);
  command.mutable_backup()->set_dir(*folder);
  command.mutable_backup()->set_bytes(bytes);
  absl::Status s = state.commands().Run(
      std::move(command),
      [&](const store::Command& c, Applied& applied) { return ApplyBackup(state, c, applied); });
  if (!s.ok()) return s;
  Metrics::Global().Set("okr_backup_last_success_timestamp_seconds", {},
                        static_cast<double>(state.clock().NowUnix()));
  return BackupResult{*folder, bytes};
}

absl::Status ApplyBackup(ServerState& state, const store::Command& command, Applied& applied) {
  store::AuditRecord audit = NewAudit(command, "admin.backup");
  audit.set_after_json(
      nlohmann::json{{"dir", command.backup().dir()}, {"bytes", command.backup().bytes()}}.dump(
          -1, ' ', false, nlohmann::json::error_handler_t::replace));
  state.Audit(applied.batch, std::move(audit));
  return absl::OkStatus();
}

}  // namespace okr
