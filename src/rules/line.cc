#include "rules/line.h"

#include <cstdlib>

namespace parlay {
namespace {

constexpr int kMaxLinePoints = 1000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Error InvalidLine(std::string_view text, std::string_view problem) {
  return Error{"invalid line \"" + std::string(text) +
               "\": " + std::string(problem)};
}

}  // namespace

Result<Line> ParseLine(std::string_view text) {
  const std::string expected =
      "expected points in steps of 0.25 such as -4.5, +3 or 47.25";
  size_t pos = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) ++pos;

  const std::string too_large =
      "magnitude above " + std::to_string(kMaxLinePoints) + " points";
  int points = 0;
  const size_t integer_start = pos;
  for (; pos < text.size() && IsDigit(text[pos]); ++pos) {
    points = points * 10 + (text[pos] - '0');
    if (points > kMaxLinePoints) return InvalidLine(text, too_large);
  }
  if (pos == integer_start) return InvalidLine(text, expected);

  // The fraction, without trailing zeros, must be one of the four quarters.
  int quarter = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t fraction_start = pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
    if (pos == fraction_start) return InvalidLine(text, expected);
    std::string_view fraction =
        text.substr(fraction_start, pos - fraction_start);
    while (!fraction.empty() && fraction.back() == '0') {
      fraction.remove_suffix(1);
    }
    if (fraction.empty()) {
      quarter = 0;
    } else if (fraction == "25") {
      quarter = 1;
    } else if (fraction == "5") {
      quarter = 2;
    } else if (fraction == "75") {
      quarter = 3;
    } else {
      return InvalidLine(text, "not a multiple of 0.25");
    }
  }
  if (pos != text.size()) return InvalidLine(text, expected);
  if (points == kMaxLinePoints && quarter != 0) {
    return InvalidLine(text, too_large);
  }

  const int quarters = points * 4 + quarter;
  return Line{negative ? -quarters : quarters};
}

std::string FormatLine(Line line, bool signed_form) {
  // Widened so that the magnitude of INT_MIN quarters does not overflow.
  const long long magnitude = std::llabs(static_cast<long long>(line.quarters));
  std::string text = std::to_string(magnitude / 4);
  switch (magnitude % 4) {
    case 1:
      text += ".25";
      break;
    case 2:
      text += ".5";
      break;
    case 3:
      text += ".75";
      break;
    default:
      break;
  }
  if (line.quarters < 0) return "-" + text;
  if (line.quarters > 0 && signed_form) return "+" + text;
  return text;
}

}  // namespace parlay
