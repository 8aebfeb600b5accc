// Data-driven scenarios: each tests/scenarios/*.json file states games,
// parlays and the expected leg statuses, parlay statuses and payouts. The
// runner imports them through the real importers into a fresh SQLite
// database, settles twice (the second pass must change nothing) and
// compares. The file format is described in tests/scenarios/README.md.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/settlement.h"
#include "feeds/import.h"
#include "feeds/score_feed.h"
#include "format/records.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path ScenarioDir() { return fs::path(PARLAY_SOURCE_DIR) / "tests/scenarios"; }

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(ScenarioDir())) {
    if (entry.path().extension() == ".json") {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// Compares each expected parlay with the stored one.
void CheckParlays(Store& store, const json& expected_parlays) {
  for (const auto& [parlay_id, expected] : expected_parlays.items()) {
    SCOPED_TRACE("parlay " + parlay_id);
    std::optional<Parlay> parlay = store.GetParlay(parlay_id);
    ASSERT_TRUE(parlay.has_value()) << "parlay not stored";
    json actual = ParlayToJson(*parlay);
    EXPECT_EQ(actual["status"], expected.at("status"));
    EXPECT_EQ(actual["payout"], expected.value("payout", json(nullptr)));
    if (expected.contains("legs")) {
      ASSERT_EQ(actual["legs"].size(), expected["legs"].size());
      for (size_t i = 0; i < expected["legs"].size(); ++i) {
        EXPECT_EQ(actual["legs"][i]["status"], expected["legs"][i])
            << "leg " << i << ": " << actual["legs"][i]["reason"];
      }
    }
    if (expected.contains("reason_contains")) {
      for (const json& part : expected["reason_contains"]) {
        EXPECT_NE(actual["legs"][0]["reason"].get<std::string>().find(
                      part.get<std::string>()),
                  std::string::npos)
            << actual["legs"][0]["reason"];
      }
    }
  }
}

// Checks that the outbox has an event matching each expected object: the
// same type and parlay, and each listed payload field equal.
void CheckOutbox(Store& store, const json& expected_events) {
  const std::vector<OutboxEvent> events = store.ReadOutbox(0, 100'000);
  for (const json& expected : expected_events) {
    bool found = false;
    for (const OutboxEvent& event : events) {
      if (event.type != expected.at("type") ||
          event.parlay_id != expected.at("parlay_id")) {
        continue;
      }
      const json payload = json::parse(event.payload);
      const json fields = expected.value("payload", json::object());
      bool fields_match = true;
      for (const auto& [key, value] : fields.items()) {
        fields_match = fields_match && payload.value(key, json()) == value;
      }
      found = found || fields_match;
    }
    EXPECT_TRUE(found) << "no outbox event " << expected.dump();
  }
}

// Settles twice, checking that the second pass changes nothing, and
// returns the first pass.
SettleSummary SettleTwice(Engine& engine, Store& store) {
  SettleSummary first = engine.SettleAll();
  EXPECT_TRUE(first.failures.empty());
  int64_t audit_rows = store.CountAudit();
  SettleSummary second = engine.SettleAll();
  EXPECT_EQ(second.legs_settled(), 0) << "second pass settled legs";
  EXPECT_EQ(second.parlays_settled(), 0) << "second pass settled parlays";
  EXPECT_EQ(second.corrections_applied, 0) << "second pass corrected legs";
  EXPECT_EQ(store.CountAudit(), audit_rows);
  return first;
}

void CheckCorrections(const SettleSummary& summary, const json& expected) {
  EXPECT_EQ(summary.corrections_applied, expected.value("applied", 0));
  EXPECT_EQ(summary.corrections_held, expected.value("held", 0));
  EXPECT_EQ(summary.legs_corrected, expected.value("legs", 0));
  EXPECT_EQ(summary.parlays_corrected, expected.value("parlays", 0));
}

LifecyclePolicy ScenarioPolicy(const json& scenario) {
  LifecyclePolicy policy;
  if (scenario.contains("postponed_void_hours")) {
    policy.postponed_void_seconds =
        scenario["postponed_void_hours"].get<int64_t>() * 3600;
  }
  if (scenario.contains("correction_window_hours")) {
    policy.correction_window_seconds =
        scenario["correction_window_hours"].get<int64_t>() * 3600;
  }
  return policy;
}

using ScenarioParam = std::tuple<testing::Backend, std::string>;

class ScenarioTest : public ::testing::TestWithParam<ScenarioParam> {};

TEST_P(ScenarioTest, Settles) {
  const auto& [backend, name] = GetParam();
  json scenario = ReadJson(ScenarioDir() / (name + ".json"));
  SCOPED_TRACE(scenario.value("description", name));
  testing::TestDatabase database(backend);
  PARLAY_REQUIRE_DATABASE(database);
  testing::TempDir dir;
  testing::ManualClock clock;
  if (scenario.contains("clock")) {
    clock.Set(ParseIso8601(scenario["clock"].get<std::string>()).value() *
              1000);
  }
  std::unique_ptr<Store> store = database.Open();

  std::vector<std::string> games_file = {dir.File("games.json")};
  std::vector<std::string> parlays_file = {dir.File("parlays.json")};
  testing::WriteFile(games_file[0], scenario.at("games").dump());
  testing::WriteFile(parlays_file[0], scenario.at("parlays").dump());
  ImportGames(*store, games_file, {});

  const json& expect = scenario.at("expect");
  if (expect.contains("import_error")) {
    try {
      ImportParlays(*store, parlays_file, {}, clock);
      FAIL() << "import accepted invalid parlays";
    } catch (const ImportError& error) {
      for (const json& part : expect.at("import_error")) {
        EXPECT_NE(std::string(error.what()).find(part.get<std::string>()),
                  std::string::npos)
            << "missing \"" << part.get<std::string>() << "\" in: "
            << error.what();
      }
    }
    EXPECT_TRUE(store->ListParlays({}).empty()) << "a parlay was written";
    return;
  }
  ImportParlays(*store, parlays_file, {}, clock);

  Engine engine(*store, clock, ScenarioPolicy(scenario));
  if (scenario.contains("void_games")) {
    for (const json& entry : scenario.at("void_games")) {
      engine.VoidGame(entry.at("id").get<std::string>(),
                      entry.at("reason").get<std::string>());
    }
  }
  SettleSummary first = SettleTwice(engine, *store);
  CheckParlays(*store, expect.at("parlays"));
  if (expect.contains("needing_attention")) {
    EXPECT_EQ(json(first.games_needing_attention),
              expect.at("needing_attention"));
  }

  // Each step moves the clock, applies game updates as a feed would, lets
  // an operator re-settle games, settles twice and checks the result.
  const json steps = scenario.value("steps", json::array());
  for (size_t i = 0; i < steps.size(); ++i) {
    const json& step = steps[i];
    SCOPED_TRACE("step " + std::to_string(i + 1) + ": " +
                 step.value("description", ""));
    clock.Advance(step.value("advance_hours", int64_t{0}) * 3'600'000);
    if (step.contains("updates")) {
      const FeedSnapshot snapshot =
          ParseFeedSnapshot(FeedProvider::kGamesJson, "step",
                            step["updates"].dump(), clock.NowSeconds());
      ASSERT_TRUE(snapshot.problems.empty())
          << snapshot.problems.front().ToString();
      ApplyFeedSnapshot(*store, clock, FeedProvider::kGamesJson, snapshot,
                        TeamAliases::BuiltIn());
    }
    for (const json& game_id : step.value("resettle", json::array())) {
      engine.ResettleGame(game_id.get<std::string>());
    }
    const SettleSummary pass = SettleTwice(engine, *store);
    const json& step_expect = step.at("expect");
    CheckParlays(*store, step_expect.value("parlays", json::object()));
    if (step_expect.contains("corrections")) {
      CheckCorrections(pass, step_expect["corrections"]);
    }
    if (step_expect.contains("needing_attention")) {
      EXPECT_EQ(json(pass.games_needing_attention),
                step_expect["needing_attention"]);
    }
    if (step_expect.contains("outbox")) {
      CheckOutbox(*store, step_expect["outbox"]);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ScenarioTest,
    ::testing::Combine(testing::AllBackends(),
                       ::testing::ValuesIn(ScenarioNames())),
    [](const ::testing::TestParamInfo<ScenarioParam>& info) {
      std::string name = std::get<1>(info.param);
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      bool sqlite = std::get<0>(info.param) == testing::Backend::kSqlite;
      return name + (sqlite ? "_Sqlite" : "_Postgres");
    });

}  // namespace
}  // namespace parlay
