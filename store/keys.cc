#include "store/keys.h"

namespace okr::store {

KeyBuilder& KeyBuilder::Str(std::string_view s) {
  for (char c : s) {
    key_.push_back(c);
    if (c == '\0') key_.push_back('\xff');
  }
  key_.push_back('\0');
  key_.push_back('\x01');
  return *this;
}

KeyBuilder& KeyBuilder::I64(int64_t v) {
  uint64_t u = static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
  for (int shift = 56; shift >= 0; shift -= 8) key_.push_back(static_cast<char>(u >> shift));
  return *this;
}

KeyBuilder& KeyBuilder::I32(int32_t v) {
  uint32_t u = static_cast<uint32_t>(v) ^ (uint32_t{1} << 31);
  for (int shift = 24; shift >= 0; shift -= 8) key_.push_back(static_cast<char>(u >> shift));
  return *this;
}

KeyBuilder& KeyBuilder::Byte(char c) {
  key_.push_back(c);
  return *this;
}

std::optional<std::string> KeyReader::Str() {
  std::string out;
  size_t i = 0;
  while (i < rest_.size()) {
    char c = rest_[i];
    if (c != '\0') {
      out.push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= rest_.size()) return std::nullopt;
    char next = rest_[i + 1];
    if (next == '\x01') {
      rest_.remove_prefix(i + 2);
      return out;
    }
    if (next != '\xff') return std::nullopt;
    out.push_back('\0');
    i += 2;
  }
  return std::nullopt;
}

std::optional<int64_t> KeyReader::I64() {
  if (rest_.size() < 8) return std::nullopt;
  uint64_t u = 0;
  for (int i = 0; i < 8; ++i) u = (u << 8) | static_cast<unsigned char>(rest_[i]);
  rest_.remove_prefix(8);
  return static_cast<int64_t>(u ^ (uint64_t{1} << 63));
}

std::optional<int32_t> KeyReader::I32() {
  if (rest_.size() < 4) return std::nullopt;
  uint32_t u = 0;
  for (int i = 0; i < 4; ++i) u = (u << 8) | static_cast<unsigned char>(rest_[i]);
  rest_.remove_prefix(4);
  return static_cast<int32_t>(u ^ (uint32_t{1} << 31));
}

std::optional<char> KeyReader::Byte() {
  if (rest_.empty()) return std::nullopt;
  char c = rest_[0];
  rest_.remove_prefix(1);
  return c;
}

std::string PrefixSuccessor(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last != 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;  // empty: no upper bound
}

}  // namespace okr::store
