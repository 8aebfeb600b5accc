#include "service/request_body.h"

#include "service/http_router.h"

namespace parlay::service {
namespace {

using nlohmann::json;

// Names the request body in validation messages.
const std::string kBodySource = "request body";

// Problems listed in a 422 response; the message names the first.
constexpr size_t kMaxProblemsListed = 100;

// The field of a problem as a path into the body: "stake" for an object
// body, "[2].stake" for the third record of an array body.
std::string FieldPath(const ImportProblem& problem, bool array_body) {
  if (!array_body) return problem.field;
  std::string path = "[" + std::to_string(problem.record - 1) + "]";
  if (!problem.field.empty()) path += "." + problem.field;
  return path;
}

}  // namespace

bool IsArrayBody(std::string_view body) {
  const size_t first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && body[first] == '[';
}

std::vector<feeds::FileRecords> ParseRecordsBody(std::string_view body,
                                                 std::string_view what,
                                                 size_t max_records) {
  feeds::JsonFile file = feeds::ParseJsonBody(kBodySource, body);
  if (!file.readable) {
    throw ApiError(400, "invalid_json",
                   file.problems.empty() ? "the request body is not valid JSON"
                                         : file.problems.front().ToString());
  }
  if (file.records.empty()) {
    throw ApiError(422, "invalid_body",
                   "the request body has no " + std::string(what) +
                       ": send one object or a non-empty array of objects");
  }
  if (file.records.size() > max_records) {
    throw ApiError(422, "too_many_records",
                   "the request body has " +
                       std::to_string(file.records.size()) + " " +
                       std::string(what) + " records, above the maximum of " +
                       std::to_string(max_records) +
                       " per request; split it into several requests");
  }
  return {{kBodySource, std::move(file.records)}};
}

void ThrowInvalidRecords(const std::vector<ImportProblem>& problems,
                         bool array_body) {
  const ImportProblem& first = problems.front();
  ApiError error(422, "invalid_record", first.ToString(),
                 FieldPath(first, array_body));
  json listed = json::array();
  for (size_t i = 0; i < problems.size() && i < kMaxProblemsListed; ++i) {
    listed.push_back({{"field", FieldPath(problems[i], array_body)},
                      {"message", problems[i].ToString()}});
  }
  error.details["problems"] = listed;
  error.details["problem_count"] = problems.size();
  throw error;
}

}  // namespace parlay::service
