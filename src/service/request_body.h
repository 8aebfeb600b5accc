// Parsing of the POST /v1/games and /v1/parlays bodies into records, with
// the API's limits and error responses. Kept apart from the routes so that
// it runs without a server or a store, as in the fuzz targets.

#ifndef PARLAY_SERVICE_REQUEST_BODY_H_
#define PARLAY_SERVICE_REQUEST_BODY_H_

#include <string>
#include <string_view>
#include <vector>

#include "feeds/import.h"
#include "feeds/json_records.h"

namespace parlay::service {

// Returns whether the body is a JSON array, judged by its first non-blank
// character.
bool IsArrayBody(std::string_view body);

// Parses a games or parlays body, one object or an array of objects, into
// the records of one input. `what` names a record in messages ("game").
// Throws ApiError 400 for malformed or too deeply nested JSON, and 422 for
// an empty array or more than `max_records` records.
std::vector<feeds::FileRecords> ParseRecordsBody(std::string_view body,
                                                 std::string_view what,
                                                 size_t max_records);

// Throws ApiError 422 "invalid_record" naming the first problem, with up
// to 100 problems in details. REQUIRES: !problems.empty().
[[noreturn]] void ThrowInvalidRecords(
    const std::vector<ImportProblem>& problems, bool array_body);

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_REQUEST_BODY_H_
