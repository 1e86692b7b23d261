#include "clients/okrctl/utf8_file.h"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "services/domain/text.h"

namespace okrctl {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The 1-based line of the next byte, counting LF, CRLF and a bare CR as okrd's CSV reader
// does, so that a line in an error here is the line okrd would name.
class LineCounter {
 public:
  void Feed(std::string_view text) {
    for (char c : text) {
      if (c == '\n') {
        if (!after_cr_) ++line_;
        after_cr_ = false;
      } else {
        after_cr_ = c == '\r';
        if (after_cr_) ++line_;
      }
    }
  }
  int64_t line() const { return line_; }

 private:
  int64_t line_ = 1;
  bool after_cr_ = false;
};

std::string HexByte(char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned char>(c));
  return buf;
}

bool IsUtf8Name(const std::string& encoding) {
  std::string name;
  for (char c : encoding) {
    if (c != '-' && c != '_')
      name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name.empty() || name == "UTF8";
}

// Reads up to `size` bytes into `buffer`; sets `eof` once the file has no more.
size_t ReadSome(std::ifstream& in, std::string& buffer, size_t size, bool* eof) {
  const size_t old = buffer.size();
  buffer.resize(old + size);
  in.read(buffer.data() + old, static_cast<std::streamsize>(size));
  const auto got = static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0));
  buffer.resize(old + got);
  *eof = got < size;
  return got;
}

std::string ReadUtf8(std::ifstream& in, const std::string& path, size_t chunk_bytes,
                     const Utf8Sink& sink) {
  std::string pending;  // bytes read and not yet handed over
  int64_t base = 0;     // the file offset of pending[0]
  int64_t bytes_read = 0;
  LineCounter lines;
  bool eof = false;
  while (!eof) {
    bytes_read += static_cast<int64_t>(ReadSome(in, pending, chunk_bytes, &eof));
    size_t valid = 0;
    while (valid < pending.size()) {
      const size_t length = okr::Utf8SequenceLength(pending, valid);
      if (length == 0) break;
      valid += length;
    }
    lines.Feed(std::string_view(pending).substr(0, valid));
    // Up to 3 bytes at the end may be a character that the next read completes.
    const bool maybe_cut = !eof && pending.size() - valid < 4;
    if (valid < pending.size() && !maybe_cut) {
      return path + " line " + std::to_string(lines.line()) + " is not valid UTF-8 (byte " +
             HexByte(pending[valid]) + " at offset " + std::to_string(base + valid) +
             "); if the file is GB18030/GBK or windows-1251 (Excel in a Chinese or Russian "
             "locale saves those), pass --encoding GB18030 or --encoding windows-1251";
    }
    if (valid > 0 && !sink(std::string_view(pending).substr(0, valid), bytes_read)) return "";
    base += static_cast<int64_t>(valid);
    pending.erase(0, valid);
  }
  return "";
}

std::string ReadConverted(std::ifstream& in, const std::string& path, const std::string& encoding,
                          size_t chunk_bytes, const Utf8Sink& sink) {
  iconv_t cd = iconv_open("UTF-8", encoding.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return "unknown encoding '" + encoding +
           "': iconv cannot convert it to UTF-8 (`iconv -l` lists the names it knows)";
  }
  struct Closer {
    iconv_t cd;
    ~Closer() { iconv_close(cd); }
  } closer{cd};

  std::string pending;
  std::string out(4 * chunk_bytes + 64, '\0');  // room for any piece: 4 bytes per input byte
  int64_t base = 0;
  int64_t bytes_read = 0;
  LineCounter lines;
  bool eof = false;
  auto emit = [&](size_t produced) {
    const std::string_view text(out.data(), produced);
    lines.Feed(text);
    return produced == 0 || sink(text, bytes_read);
  };
  while (!eof) {
    bytes_read += static_cast<int64_t>(ReadSome(in, pending, chunk_bytes, &eof));
    if (base == 0 && pending.size() >= kUtf8Bom.size() &&
        std::string_view(pending).substr(0, kUtf8Bom.size()) == kUtf8Bom) {
      return path +
             " starts with a UTF-8 byte order mark, so it is UTF-8 already: leave out "
             "--encoding " +
             encoding;
    }
    char* input = pending.data();
    size_t input_left = pending.size();
    bool incomplete = false;
    while (input_left > 0 && !incomplete) {
      char* output = out.data();
      size_t output_left = out.size();
      const size_t result = iconv(cd, &input, &input_left, &output, &output_left);
      const int error = errno;
      if (!emit(out.size() - output_left)) return "";
      if (result != static_cast<size_t>(-1) || error == E2BIG) continue;
      if (error == EINVAL) {
        incomplete = true;  // a character cut by the end of what was read: read more
      } else if (error == EILSEQ) {
        const int64_t offset = base + (input - pending.data());
        return path + " line " + std::to_string(lines.line()) + " is not valid " + encoding +
               " (byte " + HexByte(*input) + " at offset " + std::to_string(offset) +
               " does not start a character of it)";
      } else {
        return "cannot convert " + path + " from " + encoding + ": " + std::strerror(error);
      }
    }
    const size_t consumed = static_cast<size_t>(input - pending.data());
    base += static_cast<int64_t>(consumed);
    pending.erase(0, consumed);
  }
  if (!pending.empty()) {
    return path + " is not valid " + encoding + ": it ends inside a character (offset " +
           std::to_string(base) + ", line " + std::to_string(lines.line()) + ")";
  }
  // A stateful encoding (ISO-2022-*) may owe a final shift sequence.
  char* output = out.data();
  size_t output_left = out.size();
  iconv(cd, nullptr, nullptr, &output, &output_left);
  emit(out.size() - output_left);
  return "";
}

}  // namespace

std::string ReadAsUtf8(const std::string& path, const std::string& encoding, size_t chunk_bytes,
                       const Utf8Sink& sink) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read " + path;
  if (IsUtf8Name(encoding)) return ReadUtf8(in, path, chunk_bytes, sink);
  return ReadConverted(in, path, encoding, chunk_bytes, sink);
}

}  // namespace okrctl
