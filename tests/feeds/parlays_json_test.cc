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

constexpr char kChiefsGame[] = "2023-09-07-DET-KC";

const std::string kFields =
    R"("account": "a-42", "stake": "10.00", "currency": "USD")";

const std::string kSpreadLeg =
    R"({"game": "2023-09-07-DET-KC", "market": "spread", )"
    R"("selection": "Kansas City Chiefs", "line": "-4.5", "odds": "-110"})";

const std::string kTotalLeg =
    R"({"game": "g-2", "market": "total", "selection": "over", )"
    R"("line": "45.5", "odds": "1.91"})";

const std::string kDrawLeg =
    R"({"game": "g-3", "market": "moneyline_3way", "selection": "draw", )"
    R"("odds": "+240"})";

std::string ParlayJson(const std::string& id, const std::string& fields,
                       const std::string& legs) {
  return R"({"id": ")" + id + R"(", )" + fields + R"(, "legs": [)" + legs +
         "]}";
}

class ParlaysImportTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  testing::TestDatabase database_{GetParam()};

  void SetUp() override {
    PARLAY_REQUIRE_DATABASE(database_);
    store_ = database_.Open();
    const std::vector<Game> games = {
        testing::MakeGame(kChiefsGame, "Kansas City Chiefs", "Detroit Lions",
                          std::nullopt, std::nullopt, GameStatus::kScheduled,
                          1694132400),
        testing::MakeGame("g-2", "Buffalo Bills", "New York Jets", std::nullopt,
                          std::nullopt, GameStatus::kScheduled, 1694477700),
        testing::MakeGame("g-3", "Arsenal", "Chelsea", std::nullopt,
                          std::nullopt, GameStatus::kScheduled, 1694500000),
    };
    store_->UpsertGames(games);
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.File(name);
    testing::WriteFile(path, text);
    return path;
  }

  ImportReport Import(const std::vector<std::string>& files,
                      bool skip_invalid = false) {
    return ImportParlays(*store_, files, {skip_invalid}, clock_);
  }

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

  size_t StoredParlays() { return store_->ListParlays({}).size(); }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  testing::ManualClock clock_{1'700'000'000'000};
};

TEST_P(ParlaysImportTest, ArrayImportsEveryField) {
  const std::string parlay =
      ParlayJson("t-1", kFields + R"(, "placed_at": "2023-09-07T18:00:00Z")",
                 kSpreadLeg + ", " + kTotalLeg + ", " + kDrawLeg);
  const ImportReport report =
      Import({Write("parlays.json", "[" + parlay + "]")});
  EXPECT_EQ(report.records, 1);
  EXPECT_EQ(report.imported, 1);

  const std::optional<Parlay> stored = store_->GetParlay("t-1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->account, "a-42");
  EXPECT_EQ(stored->stake_minor, 1000);
  EXPECT_EQ(stored->currency, "USD");
  EXPECT_EQ(stored->placed_at, 1694109600);  // 2023-09-07T18:00:00Z
  EXPECT_EQ(stored->status, ParlayStatus::kPending);
  ASSERT_EQ(stored->legs.size(), 3u);

  const Leg& spread = stored->legs[0];
  EXPECT_EQ(spread.index, 0);
  EXPECT_EQ(spread.game_id, kChiefsGame);
  EXPECT_EQ(spread.market, Market::kSpread);
  EXPECT_EQ(spread.selection, Selection::kHome);
  EXPECT_EQ(spread.selection_text, "Kansas City Chiefs");
  EXPECT_EQ(spread.line, Line{-18});
  EXPECT_EQ(spread.odds.text, "-110");
  // -110 returns 210 per 110 staked: 21/11.
  EXPECT_EQ(spread.odds.numerator, 21);
  EXPECT_EQ(spread.odds.denominator, 11);

  const Leg& total = stored->legs[1];
  EXPECT_EQ(total.market, Market::kTotal);
  EXPECT_EQ(total.selection, Selection::kOver);
  EXPECT_EQ(total.line, Line{182});
  EXPECT_EQ(total.odds.numerator, 191);
  EXPECT_EQ(total.odds.denominator, 100);

  const Leg& draw = stored->legs[2];
  EXPECT_EQ(draw.market, Market::kMoneyline3Way);
  EXPECT_EQ(draw.selection, Selection::kDraw);
  EXPECT_FALSE(draw.line.has_value());
  // +240 returns 340 per 100 staked: 17/5.
  EXPECT_EQ(draw.odds.numerator, 17);
  EXPECT_EQ(draw.odds.denominator, 5);
}

TEST_P(ParlaysImportTest, JsonLinesAndDefaults) {
  const std::string yen = ParlayJson(
      "t-2", R"("account": "a-7", "stake": "500", "currency": "JPY")",
      R"({"game": "g-2", "market": "moneyline", "selection": "away", )"
      R"("odds": "+120", "line": null})");
  const std::string text = ParlayJson("t-1", kFields, kSpreadLeg) + "\n" + yen;
  const ImportReport report = Import({Write("parlays.jsonl", text)});
  EXPECT_EQ(report.imported, 2);

  const std::optional<Parlay> stored = store_->GetParlay("t-2");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->stake_minor, 500);
  EXPECT_EQ(stored->currency, "JPY");
  EXPECT_EQ(stored->placed_at, 1'700'000'000);  // the clock's time
  EXPECT_EQ(stored->legs[0].selection, Selection::kAway);
  EXPECT_EQ(stored->legs[0].selection_text, "away");
}

TEST_P(ParlaysImportTest, SameGameDifferentMarketsAccepted) {
  const std::string total_on_chiefs =
      R"({"game": "2023-09-07-DET-KC", "market": "total", )"
      R"("selection": "UNDER", "line": "53", "odds": "-110"})";
  const std::string path = Write(
      "p.json",
      "[" + ParlayJson("t-1", kFields, kSpreadLeg + ", " + total_on_chiefs) +
          "]");
  EXPECT_EQ(Import({path}).imported, 1);
}

TEST_P(ParlaysImportTest, LimitsAcceptedAtTheirEnds) {
  // Odds of exactly 1.01 and 10000 decimal, in both forms, and the
  // maximum stake of 100000.00 USD: 10^7 cents * 101/100 * 10000 stays
  // below the 10^15 payout limit.
  const std::string legs =
      R"({"game": "2023-09-07-DET-KC", "market": "moneyline", )"
      R"("selection": "home", "odds": "1.01"}, )"
      R"({"game": "g-2", "market": "total", "selection": "over", )"
      R"("line": "45.5", "odds": "+999900"})";
  const std::string favourite =
      R"({"game": "g-3", "market": "moneyline_3way", "selection": "home", )"
      R"("odds": "-10000"})";
  const std::string usd = R"("account": "a-42", "currency": "USD")";
  const std::string path = Write(
      "p.json",
      "[" + ParlayJson("t-1", usd + R"(, "stake": "100000.00")", legs) +
          ", " + ParlayJson("t-2", kFields, favourite) + "]");
  EXPECT_EQ(Import({path}).imported, 2);
  const std::optional<Parlay> stored = store_->GetParlay("t-2");
  ASSERT_TRUE(stored.has_value());
  // -10000: 10100 / 10000 = 101 / 100.
  EXPECT_EQ(stored->legs[0].odds.numerator, 101);
  EXPECT_EQ(stored->legs[0].odds.denominator, 100);
}

// Skips the value check, for a value too long to spell out.
constexpr char kAnyValue[] = "(any)";

struct InvalidParlayCase {
  std::string name;
  std::string record;
  size_t problems;      // how many problems the record gets
  std::string field;    // of the first problem
  std::string value;    // of the first problem, or kAnyValue
  std::string message;  // a part of the first problem's text
};

std::vector<InvalidParlayCase> InvalidParlayCases() {
  const std::string usd = R"("account": "a-42", "currency": "USD")";
  const std::string moneyline_chiefs =
      R"({"game": "2023-09-07-DET-KC", "market": "moneyline", )"
      R"("selection": "Chiefs", "odds": "-150"})";
  std::string many_legs = kSpreadLeg;
  for (int i = 0; i < 20; ++i) many_legs += ", " + kTotalLeg;
  return {
      {"zero stake",
       ParlayJson("t-9", usd + R"(, "stake": "0.00")", kSpreadLeg), 1, "stake",
       "\"0.00\"",
       "field stake: invalid value \"0.00\"; expected a stake above 0 in USD "
       "with at most 2 decimals, such as \"10.00\""},
      {"negative stake",
       ParlayJson("t-9", usd + R"(, "stake": "-5.00")", kSpreadLeg), 1, "stake",
       "\"-5.00\"", "expected a stake above 0 in USD"},
      {"stake as a number",
       ParlayJson("t-9", usd + R"(, "stake": 10)", kSpreadLeg), 1, "stake",
       "10", "as a string, not a number"},
      {"stake with too many decimals",
       ParlayJson("t-9", usd + R"(, "stake": "10.001")", kSpreadLeg), 1,
       "stake", "\"10.001\"", "at most 2 decimals"},
      // The maximum stake, 10^7 cents, at 10000 * 10000 * 2 could pay
      // 2 * 10^15 cents, above the 10^15 that an amount may reach.
      {"payout above the limit",
       ParlayJson("t-9", usd + R"(, "stake": "100000.00")",
                  R"({"game": "2023-09-07-DET-KC", "market": "moneyline", )"
                  R"("selection": "home", "odds": "+999900"}, )"
                  R"({"game": "g-2", "market": "total", "selection": "over", )"
                  R"("line": "45.5", "odds": "+999900"}, )"
                  R"({"game": "g-3", "market": "moneyline_3way", )"
                  R"("selection": "draw", "odds": "2"})"),
       1, "stake", "\"100000.00\"",
       "if every leg wins, stays within 10000000000000.00 USD"},
      {"stake above the maximum",
       ParlayJson("t-9", usd + R"(, "stake": "100000.01")", kSpreadLeg), 1,
       "stake", "\"100000.01\"",
       "expected a stake of at most 100000.00 USD, the configured maximum "
       "stake"},
      {"decimal odds below 1.01",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "total", "selection": "over", )"
                  R"("line": "45.5", "odds": "1.009999"})"),
       1, "legs[0].odds", "\"1.009999\"",
       "expected decimal odds from 1.01 to 10000 (American -10000 to "
       "+999900)"},
      {"American odds above +999900",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "total", "selection": "over", )"
                  R"("line": "45.5", "odds": "+999901"})"),
       1, "legs[0].odds", "\"+999901\"", "decimal odds from 1.01 to 10000"},
      {"American odds below -10000",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "total", "selection": "over", )"
                  R"("line": "45.5", "odds": "-10001"})"),
       1, "legs[0].odds", "\"-10001\"", "decimal odds from 1.01 to 10000"},
      {"unknown currency",
       ParlayJson("t-9",
                  R"("account": "a-42", "stake": "10.00", "currency": "usd")",
                  kSpreadLeg),
       1, "currency", "\"usd\"",
       "expected an ISO 4217 currency code that this service settles in"},
      {"misspelled stake",
       ParlayJson("t-9", usd + R"(, "stak": "10.00")", kSpreadLeg), 2, "stak",
       "",
       "field stak: unknown field; expected only the fields id, "
       "account, stake, currency, placed_at and legs"},
      {"missing account",
       ParlayJson("t-9", R"("stake": "10.00", "currency": "USD")", kSpreadLeg),
       1, "account", "", "field account: missing"},
      {"invalid placed_at",
       ParlayJson("t-9", kFields + R"(, "placed_at": "2023-09-07")",
                  kSpreadLeg),
       1, "placed_at", "\"2023-09-07\"", "expected an ISO 8601 time"},
      {"empty legs", ParlayJson("t-9", kFields, ""), 1, "legs", "[]",
       "field legs: invalid value []; expected an array of 1 to 20 leg "
       "objects"},
      {"missing legs", R"({"id": "t-9", )" + kFields + "}", 1, "legs", "",
       "field legs: missing"},
      {"too many legs", ParlayJson("t-9", kFields, many_legs), 1, "legs",
       kAnyValue, "expected an array of 1 to 20 leg objects"},
      {"leg not an object", ParlayJson("t-9", kFields, R"("g-2")"), 1,
       "legs[0]", "\"g-2\"", "expected a leg object"},
      {"misspelled leg field",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "total", "selection": "over", )"
                  R"("line": "45.5", "oddz": "-110"})"),
       2, "legs[0].oddz", "", "field legs[0].oddz: unknown field"},
      {"leg field given twice",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "total", "selection": "over", )"
                  R"("line": "45.5", "odds": "-110", "odds": "+300"})"),
       1, "legs[0].odds", "", "field given more than once"},
      {"unknown market",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "parlay", )"
                  R"("selection": "over", "odds": "-110"})"),
       1, "legs[0].market", "\"parlay\"",
       "expected one of moneyline, moneyline_3way, spread, total, "
       "team_total, draw_no_bet or to_advance"},
      {"selection matching neither team",
       ParlayJson("t-9", kFields, kTotalLeg + ", " + moneyline_chiefs), 1,
       "legs[1].selection", "\"Chiefs\"",
       "field legs[1].selection: invalid value \"Chiefs\"; expected "
       "\"home\", \"away\" or a team of game 2023-09-07-DET-KC: \"Kansas "
       "City Chiefs\" (home) or \"Detroit Lions\" (away)"},
      {"draw on a spread",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "spread", "selection": "draw", )"
                  R"("line": "3", "odds": "-110"})"),
       1, "legs[0].selection", "\"draw\"",
       "\"Buffalo Bills\" (home) or \"New York Jets\" (away)"},
      {"team on a total",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "total", )"
                  R"("selection": "Buffalo Bills", "line": "40", )"
                  R"("odds": "-110"})"),
       1, "legs[0].selection", "\"Buffalo Bills\"",
       "expected \"over\" or \"under\" (game g-2: \"Buffalo Bills\" (home) or "
       "\"New York Jets\" (away))"},
      {"unknown game",
       ParlayJson("t-9", kFields,
                  R"({"game": "nope", "market": "moneyline", )"
                  R"("selection": "home", "odds": "-110"})"),
       1, "legs[0].game", "\"nope\"",
       "expected the id of a stored game (no game has this id"},
      {"spread without a line",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "spread", "selection": "home", )"
                  R"("odds": "-110"})"),
       1, "legs[0].line", "",
       "field legs[0].line: missing; expected a line for a spread leg"},
      {"moneyline with a line",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "moneyline", )"
                  R"("selection": "home", "line": "-4.5", "odds": "-110"})"),
       1, "legs[0].line", "\"-4.5\"", "expected no line on a moneyline leg"},
      {"negative total",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "total", "selection": "over", )"
                  R"("line": "-3", "odds": "-110"})"),
       1, "legs[0].line", "\"-3\"", "expected a total line above 0"},
      {"line off the quarter grid",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "spread", "selection": "home", )"
                  R"("line": "4.3", "odds": "-110"})"),
       1, "legs[0].line", "\"4.3\"", "a multiple of 0.25"},
      {"line as a number",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "spread", "selection": "home", )"
                  R"("line": -4.5, "odds": "-110"})"),
       1, "legs[0].line", "-4.5", "as a string, not a number"},
      {"odds below +100",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "moneyline", )"
                  R"("selection": "home", "odds": "+50"})"),
       1, "legs[0].odds", "\"+50\"", "expected odds: American such as"},
      {"odds as a number",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "moneyline", )"
                  R"("selection": "home", "odds": 1.91})"),
       1, "legs[0].odds", "1.91", "as a string, not a number"},
      {"missing odds",
       ParlayJson("t-9", kFields,
                  R"({"game": "g-2", "market": "moneyline", )"
                  R"("selection": "home"})"),
       1, "legs[0].odds", "", "field legs[0].odds: missing"},
      {"two legs on one game and market",
       ParlayJson("t-9", kFields,
                  kSpreadLeg + ", " +
                      R"({"game": "2023-09-07-DET-KC", "market": "spread", )"
                      R"("selection": "away", "line": "4.5", "odds": "-110"})"),
       1, "legs[1].market", "\"spread\"",
       "expected at most one leg per game, market and period (legs[0] is "
       "also spread on game 2023-09-07-DET-KC)"},
      {"id used twice", ParlayJson("t-1", kFields, kTotalLeg), 1, "id",
       "\"t-1\"",
       "field id: duplicate id \"t-1\"; expected an id used by "
       "one record only ("},
      {"slash in the id", ParlayJson("t/9", kFields, kTotalLeg), 1, "id",
       "\"t/9\"", "expected an id without \"/\""},
      {"record not an object", "[1, 2]", 1, "", "[1,2]",
       "expected a JSON object"},
  };
}

TEST_P(ParlaysImportTest, EachInvalidRecordRejected) {
  for (const InvalidParlayCase& test : InvalidParlayCases()) {
    SCOPED_TRACE(test.name);
    const std::string path =
        Write("parlays.jsonl", ParlayJson("t-1", kFields, kSpreadLeg) + "\n" +
                                   test.record + "\n");
    const std::optional<ImportError> error = ImportFails({path});
    ASSERT_TRUE(error.has_value());
    ASSERT_EQ(error->problems().size(), test.problems) << error->what();
    const ImportProblem& problem = error->problems()[0];
    EXPECT_EQ(problem.file, path);
    EXPECT_EQ(problem.record, 2);
    EXPECT_EQ(problem.field, test.field);
    if (test.value != kAnyValue) {
      EXPECT_EQ(problem.value, test.value);
    }
    EXPECT_NE(problem.ToString().find(test.message), std::string::npos)
        << problem.ToString();
    EXPECT_EQ(StoredParlays(), 0u);
  }
}

TEST_P(ParlaysImportTest, StoredIdRejected) {
  Import({Write("first.json",
                "[" + ParlayJson("t-1", kFields, kSpreadLeg) + "]")});
  const std::string path =
      Write("second.json", "[" + ParlayJson("t-2", kFields, kTotalLeg) + ", " +
                               ParlayJson("t-1", kFields, kTotalLeg) + "]");
  const std::optional<ImportError> error = ImportFails({path});
  ASSERT_TRUE(error.has_value());
  ASSERT_EQ(error->problems().size(), 1u);
  EXPECT_EQ(error->problems()[0].record, 2);
  EXPECT_NE(error->problems()[0].ToString().find(
                "field id: duplicate id \"t-1\"; expected an id not already "
                "stored"),
            std::string::npos)
      << error->problems()[0].ToString();
  EXPECT_FALSE(store_->GetParlay("t-2").has_value());
  EXPECT_EQ(store_->GetParlay("t-1")->legs[0].market, Market::kSpread);
}

TEST_P(ParlaysImportTest, DuplicateIdAcrossFiles) {
  const std::string first =
      Write("a.json", "[" + ParlayJson("t-1", kFields, kSpreadLeg) + "]");
  const std::string second =
      Write("b.jsonl", ParlayJson("t-1", kFields, kTotalLeg) + "\n");
  const std::optional<ImportError> error = ImportFails({first, second});
  ASSERT_TRUE(error.has_value());
  ASSERT_EQ(error->problems().size(), 1u);
  EXPECT_EQ(error->problems()[0].file, second);
  EXPECT_NE(error->problems()[0].expected.find(first + " record 1 has it"),
            std::string::npos)
      << error->problems()[0].expected;
  EXPECT_EQ(StoredParlays(), 0u);
}

TEST_P(ParlaysImportTest, SkipInvalidWritesValidRecords) {
  const std::string text =
      ParlayJson("t-1", kFields, kSpreadLeg) + "\n" +
      ParlayJson("t-2", kFields,
                 R"({"game": "g-2", "market": "total", "selection": "over", )"
                 R"("line": "45.5", "odds": "+50"})") +
      "\n" + ParlayJson("t-3", kFields, kDrawLeg) + "\n";
  const ImportReport report =
      Import({Write("parlays.jsonl", text)}, /*skip_invalid=*/true);
  EXPECT_EQ(report.records, 3);
  EXPECT_EQ(report.imported, 2);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].field, "legs[0].odds");
  EXPECT_TRUE(store_->GetParlay("t-1").has_value());
  EXPECT_FALSE(store_->GetParlay("t-2").has_value());
  EXPECT_TRUE(store_->GetParlay("t-3").has_value());
}

TEST_P(ParlaysImportTest, MalformedJsonLine) {
  const std::string text = ParlayJson("t-1", kFields, kSpreadLeg) +
                           "\n{\"id\": \"t-2\", \"stake\": \"1\"\n";
  const std::optional<ImportError> error =
      ImportFails({Write("parlays.jsonl", text)});
  ASSERT_TRUE(error.has_value());
  ASSERT_EQ(error->problems().size(), 1u);
  EXPECT_EQ(error->problems()[0].record, 2);
  EXPECT_NE(error->problems()[0].error.find("invalid JSON at column"),
            std::string::npos);
  EXPECT_EQ(StoredParlays(), 0u);
}

TEST_P(ParlaysImportTest, MissingFile) {
  const std::string missing = dir_.File("nothing.json");
  const std::optional<ImportError> error = ImportFails({missing});
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->problems()[0].ToString(),
            missing + ": cannot open file: No such file or directory");
}

INSTANTIATE_TEST_SUITE_P(Backends, ParlaysImportTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
