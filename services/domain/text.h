// The rule for every string okrd stores: valid UTF-8, within a length cap, and free of the
// control characters that would garble a terminal or a log line.
//
// Why: replies are proto3, whose string fields must be UTF-8; a stored name in another
// encoding (an Excel export saved as GBK) makes every reply that carries it unserialisable.
// Caps keep one careless or hostile request from growing every listing; control characters
// (ESC above all) would let a name rewrite the screen of whoever runs `okrctl org show`.
//
// Caps, in bytes of UTF-8 (a Chinese character is 3 bytes, a Cyrillic letter 2):
//   kMaxIdBytes      128    event ids, and every field of an import row that is not a name
//                           (unit and metric ids have their own, stricter slug rule: 1-64)
//   kMaxNameBytes    256    unit names, metric names, token labels
//   kMaxLabelBytes    32    a metric's unit label ("%", "s")
//   kMaxReasonBytes 2000    reasons, proposal comments, kudos
//   kMaxConfigBytes 64 KiB  a plugin's configuration (JSON)
// Single-line text (ids, names, labels) has no control character at all (U+0000-U+001F,
// U+007F-U+009F); free text (reasons, comments, kudos, configs) may hold tab, LF and CR.
// Empty text passes: whether a field is required is the caller's rule.
//
// UTF-8 is as RFC 3629 defines it: no overlong forms, no surrogates (U+D800-U+DFFF), nothing
// above U+10FFFF, no truncated sequence. A byte order mark is a character like any other
// here; CSV reading strips the one at the start of a file.
#ifndef OKR_SERVICES_DOMAIN_TEXT_H_
#define OKR_SERVICES_DOMAIN_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace okr {

inline constexpr size_t kMaxIdBytes = 128;
inline constexpr size_t kMaxNameBytes = 256;
inline constexpr size_t kMaxLabelBytes = 32;
inline constexpr size_t kMaxReasonBytes = 2000;
inline constexpr size_t kMaxConfigBytes = 64 * 1024;

// What a field may hold: its cap, and whether tab and line breaks are allowed.
struct TextRule {
  size_t max_bytes = 0;
  bool multiline = false;
};

inline constexpr TextRule kIdText{kMaxIdBytes, false};
inline constexpr TextRule kNameText{kMaxNameBytes, false};
inline constexpr TextRule kLabelText{kMaxLabelBytes, false};
inline constexpr TextRule kReasonText{kMaxReasonBytes, true};
inline constexpr TextRule kConfigText{kMaxConfigBytes, true};

// The length of the UTF-8 sequence that starts at text[offset] (1 to 4), or 0 when the bytes
// there are not a valid sequence (a stray continuation byte, an overlong form, a surrogate,
// a code point above U+10FFFF, or a sequence cut short by the end of `text`).
size_t Utf8SequenceLength(std::string_view text, size_t offset);

// The offset of the first byte of `text` that does not begin a valid UTF-8 sequence, or
// std::string_view::npos when all of `text` is valid UTF-8.
size_t FindInvalidUtf8(std::string_view text);

// Why `value` breaks `rule`, "" when it does not: "not valid UTF-8 (byte 0xD5 at offset 0)",
// "longer than 256 bytes (300)", "control character U+001B at offset 4". Offsets are bytes
// from the start of `value`. The text never quotes `value`, so it is safe to send back.
std::string TextProblem(std::string_view value, TextRule rule);

// InvalidArgument "FIELD: <problem>" when `value` breaks `rule`, else OK.
absl::Status CheckText(std::string_view field, std::string_view value, TextRule rule);

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_TEXT_H_
