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
#include "format/records.h"
#include "store/store.h"
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

class ScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ScenarioTest, Settles) {
  json scenario = ReadJson(ScenarioDir() / (GetParam() + ".json"));
  SCOPED_TRACE(scenario.value("description", GetParam()));
  testing::TempDir dir;
  testing::ManualClock clock;
  std::unique_ptr<Store> store = OpenSqliteStore(dir.File("scenario.db"));

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

  Engine engine(*store, clock);
  if (scenario.contains("void_games")) {
    for (const json& entry : scenario.at("void_games")) {
      engine.VoidGame(entry.at("id").get<std::string>(),
                      entry.at("reason").get<std::string>());
    }
  }
  SettleSummary first = engine.SettleAll();
  EXPECT_TRUE(first.failures.empty());
  int64_t audit_rows = store->CountAudit();
  SettleSummary second = engine.SettleAll();
  EXPECT_EQ(second.legs_settled(), 0) << "second pass settled legs";
  EXPECT_EQ(second.parlays_settled(), 0) << "second pass settled parlays";
  EXPECT_EQ(store->CountAudit(), audit_rows);

  for (const auto& [parlay_id, expected] : expect.at("parlays").items()) {
    SCOPED_TRACE("parlay " + parlay_id);
    std::optional<Parlay> parlay = store->GetParlay(parlay_id);
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
  if (expect.contains("needing_attention")) {
    EXPECT_EQ(json(first.games_needing_attention),
              expect.at("needing_attention"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ScenarioTest, ::testing::ValuesIn(ScenarioNames()),
    [](const ::testing::TestParamInfo<std::string>& info) {
      std::string name = info.param;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace parlay
