// Runs a POST /v1/games or /v1/parlays body through the service's body
// parsing and validation, as the routes do before they touch the store.

#ifndef PARLAY_FUZZ_API_BODY_CHECKS_H_
#define PARLAY_FUZZ_API_BODY_CHECKS_H_

#include <functional>

#include "feeds/json_records.h"
#include "fuzz_support.h"
#include "service/http_router.h"
#include "service/request_body.h"

namespace parlay::fuzz {

// Records per request in the targets, small so that the limit is reached.
inline constexpr size_t kMaxRecordsPerRequest = 50;

// Parses `input` as a body of `what` records and passes them to
// `validate`, which returns the problems found. Checks that every rejection
// is an ApiError with a 4xx status, a code and a message, and that the
// error body serializes.
inline void CheckApiBody(
    std::string_view input, std::string_view what,
    const std::function<std::vector<ImportProblem>(
        const std::vector<feeds::FileRecords>&)>& validate) {
  try {
    const std::vector<feeds::FileRecords> inputs =
        service::ParseRecordsBody(input, what, kMaxRecordsPerRequest);
    if (inputs.size() != 1 || inputs.front().records.empty() ||
        inputs.front().records.size() > kMaxRecordsPerRequest) {
      Fail("record count outside 1 to the maximum accepted", input);
    }
    const std::vector<ImportProblem> problems = validate(inputs);
    if (!problems.empty()) {
      service::ThrowInvalidRecords(problems, service::IsArrayBody(input));
    }
  } catch (const service::ApiError& error) {
    if (error.status() < 400 || error.status() > 499) {
      Fail("body rejected with a status outside 4xx", input);
    }
    if (error.code().empty() || std::string_view(error.what()).empty()) {
      Fail("error without a code or message", input);
    }
    nlohmann::json body = {{"message", error.what()},
                           {"details", error.details}};
    body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

}  // namespace parlay::fuzz

#endif  // PARLAY_FUZZ_API_BODY_CHECKS_H_
