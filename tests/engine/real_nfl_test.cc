// Settles bets on every real NFL game since 1979 that has a closing line
// (data/nfl/spreadspoke_scores.csv) and checks each leg against an outcome
// computed here, directly from the CSV's columns, in half points.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "engine/settlement.h"
#include "feeds/import.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

const std::string kDataDir = std::string(PARLAY_SOURCE_DIR) + "/data/nfl";

std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// "-4.5" -> -9 half points; "47" -> 94. The CSV has only whole and half
// points.
int HalfPoints(const std::string& text) {
  std::string trimmed = text;
  trimmed.erase(0, trimmed.find_first_not_of(' '));
  bool negative = !trimmed.empty() && trimmed[0] == '-';
  if (negative) trimmed.erase(0, 1);
  size_t dot = trimmed.find('.');
  int whole = std::stoi(trimmed.substr(0, dot));
  int half = 0;
  if (dot != std::string::npos && dot + 1 < trimmed.size()) {
    half = trimmed[dot + 1] == '5' ? 1 : 0;
  }
  int value = whole * 2 + half;
  return negative ? -value : value;
}

const char* Outcome(int difference_in_half_points) {
  if (difference_in_half_points > 0) return "WON";
  if (difference_in_half_points < 0) return "LOST";
  return "PUSH";
}

std::string Blank(std::string text) {
  text.erase(0, text.find_first_not_of(' '));
  return text;
}

class RealNflTest : public ::testing::TestWithParam<testing::Backend> {};

TEST_P(RealNflTest, EveryGameSinceNineteenSeventyNine) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  // team_id -> every name the team played under, from nfl_teams.csv.
  std::map<std::string, std::vector<std::string>> names_by_id;
  for (const auto& row : ReadCsv(kDataDir + "/nfl_teams.csv")) {
    if (row[0] == "team_name") continue;
    names_by_id[row[2]].push_back(row[0]);
  }
  // The team table predates the Raiders' move to Las Vegas and
  // Washington's two renames. The scores use those names, and LVR (once
  // LV) for the Raiders of every era.
  names_by_id["OAK"].push_back("Las Vegas Raiders");
  names_by_id["LV"] = names_by_id["LVR"] = names_by_id["OAK"];
  names_by_id["WAS"].push_back("Washington Football Team");
  names_by_id["WAS"].push_back("Washington Commanders");
  names_by_id["NJY"] = names_by_id["NYJ"];  // the CSV's one misspelled id
  auto is_team = [&](const std::string& id, const std::string& name) {
    for (const std::string& known : names_by_id[id]) {
      if (known == name) return true;
    }
    return false;
  };

  std::unique_ptr<Store> store = database.Open();
  ImportNflCsv(*store, kDataDir + "/spreadspoke_scores.csv",
               kDataDir + "/nfl_teams.csv", {.skip_invalid = true});
  // Stored game ids start with the date: "2023-09-07-DET-KC".
  std::map<std::string, std::string> game_ids;
  for (const Game& game : store->ListGames(GameStatus::kFinal)) {
    game_ids[game.id.substr(0, 10) + "|" + game.home + "|" + game.away] =
        game.id;
  }

  struct Expected {
    std::string parlay_id;
    std::string status;
  };
  std::vector<Expected> expected;
  std::vector<Parlay> parlays;
  int games_checked = 0;
  auto place = [&](const std::string& game_id, Market market,
                   Selection selection, const std::string& line,
                   const char* outcome) {
    std::string id = "p" + std::to_string(parlays.size());
    parlays.push_back(testing::MakeParlay(
        id, 1000, "USD",
        {testing::MakeLeg(0, game_id, market, selection, line, "-110")}));
    expected.push_back({id, outcome});
  };

  for (const auto& row : ReadCsv(kDataDir + "/spreadspoke_scores.csv")) {
    if (row[0] == "schedule_date" || std::stoi(row[1]) < 1979) continue;
    if (row[5].empty() || row[6].empty()) continue;  // not played yet
    std::string favorite = row[8];
    std::string spread = Blank(row[9]);
    std::string total = Blank(row[10]);
    // Two 1993 totals of 36.6 are off the quarter-point grid; the importer
    // drops them, so no total bet is placed on those games.
    if (total.find(".6") != std::string::npos) total.clear();
    if (favorite.empty() && total.empty()) continue;  // no line at all

    // schedule_date is M/D/YYYY.
    int month, day, year;
    char slash;
    std::istringstream(row[0]) >> month >> slash >> day >> slash >> year;
    char date[11];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    const std::string& home = row[4];
    const std::string& away = row[7];
    auto found = game_ids.find(std::string(date) + "|" + home + "|" + away);
    ASSERT_NE(found, game_ids.end()) << "not imported: " << row[0] << " "
                                     << away << " @ " << home;
    const std::string& game_id = found->second;
    int home_score = std::stoi(row[5]);
    int away_score = std::stoi(row[6]);
    ++games_checked;

    int margin = 2 * (home_score - away_score);  // home margin, half points
    place(game_id, Market::kMoneyline, Selection::kHome, "",
          Outcome(margin));
    place(game_id, Market::kMoneyline, Selection::kAway, "",
          Outcome(-margin));
    if (!total.empty()) {
      int points = 2 * (home_score + away_score);
      place(game_id, Market::kTotal, Selection::kOver, total,
            Outcome(points - HalfPoints(total)));
      place(game_id, Market::kTotal, Selection::kUnder, total,
            Outcome(HalfPoints(total) - points));
    }
    if (!favorite.empty() && favorite != "PICK" && !spread.empty()) {
      bool home_favorite = is_team(favorite, home);
      bool away_favorite = is_team(favorite, away);
      ASSERT_NE(home_favorite, away_favorite)
          << "favourite " << favorite << " in " << away << " @ " << home;
      int line = HalfPoints(spread);  // the favourite's, <= 0
      int favorite_margin = home_favorite ? margin : -margin;
      std::string underdog_line = spread == "0" ? "0" : spread.substr(1);
      Selection favorite_side =
          home_favorite ? Selection::kHome : Selection::kAway;
      Selection underdog_side =
          home_favorite ? Selection::kAway : Selection::kHome;
      place(game_id, Market::kSpread, favorite_side, spread,
            Outcome(favorite_margin + line));
      place(game_id, Market::kSpread, underdog_side, underdog_line,
            Outcome(-favorite_margin - line));
    }
  }
  store->InsertParlays(parlays);

  testing::ManualClock clock;
  Engine engine(*store, clock);
  SettleSummary summary = engine.SettleAll();
  EXPECT_TRUE(summary.failures.empty());
  EXPECT_EQ(summary.legs_settled(), static_cast<int64_t>(parlays.size()));

  // Games since 1979 with a final score: more than 40 seasons of 200+.
  EXPECT_GT(games_checked, 9000);
  std::map<std::string, std::string> actual;
  ParlayQuery query;
  query.limit = 1'000'000;
  for (const Parlay& parlay : store->ListParlays(query)) {
    actual[parlay.id] = std::string(ToString(parlay.legs[0].status));
  }
  int mismatches = 0;
  for (const Expected& want : expected) {
    if (actual[want.parlay_id] != want.status && ++mismatches <= 20) {
      ADD_FAILURE() << want.parlay_id << ": expected " << want.status
                    << ", got " << actual[want.parlay_id];
    }
  }
  EXPECT_EQ(mismatches, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, RealNflTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
