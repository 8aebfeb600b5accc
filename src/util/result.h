// Result<T>: a value or an error message, for parsers whose failures are
// expected input problems rather than bugs.

#ifndef PARLAY_UTIL_RESULT_H_
#define PARLAY_UTIL_RESULT_H_

#include <string>
#include <utility>
#include <variant>

namespace parlay {

// Error is a human-readable message that says what was wrong and what was
// expected, e.g. "invalid odds \"+50\": American odds must be >= +100".
struct Error {
  std::string message;
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }

  // REQUIRES: !ok().
  const std::string& error() const { return std::get<Error>(state_).message; }

 private:
  std::variant<T, Error> state_;
};

}  // namespace parlay

#endif  // PARLAY_UTIL_RESULT_H_
