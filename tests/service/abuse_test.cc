// Hostile and mistaken requests on the real server: oversized bodies, huge
// arrays, bad ids, stakes, odds and leg counts beyond the configured
// limits, misspelled fields, repeated writes, and admin tokens kept out of
// the logs.

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "service_fixture.h"

namespace parlay {
namespace {

using nlohmann::json;
using testing::kAdminToken;
using testing::ServiceTest;

// Four scheduled games, so that a parlay can have more legs than the
// limit of three set below.
std::string GamesJson() {
  std::string games = "[";
  for (int i = 1; i <= 4; ++i) {
    if (i > 1) games += ",";
    const std::string n = std::to_string(i);
    games +=
        R"({"id": "g)" + n + R"(", "league": "NFL", "home": "Home )" + n +
        R"(", "away": "Away )" + n +
        R"(", "start_time": "2023-09-08T00:20:00Z", "status": "scheduled"})";
  }
  return games + "]";
}

std::string Leg(int game, const std::string& odds = "-110",
                const std::string& market = "moneyline") {
  return R"({"game": "g)" + std::to_string(game) + R"(", "market": ")" +
         market + R"(", "selection": "home", "odds": ")" + odds + R"("})";
}

std::string Parlay(const std::string& id, const std::string& stake,
                   const std::string& legs) {
  return R"({"id": )" + json(id).dump() + R"(, "account": "a-1", "stake": ")" +
         stake + R"(", "currency": "USD", "legs": [)" + legs + "]}";
}

class AbuseTest : public ServiceTest {
 protected:
  // Limits small enough to reach in a test: 64 KiB bodies, 3 records per
  // request, 3 legs per parlay and stakes up to 1000.00.
  void StartWithLimits() {
    service::ServiceConfig config =
        ConfigFromEnvironment({{"MAX_BODY_BYTES", "65536"},
                               {"MAX_RECORDS_PER_REQUEST", "3"},
                               {"MAX_PARLAY_LEGS", "3"},
                               {"MAX_STAKE", "1000"}});
    Start(config);
    Reply games = Post("/v1/games", GamesJson());
    ASSERT_EQ(games.status, 422) << "four games are above the record limit";
    for (int i = 1; i <= 4; ++i) {
      const json all = json::parse(GamesJson());
      Reply one = Post("/v1/games", all[i - 1].dump());
      ASSERT_EQ(one.status, 200) << one.text;
    }
  }

  // Expects the parlay body to be rejected with `status` and `code`, and
  // `field` among the fields of the listed problems (or as the error's
  // field when there is no list).
  void ExpectRejected(const std::string& name, const std::string& body,
                      int status, const std::string& code,
                      const std::string& field,
                      const std::string& message_part) {
    Reply reply = Post("/v1/parlays", body);
    EXPECT_EQ(reply.status, status) << name << ": " << reply.text;
    EXPECT_EQ(reply.body["error"]["code"], code) << name;
    std::string messages =
        reply.body["error"]["message"].is_string()
            ? reply.body["error"]["message"].get<std::string>()
            : "";
    // An empty `field` stands for null, an error that names no field.
    const json expected_field = field.empty() ? json(nullptr) : json(field);
    bool field_found = reply.body["error"]["field"] == expected_field;
    for (const json& problem :
         reply.body["error"].value("problems", json::array())) {
      field_found = field_found || problem["field"] == field;
      messages += "\n" + problem["message"].get<std::string>();
    }
    EXPECT_TRUE(field_found)
        << name << ": no problem on " << field << " in " << reply.text;
    EXPECT_NE(messages.find(message_part), std::string::npos)
        << name << ": no \"" << message_part << "\" in " << messages;
  }
};

TEST_P(AbuseTest, OversizedBodyRejected) {
  StartWithLimits();
  const std::string body =
      Parlay("t-1", "10.00", Leg(1)) + std::string(70'000, ' ');
  Reply reply = Post("/v1/parlays", body);
  EXPECT_EQ(reply.status, 413) << reply.text;
  EXPECT_EQ(reply.body["error"]["code"], "payload_too_large");
  EXPECT_NE(reply.text.find("larger than 65536 bytes"), std::string::npos)
      << reply.text;
  EXPECT_EQ(Get("/v1/parlays/t-1").status, 404);
}

TEST_P(AbuseTest, NumberBeyondDoubleRejected) {
  StartWithLimits();
  // A fuzz target found that 9e912 escaped the parser as an exception,
  // which the server answered with 500.
  for (const char* body : {R"({"id": "g9", "home_score": 9e912})",
                           R"([{"id": 9e912}])"}) {
    Reply reply = Post("/v1/games", body);
    EXPECT_EQ(reply.status, 400) << body << ": " << reply.text;
    EXPECT_EQ(reply.body["error"]["code"], "invalid_json") << body;
    EXPECT_NE(reply.text.find("number overflow parsing '9e912'"),
              std::string::npos)
        << reply.text;
  }
}

TEST_P(AbuseTest, HugeArrayRejected) {
  StartWithLimits();
  // 30,000 records in 60 KB, under the body limit.
  std::string huge = "[";
  for (int i = 0; i < 30'000; ++i) huge += i == 0 ? "1" : ",1";
  huge += "]";
  ASSERT_LT(huge.size(), 65536u);
  Reply reply = Post("/v1/games", huge);
  EXPECT_EQ(reply.status, 422) << reply.text;
  EXPECT_EQ(reply.body["error"]["code"], "too_many_records");
  EXPECT_EQ(reply.body["error"]["message"],
            "the request body has 30000 game records, above the maximum of "
            "3 per request; split it into several requests");
}

TEST_P(AbuseTest, InvalidParlaysRejected) {
  StartWithLimits();
  const std::string four_legs =
      Leg(1) + "," + Leg(2) + "," + Leg(3) + "," + Leg(4);
  ExpectRejected("control character in id",
                 Parlay(std::string("t-\x01") + "1", "10.00", Leg(1)), 422,
                 "invalid_record", "id", "control character");
  ExpectRejected("id of 10000 bytes",
                 Parlay(std::string(10'000, 'x'), "10.00", Leg(1)), 422,
                 "invalid_record", "id", "at most 200 bytes");
  ExpectRejected("negative stake", Parlay("t-1", "-5.00", Leg(1)), 422,
                 "invalid_record", "stake", "must not be negative");
  ExpectRejected("zero stake", Parlay("t-1", "0.00", Leg(1)), 422,
                 "invalid_record", "stake", "a stake above 0");
  ExpectRejected("stake above the maximum", Parlay("t-1", "1000.01", Leg(1)),
                 422, "invalid_record", "stake",
                 "a stake of at most 1000.00 USD, the configured maximum");
  ExpectRejected("decimal odds below 1.01",
                 Parlay("t-1", "10.00", Leg(1, "1.005")), 422, "invalid_record",
                 "legs[0].odds", "decimal odds from 1.01 to 10000");
  ExpectRejected(
      "American odds above +999900", Parlay("t-1", "10.00", Leg(1, "+1000000")),
      422, "invalid_record", "legs[0].odds", "American -10000 to +999900");
  ExpectRejected(
      "American odds below -10000", Parlay("t-1", "10.00", Leg(1, "-20000")),
      422, "invalid_record", "legs[0].odds", "American -10000 to +999900");
  ExpectRejected("more legs than the maximum",
                 Parlay("t-1", "10.00", four_legs), 422, "invalid_record",
                 "legs", "an array of 1 to 3 leg objects");
  ExpectRejected("two legs on one game and market",
                 Parlay("t-1", "10.00", Leg(1) + "," + Leg(1, "+150")), 422,
                 "invalid_record", "legs[1].market",
                 "at most one leg per game, market and period");
  ExpectRejected("misspelled stake",
                 R"({"id": "t-1", "account": "a-1", "stak": "10.00",
                     "currency": "USD", "legs": [)" +
                     Leg(1) + "]}",
                 422, "invalid_record", "stak", "unknown field");
  ExpectRejected("misspelled line",
                 Parlay("t-1", "10.00",
                        R"({"game": "g1", "market": "spread", "selection":
                            "home", "lien": "-3.5", "odds": "-110"})"),
                 422, "invalid_record", "legs[0].lien", "unknown field");
  ExpectRejected("more records than the maximum",
                 "[" + Parlay("t-1", "1.00", Leg(1)) + "," +
                     Parlay("t-2", "1.00", Leg(1)) + "," +
                     Parlay("t-3", "1.00", Leg(1)) + "," +
                     Parlay("t-4", "1.00", Leg(1)) + "]",
                 422, "too_many_records", "", "above the maximum of 3");
  // Nothing of the rejected parlays was written.
  EXPECT_EQ(Get("/v1/parlays").body["parlays"].size(), 0u);

  // The same parlays inside the limits are accepted.
  Reply placed =
      Post("/v1/parlays", "[" +
                              Parlay("t-1", "1000.00",
                                     Leg(1, "1.01") + "," + Leg(2, "-10000") +
                                         "," + Leg(3, "+999900")) +
                              "]");
  EXPECT_EQ(placed.status, 201) << placed.text;
}

TEST_P(AbuseTest, UnknownGameFieldRejected) {
  StartWithLimits();
  Reply reply = Post("/v1/games",
                     R"({"id": "g1", "league": "NFL", "home": "Home 1",
                         "away": "Away 1", "start_time": "2023-09-08T00:20:00Z",
                         "status": "final", "home_score": 3, "away_score": 0,
                         "home_scor": 30})");
  EXPECT_EQ(reply.status, 422) << reply.text;
  bool found = false;
  for (const json& problem : reply.body["error"]["problems"]) {
    found = found || problem["field"] == "home_scor";
  }
  EXPECT_TRUE(found) << reply.text;
  EXPECT_EQ(Get("/v1/games/g1").body["status"], "scheduled");
}

TEST_P(AbuseTest, RepeatedParlayAcceptedOnce) {
  StartWithLimits();
  const std::string body =
      Parlay("t-1", "10.00", Leg(1, "2.50") + "," + Leg(2, "-110"));
  Reply first = Post("/v1/parlays", body);
  ASSERT_EQ(first.status, 201) << first.text;

  // The same bet again, with "home" spelled as the team's name and the odds
  // in another form: 2.5 and +150 are the same price.
  const std::string same =
      Parlay("t-1", "10.0",
             R"({"game": "g1", "market": "moneyline", "selection": "Home 1",
                 "odds": "+150"},)" +
                 Leg(2, "-110"));
  for (const std::string& repeat : {body, same}) {
    Reply again = Post("/v1/parlays", repeat);
    EXPECT_EQ(again.status, 200) << again.text;
    ASSERT_EQ(again.body["parlays"].size(), 1u) << again.text;
    EXPECT_EQ(again.body["parlays"][0], first.body["parlays"][0]);
  }

  // The parlay is stored once.
  EXPECT_EQ(Get("/v1/parlays").body["parlays"].size(), 1u);

  // An array with the repeat and a new parlay places the new one only.
  Reply mixed = Post("/v1/parlays",
                     "[" + body + "," + Parlay("t-2", "5.00", Leg(3)) + "]");
  EXPECT_EQ(mixed.status, 201) << mixed.text;
  EXPECT_EQ(mixed.body["parlays"].size(), 2u);
  EXPECT_EQ(Get("/v1/parlays").body["parlays"].size(), 2u);
}

TEST_P(AbuseTest, SameIdDifferentParlayConflicts) {
  StartWithLimits();
  ASSERT_EQ(Post("/v1/parlays", Parlay("t-1", "10.00", Leg(1))).status, 201);
  struct Case {
    const char* name;
    std::string body;
    std::string difference;
  };
  const Case cases[] = {
      {"other stake", Parlay("t-1", "10.01", Leg(1)), "stake"},
      {"other odds", Parlay("t-1", "10.00", Leg(1, "-115")), "legs[0].odds"},
      {"other game", Parlay("t-1", "10.00", Leg(2)), "legs[0].game"},
      {"extra leg", Parlay("t-1", "10.00", Leg(1) + "," + Leg(2)), "legs"},
  };
  for (const Case& c : cases) {
    Reply reply = Post("/v1/parlays", c.body);
    EXPECT_EQ(reply.status, 409) << c.name << ": " << reply.text;
    EXPECT_EQ(reply.body["error"]["code"], "duplicate_id") << c.name;
    EXPECT_EQ(reply.body["error"]["field"], "id") << c.name;
    EXPECT_EQ(reply.body["error"]["message"],
              "parlay \"t-1\" already exists with a different " + c.difference +
                  "; parlay ids are unique, so place a changed bet under a "
                  "new id")
        << c.name;
  }
  Reply stored = Get("/v1/parlays/t-1");
  EXPECT_EQ(stored.body["stake"], "10.00");
  EXPECT_EQ(stored.body["legs"].size(), 1u);
}

TEST_P(AbuseTest, RepeatedGameWrittenOnce) {
  StartWithLimits();
  const std::string game =
      R"({"id": "g1", "league": "NFL", "home": "Home 1", "away": "Away 1",
          "start_time": "2023-09-08T00:20:00Z", "status": "final",
          "home_score": 24, "away_score": 17,
          "updated_at": "2023-09-08T03:30:00Z"})";
  Reply first = Post("/v1/games", game);
  ASSERT_EQ(first.status, 200) << first.text;
  Reply again = Post("/v1/games", game);
  ASSERT_EQ(again.status, 200) << again.text;
  EXPECT_EQ(again.body["games"], first.body["games"]);
  Reply stored = Get("/v1/games/g1");
  EXPECT_EQ(stored.body["home_score"], 24);
  EXPECT_EQ(stored.body["away_score"], 17);
}

TEST_P(AbuseTest, AdminTokenNeverLogged) {
  Start(BaseConfig());
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>("capture", sink);
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);

  const std::string wrong = "wrong-token-for-the-log-test-42";
  Reply rejected = Post("/v1/admin/settlement", R"({"enabled": true})",
                        {{"Authorization", "Bearer " + wrong}});
  Reply accepted = Post("/v1/admin/settlement",
                        R"({"enabled": true, "reason": "log test"})", Admin());
  Reply wrong_body =
      Post("/v1/admin/settlement", R"({"enabled": "yes"})", Admin());
  spdlog::set_default_logger(previous);

  EXPECT_EQ(rejected.status, 401) << rejected.text;
  EXPECT_EQ(accepted.status, 200) << accepted.text;
  EXPECT_EQ(wrong_body.status, 422) << wrong_body.text;
  const std::string log = captured.str();
  // The requests were logged, so the check below looks at real lines.
  EXPECT_NE(log.find("missing or wrong token rejected"), std::string::npos)
      << log;
  EXPECT_NE(log.find("/v1/admin/settlement"), std::string::npos) << log;
  EXPECT_EQ(log.find(wrong), std::string::npos) << log;
  EXPECT_EQ(log.find(kAdminToken), std::string::npos) << log;
  for (const Reply& reply : {rejected, accepted, wrong_body}) {
    EXPECT_EQ(reply.text.find(wrong), std::string::npos) << reply.text;
    EXPECT_EQ(reply.text.find(kAdminToken), std::string::npos) << reply.text;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AbuseTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
