#include "store/keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>
#include <vector>

namespace okr::store {
namespace {

TEST(Keys, StringsOrderLikeTuples) {
  // "a" < "a\0" < "a\0b" < "ab": the terminator sorts below any content byte.
  std::vector<std::string> ids = {"ab", std::string("a\0b", 3), "a", std::string("a\0", 2), "b",
                                  ""};
  std::vector<std::string> keys;
  for (const auto& id : ids) keys.push_back(KeyBuilder().Str(id).I32(7).Release());
  std::vector<size_t> order(ids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return keys[x] < keys[y]; });
  std::vector<std::string> sorted;
  for (size_t i : order) sorted.push_back(ids[i]);
  std::vector<std::string> expected = ids;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(sorted, expected);
}

TEST(Keys, IntegersOrderWithSign) {
  const std::vector<int64_t> values = {INT64_MIN, -1000, -1, 0, 1, 255, 256, 1 << 20, INT64_MAX};
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    EXPECT_LT(KeyBuilder().I64(values[i]).key(), KeyBuilder().I64(values[i + 1]).key());
  }
  EXPECT_LT(KeyBuilder().I32(-5).key(), KeyBuilder().I32(3).key());
  EXPECT_LT(KeyBuilder().I32(20260131).key(), KeyBuilder().I32(20260201).key());
}

TEST(Keys, RandomTuplesSortLikeTheirKeys) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> len(0, 4), byte(0, 3), num(-50, 50);
  using Tuple = std::tuple<std::string, int32_t, std::string>;
  std::vector<Tuple> tuples;
  for (int i = 0; i < 500; ++i) {
    auto str = [&] {
      std::string s;
      for (int n = len(rng); n > 0; --n)
        s.push_back(
            "\0a\xff"
            "b"[byte(rng)]);
      return s;
    };
    tuples.emplace_back(str(), num(rng), str());
  }
  auto key = [](const Tuple& t) {
    return KeyBuilder().Str(std::get<0>(t)).I32(std::get<1>(t)).Str(std::get<2>(t)).Release();
  };
  for (size_t i = 0; i + 1 < tuples.size(); ++i) {
    const auto& a = tuples[i];
    const auto& b = tuples[i + 1];
    // std::string compares as char (signed here); keys compare as unsigned bytes. Compare
    // the tuples the way the encoding promises: unsigned bytes.
    auto ucmp = [](const std::string& x, const std::string& y) {
      return std::lexicographical_compare(
          x.begin(), x.end(), y.begin(), y.end(), [](char p, char q) {
            return static_cast<unsigned char>(p) < static_cast<unsigned char>(q);
          });
    };
    bool tuple_less;
    if (std::get<0>(a) != std::get<0>(b)) {
      tuple_less = ucmp(std::get<0>(a), std::get<0>(b));
    } else if (std::get<1>(a) != std::get<1>(b)) {
      tuple_less = std::get<1>(a) < std::get<1>(b);
    } else {
      tuple_less = ucmp(std::get<2>(a), std::get<2>(b));
    }
    const std::string ka = key(a), kb = key(b);
    const bool key_less = std::lexicographical_compare(
        ka.begin(), ka.end(), kb.begin(), kb.end(), [](char p, char q) {
          return static_cast<unsigned char>(p) < static_cast<unsigned char>(q);
        });
    EXPECT_EQ(tuple_less, key_less) << i;
  }
}

TEST(Keys, RoundTrip) {
  const std::string s("x\0y", 3);
  std::string key = KeyBuilder().Str(s).I64(-42).I32(9).Byte('d').Str("").Release();
  KeyReader reader(key);
  EXPECT_EQ(reader.Str(), s);
  EXPECT_EQ(reader.I64(), -42);
  EXPECT_EQ(reader.I32(), 9);
  EXPECT_EQ(reader.Byte(), 'd');
  EXPECT_EQ(reader.Str(), "");
  EXPECT_TRUE(reader.done());
  KeyReader truncated(std::string_view(key).substr(0, 3));
  EXPECT_EQ(truncated.Str(), std::nullopt);
}

TEST(Keys, PrefixSuccessor) {
  EXPECT_EQ(PrefixSuccessor("ab"), "ac");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff", 2)), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("\xff\xff", 2)), "");
}

}  // namespace
}  // namespace okr::store
