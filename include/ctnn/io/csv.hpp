#pragma once

/// @file
/// ctnn::io::read_csv: numeric CSV files as a table of features plus integer class labels,
/// with errors returned as values (no exceptions) that name the file, line and column.
/// Hosted only.

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/io/csv.hpp: not available in freestanding builds"
#endif

#include <cerrno>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

namespace ctnn::io {

/// Either a value or the error that prevented it, for code without exceptions: test with
/// `ok()` (or in a boolean context), then read `value()` or `error()`.
///
/// Requires: `Value` and `Error` are different types.
template <class Value, class Error>
class [[nodiscard]] Result {
public:
    /// A success holding `value`.
    Result(Value value) : state_(std::in_place_index<0>, std::move(value)) {}
    /// A failure holding `error`.
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

    /// True when this holds a value, false when it holds an error.
    [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    /// The value. Requires: ok().
    [[nodiscard]] Value& value() & noexcept { return *value_pointer(); }
    [[nodiscard]] const Value& value() const& noexcept { return *value_pointer(); }
    /// The value, moved out of a temporary result (so `auto t = read_csv(path).value();` is safe).
    [[nodiscard]] Value value() && noexcept { return std::move(*value_pointer()); }

    /// The error. Requires: !ok().
    [[nodiscard]] const Error& error() const noexcept {
        CTNN_ASSERT(!ok(), "ctnn::io::Result::error(): the result holds a value, not an error");
        return *std::get_if<1>(&state_);
    }

private:
    Value* value_pointer() noexcept {
        CTNN_ASSERT(ok(), "ctnn::io::Result::value(): the result holds an error; check ok() first");
        return std::get_if<0>(&state_);
    }
    const Value* value_pointer() const noexcept {
        CTNN_ASSERT(ok(), "ctnn::io::Result::value(): the result holds an error; check ok() first");
        return std::get_if<0>(&state_);
    }

    std::variant<Value, Error> state_;
};

/// What to do with the first non-blank line of a CSV file.
enum class CsvHeader {
    none,    ///< it is data
    skip,    ///< it is a header: skip it (its fields go to CsvTable::header)
    detect,  ///< it is a header when any of its fields is not a number (the default)
};

/// How read_csv() reads a file.
struct CsvOptions {
    /// The field separator. Requires: not '\n' or '\r'.
    char delimiter = ',';
    /// Whether the first non-blank line is a header.
    CsvHeader header = CsvHeader::detect;
    /// The column holding the class label, counted from 0; a negative index counts from the
    /// end (-1, the default, is the last column). std::nullopt: no labels, every column is a
    /// feature (regression data).
    std::optional<std::ptrdiff_t> label_column = -1;
};

/// A CSV file's data rows: the features as numbers, the labels as class indices.
///
/// Ensures (for a table returned by read_csv): rows >= 1; values.size() == rows * columns;
/// labels.size() is rows when a label column was chosen and 0 otherwise; lines.size() == rows.
template <std::floating_point T>
struct CsvTable {
    /// The number of data rows.
    std::size_t rows = 0;
    /// Features per row: the fields of a row without the label column.
    std::size_t columns = 0;
    /// The features, row-major: row r, column c is values[r * columns + c].
    std::vector<T> values;
    /// The class label of each row, when a label column was chosen.
    std::vector<std::size_t> labels;
    /// The fields of the header line that was skipped, trimmed; empty when there was none.
    std::vector<std::string> header;
    /// The 1-based line of each row in the file, for messages about a row.
    std::vector<std::size_t> lines;
    /// The path (or name) the table was read from.
    std::string source;

    [[nodiscard]] bool has_labels() const noexcept { return !labels.empty(); }

    /// The features of row `r`. Requires: r < rows.
    [[nodiscard]] std::span<const T> row(std::size_t r) const noexcept {
        CTNN_ASSERT(r < rows, "ctnn::io::CsvTable::row(r): r must be less than rows");
        return std::span<const T>(values.data() + r * columns, columns);
    }
};

/// Why read_csv() failed, and where.
struct CsvError {
    enum class Kind {
        file_not_found,             ///< the file does not exist
        unreadable,                 ///< the file exists but cannot be opened or read (a directory, no permission)
        empty,                      ///< the file holds no data rows
        malformed_number,           ///< a feature field is not a finite number
        wrong_field_count,          ///< a row has more or fewer fields than the first data row
        label_not_integer,          ///< the label field is not a whole number
        label_negative,             ///< the label field is a negative number
        label_column_out_of_range,  ///< CsvOptions::label_column names no field of the first data row
    };

    Kind kind = Kind::empty;
    /// The path (or name) given to read_csv / parse_csv.
    std::string source;
    /// The 1-based line in the file; 0 when the error is about the whole file.
    std::size_t line = 0;
    /// The 1-based field number (the CSV column, not a character offset); 0 when the error
    /// is about a whole line or file. For wrong_field_count it is the first missing or first
    /// extra field.
    std::size_t column = 0;
    /// The offending field as written (for label_column_out_of_range, the requested column).
    std::string text;
    /// For wrong_field_count: the fields of the first data row, the line it is on, and the
    /// fields found on this one.
    std::size_t expected_fields = 0;
    std::size_t expected_fields_line = 0;
    std::size_t found_fields = 0;
    /// For file_not_found and unreadable: the system's errno value.
    int system_error = 0;

    /// One line for a person, in the compiler's `file:line:column: what` form, e.g.
    /// `digits.csv:17:5: expected a number, found "abc"`.
    [[nodiscard]] std::string message() const {
        std::string where = source;
        if (line != 0) where += ':' + std::to_string(line);
        if (column != 0) where += ':' + std::to_string(column);
        where += ": ";
        switch (kind) {
            case Kind::file_not_found:
                return where + "cannot open the file: " + system_message();
            case Kind::unreadable:
                return where + "cannot read the file: " + system_message();
            case Kind::empty:
                return where + "no data rows";
            case Kind::malformed_number:
                return where + "expected a number, found " + quoted();
            case Kind::wrong_field_count:
                return where + "expected " + std::to_string(expected_fields) + " fields, as on line " +
                       std::to_string(expected_fields_line) + ", found " + std::to_string(found_fields);
            case Kind::label_not_integer:
                return where + "expected a whole-number class label, found " + quoted();
            case Kind::label_negative:
                return where + "expected a class label of 0 or more, found " + quoted();
            case Kind::label_column_out_of_range:
                return where + "the label column " + text + " does not exist: the row has " +
                       std::to_string(found_fields) + " fields";
        }
        return where + "unknown error";
    }

private:
    [[nodiscard]] std::string system_message() const {
        return system_error != 0 ? std::generic_category().message(system_error) : std::string("unknown reason");
    }
    /// The field in quotes, shortened so that a binary file does not flood the terminal.
    [[nodiscard]] std::string quoted() const {
        constexpr std::size_t limit = 40;
        return text.size() <= limit ? '"' + text + '"' : '"' + text.substr(0, limit) + "\"...";
    }
};

namespace detail {

inline bool is_space(char c, char delimiter) noexcept {
    return (c == ' ' || c == '\t') && c != delimiter;
}

inline std::string_view trim(std::string_view s, char delimiter) noexcept {
    while (!s.empty() && is_space(s.front(), delimiter)) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back(), delimiter)) s.remove_suffix(1);
    return s;
}

/// Splits `line` at `delimiter` into trimmed fields (reusing `fields`' storage).
inline void split_fields(std::string_view line, char delimiter, std::vector<std::string_view>& fields) {
    fields.clear();
    for (;;) {
        const std::size_t end = line.find(delimiter);
        fields.push_back(trim(line.substr(0, end), delimiter));
        if (end == std::string_view::npos) return;
        line.remove_prefix(end + 1);
    }
}

/// from_chars rejects a leading '+', which spreadsheets sometimes write; accept one.
inline std::string_view drop_plus(std::string_view s) noexcept {
    if (s.size() >= 2 && s[0] == '+' && s[1] != '+' && s[1] != '-') s.remove_prefix(1);
    return s;
}

/// Parses the whole of `s` as a finite number.
template <std::floating_point T>
bool parse_number(std::string_view s, T& out) noexcept {
    s = drop_plus(s);
    if (s.empty()) return false;
    T value{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::general);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) return false;
    out = value;
    return true;
}

/// Parses `s` as a class label: a non-negative whole number, written as an integer or as a
/// number with an integral value ("2.0" from a spreadsheet). Returns the error kind, or
/// nothing on success.
inline std::optional<CsvError::Kind> parse_label(std::string_view s, std::size_t& out) noexcept {
    const std::string_view digits = drop_plus(s);
    long long integer = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), integer);
    if (!digits.empty() && ec == std::errc() && end == digits.data() + digits.size()) {
        if (integer < 0) return CsvError::Kind::label_negative;
        out = static_cast<std::size_t>(integer);
        return std::nullopt;
    }
    double number = 0;
    // 2^53: above it a double no longer tells whole numbers apart.
    if (!parse_number(s, number) || number != std::floor(number) || std::fabs(number) > 0x1p53) {
        return CsvError::Kind::label_not_integer;
    }
    if (number < 0) return CsvError::Kind::label_negative;
    out = static_cast<std::size_t>(number);
    return std::nullopt;
}

inline bool is_blank(std::string_view line) noexcept {
    for (char c : line) {
        if (c != ' ' && c != '\t') return false;
    }
    return true;
}

/// The whole file as bytes, or the errno of the failure and whether opening failed.
struct file_contents {
    std::string bytes;
    int error = 0;
    bool opened = false;
};

inline file_contents read_file(const std::string& path) {
    file_contents result;
    errno = 0;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        result.error = errno != 0 ? errno : ENOENT;
        return result;
    }
    result.opened = true;
    char buffer[1 << 14];
    for (;;) {
        const std::size_t n = std::fread(buffer, 1, sizeof buffer, file);
        result.bytes.append(buffer, n);
        if (n < sizeof buffer) break;
    }
    if (std::ferror(file)) result.error = errno != 0 ? errno : EIO;  // reading a directory gives EISDIR
    std::fclose(file);
    return result;
}

}  // namespace detail

/// Parses CSV text that is already in memory; `source` names it in error messages. Rules
/// as for read_csv().
template <std::floating_point T = double>
[[nodiscard]] Result<CsvTable<T>, CsvError> parse_csv(std::string_view text, const CsvOptions& options = {},
                                                      std::string_view source = "<text>") {
    CTNN_ASSERT(options.delimiter != '\n' && options.delimiter != '\r',
                "ctnn::io::CsvOptions: the delimiter must not be a line break");
    const char delimiter = options.delimiter;
    auto failure = [&](CsvError::Kind kind, std::size_t line, std::size_t column, std::string_view text_found) {
        CsvError error;
        error.kind = kind;
        error.source = std::string(source);
        error.line = line;
        error.column = column;
        error.text = std::string(text_found);
        return error;
    };

    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte-order mark (Excel writes one)

    CsvTable<T> table;
    table.source = std::string(source);
    std::vector<std::string_view> fields;
    bool first_line = true;
    std::size_t expected_fields = 0, expected_fields_line = 0, label_index = 0;
    const bool labelled = options.label_column.has_value();

    std::size_t line_number = 0;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        ++line_number;
        if (line.ends_with('\r')) line.remove_suffix(1);  // CRLF
        if (detail::is_blank(line)) continue;

        detail::split_fields(line, delimiter, fields);
        if (first_line) {
            first_line = false;
            bool header = options.header == CsvHeader::skip;
            if (options.header == CsvHeader::detect) {
                T ignored{};
                for (std::string_view field : fields) header = header || !detail::parse_number(field, ignored);
            }
            if (header) {
                for (std::string_view field : fields) table.header.emplace_back(field);
                continue;
            }
        }

        if (expected_fields == 0) {  // the first data row fixes the shape
            expected_fields = fields.size();
            expected_fields_line = line_number;
            if (labelled) {
                const std::ptrdiff_t requested = *options.label_column;
                const auto count = static_cast<std::ptrdiff_t>(fields.size());
                const std::ptrdiff_t index = requested >= 0 ? requested : count + requested;
                if (index < 0 || index >= count) {
                    CsvError error =
                        failure(CsvError::Kind::label_column_out_of_range, line_number, 0, std::to_string(requested));
                    error.found_fields = fields.size();
                    return error;
                }
                label_index = static_cast<std::size_t>(index);
            }
            table.columns = expected_fields - (labelled ? 1 : 0);
        } else if (fields.size() != expected_fields) {
            const std::size_t column = (fields.size() < expected_fields ? fields.size() : expected_fields) + 1;
            CsvError error = failure(CsvError::Kind::wrong_field_count, line_number, column, {});
            error.expected_fields = expected_fields;
            error.expected_fields_line = expected_fields_line;
            error.found_fields = fields.size();
            return error;
        }

        for (std::size_t j = 0; j < fields.size(); ++j) {
            if (labelled && j == label_index) {
                std::size_t label = 0;
                if (const auto kind = detail::parse_label(fields[j], label)) {
                    return failure(*kind, line_number, j + 1, fields[j]);
                }
                table.labels.push_back(label);
            } else {
                T value{};
                if (!detail::parse_number(fields[j], value)) {
                    return failure(CsvError::Kind::malformed_number, line_number, j + 1, fields[j]);
                }
                table.values.push_back(value);
            }
        }
        table.lines.push_back(line_number);
        ++table.rows;
    }

    if (table.rows == 0) return failure(CsvError::Kind::empty, 0, 0, {});
    return table;
}

/// Reads a CSV file of numbers into a CsvTable, or says why it cannot.
///
/// The format: one row per line, `\n` or `\r\n` line endings, fields separated by
/// `options.delimiter`, spaces and tabs around a field ignored. Lines holding nothing but
/// spaces and tabs are skipped (a trailing newline or empty last line is fine). A UTF-8
/// byte-order mark is ignored. The first non-blank line may be a header (CsvOptions::header).
/// Every data row must have as many fields as the first one. Feature fields are finite
/// numbers as std::from_chars reads them (`1`, `-2.5`, `.5`, `3e-4`; a leading '+' is
/// accepted; `nan`, `inf`, hexadecimal and quoted fields are not). The label field is a
/// whole number >= 0 (`2` or `2.0`).
///
/// @tparam T the feature type, float or double (the default)
/// @param path the file to read; error messages quote it as given
/// @return the table, or a CsvError naming the line and column of the first problem.
///         Nothing partial: on any error no table is returned.
template <std::floating_point T = double>
[[nodiscard]] Result<CsvTable<T>, CsvError> read_csv(std::string_view path, const CsvOptions& options = {}) {
    const std::string name(path);
    const detail::file_contents file = detail::read_file(name);
    if (!file.opened || file.error != 0) {
        CsvError error;
        error.kind = !file.opened && file.error == ENOENT ? CsvError::Kind::file_not_found : CsvError::Kind::unreadable;
        error.source = name;
        error.system_error = file.error;
        return error;
    }
    return parse_csv<T>(file.bytes, options, name);
}

}  // namespace ctnn::io
