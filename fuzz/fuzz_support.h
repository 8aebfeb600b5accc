// Helpers shared by the libFuzzer targets in this directory.

#ifndef PARLAY_FUZZ_FUZZ_SUPPORT_H_
#define PARLAY_FUZZ_FUZZ_SUPPORT_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace parlay::fuzz {

// Reports a broken invariant and aborts, so that libFuzzer saves the input
// as a crash.
[[noreturn]] inline void Fail(std::string_view what, std::string_view input) {
  std::fprintf(stderr, "invariant broken: %.*s\ninput: %.*s\n",
               static_cast<int>(what.size()), what.data(),
               static_cast<int>(input.size()), input.data());
  std::abort();
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Writes the input to a file of its own per process, for parsers that read
// files, and returns the file's path.
std::string WriteInputFile(std::string_view text, std::string_view suffix);

}  // namespace parlay::fuzz

#endif  // PARLAY_FUZZ_FUZZ_SUPPORT_H_
