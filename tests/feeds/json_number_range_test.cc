// Numbers too large for a double, such as 9e912, in every JSON reader.
// nlohmann::json reports them as out_of_range rather than parse_error, and
// the readers used to let that exception escape. The inputs are the
// crashes that the fuzz targets found.

#include <gtest/gtest.h>

#include <string>

#include "feeds/json_records.h"
#include "feeds/score_feed.h"
#include "support/test_support.h"

namespace parlay {
namespace {

constexpr char kOverflowMessage[] = "number overflow parsing '9e912'";

TEST(JsonNumberRangeTest, RequestBodyArrayRejected) {
  const feeds::JsonFile file = feeds::ParseJsonBody(
      "request body", R"([{"id": 9e912 "lasal:00:00al C0Z"}])");
  EXPECT_FALSE(file.readable);
  ASSERT_EQ(file.problems.size(), 1u);
  EXPECT_NE(file.problems[0].ToString().find(kOverflowMessage),
            std::string::npos)
      << file.problems[0].ToString();
}

TEST(JsonNumberRangeTest, RequestBodyObjectRejected) {
  const feeds::JsonFile file =
      feeds::ParseJsonBody("request body", R"({"home_score": 9e912})");
  EXPECT_FALSE(file.readable);
  ASSERT_EQ(file.problems.size(), 1u);
  EXPECT_NE(file.problems[0].ToString().find(kOverflowMessage),
            std::string::npos)
      << file.problems[0].ToString();
}

TEST(JsonNumberRangeTest, JsonLinesRecordRejected) {
  testing::TempDir dir;
  const std::string path = dir.File("games.jsonl");
  testing::WriteFile(path, "{\"id\": \"g-1\"}\n{\"id\": 9e912}\n");
  const feeds::JsonFile file = feeds::ReadJsonRecords(path);
  EXPECT_TRUE(file.readable);
  EXPECT_EQ(file.records.size(), 1u);
  ASSERT_EQ(file.problems.size(), 1u);
  EXPECT_EQ(file.problems[0].record, 2);
  EXPECT_NE(file.problems[0].ToString().find(kOverflowMessage),
            std::string::npos)
      << file.problems[0].ToString();
}

TEST(JsonNumberRangeTest, OddsApiSnapshotRejected) {
  const FeedSnapshot snapshot = ParseFeedSnapshot(
      FeedProvider::kOddsApi, "scores.json",
      R"([{"id": "e1", "sport_key": 33333333333333333333e912}])",
      1'700'000'000);
  EXPECT_TRUE(snapshot.updates.empty());
  ASSERT_EQ(snapshot.problems.size(), 1u);
  EXPECT_NE(snapshot.problems[0].ToString().find("number overflow"),
            std::string::npos)
      << snapshot.problems[0].ToString();
}

}  // namespace
}  // namespace parlay
