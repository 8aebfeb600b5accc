#include "util/json_depth.h"

#include <gtest/gtest.h>

#include <string>

namespace parlay {
namespace {

TEST(JsonDepthTest, CountsArraysAndObjects) {
  // Object, array, object, array: four levels.
  EXPECT_TRUE(JsonDepthWithin("{\"a\": [1, {\"b\": []}]}", 4));
  EXPECT_FALSE(JsonDepthWithin("{\"a\": [1, {\"b\": []}]}", 3));
  EXPECT_TRUE(JsonDepthWithin("", 0));
  EXPECT_TRUE(JsonDepthWithin("42", 0));
}

TEST(JsonDepthTest, IgnoresBracketsInStrings) {
  // 200 brackets inside a string, one with an escaped quote before them.
  const std::string text =
      "{\"id\": \"x\\\"" + std::string(200, '[') + "\"}";
  EXPECT_TRUE(JsonDepthWithin(text, 1));
}

TEST(JsonDepthTest, RejectsHundredThousandLevels) {
  const std::string deep =
      std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_FALSE(JsonDepthWithin(deep));
  const std::string at_limit = std::string(kMaxJsonDepth, '[') +
                               std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(JsonDepthWithin(at_limit));
}

}  // namespace
}  // namespace parlay
