// Helpers shared by the tests: temporary directories, a manual clock and
// builders for games and parlays.

#ifndef PARLAY_TESTS_SUPPORT_TEST_SUPPORT_H_
#define PARLAY_TESTS_SUPPORT_TEST_SUPPORT_H_

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>

#include "rules/model.h"
#include "util/time.h"

namespace parlay::testing {

// A fresh directory under the system temp directory, removed with its
// contents when the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

// Writes `text` to `path`, replacing the file.
void WriteFile(const std::string& path, const std::string& text);

// A clock that moves only when a test sets or advances it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t millis = 1'700'000'000'000) : millis_(millis) {}
  int64_t NowMillis() const override { return millis_.load(); }
  void Advance(int64_t millis) { millis_ += millis; }
  void Set(int64_t millis) { millis_ = millis; }

 private:
  std::atomic<int64_t> millis_;
};

// A game between `home` and `away`; final with the scores when both given.
Game MakeGame(const std::string& id, const std::string& home,
              const std::string& away, std::optional<int> home_score,
              std::optional<int> away_score,
              GameStatus status = GameStatus::kFinal, int64_t start_time = 0);

// A leg with parsed odds and line text ("" for none). Aborts the test
// binary on invalid odds or line, since those are test-authoring mistakes.
Leg MakeLeg(int index, const std::string& game_id, Market market,
            Selection selection, const std::string& line,
            const std::string& odds);

Parlay MakeParlay(const std::string& id, int64_t stake_minor,
                  const std::string& currency, std::vector<Leg> legs);

}  // namespace parlay::testing

#endif  // PARLAY_TESTS_SUPPORT_TEST_SUPPORT_H_
