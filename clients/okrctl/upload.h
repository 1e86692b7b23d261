// Streaming a CSV file to the server in chunks.
#ifndef OKR_CLIENTS_OKRCTL_UPLOAD_H_
#define OKR_CLIENTS_OKRCTL_UPLOAD_H_

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "okr/v1/common.pb.h"

namespace okrctl {

inline constexpr size_t kUploadChunkBytes = 1 << 20;

// Sends `path` over `writer` (a ClientWriter<CsvChunk>), showing a progress bar on a
// terminal for large files. Returns an error message, or "" on success.
template <typename Writer>
std::string UploadCsv(const std::string& path, Writer& writer, bool skip_invalid, bool dry_run) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read " + path;
  in.seekg(0, std::ios::end);
  const std::streamoff total = in.tellg();
  in.seekg(0, std::ios::beg);
  const bool show_progress =
      ::isatty(STDERR_FILENO) && total > static_cast<std::streamoff>(8 * kUploadChunkBytes);
  std::string buffer(kUploadChunkBytes, '\0');
  bool first = true;
  std::streamoff sent = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = in.gcount();
    if (got <= 0 && !first) break;
    okr::v1::CsvChunk chunk;
    chunk.set_data(buffer.data(), static_cast<size_t>(got));
    if (first) {
      chunk.set_skip_invalid(skip_invalid);
      chunk.set_dry_run(dry_run);
      first = false;
    }
    if (!writer.Write(chunk)) break;  // the server ended the call; Finish() says why
    sent += got;
    if (show_progress) {
      const int pct = static_cast<int>(100 * sent / total);
      std::fprintf(stderr, "\rupload [%-40s] %3d%%", std::string(pct * 40 / 100, '#').c_str(), pct);
    }
  }
  if (show_progress) std::fprintf(stderr, "\n");
  writer.WritesDone();
  return "";
}

}  // namespace okrctl

#endif  // OKR_CLIENTS_OKRCTL_UPLOAD_H_
