// Streaming a CSV file to the server in chunks.
#ifndef OKR_CLIENTS_OKRCTL_UPLOAD_H_
#define OKR_CLIENTS_OKRCTL_UPLOAD_H_

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "clients/okrctl/utf8_file.h"
#include "okr/v1/common.pb.h"

namespace okrctl {

inline constexpr size_t kUploadChunkBytes = 1 << 20;

// Reads `path` once as `encoding` (utf8_file.h) without sending anything: "" when the whole
// file converts to UTF-8, else the one error to report. An upload checks first, so that a
// file with a bad byte near its end is refused before any of it reaches okrd.
inline std::string CheckCsvFile(const std::string& path, const std::string& encoding) {
  return ReadAsUtf8(path, encoding, kUploadChunkBytes,
                    [](std::string_view, int64_t) { return true; });
}

// Sends `path`, converted to UTF-8 from `encoding`, over `writer` (a ClientWriter<CsvChunk>),
// showing a progress bar on a terminal for large files. Returns an error message, or "" on
// success.
template <typename Writer>
std::string UploadCsv(const std::string& path, const std::string& encoding, Writer& writer,
                      bool skip_invalid, bool dry_run) {
  std::ifstream probe(path, std::ios::binary | std::ios::ate);
  if (!probe) return "cannot read " + path;
  const std::streamoff total = probe.tellg();
  const bool show_progress =
      ::isatty(STDERR_FILENO) && total > static_cast<std::streamoff>(8 * kUploadChunkBytes);
  bool first = true;
  auto write_chunk = [&](std::string_view text, int64_t read) {
    okr::v1::CsvChunk chunk;
    chunk.set_data(text.data(), text.size());
    if (first) {
      chunk.set_skip_invalid(skip_invalid);
      chunk.set_dry_run(dry_run);
      first = false;
    }
    if (!writer.Write(chunk)) return false;  // the server ended the call; Finish() says why
    if (show_progress && total > 0) {
      const int pct = static_cast<int>(100 * std::min<int64_t>(read, total) / total);
      std::fprintf(stderr, "\rupload [%-40s] %3d%%", std::string(pct * 40 / 100, '#').c_str(), pct);
    }
    return true;
  };
  std::string error = ReadAsUtf8(path, encoding, kUploadChunkBytes, write_chunk);
  if (!error.empty()) return error;
  if (first) write_chunk("", 0);  // an empty file is still one (empty) chunk with the flags
  if (show_progress) std::fprintf(stderr, "\n");
  writer.WritesDone();
  return "";
}

}  // namespace okrctl

#endif  // OKR_CLIENTS_OKRCTL_UPLOAD_H_
