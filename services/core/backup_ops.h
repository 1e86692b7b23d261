// okrctl admin backup NAME: an online RocksDB checkpoint of the whole database (token hashes
// included) into a new folder under okrd's --backup-dir, and nowhere else.
//
// NAME is a folder name (or a relative path) inside the backup folder, or an absolute path that
// resolves inside it; a `..` component is refused outright, as is anything that resolves
// outside once symlinks are followed. The new folder and any missing parent are 0700, every file
// of the backup 0600 (private_files.h). Each backup is audited (action "admin.backup", actor,
// folder and size), like any other change.
#ifndef OKR_SERVICES_CORE_BACKUP_OPS_H_
#define OKR_SERVICES_CORE_BACKUP_OPS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/core/command_log.h"
#include "services/core/server_state.h"

namespace okr {

// The canonical path of the new backup folder NAME names under `backup_dir`.
// INVALID_ARGUMENT: empty NAME, a NUL byte or a `..` component, or NAME is the backup folder
// itself. FAILED_PRECONDITION: no backup folder configured. PERMISSION_DENIED: resolves outside
// it. ALREADY_EXISTS: the folder exists.
absl::StatusOr<std::string> ResolveBackupFolder(std::string_view backup_dir, std::string_view name);

// The backup written: its canonical folder and the bytes of its files.
struct BackupResult {
  std::string dir;
  uint64_t bytes = 0;
};
// Writes the checkpoint into <folder>/db (okrd --data-dir <folder> starts from it) and audits it,
// `name` naming the folder as ResolveBackupFolder says.
absl::StatusOr<BackupResult> Backup(ServerState& state, const Caller& caller,
                                    std::string_view name);
// The command behind it (services/core/apply.h): the backup's audit entry (the checkpoint is
// written before it runs, so a backup does not hold its own entry).
absl::Status ApplyBackup(ServerState& state, const store::Command& command, Applied& applied);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_BACKUP_OPS_H_
