// Runs the real parlay-settler binary and checks its output and exit codes.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace parlay {
namespace {

struct CliRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs the binary with `arguments` (shell words) and captures its output.
CliRun RunCli(const std::string& arguments) {
  std::string command = std::string(PARLAY_BINARY) + " " + arguments + " 2>&1";
  CliRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer;
  size_t read;
  while ((read = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    run.output.append(buffer.data(), read);
  }
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

class CliTest : public ::testing::Test {
 protected:
  std::string Db() const { return "--db " + dir_.File("cli.db") + " "; }

  void WriteInputs() {
    testing::WriteFile(dir_.File("games.jsonl"),
                       R"({"id": "2023-09-07-DET-KC", "league": "NFL", )"
                       R"("home": "Kansas City Chiefs", "away": "Detroit )"
                       R"(Lions", "start_time": "2023-09-08T00:20:00Z", )"
                       R"("status": "final", "home_score": 20, )"
                       R"("away_score": 21, "updated_at": )"
                       R"("2023-09-08T03:30:00Z"})"
                       "\n");
    testing::WriteFile(
        dir_.File("parlays.json"),
        R"([{"id": "t-1", "account": "a-42", "stake": "10.00", )"
        R"("currency": "USD", "legs": [{"game": "2023-09-07-DET-KC", )"
        R"("market": "spread", "selection": "Kansas City Chiefs", )"
        R"("line": "-4.5", "odds": "-110"}]}, )"
        R"({"id": "t-2", "account": "a-42", "stake": "10.00", )"
        R"("currency": "USD", "legs": [{"game": "2023-09-07-DET-KC", )"
        R"("market": "moneyline", "selection": "away", "odds": "+150"}]}])");
  }

  testing::TempDir dir_;
};

TEST_F(CliTest, ImportSettleAndShow) {
  WriteInputs();
  CliRun games = RunCli(Db() + "import games " + dir_.File("games.jsonl"));
  ASSERT_EQ(games.exit_code, 0) << games.output;
  EXPECT_NE(games.output.find("imported 1 of 1 games"), std::string::npos)
      << games.output;
  CliRun parlays = RunCli(Db() + "import parlays " + dir_.File("parlays.json"));
  ASSERT_EQ(parlays.exit_code, 0) << parlays.output;

  CliRun settle = RunCli(Db() + "settle --format json");
  ASSERT_EQ(settle.exit_code, 0) << settle.output;
  nlohmann::json summary = nlohmann::json::parse(settle.output);
  EXPECT_EQ(summary["legs_settled"], 2);
  EXPECT_EQ(summary["parlays"]["WON"], 1);
  EXPECT_EQ(summary["parlays"]["LOST"], 1);
  EXPECT_EQ(summary["staked"]["USD"], "20.00");
  EXPECT_EQ(summary["paid"]["USD"], "25.00");  // 10.00 at +150

  CliRun shown = RunCli(Db() + "parlay t-1 --format json");
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  nlohmann::json parlay = nlohmann::json::parse(shown.output);
  EXPECT_EQ(parlay["status"], "LOST");
  EXPECT_EQ(parlay["payout"], "0.00");
  EXPECT_EQ(parlay["legs"][0]["status"], "LOST");
  EXPECT_EQ(parlay["legs"][0]["line"], "-4.5");
  EXPECT_EQ(parlay["audit"].size(), 2u);

  CliRun text = RunCli(Db() + "parlay t-1");
  EXPECT_NE(text.output.find(
                "Detroit Lions 21 @ Kansas City Chiefs 20 final"),
            std::string::npos)
      << text.output;
  // The parlay's audit row names the game that settled it.
  EXPECT_NE(text.output.find("PENDING -> LOST  game 2023-09-07-DET-KC  "
                             "derived from 1 leg"),
            std::string::npos)
      << text.output;

  CliRun listed = RunCli(Db() + "parlays --status WON --format json");
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  nlohmann::json won = nlohmann::json::parse(listed.output);
  ASSERT_EQ(won.size(), 1u);
  EXPECT_EQ(won[0]["id"], "t-2");

  CliRun events = RunCli(Db() + "events --after 0");
  ASSERT_EQ(events.exit_code, 0);
  EXPECT_EQ(std::count(events.output.begin(), events.output.end(), '\n'), 4);

  // A second settle finds nothing to do.
  CliRun again = RunCli(Db() + "settle --format json");
  EXPECT_EQ(nlohmann::json::parse(again.output)["legs_settled"], 0);
}

TEST_F(CliTest, InvalidInputExitsTwo) {
  WriteInputs();
  RunCli(Db() + "import games " + dir_.File("games.jsonl"));
  testing::WriteFile(
      dir_.File("bad.json"),
      R"([{"id": "t-9", "account": "a", "stake": "-5", "currency": "USD", )"
      R"("legs": [{"game": "2023-09-07-DET-KC", "market": "moneyline", )"
      R"("selection": "home", "odds": "-110"}]}])");
  CliRun bad = RunCli(Db() + "import parlays " + dir_.File("bad.json"));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("stake"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("-5"), std::string::npos) << bad.output;

  CliRun missing = RunCli(Db() + "parlay no-such-id");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("no-such-id"), std::string::npos);

  CliRun usage = RunCli(Db() + "settle --format yaml");
  EXPECT_EQ(usage.exit_code, 2) << usage.output;

  CliRun no_command = RunCli(Db());
  EXPECT_EQ(no_command.exit_code, 2) << no_command.output;

  CliRun bad_status = RunCli(Db() + "games --status done");
  EXPECT_EQ(bad_status.exit_code, 2) << bad_status.output;
  EXPECT_NE(bad_status.output.find("done"), std::string::npos);
}

TEST_F(CliTest, VoidGameVoidsLegs) {
  WriteInputs();
  RunCli(Db() + "import games " + dir_.File("games.jsonl"));
  RunCli(Db() + "import parlays " + dir_.File("parlays.json"));
  CliRun voided = RunCli(Db() + "void-game 2023-09-07-DET-KC --reason "
                             "'score disputed'");
  ASSERT_EQ(voided.exit_code, 0) << voided.output;
  EXPECT_NE(voided.output.find("2 legs void"), std::string::npos)
      << voided.output;
  nlohmann::json parlay =
      nlohmann::json::parse(RunCli(Db() + "parlay t-2 --format json").output);
  EXPECT_EQ(parlay["status"], "VOID");
  EXPECT_EQ(parlay["payout"], "10.00");

  // A second void is rejected and keeps the first reason.
  CliRun again = RunCli(Db() + "void-game 2023-09-07-DET-KC --reason other");
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("already voided (score disputed)"),
            std::string::npos)
      << again.output;

  CliRun unknown = RunCli(Db() + "void-game nope --reason x");
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  CliRun empty_reason = RunCli(Db() + "void-game 2023-09-07-DET-KC --reason ''");
  EXPECT_EQ(empty_reason.exit_code, 2) << empty_reason.output;
  CliRun newline = RunCli(Db() + "void-game 2023-09-07-DET-KC --reason "
                                 "\"$(printf 'two\\nlines')\"");
  EXPECT_EQ(newline.exit_code, 2) << newline.output;
  EXPECT_NE(newline.output.find("control characters"), std::string::npos)
      << newline.output;
  // A Latin-1 byte would be stored, and every JSON response that shows the
  // game would then fail.
  CliRun latin1 = RunCli(Db() + "void-game 2023-09-07-DET-KC --reason "
                                "\"$(printf 'caf\\351')\"");
  EXPECT_EQ(latin1.exit_code, 2) << latin1.output;
  EXPECT_NE(latin1.output.find("not valid UTF-8"), std::string::npos)
      << latin1.output;
}

TEST_F(CliTest, DemoSettlesRealSeasons) {
  // One real season keeps the test short; `make run` settles ten.
  CliRun demo = RunCli(Db() + "demo --fresh --from-season 2023 --to-season 2023 "
                           "--parlays 2000 --format json --data " +
                    std::string(PARLAY_SOURCE_DIR) + "/data/nfl");
  ASSERT_EQ(demo.exit_code, 0) << demo.output;
  nlohmann::json summary = nlohmann::json::parse(demo.output);
  // The 2023 season: 272 regular season and 13 playoff games.
  EXPECT_EQ(summary["games"], 285);
  EXPECT_EQ(summary["parlays_placed"], 2000);
  EXPECT_EQ(summary["parlays_settled"], 2000);
  EXPECT_EQ(summary["legs_settled"], summary["legs_placed"]);

  // The outbox holds one event per settled leg and parlay, more than one
  // page of 1,000; `events` prints them all unless given a limit.
  CliRun events = RunCli(Db() + "events --after 0");
  ASSERT_EQ(events.exit_code, 0);
  const int64_t expected_events = summary["legs_settled"].get<int64_t>() +
                                  summary["parlays_settled"].get<int64_t>();
  EXPECT_EQ(std::count(events.output.begin(), events.output.end(), '\n'),
            expected_events);
  CliRun limited = RunCli(Db() + "events --after 0 --limit 5");
  EXPECT_EQ(std::count(limited.output.begin(), limited.output.end(), '\n'),
            5);
  CliRun negative = RunCli(Db() + "events --after -5");
  EXPECT_EQ(negative.exit_code, 2) << negative.output;

  // Without --fresh, a database with parlays is not overwritten.
  CliRun again = RunCli(Db() + "demo --from-season 2023 --to-season 2023 "
                            "--data " + std::string(PARLAY_SOURCE_DIR) +
                     "/data/nfl");
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("--fresh"), std::string::npos);

  // `games --limit` prints at most that many games.
  CliRun two = RunCli(Db() + "games --format json --limit 2");
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_EQ(nlohmann::json::parse(two.output).size(), 2u);
  CliRun every = RunCli(Db() + "games --format json");
  EXPECT_EQ(nlohmann::json::parse(every.output).size(), 285u);
}

TEST_F(CliTest, DemoFreshKeepsDbOnBadData) {
  WriteInputs();
  ASSERT_EQ(RunCli(Db() + "import games " + dir_.File("games.jsonl")).exit_code,
            0);
  // A wrong --data is reported before --fresh deletes the database.
  CliRun demo = RunCli(Db() + "demo --fresh --data " + dir_.File("missing"));
  EXPECT_EQ(demo.exit_code, 2) << demo.output;
  EXPECT_NE(demo.output.find("--data"), std::string::npos) << demo.output;
  CliRun games = RunCli(Db() + "games --format json");
  ASSERT_EQ(games.exit_code, 0) << games.output;
  EXPECT_EQ(nlohmann::json::parse(games.output).size(), 1u);
}

TEST_F(CliTest, LogLevelAcceptsCritical) {
  CliRun run = RunCli(Db() + "--log-level critical games");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  CliRun bad = RunCli(Db() + "--log-level loud games");
  EXPECT_NE(bad.exit_code, 0) << bad.output;
}

}  // namespace
}  // namespace parlay
