// FeedPoller: fetches a score feed over HTTP at a fixed interval and applies
// each snapshot with ApplyFeedSnapshot. A request that times out, fails or
// returns an HTTP error or an invalid body is logged, one line per failed
// attempt, and retried with exponential backoff. A poll whose attempts all
// fail waits for the next interval. Nothing a feed returns stops the
// poller.

#ifndef PARLAY_FEEDS_FEED_POLLER_H_
#define PARLAY_FEEDS_FEED_POLLER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "feeds/score_feed.h"
#include "store/store.h"
#include "util/result.h"
#include "util/time.h"

namespace parlay {

// The largest values accepted for the poller settings (FEED_POLL_*).
inline constexpr int kMaxFeedPollIntervalSeconds = 86'400;
inline constexpr int kMaxFeedPollTimeoutSeconds = 300;
inline constexpr int kMaxFeedPollAttempts = 10;

struct FeedPollerConfig {
  FeedProvider provider = FeedProvider::kEspn;
  // "http://127.0.0.1:8080/scoreboard" or an https URL. Query parameters
  // named apiKey, api_key, key or token are masked in logs.
  std::string url;
  std::chrono::milliseconds interval{60'000};      // from poll start to start
  std::chrono::milliseconds timeout{10'000};       // connect, and each read
  int max_attempts = 3;                            // per poll, at least 1
  std::chrono::milliseconds first_backoff{1'000};  // doubled per retry
};

// Counters since the poller was created, for logs and the service's
// metrics.
struct FeedPollerStats {
  int64_t polls = 0;            // polls started
  int64_t failed_attempts = 0;  // requests that failed, each logged
  // Polls whose every attempt failed, and polls of the background thread
  // that a database error ended.
  int64_t failed_polls = 0;
  FeedStats feed;  // what the applied snapshots did
};

// Thread-safety: Start, RequestStop and Stop are called from one owning
// thread, and stats() from any thread. PollOnce must not run while the background
// thread runs.
class FeedPoller {
 public:
  // Runs after each applied snapshot with the poller's Store connection
  // and the games whose result the snapshot changed (the CLI settles
  // there, and the service wakes its worker for games made final).
  using AfterApply =
      std::function<void(Store& store, std::span<const Game> results_changed)>;

  // `open_store` opens the Store connection the poller uses in its own
  // thread. `after_apply`, if set, runs in the thread that polled.
  FeedPoller(FeedPollerConfig config,
             std::function<std::unique_ptr<Store>()> open_store,
             const Clock& clock, TeamAliases aliases,
             AfterApply after_apply = {});
  ~FeedPoller();
  FeedPoller(const FeedPoller&) = delete;
  FeedPoller& operator=(const FeedPoller&) = delete;

  // Starts polling in a background thread; the first poll starts at once.
  void Start();

  // Asks the background thread to stop and returns at once, so that an
  // owner of several pollers can stop them together.
  void RequestStop();

  // Stops the background thread and waits for it. A request in flight is
  // given up to config.timeout to finish. Safe to call more than once.
  void Stop();

  // Runs one poll in the caller's thread: fetch with retries, then apply.
  // Returns true when a snapshot was applied.
  bool PollOnce(Store& store);

  FeedPollerStats stats() const;
  const FeedPollerConfig& config() const { return config_; }

 private:
  // Fetches the body of one successful response, or returns an error
  // message for the log.
  Result<std::string> Fetch();

  // Waits up to `duration` unless Stop is called. Returns false if stopped.
  bool WaitFor(std::chrono::milliseconds duration);

  void Run();

  FeedPollerConfig config_;
  std::function<std::unique_ptr<Store>()> open_store_;
  const Clock& clock_;
  TeamAliases aliases_;
  AfterApply after_apply_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  FeedPollerStats stats_;  // guarded by mutex_
  std::thread thread_;
};

// Masks the values of secret query parameters (apiKey, api_key, key,
// token) in `url`, for logs.
std::string RedactUrl(const std::string& url);

// Parses FEED_POLL_URLS: provider=URL entries separated by spaces, such as
// "espn=http://127.0.0.1:9000/scoreboard odds-api=http://...". Each entry
// becomes a copy of `defaults` with its provider and URL. Returns an error
// that names the invalid entry, with secret query parameters masked.
Result<std::vector<FeedPollerConfig>> ParseFeedPollUrls(
    std::string_view urls, const FeedPollerConfig& defaults);

// Reads poller configurations from the environment:
// - FEED_POLL_URLS: provider=URL entries separated by spaces, such as
//   "espn=http://127.0.0.1:9000/scoreboard odds-api=http://...";
//   empty or unset means no pollers;
// - FEED_POLL_INTERVAL_SECONDS (default 60, 1 to 86400);
// - FEED_POLL_TIMEOUT_SECONDS (default 10, 1 to 300);
// - FEED_POLL_MAX_ATTEMPTS (default 3, 1 to 10).
// Throws std::invalid_argument naming the variable and value on invalid
// input.
std::vector<FeedPollerConfig> FeedPollerConfigsFromEnvironment();

// Reads FEED_TEAM_ALIASES, the path of an alias CSV added to the built-in
// aliases; unset means the built-in aliases only. Throws ImportError for
// an unreadable or malformed file.
TeamAliases TeamAliasesFromEnvironment();

}  // namespace parlay

#endif  // PARLAY_FEEDS_FEED_POLLER_H_
