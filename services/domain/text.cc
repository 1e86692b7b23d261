#include "services/domain/text.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace okr {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The code point of the valid sequence of `length` bytes at text[offset].
char32_t Decode(std::string_view text, size_t offset, size_t length) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[offset + k]); };
  if (length == 1) return byte(0);
  char32_t cp = byte(0) & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (byte(k) & 0x3F);
  return cp;
}

bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// `value` in upper-case hexadecimal, at least `digits` digits: Hex(0xD5, 2) is "D5".
std::string Hex(uint32_t value, int digits) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  while (value != 0 || digits > 0) {
    out.insert(out.begin(), kDigits[value & 0xF]);
    value >>= 4;
    --digits;
  }
  return out;
}

}  // namespace

size_t Utf8SequenceLength(std::string_view text, size_t offset) {
  if (offset >= text.size()) return 0;
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[offset + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  // RFC 3629 table 2: the lead byte fixes the length and the range of the second byte
  // (which excludes overlong forms, surrogates and code points above U+10FFFF).
  size_t length = 0;
  unsigned char second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // below: overlong
    if (lead == 0xED) second_max = 0x9F;  // above: surrogates U+D800-U+DFFF
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // below: overlong
    if (lead == 0xF4) second_max = 0x8F;  // above: beyond U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 (overlong 2-byte forms) or F5-FF
  }
  if (text.size() - offset < length) return 0;
  if (byte(1) < second_min || byte(1) > second_max) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (!IsContinuation(byte(k))) return 0;
  }
  return length;
}

size_t FindInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::string TextProblem(std::string_view value, TextRule rule) {
  size_t i = 0;
  while (i < value.size()) {
    const size_t length = Utf8SequenceLength(value, i);
    if (length == 0) {
      return absl::StrCat("not valid UTF-8 (byte 0x", Hex(static_cast<unsigned char>(value[i]), 2),
                          " at offset ", i, ")");
    }
    const char32_t cp = Decode(value, i, length);
    const bool allowed = rule.multiline && (cp == '\t' || cp == '\n' || cp == '\r');
    if (IsControl(cp) && !allowed) {
      return absl::StrCat("control character U+", Hex(static_cast<uint32_t>(cp), 4), " at offset ",
                          i);
    }
    i += length;
  }
  // Length last: an over-long name in another encoding is better told it is not UTF-8.
  if (value.size() > rule.max_bytes) {
    return absl::StrCat("longer than ", rule.max_bytes, " bytes (", value.size(), ")");
  }
  return "";
}

absl::Status CheckText(std::string_view field, std::string_view value, TextRule rule) {
  std::string problem = TextProblem(value, rule);
  if (problem.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(std::string(field) + ": " + problem);
}

}  // namespace okr
