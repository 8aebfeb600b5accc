#include "feeds/csv.h"

#include <utility>

#include "feeds/json_records.h"

namespace parlay::feeds {
namespace {

// Reads rows from a text, tracking the line number across quoted line
// breaks.
class CsvParser {
 public:
  explicit CsvParser(std::string_view text) : text_(text) {}

  CsvTable Parse() {
    CsvTable table;
    while (pos_ < text_.size()) {
      CsvRow row;
      row.line = line_;
      std::string error;
      const bool empty_line = ReadRow(row, &error);
      if (error.empty()) error = CheckEncoding(row);
      if (!error.empty()) {
        table.errors.push_back({row.line, std::move(error)});
      } else if (!empty_line) {
        table.rows.push_back(std::move(row));
      }
    }
    return table;
  }

 private:
  // A field with bytes that are not UTF-8 (a Latin-1 export, say) would be
  // stored and then fail every settlement that writes it into a payload.
  static std::string CheckEncoding(const CsvRow& row) {
    for (size_t i = 0; i < row.fields.size(); ++i) {
      if (!IsValidUtf8(row.fields[i])) {
        return "field " + std::to_string(i + 1) +
               " is not valid UTF-8; save the file as UTF-8";
      }
    }
    return "";
  }

  bool AtRowEnd() const {
    if (pos_ >= text_.size() || text_[pos_] == '\n') return true;
    return text_[pos_] == '\r' &&
           (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n');
  }

  // Consumes the line ending at pos_, if any.
  void EndRow() {
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
  }

  // Skips to the start of the next line after an error.
  void SkipLine() {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    EndRow();
  }

  // Reads a quoted field starting at the opening quote. Returns false at
  // the end of the text with the quote still open.
  bool ReadQuoted(std::string& field) {
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;
        return true;
      }
      if (c == '\n') ++line_;
      field += c;
      ++pos_;
    }
    return false;
  }

  // Reads one row. Returns true for an empty line. Sets `*error` and skips
  // the rest of the row when it cannot be split.
  bool ReadRow(CsvRow& row, std::string* error) {
    bool any_quoted = false;
    while (true) {
      std::string field;
      const int column = static_cast<int>(row.fields.size()) + 1;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        any_quoted = true;
        if (!ReadQuoted(field)) {
          *error = "unterminated quoted field " + std::to_string(column);
          return false;
        }
        if (!AtRowEnd() && text_[pos_] != ',') {
          *error =
              "text after the closing quote of field " + std::to_string(column);
          SkipLine();
          return false;
        }
      } else {
        while (!AtRowEnd() && text_[pos_] != ',') field += text_[pos_++];
      }
      row.fields.push_back(std::move(field));
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      EndRow();
      return !any_quoted && row.fields.size() == 1 && row.fields[0].empty();
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

CsvTable ParseCsv(std::string_view text) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(3);
  return CsvParser(text).Parse();
}

}  // namespace parlay::feeds
