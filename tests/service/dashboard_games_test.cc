// GET /v1/dashboard/games and /v1/dashboard/games/{id} on the real
// server: the games awaiting settlement, the games needing an operator by
// category, and one game with its legs.

#include <gtest/gtest.h>

#include "service_fixture.h"

namespace parlay {
namespace {

using nlohmann::json;
using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;
using testing::ServiceTest;

class DashboardGamesTest : public ServiceTest {
 protected:
  // Settlement stays off, so the games keep their pending legs.
  //   g-1, g-2, g-3: final with both scores and a pending leg each, so
  //     awaiting settlement; g-3 starts first, then g-1, then g-2.
  //   g-missing: final without the away score, with a pending leg.
  //   g-unknown: a provider status the service does not recognise.
  //   g-held: final, no legs, flagged with a held score correction.
  //   g-later: scheduled with a pending leg: in neither list.
  // Parlay p-multi has three legs on g-1, so g-1 has legs of two parlays.
  void StartWithGames() {
    service::ServiceConfig config = BaseConfig();
    config.settlement_enabled = false;
    Start(config);
    std::unique_ptr<Store> store = OpenStore();
    store->UpsertGames(std::vector<Game>{
        MakeGame("g-1", "Home 1", "Away 1", 24, 17, GameStatus::kFinal,
                 1'600'000'200),
        MakeGame("g-2", "Home 2", "Away 2", 3, 7, GameStatus::kFinal,
                 1'600'000'300),
        MakeGame("g-3", "Home 3", "Away 3", 10, 10, GameStatus::kFinal,
                 1'600'000'100),
        MakeGame("g-missing", "Home 4", "Away 4", 21, std::nullopt,
                 GameStatus::kFinal, 1'600'000'400),
        MakeGame("g-unknown", "Home 5", "Away 5", std::nullopt, std::nullopt,
                 GameStatus::kUnknown, 1'600'000'500),
        MakeGame("g-held", "Home 6", "Away 6", 14, 13, GameStatus::kFinal,
                 1'600'000'600),
        MakeGame("g-later", "Home 7", "Away 7", std::nullopt, std::nullopt,
                 GameStatus::kScheduled, 1'800'000'000)});
    std::vector<Parlay> parlays;
    for (const std::string game :
         {"g-1", "g-2", "g-3", "g-missing", "g-later"}) {
      parlays.push_back(MakeParlay(
          "p-" + game, 1000, "USD",
          {MakeLeg(0, game, Market::kMoneyline, Selection::kHome, "",
                   "-110")}));
    }
    parlays.push_back(MakeParlay(
        "p-multi", 500, "USD",
        {MakeLeg(0, "g-2", Market::kMoneyline, Selection::kAway, "", "+120"),
         MakeLeg(1, "g-1", Market::kTotal, Selection::kOver, "40.5", "-110"),
         MakeLeg(2, "g-1", Market::kSpread, Selection::kAway, "+3.5",
                 "-105")}));
    store->InsertParlays(parlays);
    std::unique_ptr<Transaction> transaction = store->Begin();
    transaction->SetGameAttention("g-held", "result changed outside the window");
    transaction->Commit();
  }

  static std::vector<std::string> Ids(const json& games) {
    std::vector<std::string> ids;
    for (const json& game : games) ids.push_back(game["id"]);
    return ids;
  }
};

TEST_P(DashboardGamesTest, ListsAwaitingAndAttention) {
  StartWithGames();
  Reply reply = Get("/v1/dashboard/games");
  ASSERT_EQ(reply.status, 200) << reply.text;

  const json& awaiting = reply.body["awaiting"];
  EXPECT_EQ(awaiting["count"], 3);
  EXPECT_EQ(Ids(awaiting["games"]),
            (std::vector<std::string>{"g-3", "g-1", "g-2"}));

  const json& attention = reply.body["attention"];
  EXPECT_EQ(attention["count"], 3);
  EXPECT_EQ(attention["categories"]["missing_score"], 1);
  EXPECT_EQ(attention["categories"]["correction_held"], 1);
  EXPECT_EQ(attention["categories"]["unknown_status"], 1);
  std::map<std::string, std::string> category;
  for (const json& game : attention["games"]) {
    category[game["id"]] = game["category"];
  }
  EXPECT_EQ(category["g-missing"], "missing_score");
  EXPECT_EQ(category["g-held"], "correction_held");
  EXPECT_EQ(category["g-unknown"], "unknown_status");
  EXPECT_EQ(category.size(), 3u);
}

TEST_P(DashboardGamesTest, LimitCutsListsNotCounts) {
  StartWithGames();
  Reply reply = Get("/v1/dashboard/games?limit=2");
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["awaiting"]["count"], 3);
  EXPECT_EQ(Ids(reply.body["awaiting"]["games"]),
            (std::vector<std::string>{"g-3", "g-1"}));
  EXPECT_EQ(reply.body["attention"]["count"], 3);
  EXPECT_EQ(reply.body["attention"]["games"].size(), 2u);
  EXPECT_EQ(reply.body["attention"]["categories"]["unknown_status"], 1);

  EXPECT_EQ(Get("/v1/dashboard/games?limit=0").status, 400);
  EXPECT_EQ(Get("/v1/dashboard/games?limit=501").status, 400);
}

TEST_P(DashboardGamesTest, AwaitingCountDropsAfterSettlement) {
  StartWithGames();
  ASSERT_EQ(Post("/v1/admin/settlement", R"({"enabled": true})", Admin())
                .status,
            200);
  ASSERT_TRUE(testing::PollUntil([&] {
    return Get("/v1/dashboard/games").body["awaiting"]["count"] == 0;
  }));
  // The game missing a score still waits for an operator.
  EXPECT_EQ(Get("/v1/dashboard/games").body["attention"]["categories"]
                ["missing_score"],
            1);
}

TEST_P(DashboardGamesTest, GameWithItsLegs) {
  StartWithGames();
  Reply reply = Get("/v1/dashboard/games/g-1");
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["game"]["id"], "g-1");
  EXPECT_EQ(reply.body["game"]["home_score"], 24);
  EXPECT_EQ(reply.body["truncated"], false);
  // Ordered by parlay id, then leg index: p-g-1 before p-multi.
  const json& legs = reply.body["legs"];
  ASSERT_EQ(legs.size(), 3u);
  EXPECT_EQ(legs[0]["parlay_id"], "p-g-1");
  EXPECT_EQ(legs[0]["index"], 0);
  EXPECT_EQ(legs[0]["market"], "moneyline");
  EXPECT_EQ(legs[1]["parlay_id"], "p-multi");
  EXPECT_EQ(legs[1]["index"], 1);
  EXPECT_EQ(legs[1]["market"], "total");
  EXPECT_EQ(legs[1]["line"], "40.5");
  EXPECT_EQ(legs[2]["parlay_id"], "p-multi");
  EXPECT_EQ(legs[2]["index"], 2);
  for (const json& leg : legs) {
    EXPECT_EQ(leg["status"], "PENDING");
    EXPECT_EQ(leg["game"], "g-1");
  }

  Reply cut = Get("/v1/dashboard/games/g-1?limit=2");
  ASSERT_EQ(cut.status, 200) << cut.text;
  EXPECT_EQ(cut.body["legs"].size(), 2u);
  EXPECT_EQ(cut.body["truncated"], true);
}

TEST_P(DashboardGamesTest, GameLegsShowScoresUsed) {
  StartWithGames();
  ASSERT_EQ(Post("/v1/admin/settlement", R"({"enabled": true})", Admin())
                .status,
            200);
  ASSERT_TRUE(testing::PollUntil([&] {
    return Get("/v1/dashboard/games/g-1").body["legs"][0]["status"] == "WON";
  }));
  // g-1 ended 24-17: home moneyline won, over 40.5 won (41 points), away
  // +3.5 lost (17 + 3.5 < 24).
  const json legs = Get("/v1/dashboard/games/g-1").body["legs"];
  EXPECT_EQ(legs[1]["status"], "WON");
  EXPECT_EQ(legs[2]["status"], "LOST");
  for (const json& leg : legs) {
    EXPECT_EQ(leg["home_score"], 24);
    EXPECT_EQ(leg["away_score"], 17);
  }
}

TEST_P(DashboardGamesTest, UnknownGameNotFound) {
  StartWithGames();
  Reply reply = Get("/v1/dashboard/games/no-such-game");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.body["error"]["code"], "not_found");
  EXPECT_EQ(Get("/v1/dashboard/games/g-1?limit=1001").status, 400);
}

INSTANTIATE_TEST_SUITE_P(Backends, DashboardGamesTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
