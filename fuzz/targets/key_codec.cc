// The key codec: KeyReader over any bytes never reads out of bounds; and what a KeyBuilder
// writes reads back the same, in order (the input drives the kinds and values).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "store/keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // 1. Decode anything.
  for (int kind = 0; kind < 4; ++kind) {
    okr::store::KeyReader reader(bytes);
    for (int i = 0; i < 64 && !reader.done(); ++i) {
      bool ok = false;
      switch ((kind + i) % 4) {
        case 0:
          ok = reader.Str().has_value();
          break;
        case 1:
          ok = reader.I64().has_value();
          break;
        case 2:
          ok = reader.I32().has_value();
          break;
        default:
          ok = reader.Byte().has_value();
          break;
      }
      if (!ok) break;
    }
  }
  // 2. Round trip: the input as a list of typed values.
  using Value = std::variant<std::string, int64_t, int32_t, char>;
  std::vector<Value> values;
  size_t pos = 0;
  while (pos < size && values.size() < 32) {
    const uint8_t tag = data[pos++] % 4;
    if (tag == 0) {
      const size_t len = pos < size ? data[pos++] % 40 : 0;
      const size_t n = std::min(len, size - pos);
      values.emplace_back(std::string(bytes.substr(pos, n)));
      pos += n;
    } else if (tag == 1) {
      int64_t v = 0;
      const size_t n = std::min(sizeof v, size - pos);
      std::memcpy(&v, data + pos, n);
      pos += n;
      values.emplace_back(v);
    } else if (tag == 2) {
      int32_t v = 0;
      const size_t n = std::min(sizeof v, size - pos);
      std::memcpy(&v, data + pos, n);
      pos += n;
      values.emplace_back(v);
    } else {
      values.emplace_back(pos < size ? static_cast<char>(data[pos++]) : 'x');
    }
  }
  okr::store::KeyBuilder builder;
  for (const Value& v : values) {
    if (auto* s = std::get_if<std::string>(&v)) builder.Str(*s);
    if (auto* i = std::get_if<int64_t>(&v)) builder.I64(*i);
    if (auto* i = std::get_if<int32_t>(&v)) builder.I32(*i);
    if (auto* c = std::get_if<char>(&v)) builder.Byte(*c);
  }
  okr::store::KeyReader reader(builder.key());
  for (const Value& v : values) {
    if (auto* s = std::get_if<std::string>(&v)) {
      auto got = reader.Str();
      if (!got || *got != *s) __builtin_trap();
    } else if (auto* i = std::get_if<int64_t>(&v)) {
      auto got = reader.I64();
      if (!got || *got != *i) __builtin_trap();
    } else if (auto* i32 = std::get_if<int32_t>(&v)) {
      auto got = reader.I32();
      if (!got || *got != *i32) __builtin_trap();
    } else {
      auto got = reader.Byte();
      if (!got || *got != std::get<char>(v)) __builtin_trap();
    }
  }
  if (!reader.done()) __builtin_trap();
  // Prefix successor is above every key with the prefix.
  const std::string succ = okr::store::PrefixSuccessor(std::string(bytes.substr(0, 8)));
  if (!succ.empty() && !(std::string(bytes) < succ)) __builtin_trap();
  return 0;
}
