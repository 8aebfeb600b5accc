#include "feeds/json_records.h"

#include <utility>

#include "feeds/import_internal.h"
#include "util/json_depth.h"

namespace parlay::feeds {
namespace {

using nlohmann::json;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// One open object or array while parsing, for naming duplicate keys.
struct Frame {
  bool is_object = false;
  std::vector<std::string> keys;  // keys seen so far (objects)
  int index = -1;                 // current element (arrays)
};

// Finds object keys given twice while nlohmann::json parses, which would
// otherwise keep the last value silently.
class DuplicateKeyFinder {
 public:
  // `in_array`: the text is a JSON array whose elements are the records.
  explicit DuplicateKeyFinder(bool in_array) : in_array_(in_array) {}

  // A duplicate key: the record it is in (0-based element of the top-level
  // array, or 0 for a single record) and its path inside that record.
  struct Duplicate {
    int element = 0;
    std::string path;
  };

  json::parser_callback_t Callback() {
    return [this](int /*depth*/, json::parse_event_t event, json& parsed) {
      Observe(event, parsed);
      return true;
    };
  }

  const std::vector<Duplicate>& duplicates() const { return duplicates_; }

 private:
  void Observe(json::parse_event_t event, const json& parsed) {
    using Event = json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        StartElement();
        frames_.push_back(Frame{event == Event::object_start, {}, -1});
        break;
      case Event::object_end:
      case Event::array_end:
        frames_.pop_back();
        break;
      case Event::value:
        StartElement();
        break;
      case Event::key:
        AddKey(parsed.get<std::string>());
        break;
    }
  }

  // Counts a new element when the innermost open value is an array.
  void StartElement() {
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().index;
  }

  void AddKey(std::string key) {
    Frame& object = frames_.back();
    for (const std::string& seen : object.keys) {
      if (seen == key) {
        duplicates_.push_back(
            {in_array_ ? frames_.front().index : 0, PathTo(key)});
        break;
      }
    }
    object.keys.push_back(std::move(key));
  }

  // The record-relative path of `key` in the innermost object.
  std::string PathTo(const std::string& key) const {
    std::string path;
    const size_t first = in_array_ ? 1 : 0;
    for (size_t i = first; i + 1 < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      if (frame.is_object) {
        if (!path.empty()) path += '.';
        path += frame.keys.back();
      } else {
        path += "[" + std::to_string(frame.index) + "]";
      }
    }
    if (!path.empty()) path += '.';
    return path + key;
  }

  bool in_array_;
  std::vector<Frame> frames_;
  std::vector<Duplicate> duplicates_;
};

// The 1-based lines where the elements of the top-level array in `text`
// start. REQUIRES: `text` is a valid JSON array.
std::vector<int> ElementLines(std::string_view text) {
  std::vector<int> lines;
  int line = 1;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  bool expect_element = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '\n') {
      ++line;
      continue;
    }
    if (IsBlank(c)) continue;
    if (depth == 1 && expect_element && c != ']') lines.push_back(line);
    expect_element = false;
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
      expect_element = depth == 1;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expect_element = true;
    }
  }
  return lines;
}

// Describes a parse error as "invalid JSON at column C (<reason>)", with
// the line and column counted from `text` (the parsed text) and
// `error.byte`. Sets `*line` to the line of the error.
std::string DescribeParseError(std::string_view text,
                               const json::parse_error& error, int* line) {
  // error.byte is the 1-based position of the byte where parsing stopped.
  const size_t end =
      std::min<size_t>(error.byte > 0 ? error.byte - 1 : 0, text.size());
  *line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++*line;
      line_start = i + 1;
    }
  }
  const size_t column = end - line_start + 1;

  // In nlohmann::json 3.11, what() is "[json.exception.parse_error.101]
  // parse error at line 1, column 9: syntax error ...". The part after the
  // position is kept.
  std::string reason = error.what();
  const size_t position = reason.find("parse error");
  if (position != std::string::npos) {
    const size_t colon = reason.find(": ", position);
    if (colon != std::string::npos) reason = reason.substr(colon + 2);
  }
  return "invalid JSON at column " + std::to_string(column) + " (" + reason +
         ")";
}

// "invalid JSON (number overflow parsing '1e999')". nlohmann::json 3.11
// reports a number too large for a double as out_of_range 406, not as a
// parse_error, and gives no position.
std::string DescribeOutOfRange(const json::out_of_range& error) {
  std::string reason = error.what();
  const size_t bracket = reason.find("] ");
  if (bracket != std::string::npos) reason = reason.substr(bracket + 2);
  return "invalid JSON (" + reason + ")";
}

JsonRecord MakeRecord(int number, int line, json value,
                      const DuplicateKeyFinder& finder, int element) {
  JsonRecord record{number, line, std::move(value), {}};
  for (const auto& duplicate : finder.duplicates()) {
    if (duplicate.element == element) {
      record.duplicate_keys.push_back(duplicate.path);
    }
  }
  return record;
}

ImportProblem TooDeep(const std::string& source) {
  ImportProblem problem;
  problem.file = source;
  problem.error =
      "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
  problem.expected = "records of the documented format";
  return problem;
}

void ReadArray(const std::string& path, std::string_view text, JsonFile& file) {
  DuplicateKeyFinder finder(/*in_array=*/true);
  json array;
  try {
    array = json::parse(text, finder.Callback());
  } catch (const json::parse_error& error) {
    ImportProblem problem;
    problem.file = path;
    problem.error = DescribeParseError(text, error, &problem.line);
    problem.expected = "a JSON array of objects";
    file.problems.push_back(std::move(problem));
    return;
  } catch (const json::out_of_range& error) {
    ImportProblem problem;
    problem.file = path;
    problem.error = DescribeOutOfRange(error);
    problem.expected = "a JSON array of objects with numbers a double can hold";
    file.problems.push_back(std::move(problem));
    return;
  }
  const std::vector<int> lines = ElementLines(text);
  for (size_t i = 0; i < array.size(); ++i) {
    const int line = i < lines.size() ? lines[i] : 0;
    file.records.push_back(MakeRecord(static_cast<int>(i) + 1, line,
                                      std::move(array[i]), finder,
                                      static_cast<int>(i)));
  }
  file.readable = true;
}

void ReadLines(const std::string& path, std::string_view text, JsonFile& file) {
  int line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;

    bool blank = true;
    for (char c : line) blank = blank && IsBlank(c);
    if (blank) continue;

    DuplicateKeyFinder finder(/*in_array=*/false);
    try {
      json value = json::parse(line, finder.Callback());
      file.records.push_back(
          MakeRecord(line_number, line_number, std::move(value), finder, 0));
    } catch (const json::parse_error& error) {
      ImportProblem problem;
      problem.file = path;
      problem.record = line_number;
      problem.line = line_number;
      int ignored_line = 0;
      problem.error = DescribeParseError(line, error, &ignored_line);
      problem.expected =
          "one JSON object per line (JSON Lines), or a JSON array of objects";
      file.problems.push_back(std::move(problem));
    } catch (const json::out_of_range& error) {
      ImportProblem problem;
      problem.file = path;
      problem.record = line_number;
      problem.line = line_number;
      problem.error = DescribeOutOfRange(error);
      problem.expected =
          "one JSON object per line, with numbers a double "
          "can hold";
      file.problems.push_back(std::move(problem));
    }
  }
  file.readable = true;
}

}  // namespace

JsonFile ReadJsonRecords(const std::string& path) {
  JsonFile file;
  Result<std::string> text = ReadFileText(path);
  if (!text.ok()) {
    ImportProblem problem;
    problem.file = path;
    problem.error = text.error();
    file.problems.push_back(std::move(problem));
    return file;
  }
  std::string_view body = text.value();
  // The byte order mark is replaced by spaces rather than removed, so that
  // columns and byte positions still match the file.
  std::string without_mark;
  if (body.starts_with(kByteOrderMark)) {
    without_mark = std::string(kByteOrderMark.size(), ' ') +
                   std::string(body.substr(kByteOrderMark.size()));
    body = without_mark;
  }
  if (!JsonDepthWithin(body)) {
    file.problems.push_back(TooDeep(path));
    return file;
  }
  size_t first = 0;
  while (first < body.size() && IsBlank(body[first])) ++first;
  if (first < body.size() && body[first] == '[') {
    ReadArray(path, body, file);
  } else {
    ReadLines(path, body, file);
  }
  return file;
}

JsonFile ParseJsonBody(const std::string& source, std::string_view text) {
  JsonFile file;
  if (!JsonDepthWithin(text)) {
    file.problems.push_back(TooDeep(source));
    return file;
  }
  size_t first = 0;
  while (first < text.size() && IsBlank(text[first])) ++first;
  if (first < text.size() && text[first] == '[') {
    ReadArray(source, text, file);
    return file;
  }
  DuplicateKeyFinder finder(/*in_array=*/false);
  try {
    json value = json::parse(text, finder.Callback());
    int line = 1;
    for (size_t i = 0; i < first; ++i) line += text[i] == '\n' ? 1 : 0;
    file.records.push_back(MakeRecord(1, line, std::move(value), finder, 0));
    file.readable = true;
  } catch (const json::parse_error& error) {
    ImportProblem problem;
    problem.file = source;
    problem.error = DescribeParseError(text, error, &problem.line);
    problem.expected = "a JSON object, or a JSON array of objects";
    file.problems.push_back(std::move(problem));
  } catch (const json::out_of_range& error) {
    ImportProblem problem;
    problem.file = source;
    problem.error = DescribeOutOfRange(error);
    problem.expected = "a JSON object with numbers a double can hold";
    file.problems.push_back(std::move(problem));
  }
  return file;
}

std::vector<FileRecords> ReadAllRecords(std::span<const std::string> files,
                                        ImportReport& report) {
  std::vector<FileRecords> result;
  bool all_readable = true;
  for (const std::string& path : files) {
    JsonFile file = ReadJsonRecords(path);
    all_readable = all_readable && file.readable;
    if (file.readable) {
      // Each problem of a readable file is a line that is not valid JSON.
      report.records +=
          static_cast<int>(file.records.size() + file.problems.size());
    }
    for (ImportProblem& problem : file.problems) {
      report.problems.push_back(std::move(problem));
    }
    result.push_back({path, std::move(file.records)});
  }
  if (!all_readable) throw ImportError(report.problems);
  return result;
}

std::string JsonValueText(const json& value) {
  return ShortenValue(
      value.dump(-1, ' ', false, json::error_handler_t::replace));
}

void CheckIdHasNoSlash(const std::string& id, RecordChecker& check) {
  if (id.find('/') != std::string::npos) {
    check.InvalidText("id", id,
                      "an id without \"/\", which the API's id routes "
                      "cannot address");
  }
}

std::string JsonTypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    default:
      return "an unsupported value";
  }
}

RecordChecker::RecordChecker(const std::string& file, const JsonRecord& record,
                             std::vector<ImportProblem>& problems)
    : file_(file), record_(record), problems_(problems) {}

void RecordChecker::Invalid(std::string field, const json& value,
                            std::string expected) {
  ImportProblem problem;
  problem.file = file_;
  problem.record = record_.number;
  problem.line = record_.line;
  problem.field = std::move(field);
  problem.value = JsonValueText(value);
  problem.expected = std::move(expected);
  problems_.push_back(std::move(problem));
  ++added_;
}

void RecordChecker::InvalidText(std::string field, std::string_view text,
                                std::string expected) {
  Invalid(std::move(field), json(std::string(text)), std::move(expected));
}

void RecordChecker::Missing(std::string field, std::string expected) {
  Add(std::move(field), "", std::move(expected));
}

void RecordChecker::Add(std::string field, std::string error,
                        std::string expected) {
  ImportProblem problem;
  problem.file = file_;
  problem.record = record_.number;
  problem.line = record_.line;
  problem.field = std::move(field);
  problem.error = std::move(error);
  problem.expected = std::move(expected);
  problems_.push_back(std::move(problem));
  ++added_;
}

void RecordChecker::AddWithValue(std::string field, std::string error,
                                 const json& value, std::string expected) {
  Add(std::move(field), std::move(error), std::move(expected));
  problems_.back().value = JsonValueText(value);
}

void RecordChecker::CheckDuplicateKeys() {
  for (const std::string& path : record_.duplicate_keys) {
    Add(path, "field given more than once",
        "each field at most once in an object");
  }
}

void RecordChecker::CheckKnownFields(const json& object,
                                     std::string_view prefix,
                                     std::span<const std::string_view> known) {
  for (const auto& [key, value] : object.items()) {
    bool is_known = false;
    for (std::string_view name : known) is_known = is_known || name == key;
    if (!is_known) {
      Add(std::string(prefix) + key, "unknown field",
          "only the fields " + JoinNames(known, "and"));
    }
  }
}

std::optional<std::string> RecordChecker::RequiredText(
    const json& object, std::string_view prefix, std::string_view key,
    std::string_view description) {
  std::string field = std::string(prefix) + std::string(key);
  const json* value = FindMember(object, key);
  if (value == nullptr) {
    Missing(std::move(field), std::string(description));
    return std::nullopt;
  }
  return ReadText(*value, std::move(field), description);
}

std::optional<std::string> RecordChecker::OptionalText(
    const json& object, std::string_view prefix, std::string_view key,
    std::string_view description, bool* valid) {
  const json* value = FindMember(object, key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  std::optional<std::string> text =
      ReadText(*value, std::string(prefix) + std::string(key), description);
  if (!text) *valid = false;
  return text;
}

std::string RecordChecker::TextFault(std::string_view text) {
  if (text.empty()) return "not empty";
  if (text.size() > kMaxTextBytes) {
    return "of at most " + std::to_string(kMaxTextBytes) + " bytes";
  }
  if (IsBlank(text.front()) || IsBlank(text.back())) {
    return "without leading or trailing spaces";
  }
  if (HasControlCharacter(text)) return "without control characters";
  return "";
}

bool IsValidUtf8(std::string_view text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

bool HasControlCharacter(std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return true;
  }
  return false;
}

std::optional<std::string> RecordChecker::ReadText(
    const json& value, std::string field, std::string_view description) {
  if (!value.is_string()) {
    Invalid(
        std::move(field), value,
        std::string(description) + ", a string, not " + JsonTypeName(value));
    return std::nullopt;
  }
  std::string text = value.get<std::string>();
  const std::string fault = TextFault(text);
  if (!fault.empty()) {
    Invalid(std::move(field), value, std::string(description) + ", " + fault);
    return std::nullopt;
  }
  return text;
}

const json* FindMember(const json& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace parlay::feeds
