// ImportProblem and ImportError, and the helpers in import_internal.h.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

#include "feeds/import.h"
#include "feeds/import_internal.h"

namespace parlay {
namespace {

std::string DescribeProblems(const std::vector<ImportProblem>& problems) {
  std::string text =
      "invalid input, nothing written: " + std::to_string(problems.size()) +
      (problems.size() == 1 ? " problem" : " problems");
  const size_t listed = std::min(problems.size(), feeds::kMaxProblemsInMessage);
  for (size_t i = 0; i < listed; ++i) {
    text += "\n  " + problems[i].ToString();
  }
  if (problems.size() > listed) {
    text += "\n  ... and " + std::to_string(problems.size() - listed) + " more";
  }
  return text;
}

}  // namespace

std::string ImportProblem::ToString() const {
  std::string text = file;
  if (record > 0) {
    text += " record " + std::to_string(record);
    if (line > 0 && line != record) {
      text += " (line " + std::to_string(line) + ")";
    }
  } else if (line > 0) {
    text += " line " + std::to_string(line);
  }
  if (!field.empty()) text += ", field " + field;
  text += ": ";
  if (!error.empty()) {
    text += error;
    if (!value.empty()) text += " " + value;
  } else if (!value.empty()) {
    text += "invalid value " + value;
  } else {
    text += "missing";
  }
  if (!expected.empty()) text += "; expected " + expected;
  return text;
}

ImportError::ImportError(std::vector<ImportProblem> problems)
    : std::runtime_error(DescribeProblems(problems)),
      problems_(std::move(problems)) {}

namespace feeds {

Result<std::string> ReadFileText(const std::string& path) {
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(
      std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    return Error{"cannot open file: " + std::string(std::strerror(errno))};
  }
  std::string text;
  char buffer[1 << 16];
  size_t count;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    text.append(buffer, count);
  }
  // fopen succeeds on a directory on Linux, and the read fails with EISDIR.
  if (std::ferror(file.get())) {
    return Error{"cannot read file: " + std::string(std::strerror(errno))};
  }
  return text;
}

std::string QuoteValue(std::string_view text) {
  // Invalid UTF-8 is replaced rather than thrown on, since the value is only
  // shown to a person.
  return ShortenValue(
      nlohmann::json(std::string(text))
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string ShortenValue(std::string text) {
  if (text.size() <= kMaxProblemValueChars) return text;
  size_t cut = kMaxProblemValueChars - 3;
  // Back up to a UTF-8 character boundary so the cut leaves valid text.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  text.resize(cut);
  return text + "...";
}

std::string ReasonOf(const std::string& message) {
  const size_t end_of_value = message.find("\": ");
  if (end_of_value == std::string::npos) return message;
  return message.substr(end_of_value + 3);
}

std::string JoinNames(std::span<const std::string_view> names,
                      std::string_view conjunction) {
  std::string joined;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0 && i + 1 == names.size()) {
      joined += " " + std::string(conjunction) + " ";
    } else if (i > 0) {
      joined += ", ";
    }
    joined += names[i];
  }
  return joined;
}

void SortProblems(std::span<const std::string> files,
                  std::vector<ImportProblem>& problems) {
  std::map<std::string, size_t> file_order;
  for (size_t i = 0; i < files.size(); ++i) file_order.emplace(files[i], i);
  std::stable_sort(problems.begin(), problems.end(),
                   [&](const ImportProblem& a, const ImportProblem& b) {
                     const size_t file_a = file_order[a.file];
                     const size_t file_b = file_order[b.file];
                     if (file_a != file_b) return file_a < file_b;
                     return a.record < b.record;
                   });
}

void ThrowIfInvalid(const ImportReport& report, const ImportOptions& options) {
  if (report.problems.empty() || options.skip_invalid) return;
  throw ImportError(report.problems);
}

void UpsertNewestGames(Store& store, std::vector<Game> games,
                       ImportReport& report) {
  if (games.empty()) return;
  // For each id, the position of its newest record; a later record wins a
  // tie, as a correction sent with an unchanged timestamp would.
  std::map<std::string, size_t> newest;
  for (size_t i = 0; i < games.size(); ++i) {
    auto [it, inserted] = newest.emplace(games[i].id, i);
    if (!inserted && games[i].updated_at >= games[it->second].updated_at) {
      it->second = i;
    }
  }
  std::vector<std::string> ids;
  ids.reserve(newest.size());
  for (const auto& [id, index] : newest) ids.push_back(id);

  std::map<std::string, Game> stored;
  for (Game& game : store.GetGames(ids)) {
    std::string id = game.id;
    stored.emplace(std::move(id), std::move(game));
  }

  // NOTE: another connection may change a game between GetGames and
  // UpsertGames, because the Store interface has no conditional upsert.
  std::vector<Game> writes;
  for (size_t i = 0; i < games.size(); ++i) {
    if (newest.at(games[i].id) != i) {
      ++report.superseded;
      continue;
    }
    const auto it = stored.find(games[i].id);
    if (it != stored.end() && !it->second.void_reason.empty()) {
      spdlog::info("game {} not updated: an operator voided it ({})",
                   games[i].id, it->second.void_reason);
      ++report.superseded;
      continue;
    }
    if (it != stored.end() && it->second.updated_at > games[i].updated_at) {
      ++report.superseded;
      continue;
    }
    writes.push_back(std::move(games[i]));
  }
  store.UpsertGames(writes);
  report.imported += static_cast<int>(writes.size());
}

}  // namespace feeds
}  // namespace parlay
