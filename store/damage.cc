#include "store/damage.h"

#include "absl/strings/str_cat.h"

namespace okr::store {

std::string EscapeBytes(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u >= 0x20 && u < 0x7f) {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    }
  }
  return out;
}

absl::Status DamagedRecord(Cf cf, std::string_view key, std::string_view problem) {
  return absl::DataLossError(
      absl::StrCat("column family '", std::string(kCfNames[static_cast<size_t>(cf)]), "', key \"",
                   EscapeBytes(key), "\": ", std::string(problem)));
}

}  // namespace okr::store
