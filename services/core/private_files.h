// okrd's own files are private to okrd's user: the data folder holds every token hash, and a
// backup is a copy of it. Folders are 0700 and files 0600; okrd main sets the umask to 077
// before anything is created (RocksDB creates its files with the process umask), and these
// helpers make sure of it where a folder may already exist or a file may come from elsewhere.
#ifndef OKR_SERVICES_CORE_PRIVATE_FILES_H_
#define OKR_SERVICES_CORE_PRIVATE_FILES_H_

#include <string>

#include "absl/status/status.h"

namespace okr {

inline constexpr unsigned kPrivateFolderMode = 0700;
inline constexpr unsigned kPrivateFileMode = 0600;

// Creates `dir` and any missing parent (each 0700), or tightens an existing `dir` to 0700.
// FAILED_PRECONDITION when it cannot be created or is not a folder.
absl::Status MakePrivateFolder(const std::string& dir);

// Every folder under `root` (itself included) 0700, every file 0600. Hard links share their
// inode, so this also tightens the files a checkpoint links to.
absl::Status MakeTreePrivate(const std::string& root);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PRIVATE_FILES_H_
