// What okrd keeps in its data folder (okrd --data-dir): the database and the admin token.
#ifndef OKR_SERVICES_CORE_DATA_FOLDER_H_
#define OKR_SERVICES_CORE_DATA_FOLDER_H_

#include <string>

namespace okr {

// The RocksDB folder.
inline std::string DatabaseDir(const std::string& data_dir) { return data_dir + "/db"; }

// The admin token, written 0600 at first start.
inline std::string AdminTokenFile(const std::string& data_dir) { return data_dir + "/admin.token"; }

}  // namespace okr

#endif  // OKR_SERVICES_CORE_DATA_FOLDER_H_
