#include "feeds/feed_poller.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace parlay {
namespace {

constexpr std::string_view kSecretParameters[] = {"apiKey", "api_key", "key",
                                                  "token"};

// Splits "http://host:port/path?query" into the scheme, host and port part
// for httplib::Client and the path with its query.
std::pair<std::string, std::string> SplitUrl(const std::string& url) {
  const size_t scheme_end = url.find("://");
  const size_t path_start =
      url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (path_start == std::string::npos) return {url, "/"};
  return {url.substr(0, path_start), url.substr(path_start)};
}

int64_t ReadNumber(const char* name, int64_t default_value, int64_t min,
                   int64_t max) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return default_value;
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text, &end, 10);
  if (errno != 0 || *end != '\0' || value < min || value > max) {
    throw std::invalid_argument(std::string("invalid ") + name + " \"" + text +
                                "\": expected a whole number from " +
                                std::to_string(min) + " to " +
                                std::to_string(max));
  }
  return value;
}

}  // namespace

std::string RedactUrl(const std::string& url) {
  const size_t query = url.find('?');
  if (query == std::string::npos) return url;
  std::string out = url.substr(0, query + 1);
  std::stringstream parameters(url.substr(query + 1));
  std::string parameter;
  bool first = true;
  while (std::getline(parameters, parameter, '&')) {
    if (!first) out += '&';
    first = false;
    const size_t equals = parameter.find('=');
    const std::string name = parameter.substr(0, equals);
    bool secret = false;
    for (std::string_view key : kSecretParameters) secret |= name == key;
    out += secret && equals != std::string::npos ? name + "=***" : parameter;
  }
  return out;
}

FeedPoller::FeedPoller(FeedPollerConfig config,
                       std::function<std::unique_ptr<Store>()> open_store,
                       const Clock& clock, TeamAliases aliases,
                       AfterApply after_apply)
    : config_(std::move(config)),
      open_store_(std::move(open_store)),
      clock_(clock),
      aliases_(std::move(aliases)),
      after_apply_(std::move(after_apply)) {
  if (config_.max_attempts < 1) config_.max_attempts = 1;
}

FeedPoller::~FeedPoller() { Stop(); }

void FeedPoller::Start() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
  }
  spdlog::info("feed poller starting: provider={} url={} interval={} ms",
               ToString(config_.provider), RedactUrl(config_.url),
               config_.interval.count());
  thread_ = std::thread([this] { Run(); });
}

void FeedPoller::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void FeedPoller::Stop() {
  RequestStop();
  if (thread_.joinable()) {
    thread_.join();
    spdlog::info("feed poller stopped: provider={} url={}",
                 ToString(config_.provider), RedactUrl(config_.url));
  }
}

FeedPollerStats FeedPoller::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

bool FeedPoller::WaitFor(std::chrono::milliseconds duration) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !wake_.wait_for(lock, duration, [this] { return stopping_; });
}

void FeedPoller::Run() {
  std::unique_ptr<Store> store;
  while (true) {
    const auto started = std::chrono::steady_clock::now();
    bool poll_started = false;
    try {
      if (!store) store = open_store_();
      poll_started = true;
      PollOnce(*store);
    } catch (const std::exception& error) {
      // A database error must not end the thread: the connection is
      // reopened at the next poll.
      spdlog::error("feed poll failed: provider={} url={} error={}",
                    ToString(config_.provider), RedactUrl(config_.url),
                    error.what());
      store.reset();
      std::lock_guard<std::mutex> lock(mutex_);
      // PollOnce counts the polls it starts.
      if (!poll_started) stats_.polls++;
      stats_.failed_polls++;
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    const auto wait = config_.interval > elapsed ? config_.interval - elapsed
                                                 : std::chrono::milliseconds(0);
    if (!WaitFor(wait)) return;
  }
}

Result<std::string> FeedPoller::Fetch() {
  const auto [base, path] = SplitUrl(config_.url);
  httplib::Client client(base);
  const auto seconds = [](std::chrono::milliseconds value) {
    return std::make_pair(static_cast<time_t>(value.count() / 1000),
                          static_cast<time_t>(value.count() % 1000 * 1000));
  };
  const auto [timeout_s, timeout_us] = seconds(config_.timeout);
  client.set_connection_timeout(timeout_s, timeout_us);
  client.set_read_timeout(timeout_s, timeout_us);
  client.set_write_timeout(timeout_s, timeout_us);
  if (!client.is_valid()) return Error{"invalid URL"};

  httplib::Result response = client.Get(path);
  if (!response) {
    // httplib reports a timeout as a Read or Connection error.
    return Error{"request failed: " + httplib::to_string(response.error()) +
                 " error (timeout " + std::to_string(config_.timeout.count()) +
                 " ms)"};
  }
  if (response->status != 200) {
    return Error{"HTTP " + std::to_string(response->status)};
  }
  return response->body;
}

bool FeedPoller::PollOnce(Store& store) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.polls++;
  }
  const std::string url = RedactUrl(config_.url);
  std::chrono::milliseconds backoff = config_.first_backoff;
  for (int attempt = 1; attempt <= config_.max_attempts; ++attempt) {
    std::string error;
    Result<std::string> body = Fetch();
    if (body.ok()) {
      const FeedSnapshot snapshot = ParseFeedSnapshot(
          config_.provider, url, body.value(), clock_.NowSeconds());
      try {
        std::vector<Game> results_changed;
        const FeedStats applied =
            ApplyFeedSnapshot(store, clock_, config_.provider, snapshot,
                              aliases_, &results_changed);
        {
          std::lock_guard<std::mutex> lock(mutex_);
          stats_.feed.Add(applied);
        }
        spdlog::info(
            "feed snapshot applied: provider={} url={} events={} "
            "applied={} unchanged={} out_of_order={} unmatched={}",
            ToString(config_.provider), url, applied.updates, applied.applied,
            applied.unchanged, applied.out_of_order, applied.unmatched);
        if (after_apply_) after_apply_(store, results_changed);
        return true;
      } catch (const ImportError& invalid) {
        std::lock_guard<std::mutex> lock(mutex_);
        stats_.feed.snapshots_rejected++;
        const std::vector<ImportProblem>& problems = invalid.problems();
        error = "invalid response, nothing applied: " +
                std::to_string(problems.size()) +
                (problems.size() == 1 ? " problem" : " problems") +
                (problems.empty() ? "" : ", first: " + problems[0].ToString());
      }
    } else {
      error = body.error();
    }

    {
      std::lock_guard<std::mutex> lock(mutex_);
      stats_.failed_attempts++;
    }
    if (attempt == config_.max_attempts) {
      spdlog::error(
          "feed poll failed: provider={} url={} attempt={}/{} "
          "error={}; next poll in {} ms",
          ToString(config_.provider), url, attempt, config_.max_attempts, error,
          config_.interval.count());
      break;
    }
    spdlog::warn(
        "feed poll failed: provider={} url={} attempt={}/{} "
        "error={}; retrying in {} ms",
        ToString(config_.provider), url, attempt, config_.max_attempts, error,
        backoff.count());
    if (!WaitFor(backoff)) break;
    backoff *= 2;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.failed_polls++;
  return false;
}

Result<std::vector<FeedPollerConfig>> ParseFeedPollUrls(
    std::string_view urls, const FeedPollerConfig& defaults) {
  std::vector<FeedPollerConfig> configs;
  std::stringstream entries{std::string(urls)};
  std::string entry;
  while (entries >> entry) {
    const size_t equals = entry.find('=');
    const std::optional<FeedProvider> provider =
        equals == std::string::npos
            ? std::nullopt
            : ParseFeedProvider(std::string_view(entry).substr(0, equals));
    const std::string url =
        equals == std::string::npos ? "" : entry.substr(equals + 1);
    if (!provider ||
        !(url.starts_with("http://") || url.starts_with("https://"))) {
      return Error{"entry \"" + RedactUrl(entry) +
                   "\": expected provider=URL with a provider of odds-api, "
                   "espn, games-csv or games-json and an http:// or https:// "
                   "URL"};
    }
    FeedPollerConfig config = defaults;
    config.provider = *provider;
    config.url = url;
    configs.push_back(std::move(config));
  }
  return configs;
}

std::vector<FeedPollerConfig> FeedPollerConfigsFromEnvironment() {
  const char* urls = std::getenv("FEED_POLL_URLS");
  if (urls == nullptr) return {};
  FeedPollerConfig defaults;
  defaults.interval = std::chrono::seconds(ReadNumber(
      "FEED_POLL_INTERVAL_SECONDS", 60, 1, kMaxFeedPollIntervalSeconds));
  defaults.timeout = std::chrono::seconds(ReadNumber(
      "FEED_POLL_TIMEOUT_SECONDS", 10, 1, kMaxFeedPollTimeoutSeconds));
  defaults.max_attempts = static_cast<int>(
      ReadNumber("FEED_POLL_MAX_ATTEMPTS", 3, 1, kMaxFeedPollAttempts));

  Result<std::vector<FeedPollerConfig>> configs =
      ParseFeedPollUrls(urls, defaults);
  if (!configs.ok()) {
    throw std::invalid_argument("invalid FEED_POLL_URLS " + configs.error());
  }
  return std::move(configs).value();
}

TeamAliases TeamAliasesFromEnvironment() {
  TeamAliases aliases = TeamAliases::BuiltIn();
  const char* path = std::getenv("FEED_TEAM_ALIASES");
  if (path != nullptr && *path != '\0') aliases.AddFromCsv(path);
  return aliases;
}

}  // namespace parlay
