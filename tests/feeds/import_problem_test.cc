#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "feeds/import.h"

namespace parlay {
namespace {

TEST(ImportProblemTest, InvalidValueText) {
  ImportProblem problem;
  problem.file = "games.json";
  problem.record = 3;
  problem.field = "home_score";
  problem.value = "\"abc\"";
  problem.expected = "an integer >= 0 or null";
  EXPECT_EQ(problem.ToString(),
            "games.json record 3, field home_score: invalid value \"abc\"; "
            "expected an integer >= 0 or null");
}

TEST(ImportProblemTest, MissingValueText) {
  ImportProblem problem;
  problem.file = "parlays.jsonl";
  problem.record = 7;
  problem.field = "legs[1].odds";
  problem.expected = "odds such as \"-110\"";
  EXPECT_EQ(problem.ToString(),
            "parlays.jsonl record 7, field legs[1].odds: missing; expected "
            "odds such as \"-110\"");
}

TEST(ImportProblemTest, LineShownWhenItDiffers) {
  ImportProblem problem;
  problem.file = "games.json";
  problem.record = 2;
  problem.line = 9;
  problem.field = "id";
  problem.value = "12";
  problem.expected = "a string";
  EXPECT_EQ(problem.ToString(),
            "games.json record 2 (line 9), field id: invalid value 12; "
            "expected a string");

  problem.line = 2;
  EXPECT_EQ(problem.ToString(),
            "games.json record 2, field id: invalid value 12; expected a "
            "string");
}

TEST(ImportProblemTest, FileLevelError) {
  ImportProblem problem;
  problem.file = "games.json";
  problem.line = 4;
  problem.error = "invalid JSON at column 6: unexpected '}'";
  EXPECT_EQ(problem.ToString(),
            "games.json line 4: invalid JSON at column 6: unexpected '}'");
}

TEST(ImportProblemTest, ErrorWithValue) {
  ImportProblem problem;
  problem.file = "p.json";
  problem.record = 5;
  problem.field = "id";
  problem.error = "duplicate id";
  problem.value = "\"t-1\"";
  problem.expected = "an id used once";
  EXPECT_EQ(problem.ToString(),
            "p.json record 5, field id: duplicate id \"t-1\"; expected an id "
            "used once");
}

TEST(ImportErrorTest, ListsTwentyProblems) {
  std::vector<ImportProblem> problems;
  for (int i = 1; i <= 25; ++i) {
    ImportProblem problem;
    problem.file = "games.json";
    problem.record = i;
    problem.field = "id";
    problem.expected = "a game id";
    problems.push_back(problem);
  }
  const ImportError error(problems);
  const std::string text = error.what();

  EXPECT_EQ(error.problems().size(), 25u);
  EXPECT_NE(text.find("nothing written: 25 problems"), std::string::npos)
      << text;
  EXPECT_NE(text.find("games.json record 20, field id: missing"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("games.json record 21,"), std::string::npos) << text;
  EXPECT_NE(text.find("... and 5 more"), std::string::npos) << text;
}

TEST(ImportErrorTest, SingleProblem) {
  ImportProblem problem;
  problem.file = "x.json";
  problem.error = "cannot open file: No such file or directory";
  const ImportError error({problem});
  EXPECT_STREQ(error.what(),
               "invalid input, nothing written: 1 problem\n"
               "  x.json: cannot open file: No such file or directory");
}

}  // namespace
}  // namespace parlay
