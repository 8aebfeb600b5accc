#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "feeds/import.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

// 2023-09-08T00:20:00Z and 2023-09-08T03:30:00Z in Unix seconds.
constexpr int64_t kKickoff = 1694132400;
constexpr int64_t kFinalUpdate = 1694143800;

const std::string kFinalGame =
    R"({"id": "2023-09-07-DET-KC", "league": "NFL", )"
    R"("home": "Kansas City Chiefs", "away": "Detroit Lions", )"
    R"("start_time": "2023-09-08T00:20:00Z", "status": "final", )"
    R"("home_score": 20, "away_score": 21, )"
    R"("updated_at": "2023-09-08T03:30:00Z"})";

const std::string kScheduledGame =
    R"({"id": "g-2", "league": "NFL", "home": "Buffalo Bills", )"
    R"("away": "New York Jets", "start_time": "2023-09-12T00:15:00Z", )"
    R"("status": "scheduled", "home_score": null})";

class GamesImportTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    PARLAY_REQUIRE_DATABASE(database_);
    store_ = database_.Open();
  }

  testing::TestDatabase database_{GetParam()};

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.File(name);
    testing::WriteFile(path, text);
    return path;
  }

  ImportReport Import(const std::vector<std::string>& files,
                      bool skip_invalid = false) {
    return ImportGames(*store_, files, {skip_invalid});
  }

  // Runs an import that must fail and returns its error.
  std::optional<ImportError> ImportFails(const std::vector<std::string>& files,
                                         bool skip_invalid = false) {
    try {
      Import(files, skip_invalid);
    } catch (const ImportError& error) {
      return error;
    }
    ADD_FAILURE() << "import succeeded";
    return std::nullopt;
  }

  size_t StoredGames() { return store_->ListGames(std::nullopt).size(); }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(GamesImportTest, ArrayImportsEveryField) {
  const std::string path =
      Write("games.json", "[" + kFinalGame + ",\n" + kScheduledGame + "]");
  const ImportReport report = Import({path});

  EXPECT_EQ(report.records, 2);
  EXPECT_EQ(report.imported, 2);
  EXPECT_TRUE(report.problems.empty());
  const std::optional<Game> game = store_->GetGame("2023-09-07-DET-KC");
  ASSERT_TRUE(game.has_value());
  EXPECT_EQ(game->league, "NFL");
  EXPECT_EQ(game->home, "Kansas City Chiefs");
  EXPECT_EQ(game->away, "Detroit Lions");
  EXPECT_EQ(game->start_time, kKickoff);
  EXPECT_EQ(game->status, GameStatus::kFinal);
  EXPECT_EQ(game->home_score, 20);
  EXPECT_EQ(game->away_score, 21);
  EXPECT_EQ(game->updated_at, kFinalUpdate);
  EXPECT_EQ(game->period_scores, "");
}

TEST_P(GamesImportTest, DefaultsForOptionalFields) {
  const std::string path = Write("games.json", "[" + kScheduledGame + "]");
  Import({path});
  const std::optional<Game> game = store_->GetGame("g-2");
  ASSERT_TRUE(game.has_value());
  EXPECT_EQ(game->status, GameStatus::kScheduled);
  EXPECT_FALSE(game->home_score.has_value());
  EXPECT_FALSE(game->away_score.has_value());
  // 2023-09-12T00:15:00Z: updated_at defaults to start_time.
  EXPECT_EQ(game->start_time, 1694477700);
  EXPECT_EQ(game->updated_at, 1694477700);
}

TEST_P(GamesImportTest, PeriodScoresStoredAsJsonText) {
  const std::string path =
      Write("games.jsonl",
            R"({"id": "g-3", "league": "NHL", "home": "A", "away": "B", )"
            R"("start_time": "2024-01-01T00:00:00Z", "status": "in_progress", )"
            R"("period_scores": [[1, 0], [0, 2]]})"
            "\n");
  Import({path});
  const std::optional<Game> game = store_->GetGame("g-3");
  ASSERT_TRUE(game.has_value());
  EXPECT_EQ(game->period_scores, "[[1,0],[0,2]]");
  EXPECT_EQ(game->status, GameStatus::kInProgress);
}

TEST_P(GamesImportTest, JsonLinesWithBlankLinesAndCrLf) {
  const std::string path = Write(
      "games.jsonl", kFinalGame + "\r\n\r\n   \n" + kScheduledGame + "\r\n");
  const ImportReport report = Import({path});
  EXPECT_EQ(report.records, 2);
  EXPECT_EQ(report.imported, 2);
  EXPECT_EQ(StoredGames(), 2u);
}

TEST_P(GamesImportTest, ByteOrderMarkSkipped) {
  const std::string path =
      Write("games.json", "\xEF\xBB\xBF[" + kScheduledGame + "]");
  EXPECT_EQ(Import({path}).imported, 1);
}

TEST_P(GamesImportTest, EmptyFileHasNoRecords) {
  const std::string empty = Write("empty.json", "");
  const std::string blank = Write("blank.jsonl", "\n  \n");
  const std::string array = Write("array.json", " [ ] ");
  const ImportReport report = Import({empty, blank, array});
  EXPECT_EQ(report.records, 0);
  EXPECT_EQ(report.imported, 0);
  EXPECT_TRUE(report.problems.empty());
}

// One invalid record, the second of the file, and the problem it must get.
struct InvalidGameCase {
  std::string name;
  std::string record;
  std::string field;
  std::string value;    // ImportProblem::value
  std::string message;  // a part of ImportProblem::ToString()
};

std::vector<InvalidGameCase> InvalidGameCases() {
  const std::string tail =
      R"("league": "NFL", "start_time": "2023-09-12T00:15:00Z", )"
      R"("status": "scheduled")";
  const std::string teams = R"("home": "Buffalo Bills", "away": "Miami")";
  return {
      {"missing id", "{" + teams + ", " + tail + "}", "id", "",
       "field id: missing; expected a game id such as "
       "\"2023-09-07-DET-KC\""},
      {"id not a string", R"({"id": 7, )" + teams + ", " + tail + "}", "id",
       "7",
       "field id: invalid value 7; expected a game id such as "
       "\"2023-09-07-DET-KC\", a string, not a number"},
      {"id with a trailing space",
       R"({"id": "g-9 ", )" + teams + ", " + tail + "}", "id", "\"g-9 \"",
       "without leading or trailing spaces"},
      {"empty home team",
       R"({"id": "g-9", "home": "", "away": "Miami", )" + tail + "}", "home",
       "\"\"",
       "field home: invalid value \"\"; expected the home team's "
       "name such as \"Kansas City Chiefs\", not empty"},
      {"same team twice",
       R"({"id": "g-9", "home": "Buffalo Bills", "away": "buffalo  bills", )" +
           tail + "}",
       "away", "\"buffalo  bills\"",
       "expected a team other than the home team \"Buffalo Bills\""},
      {"missing league",
       R"({"id": "g-9", )" + teams +
           R"(, "start_time": "2023-09-12T00:15:00Z", "status": "final"})",
       "league", "", "field league: missing"},
      {"impossible start time",
       R"({"id": "g-9", )" + teams +
           R"(, "league": "NFL", "start_time": "2023-02-30T00:00:00Z", )"
           R"("status": "scheduled"})",
       "start_time", "\"2023-02-30T00:00:00Z\"",
       "expected an ISO 8601 time such as \"2023-09-08T00:20:00Z\""},
      {"start time as a number",
       R"({"id": "g-9", )" + teams +
           R"(, "league": "NFL", "start_time": 1694477700, )"
           R"("status": "scheduled"})",
       "start_time", "1694477700", "a string, not a number"},
      {"unknown status",
       R"({"id": "g-9", )" + teams +
           R"(, "league": "NFL", "start_time": "2023-09-12T00:15:00Z", )"
           R"("status": "finished"})",
       "status", "\"finished\"",
       "expected one of scheduled, in_progress, final, suspended, postponed, "
       "cancelled, abandoned, no_contest or unknown"},
      {"negative score",
       R"({"id": "g-9", )" + teams + ", " + tail + R"(, "home_score": -1})",
       "home_score", "-1",
       "field home_score: invalid value -1; expected an integer from 0 to "
       "9999, or null when there is no score"},
      {"score as a string",
       R"({"id": "g-9", )" + teams + ", " + tail + R"(, "home_score": "20"})",
       "home_score", "\"20\"", "invalid value \"20\""},
      {"fractional score",
       R"({"id": "g-9", )" + teams + ", " + tail + R"(, "away_score": 20.5})",
       "away_score", "20.5", "invalid value 20.5"},
      {"invalid updated_at",
       R"({"id": "g-9", )" + teams + ", " + tail +
           R"(, "updated_at": "yesterday"})",
       "updated_at", "\"yesterday\"", "field updated_at: invalid value"},
      {"misspelled field",
       R"({"id": "g-9", )" + teams + ", " + tail + R"(, "home_scor": 20})",
       "home_scor", "",
       "field home_scor: unknown field; expected only the fields id, "
       "league, home, away, start_time, status, home_score, away_score, "
       "period_scores, updated_at, sport, status_detail, extra_time, "
       "periods and shootout"},
      {"field given twice",
       R"({"id": "g-9", )" + teams + ", " + tail + R"(, "status": "final"})",
       "status", "", "field status: field given more than once"},
      {"slash in the id",
       R"({"id": "g/9", )" + teams + ", " + tail + "}", "id", "\"g/9\"",
       "field id: invalid value \"g/9\"; expected an id without \"/\""},
      {"record not an object", R"(["g-9"])", "", R"(["g-9"])",
       "games.json record 2: invalid value [\"g-9\"]; expected a JSON "
       "object"},
  };
}

TEST_P(GamesImportTest, EachInvalidRecordRejected) {
  for (const InvalidGameCase& test : InvalidGameCases()) {
    SCOPED_TRACE(test.name);
    const std::string path =
        Write("games.json", "[" + kFinalGame + ",\n" + test.record + "]");
    const std::optional<ImportError> error = ImportFails({path});
    ASSERT_TRUE(error.has_value());
    ASSERT_EQ(error->problems().size(), 1u) << error->what();
    const ImportProblem& problem = error->problems()[0];
    EXPECT_EQ(problem.file, path);
    EXPECT_EQ(problem.record, 2);
    EXPECT_EQ(problem.line, 2);
    EXPECT_EQ(problem.field, test.field);
    EXPECT_EQ(problem.value, test.value);
    EXPECT_NE(problem.ToString().find(test.message), std::string::npos)
        << problem.ToString();
    EXPECT_NE(std::string(error->what()).find(problem.ToString()),
              std::string::npos);
    EXPECT_EQ(StoredGames(), 0u);
  }
}

TEST_P(GamesImportTest, SkipInvalidWritesValidRecords) {
  const std::string path = Write(
      "games.jsonl", kFinalGame + "\n" + R"({"id": "bad", "status": "final"})" +
                         "\n" + kScheduledGame + "\n");
  const ImportReport report = Import({path}, /*skip_invalid=*/true);
  EXPECT_EQ(report.records, 3);
  EXPECT_EQ(report.imported, 2);
  // The record lacks league, home, away and start_time.
  ASSERT_EQ(report.problems.size(), 4u);
  for (const ImportProblem& problem : report.problems) {
    EXPECT_EQ(problem.record, 2);
  }
  EXPECT_EQ(StoredGames(), 2u);
  EXPECT_FALSE(store_->GetGame("bad").has_value());
}

TEST_P(GamesImportTest, ProblemsOfAllFilesTogether) {
  const std::string good = Write("good.json", "[" + kFinalGame + "]");
  const std::string bad =
      Write("bad.jsonl", kScheduledGame + "\n{\"id\": \"x\"}\n");
  const std::optional<ImportError> error = ImportFails({good, bad});
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->problems().front().file, bad);
  EXPECT_EQ(error->problems().front().record, 2);
  EXPECT_EQ(StoredGames(), 0u);
}

TEST_P(GamesImportTest, MalformedJsonNamesLineAndColumn) {
  const std::string path =
      Write("games.json", "[{\"id\": \"g-1\",\n \"league\": }]");
  const std::optional<ImportError> error = ImportFails({path});
  ASSERT_TRUE(error.has_value());
  ASSERT_EQ(error->problems().size(), 1u);
  const std::string text = error->problems()[0].ToString();
  // Line 2 is ` "league": }` and the '}' is its 12th character.
  EXPECT_EQ(text.rfind(path + " line 2: invalid JSON at column 12 (", 0), 0u)
      << text;
  EXPECT_NE(text.find("unexpected '}'"), std::string::npos) << text;
}

TEST_P(GamesImportTest, MalformedArrayFailsEvenWithSkipInvalid) {
  const std::string good = Write("good.json", "[" + kFinalGame + "]");
  const std::string bad = Write("bad.json", "[" + kScheduledGame + ",]");
  const std::optional<ImportError> error =
      ImportFails({good, bad}, /*skip_invalid=*/true);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->problems()[0].file, bad);
  EXPECT_EQ(StoredGames(), 0u);
}

TEST_P(GamesImportTest, TruncatedArray) {
  const std::string whole = "[" + kFinalGame + ",\n" + kScheduledGame + "]";
  // Cut inside a string of the second record.
  const std::string cut = Write("cut.json", whole.substr(0, 250));
  std::optional<ImportError> error = ImportFails({cut});
  ASSERT_TRUE(error.has_value());
  std::string text = error->what();
  EXPECT_NE(text.find(cut + " line 2: invalid JSON at column"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("missing closing quote"), std::string::npos) << text;

  // Cut before the closing bracket.
  const std::string open =
      Write("open.json", whole.substr(0, whole.size() - 1));
  error = ImportFails({open});
  ASSERT_TRUE(error.has_value());
  text = error->what();
  EXPECT_NE(text.find(open + " line 2: invalid JSON"), std::string::npos)
      << text;
  EXPECT_NE(text.find("unexpected end of input"), std::string::npos) << text;
  EXPECT_EQ(StoredGames(), 0u);
}

TEST_P(GamesImportTest, TruncatedJsonLine) {
  const std::string path =
      Write("games.jsonl", kFinalGame + "\n" + kScheduledGame.substr(0, 40));
  const std::optional<ImportError> error = ImportFails({path});
  ASSERT_TRUE(error.has_value());
  ASSERT_EQ(error->problems().size(), 1u);
  const ImportProblem& problem = error->problems()[0];
  EXPECT_EQ(problem.record, 2);
  EXPECT_NE(problem.error.find("invalid JSON at column 41"), std::string::npos)
      << problem.error;
  EXPECT_EQ(StoredGames(), 0u);

  const ImportReport report = Import({path}, /*skip_invalid=*/true);
  EXPECT_EQ(report.records, 2);
  EXPECT_EQ(report.imported, 1);
}

TEST_P(GamesImportTest, MultiLineObjectIsNotJsonLines) {
  const std::string path = Write("game.json", "{\n  \"id\": \"g-1\"\n}\n");
  const std::optional<ImportError> error = ImportFails({path});
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(std::string(error->what()).find("one JSON object per line"),
            std::string::npos)
      << error->what();
}

TEST_P(GamesImportTest, ArrayRecordLinesCounted) {
  const std::string path =
      Write("games.json", "[\n  " + kFinalGame + ",\n\n  {\"id\": \"x\",\n" +
                              "   \"league\": \"NFL\"}\n]\n");
  const std::optional<ImportError> error = ImportFails({path});
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->problems()[0].record, 2);
  EXPECT_EQ(error->problems()[0].line, 4);
}

TEST_P(GamesImportTest, MissingFileFailsEvenWithSkipInvalid) {
  const std::string good = Write("good.json", "[" + kFinalGame + "]");
  const std::string missing = dir_.File("missing.json");
  const std::optional<ImportError> error =
      ImportFails({good, missing}, /*skip_invalid=*/true);
  ASSERT_TRUE(error.has_value());
  ASSERT_EQ(error->problems().size(), 1u);
  EXPECT_EQ(error->problems()[0].ToString(),
            missing + ": cannot open file: No such file or directory");
  EXPECT_EQ(StoredGames(), 0u);
}

TEST_P(GamesImportTest, DirectoryIsNotAFile) {
  const std::optional<ImportError> error = ImportFails({dir_.path().string()});
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->problems()[0].error, "cannot read file: Is a directory");
}

TEST_P(GamesImportTest, OlderUpdateSuperseded) {
  Import({Write("final.json", "[" + kFinalGame + "]")});
  const std::string stale =
      R"({"id": "2023-09-07-DET-KC", "league": "NFL", )"
      R"("home": "Kansas City Chiefs", "away": "Detroit Lions", )"
      R"("start_time": "2023-09-08T00:20:00Z", "status": "in_progress", )"
      R"("home_score": 7, "away_score": 3, )"
      R"("updated_at": "2023-09-08T01:00:00Z"})";
  const ImportReport report = Import({Write("stale.json", "[" + stale + "]")});
  EXPECT_EQ(report.imported, 0);
  EXPECT_EQ(report.superseded, 1);
  const std::optional<Game> game = store_->GetGame("2023-09-07-DET-KC");
  ASSERT_TRUE(game.has_value());
  EXPECT_EQ(game->status, GameStatus::kFinal);
  EXPECT_EQ(game->home_score, 20);
}

TEST_P(GamesImportTest, NewestRecordInInputWins) {
  const std::string correction =
      R"({"id": "2023-09-07-DET-KC", "league": "NFL", )"
      R"("home": "Kansas City Chiefs", "away": "Detroit Lions", )"
      R"("start_time": "2023-09-08T00:20:00Z", "status": "final", )"
      R"("home_score": 20, "away_score": 24, )"
      R"("updated_at": "2023-09-08T04:00:00Z"})";
  // The correction comes first but is newer than the record after it.
  const ImportReport report =
      Import({Write("games.jsonl", correction + "\n" + kFinalGame + "\n")});
  EXPECT_EQ(report.imported, 1);
  EXPECT_EQ(report.superseded, 1);
  EXPECT_EQ(store_->GetGame("2023-09-07-DET-KC")->away_score, 24);
}

TEST_P(GamesImportTest, VoidedGameKept) {
  Import({Write("scheduled.json", "[" + kScheduledGame + "]")});
  {
    std::unique_ptr<Transaction> transaction = store_->Begin();
    transaction->VoidGame("g-2", "stadium closed", 1694400000);
    transaction->Commit();
  }
  const std::string later =
      R"({"id": "g-2", "league": "NFL", "home": "Buffalo Bills", )"
      R"("away": "New York Jets", "start_time": "2023-09-12T00:15:00Z", )"
      R"("status": "final", "home_score": 16, "away_score": 22, )"
      R"("updated_at": "2023-09-13T00:00:00Z"})";
  const ImportReport report = Import({Write("later.json", "[" + later + "]")});
  EXPECT_EQ(report.superseded, 1);
  const std::optional<Game> game = store_->GetGame("g-2");
  ASSERT_TRUE(game.has_value());
  EXPECT_EQ(game->status, GameStatus::kCancelled);
  EXPECT_EQ(game->void_reason, "stadium closed");
}

TEST_P(GamesImportTest, ErrorListsAtMostTwentyProblems) {
  std::string text;
  for (int i = 0; i < 25; ++i) text += "{\"id\": \"g\"}\n";
  const std::optional<ImportError> error =
      ImportFails({Write("games.jsonl", text)});
  ASSERT_TRUE(error.has_value());
  // Each record lacks league, home, away, start_time and status.
  EXPECT_EQ(error->problems().size(), 125u);
  const std::string message = error->what();
  EXPECT_NE(message.find("125 problems"), std::string::npos);
  EXPECT_NE(message.find("... and 105 more"), std::string::npos) << message;
}

TEST_P(GamesImportTest, DeeplyNestedJsonRejected) {
  // 100,000 levels overflowed the parser's stack before the depth check.
  const std::string path =
      Write("deep.json", std::string(100'000, '[') + std::string(100'000, ']'));
  const std::optional<ImportError> error = ImportFails({path});
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(std::string(error->what()).find("nested deeper than 128 levels"),
            std::string::npos)
      << error->what();
  EXPECT_TRUE(store_->ListGames(std::nullopt).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, GamesImportTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
