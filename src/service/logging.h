// Structured logs of the service with spdlog: one JSON object per line
// (LOG_FORMAT=json) or one readable line (LOG_FORMAT=text), on stderr.
//
// A JSON line has "time" (ISO 8601 UTC with milliseconds), "level",
// "event" (a stable name such as "cycle_completed"), "message" and the ids
// and counts of the event. Lines logged with plain spdlog calls, such as
// the engine's, have "time", "level" and "message" only.

#ifndef PARLAY_SERVICE_LOGGING_H_
#define PARLAY_SERVICE_LOGGING_H_

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "service/config.h"

namespace parlay::service {

// Replaces spdlog's default logger with one that writes to stderr in
// `format` at `level` (a LOG_LEVEL name). Every occurrence of `secret` (the
// admin token) in a line is replaced by "[redacted]" as a safety net.
void SetUpServiceLogging(LogFormat format, const std::string& level,
                         const std::string& secret);

// Whether LogEvent at `level` writes anything, so that callers on hot
// paths can skip building the fields.
bool LogEnabled(spdlog::level::level_enum level);

// Logs one event through spdlog's default logger. `fields` is a JSON object
// of ids and counts; in text format they follow the message as key=value.
void LogEvent(
    spdlog::level::level_enum level, std::string_view event,
    std::string_view message,
    const nlohmann::ordered_json& fields = nlohmann::ordered_json::object());

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_LOGGING_H_
