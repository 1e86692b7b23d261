// Reading an import file as UTF-8, converting it from another encoding on the way.
//
// okrd takes only UTF-8 (every stored string must be; services/domain/text.h). Excel in a
// Chinese locale saves CSV as GBK/GB18030, in a Russian one as windows-1251; those files are
// converted here with iconv (glibc), chunk by chunk, so a 1 GiB file never is in memory.
// Without an encoding the file must be UTF-8 already: the first byte that is not gets one
// clear error with its line, suggesting --encoding. A UTF-8 byte order mark is passed on
// (okrd's CSV reader strips it); a file that starts with one is UTF-8 whatever
// --encoding says, so naming another encoding for it is an error rather than mojibake.
#ifndef OKR_CLIENTS_OKRCTL_UTF8_FILE_H_
#define OKR_CLIENTS_OKRCTL_UTF8_FILE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace okrctl {

// Called with each piece of UTF-8 text in order (a piece never ends inside a character) and
// the bytes of the file read so far; returns false to stop reading.
using Utf8Sink = std::function<bool(std::string_view utf8, int64_t file_bytes_read)>;

// Reads `path` in pieces of about `chunk_bytes` as `encoding` (any name iconv knows, e.g.
// GB18030, GBK, windows-1251; empty or UTF-8: the file must be UTF-8 already) and hands the
// UTF-8 text to `sink`. Returns "" when the whole file was read (or `sink` stopped), else one
// message: "org.csv line 3 is not valid UTF-8 (byte 0xD5 at offset 96); if the file is
// GB18030/GBK or windows-1251, pass --encoding GB18030 or --encoding windows-1251",
// "org.csv is not valid GB18030: a bad byte sequence at offset 96 (line 3)", "unknown
// encoding 'X' ...". The pieces already handed over are then not the whole file.
std::string ReadAsUtf8(const std::string& path, const std::string& encoding, size_t chunk_bytes,
                       const Utf8Sink& sink);

}  // namespace okrctl

#endif  // OKR_CLIENTS_OKRCTL_UTF8_FILE_H_
