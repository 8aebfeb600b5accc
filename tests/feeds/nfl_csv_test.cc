#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "feeds/import.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

const std::string kHeader =
    "schedule_date,schedule_season,schedule_week,schedule_playoff,team_home,"
    "score_home,score_away,team_away,team_favorite_id,spread_favorite,"
    "over_under_line,stadium,stadium_neutral,weather_temperature,"
    "weather_wind_mph,weather_humidity,weather_detail\r\n";

// A scores row with the given cells and empty stadium and weather cells.
std::string Row(const std::string& date, const std::string& season,
                const std::string& week, const std::string& home,
                const std::string& home_score, const std::string& away_score,
                const std::string& away, const std::string& favorite,
                const std::string& spread, const std::string& total) {
  return date + "," + season + "," + week + ",FALSE," + home + "," +
         home_score + "," + away_score + "," + away + "," + favorite + "," +
         spread + "," + total + ",Stadium,FALSE,,,,\r\n";
}

const std::string kChiefsRow =
    Row("9/7/2023", "2023", "1", "Kansas City Chiefs", "20", "21",
        "Detroit Lions", "KC", "-4.5", "53");

const NflGame* FindGame(const std::vector<NflGame>& games,
                        const std::string& id) {
  for (const NflGame& game : games) {
    if (game.game.id == id) return &game;
  }
  return nullptr;
}

class NflCsvTest : public ::testing::Test {
 protected:
  std::vector<NflGame> Read(const std::string& rows) {
    report_ = ImportReport();
    testing::WriteFile(scores_, kHeader + rows);
    return ReadNflCsv(scores_, teams_, report_);
  }

  testing::TempDir dir_;
  const std::string scores_ = dir_.File("scores.csv");
  const std::string teams_ =
      std::string(PARLAY_SOURCE_DIR) + "/data/nfl/nfl_teams.csv";
  ImportReport report_;
};

TEST_F(NflCsvTest, FinalGameWithLines) {
  const std::vector<NflGame> games = Read(kChiefsRow);
  ASSERT_EQ(games.size(), 1u);
  EXPECT_EQ(report_.records, 1);
  EXPECT_TRUE(report_.problems.empty());
  EXPECT_TRUE(report_.warnings.empty());

  const NflGame& nfl = games[0];
  EXPECT_EQ(nfl.season, 2023);
  EXPECT_EQ(nfl.game.id, "2023-09-07-DET-KC");
  EXPECT_EQ(nfl.game.league, "NFL");
  EXPECT_EQ(nfl.game.home, "Kansas City Chiefs");
  EXPECT_EQ(nfl.game.away, "Detroit Lions");
  EXPECT_EQ(nfl.game.start_time, 1694044800);  // 2023-09-07T00:00:00Z
  EXPECT_EQ(nfl.game.updated_at, 1694044800);
  EXPECT_EQ(nfl.game.status, GameStatus::kFinal);
  EXPECT_EQ(nfl.game.home_score, 20);
  EXPECT_EQ(nfl.game.away_score, 21);
  EXPECT_EQ(nfl.favorite, Selection::kHome);
  EXPECT_EQ(nfl.spread, Line{-18});
  EXPECT_EQ(nfl.total, Line{212});
}

TEST_F(NflCsvTest, NoScoreIsScheduled) {
  const std::vector<NflGame> games =
      Read(Row("10/6/2025", "2025", "5", "Jacksonville Jaguars", "", "",
               "Kansas City Chiefs", "", "", ""));
  ASSERT_EQ(games.size(), 1u);
  EXPECT_EQ(games[0].game.status, GameStatus::kScheduled);
  EXPECT_FALSE(games[0].game.home_score.has_value());
  EXPECT_FALSE(games[0].game.away_score.has_value());
  EXPECT_FALSE(games[0].spread.has_value());
  EXPECT_FALSE(games[0].favorite.has_value());
  EXPECT_FALSE(games[0].total.has_value());
}

TEST_F(NflCsvTest, OneScoreIsAProblem) {
  const std::vector<NflGame> games =
      Read(kChiefsRow + Row("9/10/2023", "2023", "1", "Buffalo Bills", "17", "",
                            "New York Jets", "BUF", "-2.5", "45.5"));
  EXPECT_EQ(games.size(), 1u);
  ASSERT_EQ(report_.problems.size(), 1u);
  const ImportProblem& problem = report_.problems[0];
  EXPECT_EQ(problem.record, 2);
  EXPECT_EQ(problem.line, 3);
  EXPECT_EQ(problem.field, "score_away");
  EXPECT_EQ(problem.value, "\"\"");
  EXPECT_EQ(problem.ToString(),
            scores_ +
                " record 2 (line 3), field score_away: invalid value "
                "\"\"; expected a score from 0 to 999, or both scores "
                "empty");
}

TEST_F(NflCsvTest, PickEm) {
  const std::vector<NflGame> games =
      Read(Row("9/28/2025", "2025", "4", "Las Vegas Raiders", "24", "25",
               "Chicago Bears", "PICK", "0", "47.5"));
  ASSERT_EQ(games.size(), 1u);
  EXPECT_FALSE(games[0].favorite.has_value());
  EXPECT_EQ(games[0].spread, Line{0});
  EXPECT_EQ(games[0].total, Line{190});
}

TEST_F(NflCsvTest, SingleSpaceTotalIsNoTotal) {
  const std::vector<NflGame> games =
      Read(Row("12/23/1979", "1979", "Wildcard", "Houston Oilers", "13", "7",
               "Denver Broncos", "TEN", "-7", " "));
  ASSERT_EQ(games.size(), 1u);
  EXPECT_FALSE(games[0].total.has_value());
  EXPECT_EQ(games[0].spread, Line{-28});
  EXPECT_EQ(games[0].favorite, Selection::kHome);
  EXPECT_TRUE(report_.warnings.empty());
  EXPECT_EQ(games[0].game.id, "1979-12-23-DEN-TEN");
}

TEST_F(NflCsvTest, TotalOffQuarterGridDropped) {
  const std::vector<NflGame> games =
      Read(Row("10/10/1993", "1993", "6", "Minnesota Vikings", "15", "0",
               "Tampa Bay Buccaneers", "MIN", "-9.5", "36.6"));
  ASSERT_EQ(games.size(), 1u);
  EXPECT_FALSE(games[0].total.has_value());
  EXPECT_EQ(games[0].spread, Line{-38});
  EXPECT_TRUE(report_.problems.empty());
  ASSERT_EQ(report_.warnings.size(), 1u);
  EXPECT_EQ(report_.warnings[0].ToString(),
            scores_ +
                " record 1 (line 2), field over_under_line: total "
                "dropped: invalid value \"36.6\"; expected a total "
                "above 0 in steps of 0.25, such as \"47.5\"");
}

TEST_F(NflCsvTest, FavouriteIdAliases) {
  const std::vector<NflGame> games =
      Read(Row("9/19/2024", "2024", "3", "New York Jets", "24", "3",
               "New England Patriots", "NJY", "-6", "39") +
           Row("9/24/2023", "2023", "3", "Las Vegas Raiders", "18", "23",
               "Pittsburgh Steelers", "LV", "-2.5", "43") +
           Row("9/10/1995", "1995", "2", "Washington Redskins", "8", "20",
               "Oakland Raiders", "LVR", "-1", "36"));
  ASSERT_EQ(games.size(), 3u);
  EXPECT_TRUE(report_.warnings.empty());
  EXPECT_EQ(games[0].game.id, "2024-09-19-NE-NYJ");
  EXPECT_EQ(games[0].favorite, Selection::kHome);
  EXPECT_EQ(games[0].spread, Line{-24});
  EXPECT_EQ(games[1].game.id, "2023-09-24-PIT-OAK");
  EXPECT_EQ(games[1].favorite, Selection::kHome);
  EXPECT_EQ(games[2].game.id, "1995-09-10-OAK-WAS");
  EXPECT_EQ(games[2].favorite, Selection::kAway);
}

TEST_F(NflCsvTest, RenamedTeamsKeepFranchiseIds) {
  const std::vector<NflGame> games =
      Read(Row("12/4/2022", "2022", "13", "New York Giants", "20", "20",
               "Washington Commanders", "WAS", "-2.5", "40.5") +
           Row("1/9/2021", "2020", "Wildcard", "Washington Football Team", "23",
               "31", "Tampa Bay Buccaneers", "TB", "-8", "44.5"));
  ASSERT_EQ(games.size(), 2u);
  EXPECT_EQ(games[0].game.id, "2022-12-04-WAS-NYG");
  EXPECT_EQ(games[0].game.away, "Washington Commanders");
  EXPECT_EQ(games[0].favorite, Selection::kAway);
  EXPECT_EQ(games[1].game.id, "2021-01-09-TB-WAS");
  EXPECT_EQ(games[1].season, 2020);
  EXPECT_EQ(games[1].favorite, Selection::kAway);
}

TEST_F(NflCsvTest, FavouriteMatchingNeitherTeam) {
  const std::vector<NflGame> games =
      Read(Row("9/7/2023", "2023", "1", "Kansas City Chiefs", "20", "21",
               "Detroit Lions", "DAL", "-4.5", "53"));
  ASSERT_EQ(games.size(), 1u);
  EXPECT_FALSE(games[0].favorite.has_value());
  EXPECT_FALSE(games[0].spread.has_value());
  EXPECT_EQ(games[0].total, Line{212});
  EXPECT_TRUE(report_.problems.empty());
  ASSERT_EQ(report_.warnings.size(), 1u);
  EXPECT_EQ(report_.warnings[0].ToString(),
            scores_ +
                " record 1 (line 2), field team_favorite_id: spread "
                "dropped: invalid value \"DAL\"; expected PICK or the "
                "team_id of Kansas City Chiefs (KC) or Detroit Lions "
                "(DET)");
}

TEST_F(NflCsvTest, InconsistentSpreadsDropped) {
  const std::vector<NflGame> games =
      Read(Row("9/7/2023", "2023", "1", "Kansas City Chiefs", "20", "21",
               "Detroit Lions", "", "-4.5", "53") +
           Row("9/8/2023", "2023", "1", "Kansas City Chiefs", "20", "21",
               "Detroit Lions", "KC", "4.5", "53") +
           Row("9/9/2023", "2023", "1", "Kansas City Chiefs", "20", "21",
               "Detroit Lions", "PICK", "-1", "53") +
           Row("9/10/2023", "2023", "1", "Kansas City Chiefs", "20", "21",
               "Detroit Lions", "KC", "", "53"));
  ASSERT_EQ(games.size(), 4u);
  ASSERT_EQ(report_.warnings.size(), 4u);
  const std::vector<std::string> fields = {"team_favorite_id",
                                           "spread_favorite", "spread_favorite",
                                           "spread_favorite"};
  for (size_t i = 0; i < games.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_FALSE(games[i].spread.has_value());
    EXPECT_FALSE(games[i].favorite.has_value());
    EXPECT_EQ(games[i].total, Line{212});
    EXPECT_EQ(report_.warnings[i].field, fields[i]);
  }
}

TEST_F(NflCsvTest, UnknownTeamIsAProblem) {
  const std::vector<NflGame> games =
      Read(Row("9/7/2023", "2023", "1", "Springfield Isotopes", "20", "21",
               "Detroit Lions", "", "", ""));
  EXPECT_TRUE(games.empty());
  ASSERT_EQ(report_.problems.size(), 1u);
  EXPECT_EQ(report_.problems[0].field, "team_home");
  EXPECT_EQ(report_.problems[0].value, "\"Springfield Isotopes\"");
  EXPECT_NE(report_.problems[0].expected.find("a team name from nfl_teams.csv"),
            std::string::npos);
}

TEST_F(NflCsvTest, SameTeamTwiceIsAProblem) {
  const std::vector<NflGame> games =
      Read(Row("9/7/2023", "2023", "1", "Los Angeles Raiders", "20", "21",
               "Las Vegas Raiders", "", "", ""));
  EXPECT_TRUE(games.empty());
  ASSERT_EQ(report_.problems.size(), 1u);
  EXPECT_EQ(report_.problems[0].field, "team_away");
}

TEST_F(NflCsvTest, PartialNamesResolvedBySeason) {
  const std::vector<NflGame> games =
      Read(Row("9/7/2025", "2025", "1", "New England Patriots", "", "",
               "Las Vegas Raiders", "", "", "") +
           Row("10/5/2025", "2025", "5", "Buffalo Bills", "", "", "New England",
               "", "", "") +
           Row("10/5/2025", "2025", "5", "Indianapolis Colts", "", "",
               "Raiders", "", "", ""));
  ASSERT_EQ(games.size(), 3u);
  EXPECT_EQ(games[1].game.away, "New England Patriots");
  EXPECT_EQ(games[1].game.id, "2025-10-05-NE-BUF");
  // "Raiders" is the short name of three Raiders names; only Las Vegas
  // plays in 2025.
  EXPECT_EQ(games[2].game.away, "Las Vegas Raiders");
  EXPECT_TRUE(report_.problems.empty());
  ASSERT_EQ(report_.warnings.size(), 2u);
  EXPECT_EQ(report_.warnings[0].ToString(),
            scores_ +
                " record 2 (line 3), field team_away: read as \"New "
                "England Patriots\" from the partial team name \"New "
                "England\"");
}

TEST_F(NflCsvTest, SharedCityResolvedByWeek) {
  const std::string season_rows =
      Row("9/7/2025", "2025", "1", "New York Giants", "", "", "Miami Dolphins",
          "", "", "") +
      Row("9/7/2025", "2025", "1", "New York Jets", "", "", "Buffalo Bills", "",
          "", "");
  const std::vector<NflGame> games =
      Read(season_rows +
           Row("10/5/2025", "2025", "5", "New Orleans Saints", "", "",
               "New York", "", "", "") +
           Row("10/5/2025", "2025", "5", "\"New York Jets (1p, \"", "", "",
               "Dallas Cowboys", "", "", ""));
  ASSERT_EQ(games.size(), 4u);
  EXPECT_EQ(games[2].game.away, "New York Giants");
  EXPECT_EQ(games[2].game.id, "2025-10-05-NYG-NO");
  EXPECT_EQ(games[3].game.home, "New York Jets");
  EXPECT_EQ(games[3].game.id, "2025-10-05-DAL-NYJ");
  ASSERT_EQ(report_.warnings.size(), 2u);
  EXPECT_EQ(report_.warnings[0].field, "team_away");
  EXPECT_NE(report_.warnings[0].error.find("without another game in week 5"),
            std::string::npos);
  EXPECT_EQ(report_.warnings[1].field, "team_home");
  EXPECT_EQ(report_.warnings[1].value, "\"New York Jets (1p, \"");
}

TEST_F(NflCsvTest, SharedCityAmbiguous) {
  const std::vector<NflGame> games =
      Read(Row("9/7/2025", "2025", "1", "New York Giants", "", "",
               "Miami Dolphins", "", "", "") +
           Row("9/7/2025", "2025", "1", "New York Jets", "", "",
               "Buffalo Bills", "", "", "") +
           Row("10/5/2025", "2025", "5", "New Orleans Saints", "", "",
               "New York", "", "", ""));
  EXPECT_EQ(games.size(), 2u);
  ASSERT_EQ(report_.problems.size(), 1u);
  EXPECT_EQ(report_.problems[0].ToString(),
            scores_ +
                " record 3 (line 4), field team_away: ambiguous team "
                "name \"New York\"; expected a full team name; this "
                "one may be New York Giants or New York Jets");
}

TEST_F(NflCsvTest, SameDateAndTeamsGetDistinctIds) {
  const std::vector<NflGame> games = Read(kChiefsRow + kChiefsRow);
  ASSERT_EQ(games.size(), 2u);
  EXPECT_EQ(games[0].game.id, "2023-09-07-DET-KC");
  EXPECT_EQ(games[1].game.id, "2023-09-07-DET-KC-2");
}

TEST_F(NflCsvTest, InvalidDateSeasonAndWeek) {
  const std::vector<NflGame> games =
      Read(Row("13/1/2023", "2023", "1", "Kansas City Chiefs", "20", "21",
               "Detroit Lions", "", "", "") +
           Row("9/7/2023", "2021", "1", "Kansas City Chiefs", "20", "21",
               "Detroit Lions", "", "", "") +
           Row("9/7/2023", "2023", "Week 1", "Kansas City Chiefs", "20", "21",
               "Detroit Lions", "", "", ""));
  EXPECT_TRUE(games.empty());
  ASSERT_EQ(report_.problems.size(), 3u);
  EXPECT_EQ(report_.problems[0].field, "schedule_date");
  EXPECT_EQ(report_.problems[0].value, "\"13/1/2023\"");
  EXPECT_EQ(report_.problems[1].field, "schedule_season");
  EXPECT_EQ(report_.problems[1].expected,
            "the season's year: 2022 or 2023 for a game played in 2023");
  EXPECT_EQ(report_.problems[2].field, "schedule_week");
  EXPECT_EQ(report_.problems[2].value, "\"Week 1\"");
}

TEST_F(NflCsvTest, WrongColumnCount) {
  const std::vector<NflGame> games =
      Read("9/7/2023,2023,1,FALSE,Kansas City Chiefs,20\r\n" + kChiefsRow);
  EXPECT_EQ(games.size(), 1u);
  ASSERT_EQ(report_.problems.size(), 1u);
  EXPECT_EQ(report_.problems[0].ToString(),
            scores_ +
                " record 1 (line 2): row has 6 columns; expected 17 "
                "columns, as in the header row");
}

TEST_F(NflCsvTest, MissingColumnThrows) {
  testing::WriteFile(scores_, "schedule_date,team_home\n9/7/2023,A\n");
  try {
    ReadNflCsv(scores_, teams_, report_);
    FAIL() << "no error";
  } catch (const ImportError& error) {
    // Every required column but these two is missing.
    EXPECT_EQ(error.problems().size(), 8u);
    EXPECT_EQ(error.problems()[0].field, "schedule_season");
    EXPECT_EQ(error.problems()[0].error, "missing column");
  }
}

TEST_F(NflCsvTest, MissingFileThrows) {
  try {
    ReadNflCsv(dir_.File("none.csv"), teams_, report_);
    FAIL() << "no error";
  } catch (const ImportError& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].ToString(),
              dir_.File("none.csv") +
                  ": cannot open file: No such file or directory");
  }
}

TEST_F(NflCsvTest, UnixLineEndings) {
  testing::WriteFile(scores_,
                     "schedule_date,schedule_season,schedule_week,team_home,"
                     "score_home,score_away,team_away,team_favorite_id,"
                     "spread_favorite,over_under_line\n"
                     "9/7/2023,2023,1,Kansas City Chiefs,20,21,Detroit Lions,"
                     "KC,-4.5,53\n");
  const std::vector<NflGame> games = ReadNflCsv(scores_, teams_, report_);
  ASSERT_EQ(games.size(), 1u);
  EXPECT_EQ(games[0].total, Line{212});
}

class NflCsvImportTest
    : public NflCsvTest,
      public ::testing::WithParamInterface<testing::Backend> {
 protected:
  void SetUp() override {
    PARLAY_REQUIRE_DATABASE(database_);
    store_ = database_.Open();
  }

  testing::TestDatabase database_{GetParam()};
  std::unique_ptr<Store> store_;
};

TEST_P(NflCsvImportTest, InvalidRowWritesNothing) {
  testing::WriteFile(scores_, kHeader + kChiefsRow +
                                  Row("9/7/2023", "2023", "1", "Nowhere", "1",
                                      "2", "Detroit Lions", "", "", ""));
  try {
    ImportNflCsv(*store_, scores_, teams_, {});
    FAIL() << "no error";
  } catch (const ImportError& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].field, "team_home");
  }
  EXPECT_TRUE(store_->ListGames(std::nullopt).empty());

  const ImportReport report =
      ImportNflCsv(*store_, scores_, teams_, {.skip_invalid = true});
  EXPECT_EQ(report.records, 2);
  EXPECT_EQ(report.imported, 1);
  EXPECT_EQ(store_->ListGames(std::nullopt).size(), 1u);
}

TEST_P(NflCsvImportTest, WarningsDoNotBlock) {
  testing::WriteFile(
      scores_,
      kHeader + Row("10/10/1993", "1993", "6", "Minnesota Vikings", "15", "0",
                    "Tampa Bay Buccaneers", "MIN", "-9.5", "36.6"));
  const ImportReport report = ImportNflCsv(*store_, scores_, teams_, {});
  EXPECT_EQ(report.imported, 1);
  EXPECT_EQ(report.warnings.size(), 1u);
  const std::optional<Game> game = store_->GetGame("1993-10-10-TB-MIN");
  ASSERT_TRUE(game.has_value());
  EXPECT_EQ(game->home_score, 15);
  EXPECT_EQ(game->status, GameStatus::kFinal);
}

// The real data set, read with a splitter written for this test so that
// the expected counts do not come from the code under test.
class RealNflCsvTest : public ::testing::Test {
 protected:
  using Row = std::map<std::string, std::string>;

  static void SetUpTestSuite() {
    const std::string data = std::string(PARLAY_SOURCE_DIR) + "/data/nfl";
    std::ifstream in(data + "/spreadspoke_scores.csv");
    ASSERT_TRUE(in) << "cannot open the scores file";
    std::string line;
    std::getline(in, line);
    const std::vector<std::string> header = Split(line);
    rows_ = new std::vector<Row>();
    while (std::getline(in, line)) {
      const std::vector<std::string> cells = Split(line);
      ASSERT_EQ(cells.size(), header.size()) << line;
      Row row;
      for (size_t i = 0; i < header.size(); ++i) row[header[i]] = cells[i];
      rows_->push_back(row);
    }
    report_ = new ImportReport();
    games_ = new std::vector<NflGame>(ReadNflCsv(
        data + "/spreadspoke_scores.csv", data + "/nfl_teams.csv", *report_));
  }

  static void TearDownTestSuite() {
    delete rows_;
    delete games_;
    delete report_;
  }

  // Splits a line without its line break. Quoted cells may hold commas;
  // the file has no quoted line breaks.
  static std::vector<std::string> Split(std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.emplace_back();
      } else {
        cells.back() += c;
      }
    }
    return cells;
  }

  static bool Blank(const std::string& cell) {
    return cell.find_first_not_of(' ') == std::string::npos;
  }

  static std::vector<Row>* rows_;
  static std::vector<NflGame>* games_;
  static ImportReport* report_;
};

std::vector<RealNflCsvTest::Row>* RealNflCsvTest::rows_ = nullptr;
std::vector<NflGame>* RealNflCsvTest::games_ = nullptr;
ImportReport* RealNflCsvTest::report_ = nullptr;

TEST_F(RealNflCsvTest, EveryRowIsAGame) {
  EXPECT_EQ(rows_->size(), 14164u);
  EXPECT_EQ(games_->size(), rows_->size());
  EXPECT_EQ(report_->records, static_cast<int>(rows_->size()));
  EXPECT_TRUE(report_->problems.empty());
  std::set<std::string> ids;
  for (const NflGame& game : *games_) ids.insert(game.game.id);
  EXPECT_EQ(ids.size(), games_->size());
}

TEST_F(RealNflCsvTest, ScoresAndStatuses) {
  size_t with_scores = 0;
  size_t ties_since_2000 = 0;
  for (const Row& row : *rows_) {
    if (Blank(row.at("score_home")) || Blank(row.at("score_away"))) continue;
    ++with_scores;
    if (std::stoi(row.at("schedule_season")) >= 2000 &&
        row.at("score_home") == row.at("score_away")) {
      ++ties_since_2000;
    }
  }
  EXPECT_EQ(rows_->size() - with_scores, 14u);
  EXPECT_EQ(ties_since_2000, 15u);

  size_t finals = 0;
  size_t scheduled = 0;
  size_t ties = 0;
  for (const NflGame& nfl : *games_) {
    const Game& game = nfl.game;
    if (game.status == GameStatus::kFinal) {
      ++finals;
      EXPECT_TRUE(game.home_score.has_value()) << game.id;
      EXPECT_TRUE(game.away_score.has_value()) << game.id;
      if (nfl.season >= 2000 && game.home_score == game.away_score) ++ties;
    } else {
      ++scheduled;
      EXPECT_EQ(game.status, GameStatus::kScheduled);
      EXPECT_FALSE(game.home_score.has_value()) << game.id;
      EXPECT_EQ(nfl.season, 2025) << game.id;
    }
  }
  EXPECT_EQ(finals, with_scores);
  EXPECT_EQ(scheduled, rows_->size() - with_scores);
  EXPECT_EQ(ties, ties_since_2000);
}

TEST_F(RealNflCsvTest, LinesKeptOrDropped) {
  size_t without_spread = 0;
  size_t with_team_favorite = 0;
  size_t without_total = 0;
  for (const Row& row : *rows_) {
    const std::string& favorite = row.at("team_favorite_id");
    if (Blank(row.at("spread_favorite"))) ++without_spread;
    if (!favorite.empty() && favorite != "PICK") ++with_team_favorite;
    const std::string& total = row.at("over_under_line");
    // A total that is not a whole number of quarter points is dropped.
    if (Blank(total) ||
        std::stod(total) * 4 != static_cast<int>(std::stod(total) * 4)) {
      ++without_total;
    }
  }
  EXPECT_EQ(without_spread, 2493u);
  EXPECT_EQ(without_total, 2565u + 2u);

  size_t spreads_missing = 0;
  size_t favorites = 0;
  size_t totals_missing = 0;
  for (const NflGame& game : *games_) {
    if (!game.spread) ++spreads_missing;
    if (game.favorite) ++favorites;
    if (!game.total) ++totals_missing;
  }
  EXPECT_EQ(spreads_missing, without_spread);
  EXPECT_EQ(favorites, with_team_favorite);
  EXPECT_EQ(totals_missing, without_total);
}

TEST_F(RealNflCsvTest, KnownGames) {
  // From the file's lines, read by hand:
  // 9/7/2023,...,Kansas City Chiefs,20,21,Detroit Lions,KC,-4.5,53,...
  const NflGame* opener = FindGame(*games_, "2023-09-07-DET-KC");
  ASSERT_NE(opener, nullptr);
  EXPECT_EQ(opener->game.home_score, 20);
  EXPECT_EQ(opener->game.away_score, 21);
  EXPECT_EQ(opener->favorite, Selection::kHome);
  EXPECT_EQ(opener->spread, Line{-18});
  EXPECT_EQ(opener->total, Line{212});

  // 9/19/2024,...,New York Jets,24,3,New England Patriots,NJY,-6,39,...
  const NflGame* misspelled = FindGame(*games_, "2024-09-19-NE-NYJ");
  ASSERT_NE(misspelled, nullptr);
  EXPECT_EQ(misspelled->favorite, Selection::kHome);
  EXPECT_EQ(misspelled->spread, Line{-24});
  EXPECT_EQ(misspelled->total, Line{156});

  // 9/24/2023,...,Las Vegas Raiders,18,23,Pittsburgh Steelers,LV,-2.5,43,...
  const NflGame* raiders = FindGame(*games_, "2023-09-24-PIT-OAK");
  ASSERT_NE(raiders, nullptr);
  EXPECT_EQ(raiders->game.home, "Las Vegas Raiders");
  EXPECT_EQ(raiders->favorite, Selection::kHome);
  EXPECT_EQ(raiders->spread, Line{-10});

  // 12/4/2022,...,New York Giants,20,20,Washington Commanders,WAS,-2.5,40.5
  const NflGame* tie = FindGame(*games_, "2022-12-04-WAS-NYG");
  ASSERT_NE(tie, nullptr);
  EXPECT_EQ(tie->game.status, GameStatus::kFinal);
  EXPECT_EQ(tie->game.home_score, 20);
  EXPECT_EQ(tie->game.away_score, 20);
  EXPECT_EQ(tie->favorite, Selection::kAway);
  EXPECT_EQ(tie->total, Line{162});

  // 9/2/1966,...,Miami Dolphins,14,23,Oakland Raiders,,,,...
  const NflGame* first = FindGame(*games_, "1966-09-02-OAK-MIA");
  ASSERT_NE(first, nullptr);
  EXPECT_FALSE(first->spread.has_value());
  EXPECT_FALSE(first->total.has_value());
}

TEST_F(RealNflCsvTest, PartialNamesOf2025) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"2025-10-05-NYG-NO", "New York Giants"},
      {"2025-10-05-DAL-NYJ", "New York Jets"},
      {"2025-10-05-OAK-IND", "Las Vegas Raiders"},
      {"2025-10-05-TB-SEA", "Tampa Bay Buccaneers"},
      {"2025-10-05-NE-BUF", "New England Patriots"},
  };
  for (const auto& [id, team] : expected) {
    SCOPED_TRACE(id);
    const NflGame* game = FindGame(*games_, id);
    ASSERT_NE(game, nullptr);
    EXPECT_TRUE(game->game.home == team || game->game.away == team);
    EXPECT_EQ(game->game.status, GameStatus::kScheduled);
  }
  // The five names above and the two totals of 36.6.
  EXPECT_EQ(report_->warnings.size(), 7u);
}

TEST_F(RealNflCsvTest, RaidersKeepOneId) {
  size_t raiders_games = 0;
  for (const NflGame& nfl : *games_) {
    for (const std::string* team : {&nfl.game.home, &nfl.game.away}) {
      if (!team->ends_with(" Raiders")) continue;
      ++raiders_games;
      EXPECT_NE(nfl.game.id.find("-OAK"), std::string::npos) << nfl.game.id;
    }
  }
  EXPECT_GT(raiders_games, 800u);
}

TEST_F(RealNflCsvTest, ImportIntoStore) {
  testing::TempDir dir;
  std::unique_ptr<Store> store = OpenSqliteStore(dir.File("nfl.db"));
  const std::string data = std::string(PARLAY_SOURCE_DIR) + "/data/nfl";
  const ImportReport report = ImportNflCsv(
      *store, data + "/spreadspoke_scores.csv", data + "/nfl_teams.csv", {});
  EXPECT_EQ(report.imported, static_cast<int>(rows_->size()));
  EXPECT_EQ(store->ListGames(std::nullopt).size(), rows_->size());
  EXPECT_EQ(store->ListGames(GameStatus::kScheduled).size(), 14u);
}

INSTANTIATE_TEST_SUITE_P(Backends, NflCsvImportTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
