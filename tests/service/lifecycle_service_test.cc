// The game lifecycle in the settlement worker: voiding games postponed past
// the limit, score corrections inside and outside the window, and the
// admin route that re-settles a held correction.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "service_fixture.h"

namespace parlay {
namespace {

using nlohmann::json;
using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;
using testing::ServiceTest;

constexpr int64_t kHour = 3600;
constexpr int64_t kHourMillis = kHour * 1000;
// The manual clock's start in seconds, 2023-11-14T22:13:20Z.
constexpr int64_t kStart = testing::kStartMillis / 1000;

// The count of `key` in one of SettleSummary's maps, 0 when absent.
template <typename Key>
int64_t CountOf(const std::map<Key, int64_t>& counts, Key key) {
  const auto found = counts.find(key);
  return found == counts.end() ? 0 : found->second;
}

class LifecycleServiceTest : public ServiceTest {
 protected:
  // Runs a cycle that starts after this call and returns its report.
  service::CycleReport RunCycle() {
    std::optional<service::CycleReport> report =
        service_->worker().RunCycleNow(std::chrono::seconds(30));
    if (!report) {
      ADD_FAILURE() << "no cycle completed within 30 s";
      return {};
    }
    return *report;
  }

  json ParlayJson(const std::string& id) {
    return Get("/v1/parlays/" + id).body;
  }

  // Stores a final game that the home team won 24-17 and a 10.00 USD
  // parlay on it for each (parlay id, selection, odds).
  void AddFinalGame(Store& store, const std::string& game_id,
                    int64_t start_time,
                    const std::vector<std::array<std::string, 3>>& parlays) {
    Game game = MakeGame(game_id, "Home " + game_id, "Away " + game_id, 24, 17,
                         GameStatus::kFinal, start_time);
    game.updated_at = start_time + 3 * kHour;
    store.UpsertGames(std::vector<Game>{game});
    std::vector<Parlay> placed;
    for (const auto& [id, selection, odds] : parlays) {
      placed.push_back(MakeParlay(
          id, 1000, "USD",
          {MakeLeg(0, game_id, Market::kMoneyline,
                   selection == "home" ? Selection::kHome : Selection::kAway,
                   "", odds)}));
    }
    store.InsertParlays(placed);
  }

  // Writes a changed final score, as a feed would, at the clock's time.
  void CorrectScore(Store& store, const std::string& game_id, int home,
                    int away) {
    Game game = *store.GetGame(game_id);
    game.home_score = home;
    game.away_score = away;
    game.updated_at = clock_.NowSeconds();
    store.UpsertGames(std::vector<Game>{game});
  }
};

TEST_P(LifecycleServiceTest, CycleVoidsGamePostponedPastLimit) {
  Start(ConfigFromEnvironment({{"SETTLEMENT_POSTPONED_VOID_HOURS", "48"}}));
  std::unique_ptr<Store> store = OpenStore();
  store->UpsertGames(std::vector<Game>{
      MakeGame("pp-1", "Home PP1", "Away PP1", std::nullopt, std::nullopt,
               GameStatus::kPostponed, kStart - 49 * kHour),
      MakeGame("pp-2", "Home PP2", "Away PP2", std::nullopt, std::nullopt,
               GameStatus::kPostponed, kStart - 47 * kHour),
      MakeGame("f-1", "Home F1", "Away F1", 24, 17, GameStatus::kFinal,
               kStart - 3 * kHour)});
  store->InsertParlays(std::vector<Parlay>{
      MakeParlay("v-1", 1000, "USD",
                 {MakeLeg(0, "pp-1", Market::kMoneyline, Selection::kHome, "",
                          "-110")}),
      MakeParlay(
          "v-2", 1000, "USD",
          {MakeLeg(0, "pp-1", Market::kMoneyline, Selection::kHome, "", "-110"),
           MakeLeg(1, "f-1", Market::kMoneyline, Selection::kHome, "",
                   "+150")}),
      MakeParlay("v-3", 1000, "USD",
                 {MakeLeg(0, "pp-2", Market::kMoneyline, Selection::kAway, "",
                          "+120")})});

  // pp-1 started 49 hours ago, past the 48-hour limit; pp-2 47 hours ago.
  const service::CycleReport report = RunCycle();
  EXPECT_EQ(report.outcome, service::CycleOutcome::kCompleted);
  EXPECT_EQ(report.games_attempted, 2);  // f-1, then pp-1
  EXPECT_EQ(report.summary.postponed_games_voided, 1);
  EXPECT_EQ(CountOf(report.summary.legs, LegStatus::kVoid), 2);
  EXPECT_EQ(CountOf(report.summary.legs, LegStatus::kWon), 1);
  EXPECT_EQ(CountOf(report.summary.parlays, ParlayStatus::kVoid), 1);
  EXPECT_EQ(CountOf(report.summary.parlays, ParlayStatus::kWon), 1);

  // Every leg void: the stake comes back.
  const json voided = ParlayJson("v-1");
  EXPECT_EQ(voided["status"], "VOID");
  EXPECT_EQ(voided["payout"], "10.00");
  EXPECT_EQ(voided["legs"][0]["status"], "VOID");
  EXPECT_EQ(voided["legs"][0]["reason"],
            "Away PP1 @ Home PP1 postponed and not played within 48 hours of "
            "the scheduled start 2023-11-12T21:13:20Z, leg void");
  // The void leg counts at 1.00, the winning one at +150: 10.00 * 2.50.
  const json mixed = ParlayJson("v-2");
  EXPECT_EQ(mixed["status"], "WON");
  EXPECT_EQ(mixed["payout"], "25.00");
  EXPECT_EQ(ParlayJson("v-3")["status"], "PENDING");
  EXPECT_EQ(Metric("parlay_settlement_postponed_games_voided_total"), 1);
  EXPECT_EQ(Metric("parlay_legs_settled_total{result=\"VOID\"}"), 2);

  // Two hours later pp-2 is past the limit too.
  clock_.Advance(2 * kHourMillis);
  const service::CycleReport later = RunCycle();
  EXPECT_EQ(later.games_attempted, 1);
  EXPECT_EQ(later.summary.postponed_games_voided, 1);
  const json refunded = ParlayJson("v-3");
  EXPECT_EQ(refunded["status"], "VOID");
  EXPECT_EQ(refunded["payout"], "10.00");
  EXPECT_EQ(Metric("parlay_settlement_postponed_games_voided_total"), 2);
}

TEST_P(LifecycleServiceTest, PostponementVoidingOffWithZeroHours) {
  Start(ConfigFromEnvironment({{"SETTLEMENT_POSTPONED_VOID_HOURS", "0"}}));
  std::unique_ptr<Store> store = OpenStore();
  store->UpsertGames(std::vector<Game>{
      MakeGame("pp-1", "Home PP1", "Away PP1", std::nullopt, std::nullopt,
               GameStatus::kPostponed, kStart - 400 * kHour)});
  store->InsertParlays(std::vector<Parlay>{MakeParlay(
      "v-1", 1000, "USD",
      {MakeLeg(0, "pp-1", Market::kMoneyline, Selection::kHome, "", "-110")})});

  const service::CycleReport report = RunCycle();
  EXPECT_EQ(report.games_attempted, 0);
  EXPECT_EQ(report.summary.postponed_games_voided, 0);
  EXPECT_EQ(ParlayJson("v-1")["status"], "PENDING");
}

// Settles c-out at the start and c-in 80 hours later, then changes both
// results an hour after that: c-in's change is 1 hour after its first
// settlement, c-out's 81 hours after, with a 72-hour window.
class CorrectionWindowTest : public LifecycleServiceTest {
 protected:
  void SetUp() override {
    LifecycleServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Start(
        ConfigFromEnvironment({{"SETTLEMENT_CORRECTION_WINDOW_HOURS", "72"}}));
    store_ = OpenStore();
    AddFinalGame(*store_, "c-out", kStart - 4 * kHour,
                 {{"w-out", "home", "+150"}});
    ASSERT_EQ(RunCycle().summary.parlays_settled(), 1);

    clock_.Advance(80 * kHourMillis);
    AddFinalGame(*store_, "c-in", kStart + 76 * kHour,
                 {{"w-in", "home", "+150"}, {"w-in2", "away", "+200"}});
    ASSERT_EQ(RunCycle().summary.parlays_settled(), 2);

    clock_.Advance(kHourMillis);
    seq_before_ = LastSeq();
    CorrectScore(*store_, "c-out", 17, 24);
    CorrectScore(*store_, "c-in", 17, 24);
  }

  int64_t LastSeq() {
    const std::vector<OutboxEvent> events = store_->ReadOutbox(0, 1000);
    return events.empty() ? 0 : events.back().seq;
  }

  // The parlay_corrected event of `parlay_id` after seq_before_, or null.
  json ParlayCorrected(const std::string& parlay_id) {
    for (const OutboxEvent& event : store_->ReadOutbox(seq_before_, 1000)) {
      if (event.type == "parlay_corrected" && event.parlay_id == parlay_id) {
        return json::parse(event.payload);
      }
    }
    return nullptr;
  }

  std::unique_ptr<Store> store_;
  int64_t seq_before_ = 0;
};

TEST_P(CorrectionWindowTest, CycleAppliesInsideWindowHoldsOutside) {
  // Before the change: 10.00 at +150 pays 25.00, and at +200 loses.
  EXPECT_EQ(ParlayJson("w-in")["payout"], "25.00");
  EXPECT_EQ(ParlayJson("w-in2")["status"], "LOST");

  const service::CycleReport report = RunCycle();
  EXPECT_EQ(report.outcome, service::CycleOutcome::kCompleted);
  EXPECT_EQ(report.games_attempted, 2);
  EXPECT_EQ(report.summary.corrections_applied, 1);
  EXPECT_EQ(report.summary.corrections_held, 1);
  EXPECT_EQ(report.summary.corrections_unchanged, 0);
  EXPECT_EQ(report.summary.legs_corrected, 2);
  EXPECT_EQ(report.summary.parlays_corrected, 2);
  EXPECT_TRUE(report.summary.failures.empty());
  EXPECT_EQ(report.summary.games_needing_attention,
            std::vector<std::string>{"c-out"});

  // c-in, 17-24 now: the home bet loses and the away bet at +200 pays
  // 10.00 * 3.00 = 30.00.
  const json home = ParlayJson("w-in");
  EXPECT_EQ(home["status"], "LOST");
  EXPECT_EQ(home["payout"], "0.00");
  EXPECT_EQ(home["legs"][0]["status"], "LOST");
  const json away = ParlayJson("w-in2");
  EXPECT_EQ(away["status"], "WON");
  EXPECT_EQ(away["payout"], "30.00");

  // c-out is held: its parlay keeps 25.00 and the game waits for an
  // operator.
  const json held = ParlayJson("w-out");
  EXPECT_EQ(held["status"], "WON");
  EXPECT_EQ(held["payout"], "25.00");
  const std::string attention = store_->GetGame("c-out")->attention;
  EXPECT_NE(attention.find("result changed 81 hours after the first "
                           "settlement at 2023-11-14T22:13:20Z, outside the "
                           "72-hour correction window"),
            std::string::npos)
      << attention;
  EXPECT_EQ(store_->GetGame("c-in")->attention, "");

  // The outbox has the corrections of c-in only: two legs, two parlays.
  int leg_events = 0;
  int parlay_events = 0;
  for (const OutboxEvent& event : store_->ReadOutbox(seq_before_, 1000)) {
    if (event.type == "leg_corrected") ++leg_events;
    if (event.type == "parlay_corrected") ++parlay_events;
    EXPECT_NE(event.parlay_id, "w-out") << event.type;
  }
  EXPECT_EQ(leg_events, 2);
  EXPECT_EQ(parlay_events, 2);
  const json lost = ParlayCorrected("w-in");
  ASSERT_TRUE(lost.is_object());
  EXPECT_EQ(lost["game_id"], "c-in");
  EXPECT_EQ(lost["old_status"], "WON");
  EXPECT_EQ(lost["status"], "LOST");
  EXPECT_EQ(lost["old_payout"], "25.00");
  EXPECT_EQ(lost["payout"], "0.00");
  EXPECT_EQ(lost["payout_minor"], 0);
  const json won = ParlayCorrected("w-in2");
  ASSERT_TRUE(won.is_object());
  EXPECT_EQ(won["old_status"], "LOST");
  EXPECT_EQ(won["status"], "WON");
  EXPECT_EQ(won["old_payout"], "0.00");
  EXPECT_EQ(won["payout"], "30.00");
  EXPECT_EQ(won["payout_minor"], 3000);

  EXPECT_EQ(Metric("parlay_settlement_corrections_total{outcome=\"applied\"}"),
            1);
  EXPECT_EQ(Metric("parlay_settlement_corrections_total{outcome=\"held\"}"), 1);
  EXPECT_EQ(
      Metric("parlay_settlement_corrections_total{outcome=\"unchanged\"}"), 0);
  EXPECT_EQ(Metric("parlay_legs_corrected_total"), 2);
  EXPECT_EQ(Metric("parlay_parlays_corrected_total"), 2);

  // A held game is not checked again until an operator re-settles it.
  const service::CycleReport next = RunCycle();
  EXPECT_EQ(next.games_attempted, 0);
  EXPECT_EQ(next.summary.corrections_held, 0);
}

TEST_P(CorrectionWindowTest, CorrectionsCountTowardCycleLimit) {
  service_->Stop();
  service::ServiceConfig config =
      ConfigFromEnvironment({{"SETTLEMENT_CORRECTION_WINDOW_HOURS", "72"},
                             {"SETTLEMENT_MAX_GAMES_PER_CYCLE", "1"}});
  Start(config);

  // Each cycle takes one game. The first checks c-out, the older game, and
  // holds its correction. Because that cycle reached the limit, the next
  // follows at once and applies c-in's correction.
  ASSERT_TRUE(testing::PollUntil(
      [&] { return ParlayJson("w-in2")["status"] == "WON"; }));
  EXPECT_EQ(ParlayJson("w-out")["status"], "WON");
  EXPECT_NE(store_->GetGame("c-out")->attention, "");
  EXPECT_EQ(Metric("parlay_settlement_corrections_total{outcome=\"held\"}"), 1);
  EXPECT_EQ(Metric("parlay_settlement_corrections_total{outcome=\"applied\"}"),
            1);
}

TEST_P(CorrectionWindowTest, AdminResettleAppliesHeldCorrection) {
  ASSERT_EQ(RunCycle().summary.corrections_held, 1);
  const int64_t seq_after_cycle = LastSeq();

  Reply reply = Post("/v1/admin/games/c-out/resettle",
                     R"({"reason": "box score checked"})", Admin());
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["legs_corrected"], 1);
  EXPECT_EQ(reply.body["parlays_corrected"], 1);
  EXPECT_EQ(reply.body["legs_settled"], 0);
  EXPECT_EQ(reply.body["parlays_settled"], 0);
  EXPECT_EQ(reply.body["game"]["id"], "c-out");
  EXPECT_FALSE(reply.body["game"].contains("attention")) << reply.text;
  EXPECT_EQ(store_->GetGame("c-out")->attention, "");

  const json parlay = ParlayJson("w-out");
  EXPECT_EQ(parlay["status"], "LOST");
  EXPECT_EQ(parlay["payout"], "0.00");
  // The audit keeps both settlements: WON, then the correction to LOST.
  const std::vector<AuditEvent> audit = store_->ReadAudit("w-out");
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[2].entity, "leg");
  EXPECT_EQ(audit[2].old_status, "WON");
  EXPECT_EQ(audit[2].new_status, "LOST");
  EXPECT_EQ(audit[3].entity, "parlay");
  EXPECT_EQ(audit[3].reason,
            "score correction on game c-out: payout 25.00 -> 0.00 USD");

  const std::vector<OutboxEvent> events =
      store_->ReadOutbox(seq_after_cycle, 100);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "leg_corrected");
  EXPECT_EQ(events[1].type, "parlay_corrected");
  const json payload = json::parse(events[1].payload);
  EXPECT_EQ(payload["parlay_id"], "w-out");
  EXPECT_EQ(payload["old_payout"], "25.00");
  EXPECT_EQ(payload["payout"], "0.00");

  EXPECT_EQ(Metric("parlay_settlement_corrections_total{outcome=\"applied\"}"),
            2);
  EXPECT_EQ(Metric("parlay_parlays_corrected_total"), 3);

  // Re-settling again changes nothing.
  Reply again = Post("/v1/admin/games/c-out/resettle", "", Admin());
  ASSERT_EQ(again.status, 200) << again.text;
  EXPECT_EQ(again.body["legs_corrected"], 0);
  EXPECT_EQ(store_->ReadOutbox(seq_after_cycle, 100).size(), 2u);
}

TEST_P(CorrectionWindowTest, AdminResettleRejectsInvalidRequests) {
  struct Case {
    const char* name;
    std::string path;
    std::string body;
    httplib::Headers headers;
    int status;
    const char* code;
  };
  const Case cases[] = {
      {"unknown game", "/v1/admin/games/nope/resettle", "", Admin(), 404,
       "not_found"},
      {"no token",
       "/v1/admin/games/c-out/resettle",
       "",
       {},
       401,
       "unauthorized"},
      {"wrong token",
       "/v1/admin/games/c-out/resettle",
       "",
       {{"Authorization", "Bearer wrong-token-0123456789"}},
       401,
       "unauthorized"},
      {"unknown field", "/v1/admin/games/c-out/resettle", R"({"force": true})",
       Admin(), 422, "invalid_field"},
      {"blank reason", "/v1/admin/games/c-out/resettle", R"({"reason": " "})",
       Admin(), 422, "invalid_field"},
      {"malformed body", "/v1/admin/games/c-out/resettle", "{", Admin(), 400,
       "invalid_json"},
      {"wrong method", "/v1/admin/games/c-out/resettle", "", Admin(), 405,
       "method_not_allowed"},
  };
  for (const Case& c : cases) {
    httplib::Client client = Client();
    const Reply reply = std::string(c.name) == "wrong method"
                            ? ToReply(client.Get(c.path, c.headers))
                            : ToReply(client.Post(c.path, c.headers, c.body,
                                                  "application/json"));
    EXPECT_EQ(reply.status, c.status) << c.name << ": " << reply.text;
    EXPECT_EQ(reply.body["error"]["code"], c.code) << c.name;
  }
  EXPECT_EQ(Get("/v1/games/nope").status, 404);

  // With settlement switched off the route settles nothing.
  ASSERT_EQ(
      Post("/v1/admin/settlement", R"({"enabled": false})", Admin()).status,
      200);
  const Reply disabled = Post("/v1/admin/games/c-out/resettle", "", Admin());
  EXPECT_EQ(disabled.status, 409) << disabled.text;
  EXPECT_EQ(disabled.body["error"]["code"], "settlement_disabled");

  // None of the rejected requests touched the held game.
  EXPECT_EQ(ParlayJson("w-out")["status"], "WON");
  EXPECT_EQ(store_->ReadOutbox(seq_before_, 100).size(), 0u);
}

// Runs `parlay-settler serve` with `environment` and returns its exit code
// and output.
std::pair<int, std::string> RunServe(const std::string& environment,
                                     const std::string& flags) {
  testing::TempDir dir;
  const std::string command = environment + " " + PARLAY_BINARY + " --db " +
                              dir.File("x.db") + " serve " + flags + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::string output;
  char buffer[1024];
  size_t read = 0;
  while ((read = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    output.append(buffer, read);
  }
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(ServeLifecycleConfigTest, InvalidValuesStopStart) {
  const auto [code, output] = RunServe(
      "SETTLEMENT_POSTPONED_VOID_HOURS=2d FEED_POLL_URLS=scores=http://x",
      "--settlement-correction-window-hours 9000");
  EXPECT_EQ(code, 2) << output;
  EXPECT_NE(output.find("invalid SETTLEMENT_POSTPONED_VOID_HOURS \"2d\" (from "
                        "the environment): expected a whole number of hours "
                        "from 0 to 8760"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("invalid SETTLEMENT_CORRECTION_WINDOW_HOURS \"9000\" "
                        "(from flag --settlement-correction-window-hours)"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("invalid FEED_POLL_URLS (from the environment): entry "
                        "\"scores=http://x\""),
            std::string::npos)
      << output;
}

INSTANTIATE_TEST_SUITE_P(Backends, LifecycleServiceTest, testing::AllBackends(),
                         testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, CorrectionWindowTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
