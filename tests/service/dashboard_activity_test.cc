// GET /v1/dashboard/activity on the real server: the hourly settlement
// activity that worker cycles and admin actions record in the database.
// Expected numbers are worked out by hand from the games and parlays each
// test inserts.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "service_fixture.h"
#include "store/postgres_db.h"

namespace parlay {
namespace {

using nlohmann::json;
using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;
using testing::ServiceTest;

// The hour of the fixture's clock start (2023-11-14T22:13:20Z), and the
// first hour of the default 24-hour window that ends with it.
constexpr char kStartHour[] = "2023-11-14T22:00:00Z";
constexpr char kWindowFirstHour[] = "2023-11-13T23:00:00Z";
constexpr int64_t kHourMillis = 3'600'000;

class DashboardActivityTest : public ServiceTest {
 protected:
  // Runs one worker cycle and returns its report. The sweep interval is an
  // hour, so no other cycle runs meanwhile.
  service::CycleReport RunCycle() {
    std::optional<service::CycleReport> report =
        service_->worker().RunCycleNow(std::chrono::seconds(30));
    EXPECT_TRUE(report.has_value());
    return report.value_or(service::CycleReport{});
  }

  json Activity(const std::string& query = "") {
    Reply reply = Get("/v1/dashboard/activity" + query);
    EXPECT_EQ(reply.status, 200) << reply.text;
    return reply.body;
  }

  // Makes every update of game g-1001's legs fail, as a broken row would.
  void BreakGame1001() {
    if (OnPostgres()) {
      PgConnection db(database_.url(), PgConnectionOptions{});
      db.ExecuteScript(
          "CREATE FUNCTION fail_g1001() RETURNS trigger AS $$ BEGIN RAISE "
          "EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql; CREATE "
          "TRIGGER fail_g1001 BEFORE UPDATE ON legs FOR EACH ROW WHEN "
          "(OLD.game_id = 'g-1001') EXECUTE FUNCTION fail_g1001()");
      return;
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(database_.url().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TRIGGER fail_g1001 BEFORE UPDATE ON legs "
                           "WHEN OLD.game_id = 'g-1001' BEGIN SELECT "
                           "RAISE(ABORT, 'injected failure'); END",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
};

// g-1: home 24, away 17. g-2: home 10, away 20. Stakes in cents.
//   p-won   10.00 on g-1 home +150: won, pays 10.00 * 2.5 = 25.00
//   p-lost   5.00 on g-2 home -110: lost, pays 0
//   p-push  20.00 on g-1 home -7 at -110: 24 - 7 = 17, push, pays 20.00
//   p-two   10.00 on g-2 away +200 and g-1 home -200: both won, pays
//           10.00 * 3 * 1.5 = 45.00
// Legs settled 5; parlays won 2, lost 1, push 1; staked 45.00, paid 90.00.
void AddFourParlays(Store& store) {
  store.UpsertGames(std::vector<Game>{
      MakeGame("g-1", "Kansas City Chiefs", "Detroit Lions", 24, 17,
               GameStatus::kFinal, 1'699'000'000),
      MakeGame("g-2", "Buffalo Bills", "New York Jets", 10, 20,
               GameStatus::kFinal, 1'699'100'000)});
  store.InsertParlays(std::vector<Parlay>{
      MakeParlay("p-won", 1000, "USD",
                 {MakeLeg(0, "g-1", Market::kMoneyline, Selection::kHome, "",
                          "+150")}),
      MakeParlay("p-lost", 500, "USD",
                 {MakeLeg(0, "g-2", Market::kMoneyline, Selection::kHome, "",
                          "-110")}),
      MakeParlay("p-push", 2000, "USD",
                 {MakeLeg(0, "g-1", Market::kSpread, Selection::kHome, "-7",
                          "-110")}),
      MakeParlay("p-two", 1000, "USD",
                 {MakeLeg(0, "g-2", Market::kMoneyline, Selection::kAway, "",
                          "+200"),
                  MakeLeg(1, "g-1", Market::kMoneyline, Selection::kHome, "",
                          "-200")})});
}

TEST_P(DashboardActivityTest, EmptyWindowListsEveryHour) {
  Start(BaseConfig());
  const json activity = Activity();
  EXPECT_EQ(activity["generated_at"], testing::kStartIso);
  EXPECT_EQ(activity["from"], kWindowFirstHour);
  ASSERT_EQ(activity["hours"].size(), 24u);
  EXPECT_EQ(activity["hours"][0]["hour"], kWindowFirstHour);
  EXPECT_EQ(activity["hours"][23]["hour"], kStartHour);
  for (const json& hour : activity["hours"]) {
    EXPECT_EQ(hour["legs_settled"], 0) << hour["hour"];
    EXPECT_EQ(hour["error_rate"], nullptr) << hour["hour"];
  }
  EXPECT_EQ(activity["totals"]["parlays_settled"], 0);
  EXPECT_EQ(activity["totals"]["money"], json::object());
}

TEST_P(DashboardActivityTest, CycleCountsOutcomesAndMoney) {
  Start(BaseConfig());
  {
    std::unique_ptr<Store> store = OpenStore();
    AddFourParlays(*store);
  }
  const service::CycleReport report = RunCycle();
  ASSERT_EQ(report.outcome, service::CycleOutcome::kCompleted);

  const json activity = Activity();
  const json& hour = activity["hours"][23];
  EXPECT_EQ(hour["hour"], kStartHour);
  EXPECT_EQ(hour["cycles"], 1);
  EXPECT_EQ(hour["cycles_failed"], 0);
  EXPECT_EQ(hour["games_attempted"], 2);
  EXPECT_EQ(hour["games_failed"], 0);
  EXPECT_EQ(hour["error_rate"], 0.0);
  EXPECT_EQ(hour["legs_settled"], 5);
  EXPECT_EQ(hour["parlays_settled"], 4);
  EXPECT_EQ(hour["parlays_won"], 2);
  EXPECT_EQ(hour["parlays_lost"], 1);
  EXPECT_EQ(hour["parlays_push"], 1);
  EXPECT_EQ(hour["parlays_void"], 0);
  EXPECT_EQ(activity["hours"][22]["legs_settled"], 0);

  const json& totals = activity["totals"];
  EXPECT_EQ(totals["legs_settled"], 5);
  EXPECT_EQ(totals["parlays_settled"], 4);
  EXPECT_EQ(totals["money"]["USD"]["staked"], "45.00");
  EXPECT_EQ(totals["money"]["USD"]["paid"], "90.00");
}

TEST_P(DashboardActivityTest, LaterHourGetsItsOwnBucket) {
  Start(BaseConfig());
  {
    std::unique_ptr<Store> store = OpenStore();
    AddFourParlays(*store);
  }
  RunCycle();

  // An hour later one more parlay settles: 3.00 on g-3 home +100, won,
  // pays 6.00.
  clock_.Advance(kHourMillis);
  {
    std::unique_ptr<Store> store = OpenStore();
    store->UpsertGames(std::vector<Game>{MakeGame(
        "g-3", "Miami Dolphins", "New England Patriots", 31, 10,
        GameStatus::kFinal, 1'699'200'000)});
    store->InsertParlays(std::vector<Parlay>{
        MakeParlay("p-late", 300, "USD",
                   {MakeLeg(0, "g-3", Market::kMoneyline, Selection::kHome,
                            "", "+100")})});
  }
  RunCycle();

  const json activity = Activity();
  ASSERT_EQ(activity["hours"].size(), 24u);
  EXPECT_EQ(activity["hours"][23]["hour"], "2023-11-14T23:00:00Z");
  EXPECT_EQ(activity["hours"][23]["legs_settled"], 1);
  EXPECT_EQ(activity["hours"][23]["parlays_won"], 1);
  EXPECT_EQ(activity["hours"][22]["hour"], kStartHour);
  EXPECT_EQ(activity["hours"][22]["legs_settled"], 5);
  EXPECT_EQ(activity["totals"]["legs_settled"], 6);
  EXPECT_EQ(activity["totals"]["parlays_won"], 3);
  EXPECT_EQ(activity["totals"]["money"]["USD"]["staked"], "48.00");
  EXPECT_EQ(activity["totals"]["money"]["USD"]["paid"], "96.00");

  // A one-hour window holds only the later cycle.
  const json last_hour = Activity("?hours=1");
  ASSERT_EQ(last_hour["hours"].size(), 1u);
  EXPECT_EQ(last_hour["totals"]["legs_settled"], 1);
  EXPECT_EQ(last_hour["totals"]["money"]["USD"]["staked"], "3.00");
  EXPECT_EQ(last_hour["totals"]["money"]["USD"]["paid"], "6.00");
}

TEST_P(DashboardActivityTest, FailedGamesAndCyclesCountAsErrors) {
  Start(BaseConfig());
  BreakGame1001();
  {
    // Three final games, each with a 10.00 parlay on the winning home team.
    std::unique_ptr<Store> store = OpenStore();
    std::vector<Game> games;
    std::vector<Parlay> parlays;
    for (int n = 1000; n < 1003; ++n) {
      const std::string id = "g-" + std::to_string(n);
      games.push_back(MakeGame(id, "Home", "Away", 24, 17, GameStatus::kFinal,
                               1'600'000'000 + n));
      parlays.push_back(MakeParlay(
          "p-" + std::to_string(n), 1000, "USD",
          {MakeLeg(0, id, Market::kMoneyline, Selection::kHome, "", "-110")}));
    }
    store->UpsertGames(games);
    store->InsertParlays(parlays);
  }

  // The first cycle settles g-1000 and g-1002 and rolls back g-1001. The
  // second has only g-1001 and fails as a whole.
  EXPECT_EQ(RunCycle().outcome, service::CycleOutcome::kCompleted);
  EXPECT_EQ(RunCycle().outcome, service::CycleOutcome::kFailed);

  const json hour = Activity()["hours"][23];
  EXPECT_EQ(hour["cycles"], 2);
  EXPECT_EQ(hour["cycles_failed"], 1);
  EXPECT_EQ(hour["games_attempted"], 4);
  EXPECT_EQ(hour["games_failed"], 2);
  EXPECT_EQ(hour["error_rate"], 0.5);
  EXPECT_EQ(hour["legs_settled"], 2);
  EXPECT_EQ(hour["parlays_won"], 2);
}

TEST_P(DashboardActivityTest, AdminVoidCounts) {
  Start(BaseConfig());
  {
    // A scheduled game with a 7.50 parlay on it: voiding the game voids
    // the parlay, which returns the stake.
    std::unique_ptr<Store> store = OpenStore();
    store->UpsertGames(std::vector<Game>{
        MakeGame("g-void", "Home", "Away", std::nullopt, std::nullopt,
                 GameStatus::kScheduled, 1'700'100'000)});
    store->InsertParlays(std::vector<Parlay>{
        MakeParlay("p-void", 750, "USD",
                   {MakeLeg(0, "g-void", Market::kMoneyline,
                            Selection::kHome, "", "-110")})});
  }
  Reply voided = Post("/v1/admin/games/g-void/void",
                      R"({"reason": "match abandoned"})", Admin());
  ASSERT_EQ(voided.status, 200) << voided.text;

  const json totals = Activity()["totals"];
  EXPECT_EQ(totals["cycles"], 1);
  EXPECT_EQ(totals["games_attempted"], 1);
  EXPECT_EQ(totals["legs_settled"], 1);
  EXPECT_EQ(totals["parlays_void"], 1);
  EXPECT_EQ(totals["money"]["USD"]["staked"], "7.50");
  EXPECT_EQ(totals["money"]["USD"]["paid"], "7.50");
}

TEST_P(DashboardActivityTest, HoursOutOfRangeRejected) {
  Start(BaseConfig());
  for (const std::string hours : {"0", "169", "x", "-1"}) {
    Reply reply = Get("/v1/dashboard/activity?hours=" + hours);
    EXPECT_EQ(reply.status, 400) << hours;
    EXPECT_EQ(reply.body["error"]["field"], "hours") << hours;
  }
  EXPECT_EQ(Get("/v1/dashboard/activity?hours=168").body["hours"].size(),
            168u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DashboardActivityTest,
                         testing::AllBackends(), testing::BackendName);

}  // namespace
}  // namespace parlay
