#include "fuzz_support.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace parlay::fuzz {

std::string WriteInputFile(std::string_view text, std::string_view suffix) {
  static const std::string path =
      (std::filesystem::temp_directory_path() /
       ("parlay-fuzz-" + std::to_string(getpid()) + std::string(suffix)))
          .string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) Fail("cannot write the input file " + path, "");
  return path;
}

}  // namespace parlay::fuzz
