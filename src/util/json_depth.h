// A guard against deeply nested JSON, run on untrusted text before it is
// parsed: nlohmann::json recurses per nesting level in places, and 100,000
// levels of "[" overflow the stack.

#ifndef PARLAY_UTIL_JSON_DEPTH_H_
#define PARLAY_UTIL_JSON_DEPTH_H_

#include <string_view>

namespace parlay {

// Deeper than any document this service reads (the ESPN scoreboard, the
// deepest, nests about ten levels).
inline constexpr int kMaxJsonDepth = 128;

// Returns true when no array or object in `text` is nested deeper than
// `max_depth` levels. Brackets inside strings do not count. The text need
// not be valid JSON; the parser reports other errors afterwards.
bool JsonDepthWithin(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace parlay

#endif  // PARLAY_UTIL_JSON_DEPTH_H_
