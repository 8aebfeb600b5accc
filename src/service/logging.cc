#include "service/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <memory>

namespace parlay::service {
namespace {

using nlohmann::ordered_json;

// Marks a payload built by LogEvent in JSON format: the JSON object of the
// event follows. No message text starts with this control character.
constexpr char kEventMarker = '\x1e';

std::atomic<bool> json_format{false};

std::string Dump(const ordered_json& value) {
  return value.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string FormatTime(spdlog::log_clock::time_point time) {
  using namespace std::chrono;
  const auto millis =
      duration_cast<milliseconds>(time.time_since_epoch()).count();
  const time_t seconds = static_cast<time_t>(millis / 1000);
  struct tm utc;
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                utc.tm_min, utc.tm_sec, static_cast<int>(millis % 1000));
  return text;
}

void Redact(std::string& line, const std::string& secret) {
  if (secret.empty()) return;
  for (size_t at = line.find(secret); at != std::string::npos;
       at = line.find(secret, at)) {
    line.replace(at, secret.size(), "[redacted]");
  }
}

// Writes {"time", "level", then the event's fields or "message"}.
class JsonFormatter final : public spdlog::formatter {
 public:
  explicit JsonFormatter(std::string secret) : secret_(std::move(secret)) {}

  void format(const spdlog::details::log_msg& message,
              spdlog::memory_buf_t& dest) override {
    const std::string_view payload(message.payload.data(),
                                   message.payload.size());
    std::string line =
        "{\"time\":\"" + FormatTime(message.time) + "\",\"level\":" +
        Dump(std::string(spdlog::level::to_string_view(message.level).data())) +
        ",";
    if (payload.size() > 2 && payload.front() == kEventMarker) {
      // The event's JSON object without its opening brace.
      line.append(payload.substr(2));
    } else {
      line += "\"message\":" + Dump(std::string(payload)) + "}";
    }
    Redact(line, secret_);
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>(secret_);
  }

 private:
  std::string secret_;
};

// "2024-01-01T00:00:00.000Z info message key=value".
class TextFormatter final : public spdlog::formatter {
 public:
  explicit TextFormatter(std::string secret)
      : secret_(std::move(secret)),
        pattern_("%Y-%m-%dT%H:%M:%S.%eZ %l %v",
                 spdlog::pattern_time_type::utc) {}

  void format(const spdlog::details::log_msg& message,
              spdlog::memory_buf_t& dest) override {
    spdlog::memory_buf_t formatted;
    pattern_.format(message, formatted);
    std::string line(formatted.data(), formatted.size());
    Redact(line, secret_);
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<TextFormatter>(secret_);
  }

 private:
  std::string secret_;
  spdlog::pattern_formatter pattern_;
};

std::string TextValue(const ordered_json& value) {
  if (!value.is_string()) return Dump(value);
  const std::string text = value.get<std::string>();
  if (!text.empty() && text.find_first_of(" \"=") == std::string::npos) {
    return text;
  }
  return Dump(value);
}

}  // namespace

void SetUpServiceLogging(LogFormat format, const std::string& level,
                         const std::string& secret) {
  auto logger = std::make_shared<spdlog::logger>(
      "parlay-settler", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (format == LogFormat::kJson) {
    logger->set_formatter(std::make_unique<JsonFormatter>(secret));
  } else {
    logger->set_formatter(std::make_unique<TextFormatter>(secret));
  }
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::trace);
  json_format = format == LogFormat::kJson;
  spdlog::set_default_logger(std::move(logger));
}

bool LogEnabled(spdlog::level::level_enum level) {
  return spdlog::default_logger_raw()->should_log(level);
}

void LogEvent(spdlog::level::level_enum level, std::string_view event,
              std::string_view message, const ordered_json& fields) {
  // The raw pointer spares every call the shared_ptr's atomic count, which
  // all HTTP threads would otherwise update on each request.
  spdlog::logger* logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  std::string payload;
  if (json_format) {
    ordered_json object = {{"event", event}, {"message", message}};
    if (fields.is_object()) {
      for (const auto& [key, value] : fields.items()) object[key] = value;
    }
    payload = std::string(1, kEventMarker) + Dump(object);
  } else {
    payload = std::string(message);
    if (fields.is_object()) {
      for (const auto& [key, value] : fields.items()) {
        payload += " " + key + "=" + TextValue(value);
      }
    }
  }
  logger->log(level, spdlog::string_view_t(payload.data(), payload.size()));
}

}  // namespace parlay::service
