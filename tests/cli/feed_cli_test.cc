// Runs the real parlay-settler binary's feed commands: `feed replay` with
// settlement, a rejected snapshot, and `resettle-game`.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "support/test_support.h"

namespace parlay {
namespace {

struct CliRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

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

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class FeedCliTest : public ::testing::Test {
 protected:
  std::string Db() const { return "--db " + dir_.File("feed.db") + " "; }

  // Germany v Paraguay of data/espn-soccer/snapshot-0001.json, with a
  // draw bet at 3.20 and a Paraguay to-advance bet at 1.80.
  void ImportWorldCupMatch() {
    testing::WriteFile(
        dir_.File("games.json"),
        R"([{"id": "ger-par", "league": "FIFA World Cup", "sport": "soccer", )"
        R"("home": "Germany", "away": "Paraguay", )"
        R"("start_time": "2026-06-29T20:30:00Z", "status": "scheduled", )"
        R"("updated_at": "2026-06-01T00:00:00Z"}])");
    testing::WriteFile(
        dir_.File("parlays.json"),
        R"([{"id": "t-1", "account": "a-1", "stake": "10.00", )"
        R"("currency": "USD", "legs": [{"game": "ger-par", )"
        R"("market": "moneyline_3way", "selection": "draw", "odds": "3.20"}]},)"
        R"( {"id": "t-2", "account": "a-1", "stake": "10.00", )"
        R"("currency": "USD", "legs": [{"game": "ger-par", )"
        R"("market": "to_advance", "selection": "Paraguay", )"
        R"("odds": "1.80"}]}])");
    ASSERT_EQ(
        RunCli(Db() + "import games " + dir_.File("games.json")).exit_code, 0);
    ASSERT_EQ(
        RunCli(Db() + "import parlays " + dir_.File("parlays.json")).exit_code,
        0);
  }

  testing::TempDir dir_;
};

TEST_F(FeedCliTest, ReplaySettlesSnapshots) {
  ImportWorldCupMatch();
  const CliRun replay = RunCli(Db() + "feed replay --provider espn --settle " +
                               PARLAY_SOURCE_DIR + "/data/espn-soccer");
  ASSERT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_TRUE(Contains(replay.output, "snapshots applied   3"))
      << replay.output;
  EXPECT_TRUE(Contains(replay.output, "games updated       1"))
      << replay.output;
  EXPECT_TRUE(Contains(replay.output, "unmatched           8"))
      << replay.output;
  EXPECT_TRUE(Contains(replay.output, "parlays settled     2"))
      << replay.output;

  const CliRun draw = RunCli(Db() + "parlay t-1");
  EXPECT_TRUE(Contains(draw.output, "status WON  payout USD 32.00"))
      << draw.output;
  const CliRun advance = RunCli(Db() + "parlay t-2");
  EXPECT_TRUE(Contains(advance.output, "status WON  payout USD 18.00"))
      << advance.output;
}

TEST_F(FeedCliTest, ReplayRejectsTruncatedSnapshot) {
  ImportWorldCupMatch();
  testing::WriteFile(dir_.File("truncated.json"), R"({"events": [{"id": )");
  const CliRun replay = RunCli(Db() + "feed replay --provider espn " +
                               dir_.File("truncated.json"));
  EXPECT_EQ(replay.exit_code, 2) << replay.output;
  EXPECT_TRUE(Contains(replay.output, "1 snapshots rejected")) << replay.output;
  EXPECT_TRUE(Contains(replay.output, "truncated.json: invalid JSON at line 1"))
      << replay.output;
}

TEST_F(FeedCliTest, ResettleGameAppliesHeldCorrection) {
  ImportWorldCupMatch();
  ASSERT_EQ(RunCli(Db() + "feed replay --provider espn --settle " +
                   PARLAY_SOURCE_DIR + "/data/espn-soccer/snapshot-0001.json")
                .exit_code,
            0);
  // With a correction window of 0 hours, every correction is held for an
  // operator.
  testing::WriteFile(dir_.File("correction.csv"),
                     "id,home,away,status,home_score,away_score,updated_at,"
                     "regulation_home_score,regulation_away_score\n"
                     "ger-par,Germany,Paraguay,final,2,1,2099-01-01T00:00:00Z,"
                     "2,1\n");
  ASSERT_EQ(RunCli(Db() + "feed replay --provider games-csv " +
                   dir_.File("correction.csv"))
                .exit_code,
            0);
  setenv("SETTLEMENT_CORRECTION_WINDOW_HOURS", "0", 1);
  const CliRun held = RunCli(Db() + "settle");
  unsetenv("SETTLEMENT_CORRECTION_WINDOW_HOURS");
  EXPECT_TRUE(Contains(held.output, "held 1")) << held.output;
  EXPECT_TRUE(Contains(RunCli(Db() + "parlay t-1").output, "status WON"));

  const CliRun resettle = RunCli(Db() + "resettle-game ger-par");
  ASSERT_EQ(resettle.exit_code, 0) << resettle.output;
  EXPECT_TRUE(Contains(resettle.output, "2 settled legs changed"))
      << resettle.output;
  EXPECT_TRUE(Contains(RunCli(Db() + "parlay t-1").output,
                       "status LOST  payout USD 0.00"));
  const CliRun events = RunCli(Db() + "events");
  EXPECT_TRUE(Contains(events.output, "\"type\":\"parlay_corrected\""))
      << events.output;
}

TEST_F(FeedCliTest, UnknownProviderIsUsageError) {
  const CliRun replay =
      RunCli(Db() + "feed replay --provider scores " + dir_.File("x.json"));
  EXPECT_EQ(replay.exit_code, 2);
  EXPECT_TRUE(Contains(replay.output, "invalid --provider \"scores\""))
      << replay.output;
}

}  // namespace
}  // namespace parlay
