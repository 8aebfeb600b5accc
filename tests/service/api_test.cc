// The JSON API on the real server: placing and reading games and parlays,
// paging, the outbox, every error class, and admin authentication.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "service_fixture.h"

namespace parlay {
namespace {

using nlohmann::json;
using testing::kAdminToken;
using testing::ServiceTest;

constexpr char kScheduledGame[] =
    R"({"id": "2023-09-07-DET-KC", "league": "NFL",
        "home": "Kansas City Chiefs", "away": "Detroit Lions",
        "start_time": "2023-09-08T00:20:00Z", "status": "scheduled"})";

std::string ParlayJson(const std::string& id, const std::string& stake,
                       const std::string& odds = "+150") {
  return R"({"id": ")" + id + R"(", "account": "a-42", "stake": ")" + stake +
         R"(", "currency": "USD", "legs": [{"game": "2023-09-07-DET-KC",
         "market": "moneyline", "selection": "away", "odds": ")" +
         odds + R"("}]})";
}

class ApiTest : public ServiceTest {
 protected:
  void PostScheduledGame() {
    Reply reply = Post("/v1/games", kScheduledGame);
    ASSERT_EQ(reply.status, 200) << reply.text;
  }
};

TEST_P(ApiTest, GamesRoundTrip) {
  Start(BaseConfig());
  Reply posted = Post("/v1/games", std::string("[") + kScheduledGame + "]");
  ASSERT_EQ(posted.status, 200) << posted.text;
  EXPECT_EQ(posted.body["records"], 1);
  EXPECT_EQ(posted.body["imported"], 1);
  EXPECT_EQ(posted.body["superseded"], 0);
  ASSERT_EQ(posted.body["games"].size(), 1u);

  Reply game = Get("/v1/games/2023-09-07-DET-KC");
  ASSERT_EQ(game.status, 200) << game.text;
  EXPECT_EQ(game.body["home"], "Kansas City Chiefs");
  EXPECT_EQ(game.body["status"], "scheduled");
  EXPECT_EQ(game.body["home_score"], nullptr);
}

TEST_P(ApiTest, ParlayPlacedAndRead) {
  Start(BaseConfig());
  PostScheduledGame();
  Reply placed = Post("/v1/parlays", ParlayJson("t-1", "10.00"));
  ASSERT_EQ(placed.status, 201) << placed.text;
  ASSERT_EQ(placed.body["parlays"].size(), 1u);
  EXPECT_EQ(placed.body["parlays"][0]["stake"], "10.00");
  EXPECT_EQ(placed.body["parlays"][0]["status"], "PENDING");
  // Without placed_at the parlay is placed at the clock's time.
  EXPECT_EQ(placed.body["parlays"][0]["placed_at"], testing::kStartIso);

  Reply parlay = Get("/v1/parlays/t-1");
  ASSERT_EQ(parlay.status, 200);
  EXPECT_EQ(parlay.body["legs"][0]["selection_text"], "away");
  EXPECT_EQ(parlay.body["audit"], json::array());
}

TEST_P(ApiTest, ParlaysPageWithCursor) {
  Start(BaseConfig());
  PostScheduledGame();
  std::string body = "[";
  for (int i = 1; i <= 5; ++i) {
    if (i > 1) body += ",";
    body += ParlayJson("p-" + std::to_string(i), "1.00");
  }
  ASSERT_EQ(Post("/v1/parlays", body + "]").status, 201);

  std::vector<std::string> seen;
  std::string path = "/v1/parlays?limit=2&status=PENDING&account=a-42";
  int pages = 0;
  while (true) {
    Reply page = Get(path);
    ASSERT_EQ(page.status, 200) << page.text;
    ++pages;
    for (const json& parlay : page.body["parlays"]) {
      seen.push_back(parlay["id"]);
    }
    if (page.body["next_cursor"].is_null()) break;
    path = "/v1/parlays?limit=2&status=PENDING&account=a-42&cursor=" +
           page.body["next_cursor"].get<std::string>();
    ASSERT_LT(pages, 5);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen,
            (std::vector<std::string>{"p-1", "p-2", "p-3", "p-4", "p-5"}));

  Reply other_account = Get("/v1/parlays?account=nobody");
  EXPECT_EQ(other_account.body["parlays"], json::array());
  Reply won = Get("/v1/parlays?status=WON");
  EXPECT_EQ(won.body["parlays"], json::array());
}

TEST_P(ApiTest, EventsInOrderAfterSequence) {
  Start(BaseConfig());
  PostScheduledGame();
  ASSERT_EQ(Post("/v1/parlays", ParlayJson("t-1", "10.00")).status, 201);
  std::string final_game = kScheduledGame;
  final_game.replace(final_game.find("\"scheduled\""), 11,
                     R"("final", "home_score": 20, "away_score": 21)");
  ASSERT_EQ(Post("/v1/games", final_game).status, 200);
  ASSERT_TRUE(testing::PollUntil(
      [&] { return Get("/v1/parlays/t-1").body["status"] == "WON"; }));

  Reply events = Get("/v1/events?after=0");
  ASSERT_EQ(events.status, 200);
  ASSERT_EQ(events.body["events"].size(), 2u);  // the leg, then the parlay
  EXPECT_EQ(events.body["events"][0]["type"], "leg_settled");
  EXPECT_EQ(events.body["events"][1]["type"], "parlay_settled");
  EXPECT_EQ(events.body["events"][1]["payload"]["payout"], "25.00");
  const int64_t last = events.body["events"][1]["seq"];
  EXPECT_EQ(events.body["next_after"], last);

  Reply rest = Get("/v1/events?after=" + std::to_string(last));
  EXPECT_EQ(rest.body["events"], json::array());
  EXPECT_EQ(rest.body["next_after"], last);
  Reply limited = Get("/v1/events?after=0&limit=1");
  EXPECT_EQ(limited.body["events"].size(), 1u);
}

// An event whose audit row is gone ends its page, and reading from it
// is an error that names it, not one a client should retry.
TEST_P(ApiTest, EventWithoutAuditRowIsCorruptData) {
  Start(BaseConfig());
  {
    std::unique_ptr<Store> store = OpenStore();
    std::unique_ptr<Transaction> transaction = store->Begin();
    transaction->AppendOutbox(std::vector<OutboxEvent>{
        {0, "parlay_corrected", "t-1", -1, R"({"n":1})", 1'700'000'000},
        {0, "leg_settled", "t-1", 0, "", 1'700'000'000, 999'999}});
    transaction->Commit();
  }

  Reply first = Get("/v1/events?after=0");
  ASSERT_EQ(first.status, 200) << first.text;
  ASSERT_EQ(first.body["events"].size(), 1u);
  EXPECT_EQ(first.body["events"][0]["payload"]["n"], 1);
  const int64_t last = first.body["next_after"];

  Reply broken = Get("/v1/events?after=" + std::to_string(last));
  EXPECT_EQ(broken.status, 500);
  EXPECT_EQ(broken.body["error"]["code"], "corrupt_data");
  const std::string message = broken.body["error"]["message"].is_string()
                                  ? broken.body["error"]["message"]
                                  : "";
  EXPECT_NE(message.find("refers to audit row 999999, which is missing"),
            std::string::npos)
      << message;
}

struct ErrorCase {
  const char* name;
  const char* method;
  std::string path;
  std::string body;
  int status;
  const char* code;
  json field;  // null when the error names no field
};

TEST_P(ApiTest, EachErrorClass) {
  service::ServiceConfig config = BaseConfig();
  config.max_body_bytes = 4096;
  Start(config);
  PostScheduledGame();
  ASSERT_EQ(Post("/v1/parlays", ParlayJson("t-1", "10.00")).status, 201);

  const std::string big(5000, ' ');
  const std::vector<ErrorCase> cases = {
      {"malformed JSON", "POST", "/v1/games", "{bad", 400, "invalid_json",
       nullptr},
      {"limit zero", "GET", "/v1/parlays?limit=0", "", 400, "invalid_parameter",
       "limit"},
      {"status lower case", "GET", "/v1/parlays?status=won", "", 400,
       "invalid_parameter", "status"},
      {"cursor not base64url", "GET", "/v1/parlays?cursor=%21%21", "", 400,
       "invalid_parameter", "cursor"},
      {"negative after", "GET", "/v1/events?after=-1", "", 400,
       "invalid_parameter", "after"},
      {"unknown parlay", "GET", "/v1/parlays/nope", "", 404, "not_found", "id"},
      {"unknown game", "GET", "/v1/games/nope", "", 404, "not_found", "id"},
      {"unknown route", "GET", "/v2/nothing", "", 404, "not_found", nullptr},
      {"wrong method", "POST", "/v1/parlays/t-1", "{}", 405,
       "method_not_allowed", nullptr},
      {"duplicate parlay", "POST", "/v1/parlays", ParlayJson("t-1", "5.00"),
       409, "duplicate_id", "id"},
      {"duplicate in array", "POST", "/v1/parlays",
       "[" + ParlayJson("t-2", "5.00") + "," + ParlayJson("t-1", "5.00") + "]",
       409, "duplicate_id", "[1].id"},
      {"body too large", "POST", "/v1/games", big, 413, "payload_too_large",
       nullptr},
      {"negative stake", "POST", "/v1/parlays", ParlayJson("t-3", "-5"), 422,
       "invalid_record", "stake"},
      {"bad odds in array", "POST", "/v1/parlays",
       "[" + ParlayJson("t-4", "5.00") + "," +
           ParlayJson("t-5", "5.00", "+50") + "]",
       422, "invalid_record", "[1].legs[0].odds"},
      {"missing game field", "POST", "/v1/games",
       R"({"id": "g", "league": "NFL", "home": "A", "away": "B",
           "status": "final"})",
       422, "invalid_record", "start_time"},
      {"empty array", "POST", "/v1/games", "[]", 422, "invalid_body", nullptr},
      {"flag not boolean", "POST", "/v1/admin/settlement",
       R"({"enabled": "yes"})", 422, "invalid_field", "enabled"},
      {"admin body malformed", "POST", "/v1/admin/settlement", "{", 400,
       "invalid_json", nullptr},
      {"void without reason", "POST", "/v1/admin/games/2023-09-07-DET-KC/void",
       "{}", 422, "invalid_field", "reason"},
      {"void unknown game", "POST", "/v1/admin/games/nope/void",
       R"({"reason": "test"})", 404, "not_found", "id"},
  };
  for (const ErrorCase& c : cases) {
    const bool admin = std::string(c.path).starts_with("/v1/admin/");
    const httplib::Headers headers = admin ? Admin() : httplib::Headers{};
    Reply reply = std::string(c.method) == "GET"
                      ? Get(c.path, headers)
                      : Post(c.path, c.body, headers);
    EXPECT_EQ(reply.status, c.status) << c.name << ": " << reply.text;
    EXPECT_EQ(reply.body["error"]["code"], c.code) << c.name;
    EXPECT_EQ(reply.body["error"]["field"], c.field) << c.name;
    EXPECT_TRUE(reply.body["error"]["message"].is_string()) << c.name;
  }
  // Nothing of the rejected parlays was written.
  for (const char* id : {"t-2", "t-3", "t-4", "t-5"}) {
    EXPECT_EQ(Get(std::string("/v1/parlays/") + id).status, 404) << id;
  }
}

// An unknown id is quoted whole in the message, with escapes, so that a
// NUL byte or a newline in it cannot cut the message short.
TEST_P(ApiTest, NotFoundMessageQuotesWholeId) {
  Start(BaseConfig());
  Reply parlay = Get("/v1/parlays/a%00b");
  EXPECT_EQ(parlay.status, 404);
  EXPECT_EQ(parlay.body["error"]["message"],
            "parlay \"a\\u0000b\" not found");
  Reply game = Get("/v1/games/a%0Ab");
  EXPECT_EQ(game.status, 404);
  EXPECT_EQ(game.body["error"]["message"], "game \"a\\nb\" not found");
}

TEST_P(ApiTest, InvalidRecordListsEveryProblem) {
  Start(BaseConfig());
  Reply reply = Post("/v1/games", R"({"id": "g", "stak": 1})");
  ASSERT_EQ(reply.status, 422);
  // Unknown field stak, and league, home, away, start_time and status
  // missing.
  EXPECT_EQ(reply.body["error"]["problem_count"], 6) << reply.text;
  EXPECT_EQ(reply.body["error"]["problems"].size(), 6u);
}

TEST_P(ApiTest, TeamsFixedOnceBetsPlaced) {
  Start(BaseConfig());
  // Without bets, a game's teams may still be corrected.
  std::string swapped = kScheduledGame;
  swapped.replace(swapped.find("Detroit Lions"), 13, "Chicago Bears");
  ASSERT_EQ(Post("/v1/games", swapped).status, 200);
  EXPECT_EQ(Get("/v1/games/2023-09-07-DET-KC").body["away"], "Chicago Bears");

  PostScheduledGame();
  ASSERT_EQ(Post("/v1/parlays", ParlayJson("t-1", "10.00")).status, 201);
  // With a bet placed, a final score posted under other teams is rejected
  // and changes nothing: the bet names the Lions, not the Bears.
  std::string final_game = swapped;
  final_game.replace(final_game.find(R"("status": "scheduled")"), 21,
                     R"("status": "final", "home_score": 20, "away_score": 21)");
  Reply reply = Post("/v1/games", final_game);
  ASSERT_EQ(reply.status, 422) << reply.text;
  ASSERT_EQ(reply.body["error"]["problems"].size(), 1u) << reply.text;
  EXPECT_EQ(reply.body["error"]["problems"][0]["field"], "away") << reply.text;
  Reply game = Get("/v1/games/2023-09-07-DET-KC");
  EXPECT_EQ(game.body["away"], "Detroit Lions");
  EXPECT_EQ(game.body["status"], "scheduled");
  EXPECT_EQ(Get("/v1/parlays/t-1").body["status"], "PENDING");
}

TEST_P(ApiTest, WrongMethodListsAllowed) {
  Start(BaseConfig());
  Reply reply = Post("/v1/parlays/t-1", "{}");
  EXPECT_EQ(reply.status, 405);
  bool found = false;
  for (const auto& [name, value] : reply.headers) {
    if (name == "Allow") {
      EXPECT_EQ(value, "GET");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

// Posts `body` in chunks (Transfer-Encoding: chunked), which cpp-httplib
// sends for a content provider without a length.
httplib::Result PostChunked(httplib::Client& client, const std::string& path,
                            const std::string& body) {
  return client.Post(
      path,
      [body](size_t offset, httplib::DataSink& sink) {
        const size_t chunk = std::min<size_t>(1000, body.size() - offset);
        if (chunk > 0) sink.write(body.data() + offset, chunk);
        if (offset + chunk >= body.size()) sink.done();
        return true;
      },
      "application/json");
}

TEST_P(ApiTest, ChunkedBodyLimited) {
  service::ServiceConfig config = BaseConfig();
  config.max_body_bytes = 4096;
  Start(config);
  httplib::Client client = Client();

  auto small = PostChunked(client, "/v1/games", kScheduledGame);
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200) << small->body;

  // Valid JSON padded past the limit: only the limit can reject it.
  std::string padded = std::string(kScheduledGame);
  padded.replace(padded.find("2023-09-07-DET-KC"), 17, "padded-game");
  padded += std::string(8000, ' ');
  auto large = PostChunked(client, "/v1/games", padded);
  // The server may close the connection before the client has sent every
  // chunk, so the client can miss the 413.
  if (large) {
    EXPECT_EQ(large->status, 413) << large->body;
  }
  EXPECT_EQ(Get("/v1/games/padded-game").status, 404);
  EXPECT_EQ(Get("/health").status, 200);
}

TEST_P(ApiTest, PostWithoutContentLengthHasEmptyBody) {
  Start(BaseConfig());
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(service_->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // cpp-httplib would read such a body until its 5 s read timeout; the
  // receive timeout makes the test fail instead of passing late.
  timeval timeout{3, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address),
            0);
  const std::string request = std::string(
                                  "POST /v1/admin/settle HTTP/1.1\r\n"
                                  "Host: 127.0.0.1\r\n"
                                  "Authorization: Bearer ") +
                              kAdminToken + "\r\n\r\n";
  ASSERT_EQ(write(fd, request.data(), request.size()),
            static_cast<ssize_t>(request.size()));
  char buffer[512] = {};
  const ssize_t read_bytes = read(fd, buffer, sizeof buffer - 1);
  close(fd);
  ASSERT_GT(read_bytes, 0);
  EXPECT_EQ(std::string(buffer).rfind("HTTP/1.1 200", 0), 0u) << buffer;
}

TEST_P(ApiTest, AdminRoutesForbiddenWithoutToken) {
  service::ServiceConfig config = BaseConfig();
  config.admin_token.clear();
  Start(config);
  for (const char* path :
       {"/v1/admin/settlement", "/v1/admin/settle", "/v1/admin/games/x/void",
        "/v1/admin/games/x/resettle", "/v1/admin/unknown"}) {
    Reply reply = Post(path, R"({"enabled": true})", Admin());
    EXPECT_EQ(reply.status, 403) << path;
    EXPECT_EQ(reply.body["error"]["code"], "forbidden") << path;
  }
}

TEST_P(ApiTest, AdminTokenChecked) {
  Start(BaseConfig());
  const std::string token = kAdminToken;
  struct Case {
    const char* name;
    httplib::Headers headers;
    int status;
  };
  const Case cases[] = {
      {"missing", {}, 401},
      {"wrong", {{"Authorization", "Bearer wrong-token-0123456789"}}, 401},
      {"empty", {{"Authorization", "Bearer "}}, 401},
      {"scheme only", {{"Authorization", "Bearer"}}, 401},
      {"prefix of token",
       {{"Authorization", "Bearer " + token.substr(0, token.size() - 1)}},
       401},
      {"basic scheme", {{"Authorization", "Basic " + token}}, 401},
      {"right", {{"Authorization", "Bearer " + token}}, 200},
      {"lower-case scheme", {{"Authorization", "bearer " + token}}, 200},
  };
  for (const Case& c : cases) {
    Reply reply = Post("/v1/admin/settle", "", c.headers);
    EXPECT_EQ(reply.status, c.status) << c.name << ": " << reply.text;
    if (c.status == 401) {
      EXPECT_EQ(reply.body["error"]["code"], "unauthorized") << c.name;
      bool challenge = false;
      for (const auto& [name, value] : reply.headers) {
        challenge = challenge || name == "WWW-Authenticate";
      }
      EXPECT_TRUE(challenge) << c.name;
    }
  }
}

TEST_P(ApiTest, AdminVoidsGame) {
  Start(BaseConfig());
  PostScheduledGame();
  ASSERT_EQ(Post("/v1/parlays", ParlayJson("t-1", "10.00")).status, 201);

  // A reason with a newline or escape would forge log lines.
  for (const char* reason : {R"("a\nforged line")", R"("a\u001b[31m")"}) {
    Reply rejected = Post("/v1/admin/games/2023-09-07-DET-KC/void",
                          std::string(R"({"reason": )") + reason + "}", Admin());
    EXPECT_EQ(rejected.status, 422) << reason << ": " << rejected.text;
    EXPECT_EQ(rejected.body["error"]["field"], "reason") << reason;
  }
  EXPECT_EQ(Get("/v1/parlays/t-1").body["status"], "PENDING");

  Reply voided = Post("/v1/admin/games/2023-09-07-DET-KC/void",
                      R"({"reason": "match abandoned"})", Admin());
  ASSERT_EQ(voided.status, 200) << voided.text;
  EXPECT_EQ(voided.body["legs_voided"], 1);
  EXPECT_EQ(voided.body["parlays_settled"], 1);
  EXPECT_EQ(voided.body["game"]["void_reason"], "match abandoned");

  Reply parlay = Get("/v1/parlays/t-1");
  EXPECT_EQ(parlay.body["status"], "VOID");
  EXPECT_EQ(parlay.body["payout"], "10.00");  // the stake back

  Reply again = Post("/v1/admin/games/2023-09-07-DET-KC/void",
                     R"({"reason": "again"})", Admin());
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["error"]["code"], "already_voided");
}

TEST_P(ApiTest, DeeplyNestedBodyRejected) {
  Start(BaseConfig());
  // 200,001 bytes, under the body limit; 100,000 levels crashed the parser.
  const std::string deep =
      std::string(100'000, '[') + std::string(100'000, ']');
  Reply reply = Post("/v1/games", deep);
  EXPECT_EQ(reply.status, 400) << reply.text;
  EXPECT_EQ(reply.body["error"]["code"], "invalid_json");
  EXPECT_NE(reply.body["error"]["message"].get<std::string>().find(
                "deeper than 128 levels"),
            std::string::npos)
      << reply.text;
  // The server is still up.
  EXPECT_EQ(Get("/health").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
