#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "feeds/import.h"

namespace parlay {
namespace {

NflGame MakeNflGame(const std::string& id, int64_t start_time,
                    std::optional<Selection> favorite,
                    std::optional<int> spread_quarters,
                    std::optional<int> total_quarters) {
  NflGame nfl;
  nfl.season = 2023;
  nfl.game.id = id;
  nfl.game.league = "NFL";
  nfl.game.home = "Home " + id;
  nfl.game.away = "Away " + id;
  nfl.game.start_time = start_time;
  nfl.game.updated_at = start_time;
  nfl.favorite = favorite;
  if (spread_quarters) nfl.spread = Line{*spread_quarters};
  if (total_quarters) nfl.total = Line{*total_quarters};
  return nfl;
}

// Twenty games a day apart, each with a 3-point home favourite and a total
// of 44.5.
std::vector<NflGame> SampleGames() {
  std::vector<NflGame> games;
  for (int i = 0; i < 20; ++i) {
    games.push_back(MakeNflGame("g" + std::to_string(i),
                                1'700'000'000 + i * 86400, Selection::kHome,
                                -12, 178));
  }
  return games;
}

void ExpectSameParlays(const std::vector<Parlay>& a,
                       const std::vector<Parlay>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(a[i].id);
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].account, b[i].account);
    EXPECT_EQ(a[i].stake_minor, b[i].stake_minor);
    EXPECT_EQ(a[i].placed_at, b[i].placed_at);
    ASSERT_EQ(a[i].legs.size(), b[i].legs.size());
    for (size_t j = 0; j < a[i].legs.size(); ++j) {
      EXPECT_EQ(a[i].legs[j].game_id, b[i].legs[j].game_id);
      EXPECT_EQ(a[i].legs[j].market, b[i].legs[j].market);
      EXPECT_EQ(a[i].legs[j].selection, b[i].legs[j].selection);
      EXPECT_EQ(a[i].legs[j].selection_text, b[i].legs[j].selection_text);
      EXPECT_EQ(a[i].legs[j].line, b[i].legs[j].line);
      EXPECT_EQ(a[i].legs[j].odds, b[i].legs[j].odds);
    }
  }
}

TEST(NflGeneratorTest, SameSeedSameParlays) {
  const std::vector<NflGame> games = SampleGames();
  ExpectSameParlays(GenerateNflParlays(games, 500, 6, 7),
                    GenerateNflParlays(games, 500, 6, 7));
}

TEST(NflGeneratorTest, DifferentSeedDifferentParlays) {
  const std::vector<NflGame> games = SampleGames();
  const std::vector<Parlay> a = GenerateNflParlays(games, 200, 6, 1);
  const std::vector<Parlay> b = GenerateNflParlays(games, 200, 6, 2);
  ASSERT_EQ(a.size(), b.size());
  size_t same_stakes = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].stake_minor == b[i].stake_minor) ++same_stakes;
  }
  EXPECT_LT(same_stakes, 10u);
  EXPECT_EQ(a[0].id, "nfl-1-1");
  EXPECT_EQ(b[0].id, "nfl-2-1");
}

TEST(NflGeneratorTest, InputOrderDoesNotMatter) {
  std::vector<NflGame> games = SampleGames();
  const std::vector<Parlay> forward = GenerateNflParlays(games, 100, 4, 9);
  std::reverse(games.begin(), games.end());
  ExpectSameParlays(forward, GenerateNflParlays(games, 100, 4, 9));
}

TEST(NflGeneratorTest, LegsOnDistinctGames) {
  const std::vector<Parlay> parlays =
      GenerateNflParlays(SampleGames(), 2000, 6, 3);
  std::set<size_t> leg_counts;
  for (const Parlay& parlay : parlays) {
    SCOPED_TRACE(parlay.id);
    leg_counts.insert(parlay.legs.size());
    std::set<std::string> games;
    for (const Leg& leg : parlay.legs) games.insert(leg.game_id);
    EXPECT_EQ(games.size(), parlay.legs.size());
    for (size_t i = 0; i < parlay.legs.size(); ++i) {
      EXPECT_EQ(parlay.legs[i].index, static_cast<int>(i));
    }
  }
  EXPECT_EQ(leg_counts, (std::set<size_t>{1, 2, 3, 4, 5, 6}));
}

TEST(NflGeneratorTest, FewerGamesThanMaxLegs) {
  const std::vector<NflGame> games = {
      MakeNflGame("a", 1'700'000'000, Selection::kHome, -12, 178),
      MakeNflGame("b", 1'700'086'400, std::nullopt, std::nullopt, 180),
  };
  for (const Parlay& parlay : GenerateNflParlays(games, 200, 6, 5)) {
    EXPECT_GE(parlay.legs.size(), 1u);
    EXPECT_LE(parlay.legs.size(), 2u);
  }
}

TEST(NflGeneratorTest, MarketsFollowAvailableLines) {
  const std::vector<NflGame> games = {
      MakeNflGame("total-only", 1'700'000'000, std::nullopt, std::nullopt, 180),
      MakeNflGame("no-lines", 1'700'000'000, std::nullopt, std::nullopt,
                  std::nullopt),
  };
  for (const Parlay& parlay : GenerateNflParlays(games, 100, 3, 11)) {
    ASSERT_EQ(parlay.legs.size(), 1u);
    EXPECT_EQ(parlay.legs[0].game_id, "total-only");
    EXPECT_EQ(parlay.legs[0].market, Market::kTotal);
    EXPECT_EQ(parlay.legs[0].line, Line{180});
  }
}

TEST(NflGeneratorTest, PricesAndLines) {
  // A 3-point home favourite (spread -3) and a pick'em.
  const std::vector<NflGame> games = {
      MakeNflGame("fav", 1'700'000'000, Selection::kHome, -12, 178),
      MakeNflGame("pick", 1'700'000'000, std::nullopt, 0, 178),
  };
  std::set<std::string> moneyline_prices;
  for (const Parlay& parlay : GenerateNflParlays(games, 400, 2, 13)) {
    for (const Leg& leg : parlay.legs) {
      SCOPED_TRACE(parlay.id + " " + leg.game_id);
      const bool favourite =
          leg.game_id == "fav" && leg.selection == Selection::kHome;
      switch (leg.market) {
        case Market::kMoneyline:
          EXPECT_FALSE(leg.line.has_value());
          if (leg.game_id == "pick") {
            EXPECT_EQ(leg.odds.text, "-110");
          } else {
            EXPECT_EQ(leg.odds.text, favourite ? "-150" : "+130");
          }
          moneyline_prices.insert(leg.game_id + leg.odds.text);
          break;
        case Market::kSpread:
          EXPECT_EQ(leg.odds.text, "-110");
          if (leg.game_id == "pick") {
            EXPECT_EQ(leg.line, Line{0});
          } else {
            EXPECT_EQ(leg.line, Line{favourite ? -12 : 12});
          }
          break;
        case Market::kTotal:
          EXPECT_EQ(leg.odds.text, "-110");
          EXPECT_EQ(leg.line, Line{178});
          EXPECT_TRUE(leg.selection == Selection::kOver ||
                      leg.selection == Selection::kUnder);
          break;
        case Market::kMoneyline3Way:
        case Market::kTeamTotal:
        case Market::kDrawNoBet:
        case Market::kToAdvance:
          ADD_FAILURE() << ToString(leg.market) << " leg generated";
          break;
      }
    }
  }
  EXPECT_EQ(moneyline_prices,
            (std::set<std::string>{"fav-150", "fav+130", "pick-110"}));
}

TEST(NflGeneratorTest, InvalidArguments) {
  const std::vector<NflGame> games = SampleGames();
  EXPECT_THROW(GenerateNflParlays(games, -1, 3, 1), std::invalid_argument);
  EXPECT_THROW(GenerateNflParlays(games, 10, 0, 1), std::invalid_argument);
  const std::vector<NflGame> no_lines = {MakeNflGame(
      "x", 1'700'000'000, std::nullopt, std::nullopt, std::nullopt)};
  EXPECT_THROW(GenerateNflParlays(no_lines, 10, 3, 1), std::invalid_argument);
  EXPECT_TRUE(GenerateNflParlays(no_lines, 0, 3, 1).empty());
}

// Parlays on the real data set, checked against the CSV text read by this
// test.
class RealNflGeneratorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string data = std::string(PARLAY_SOURCE_DIR) + "/data/nfl";
    ImportReport report;
    games_ = new std::vector<NflGame>();
    for (NflGame& game : ReadNflCsv(data + "/spreadspoke_scores.csv",
                                    data + "/nfl_teams.csv", report)) {
      if (game.season >= 2015 && game.season <= 2024) {
        games_->push_back(std::move(game));
      }
    }
    const auto started = std::chrono::steady_clock::now();
    parlays_ = new std::vector<Parlay>(
        GenerateNflParlays(*games_, kParlays, kMaxLegs, kSeed));
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                             started)
                   .count();
  }

  static void TearDownTestSuite() {
    delete games_;
    delete parlays_;
  }

  static constexpr int kParlays = 100'000;
  static constexpr int kMaxLegs = 6;
  static constexpr uint64_t kSeed = 2024;

  static std::vector<NflGame>* games_;
  static std::vector<Parlay>* parlays_;
  static double seconds_;
};

std::vector<NflGame>* RealNflGeneratorTest::games_ = nullptr;
std::vector<Parlay>* RealNflGeneratorTest::parlays_ = nullptr;
double RealNflGeneratorTest::seconds_ = 0;

TEST_F(RealNflGeneratorTest, HundredThousandParlays) {
  ASSERT_EQ(parlays_->size(), static_cast<size_t>(kParlays));
  std::cout << "generated " << kParlays << " parlays on " << games_->size()
            << " games in " << seconds_ << " s\n";
  // A loose bound that only catches a gross slowdown: this Debug build
  // took about 0.6 s on a 2-core build machine.
  EXPECT_LT(seconds_, 10.0);

  std::map<std::string, const NflGame*> by_id;
  for (const NflGame& game : *games_) by_id[game.game.id] = &game;
  const std::regex account("acct-[0-9]+");
  std::set<size_t> leg_counts;
  for (int n = 0; n < kParlays; ++n) {
    const Parlay& parlay = (*parlays_)[n];
    ASSERT_EQ(parlay.id, "nfl-2024-" + std::to_string(n + 1));
    ASSERT_EQ(parlay.currency, "USD");
    ASSERT_GE(parlay.stake_minor, 100);
    ASSERT_LE(parlay.stake_minor, 10'000);
    ASSERT_TRUE(std::regex_match(parlay.account, account)) << parlay.account;
    ASSERT_GE(parlay.legs.size(), 1u);
    ASSERT_LE(parlay.legs.size(), static_cast<size_t>(kMaxLegs));
    leg_counts.insert(parlay.legs.size());
    std::set<std::string> games;
    for (const Leg& leg : parlay.legs) {
      games.insert(leg.game_id);
      const auto it = by_id.find(leg.game_id);
      ASSERT_NE(it, by_id.end()) << leg.game_id;
      ASSERT_LT(parlay.placed_at, it->second->game.start_time) << parlay.id;
    }
    ASSERT_EQ(games.size(), parlay.legs.size()) << parlay.id;
  }
  EXPECT_EQ(leg_counts.size(), static_cast<size_t>(kMaxLegs));
}

TEST_F(RealNflGeneratorTest, LinesAreTheClosingLines) {
  // The closing lines by date and teams, from the CSV text.
  const std::string data = std::string(PARLAY_SOURCE_DIR) + "/data/nfl";
  std::ifstream in(data + "/spreadspoke_scores.csv");
  ASSERT_TRUE(in);
  struct Closing {
    std::string favorite_id;
    double spread = 0;
    double total = 0;
  };
  std::map<std::string, Closing> closing;  // "M/D/YYYY|home|away"
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (line.find('"') != std::string::npos) continue;  // not in 2015-2024
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells(1);
    for (char c : line) {
      if (c == ',') {
        cells.emplace_back();
      } else {
        cells.back() += c;
      }
    }
    if (cells[9].empty() ||
        cells[10].find_first_not_of(' ') == std::string::npos) {
      continue;
    }
    closing[cells[0] + "|" + cells[4] + "|" + cells[7]] = {
        cells[8], std::stod(cells[9]), std::stod(cells[10])};
  }
  // Which team a favourite id names, from nfl_teams.csv, and the ids and
  // names the scores file uses beyond it.
  std::map<std::string, std::set<std::string>> names_by_id;
  std::ifstream teams(data + "/nfl_teams.csv");
  std::getline(teams, line);
  while (std::getline(teams, line)) {
    const size_t first = line.find(',');
    const size_t second = line.find(',', first + 1);
    const size_t third = line.find(',', second + 1);
    names_by_id[line.substr(second + 1, third - second - 1)].insert(
        line.substr(0, first));
  }
  names_by_id["LVR"] = {"Oakland Raiders", "Las Vegas Raiders"};
  names_by_id["LV"] = {"Las Vegas Raiders"};
  names_by_id["WAS"].insert("Washington Football Team");
  names_by_id["WAS"].insert("Washington Commanders");
  names_by_id["NJY"] = names_by_id["NYJ"];

  std::map<std::string, const NflGame*> by_id;
  for (const NflGame& game : *games_) by_id[game.game.id] = &game;
  size_t checked = 0;
  for (const Parlay& parlay : *parlays_) {
    for (const Leg& leg : parlay.legs) {
      const Game& game = by_id.at(leg.game_id)->game;
      const std::chrono::year_month_day date{
          std::chrono::sys_days{std::chrono::days{game.start_time / 86400}}};
      const std::string key =
          std::to_string(static_cast<unsigned>(date.month())) + "/" +
          std::to_string(static_cast<unsigned>(date.day())) + "/" +
          std::to_string(static_cast<int>(date.year())) + "|" + game.home +
          "|" + game.away;
      const auto it = closing.find(key);
      ASSERT_NE(it, closing.end()) << key;
      const Closing& lines = it->second;
      const std::string& selected =
          leg.selection == Selection::kHome ? game.home : game.away;
      const bool favourite = names_by_id[lines.favorite_id].contains(selected);
      switch (leg.market) {
        case Market::kSpread: {
          const double expected =
              favourite || lines.spread == 0 ? lines.spread : -lines.spread;
          ASSERT_EQ(leg.line->quarters, std::lround(expected * 4)) << key;
          break;
        }
        case Market::kTotal:
          ASSERT_EQ(leg.line->quarters, std::lround(lines.total * 4)) << key;
          break;
        case Market::kMoneyline:
          // The favourite's price is negative; a pick'em is -110 for both.
          if (lines.favorite_id == "PICK") {
            ASSERT_EQ(leg.odds.text, "-110") << key;
          } else {
            ASSERT_EQ(leg.odds.text[0] == '-', favourite ||
                                                   leg.odds.text == "-105" ||
                                                   leg.odds.text == "-110")
                << key << " " << leg.odds.text;
          }
          break;
        case Market::kMoneyline3Way:
        case Market::kTeamTotal:
        case Market::kDrawNoBet:
        case Market::kToAdvance:
          FAIL() << ToString(leg.market) << " leg";
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 300'000u);
}

TEST_F(RealNflGeneratorTest, BothSelectionStyles) {
  size_t team_names = 0;
  size_t keywords = 0;
  for (const Parlay& parlay : *parlays_) {
    for (const Leg& leg : parlay.legs) {
      if (leg.market == Market::kTotal) continue;
      if (leg.selection_text == "home" || leg.selection_text == "away") {
        ++keywords;
      } else {
        ++team_names;
      }
    }
  }
  EXPECT_GT(team_names, 50'000u);
  EXPECT_GT(keywords, 50'000u);
}

}  // namespace
}  // namespace parlay
