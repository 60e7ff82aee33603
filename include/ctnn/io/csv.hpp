#pragma once

/// @file
/// ctnn::io::read_csv and parse_csv: numeric CSV files as a table of features plus integer
/// class labels, with errors returned as values (no exceptions) that name the file, line and
/// column. The format and the header rule are given at read_csv. Hosted only.

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/io/csv.hpp: not available in freestanding builds"
#endif

#include <cerrno>
#include <charconv>
#include <clocale>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
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

/// What to do with the first record (the first line that is not blank) of a CSV text.
enum class CsvHeader {
    none,    ///< it is data
    skip,    ///< it is a header: skip it (its fields go to CsvTable::header)
    detect,  ///< it is a header when it holds a name and no damaged or missing value (the default; see read_csv)
};

/// How read_csv() reads a file.
struct CsvOptions {
    /// The field separator, used unless `whitespace_delimited`. Requires: not '\n', '\r' or '"'.
    char delimiter = ',';
    /// Whether the first record is a header.
    CsvHeader header = CsvHeader::detect;
    /// The column holding the class label, counted from 0; a negative index counts from the
    /// end (-1, the default, is the last column). std::nullopt: no labels, every column is a
    /// feature (regression data: the targets are feature columns).
    std::optional<std::ptrdiff_t> label_column = -1;
    /// true: fields are separated by runs of spaces and tabs, and spaces and tabs at the start
    /// and end of a line are ignored, as in the column-aligned `.data` files of the UCI
    /// repository (numpy.loadtxt's default; pandas.read_csv's `sep=r"\s+"`). `delimiter` is
    /// then not used, and no field is empty.
    bool whitespace_delimited = false;
};

/// A CSV file's data rows: the features as numbers, the labels as class indices.
///
/// Ensures (for a table returned by read_csv): rows >= 1; values.size() == rows * columns;
/// labels.size() is rows when a label column was chosen and 0 otherwise; lines.size() == rows;
/// has_header() == (header_line != 0).
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
    /// The fields of the record read as a header (spaces around unquoted fields removed,
    /// quotes removed from quoted ones); empty when there was none.
    std::vector<std::string> header;
    /// The 1-based line of the record read as a header; 0 when no record was.
    std::size_t header_line = 0;
    /// The 1-based line of each row in the file, for messages about a row.
    std::vector<std::size_t> lines;
    /// The path (or name) the table was read from.
    std::string source;

    [[nodiscard]] bool has_labels() const noexcept { return !labels.empty(); }
    /// True when a record was read as a header (and so is not among the rows).
    [[nodiscard]] bool has_header() const noexcept { return header_line != 0; }

    /// The features of row `r`. Requires: r < rows.
    [[nodiscard]] std::span<const T> row(std::size_t r) const noexcept {
        CTNN_ASSERT(r < rows, "ctnn::io::CsvTable::row(r): r must be less than rows");
        return std::span<const T>(values.data() + r * columns, columns);
    }
};

namespace detail {

/// Whether `s` is a marker of a missing value: one of pandas.read_csv's default `na_values`
/// (pandas 2.x documentation), or "?", the UCI repository's marker.
inline bool is_missing_marker(std::string_view s) noexcept {
    constexpr std::string_view markers[] = {"",     "?",    "#N/A",   "#N/A N/A", "#NA",  "-1.#IND", "-1.#QNAN",
                                            "-NaN", "-nan", "1.#IND", "1.#QNAN",  "<NA>", "N/A",     "NA",
                                            "NULL", "NaN",  "None",   "n/a",      "nan",  "null"};
    for (std::string_view marker : markers) {
        if (s == marker) return true;
    }
    return false;
}

/// Whether `s` is numbers separated by spaces or tabs ("1.0   2.0\t-3e4"): a line of a
/// column-aligned file read with a one-character delimiter.
inline bool is_spaced_numbers(std::string_view s) noexcept {
    const std::size_t first = s.find_first_not_of(" \t");
    const std::size_t last = s.find_last_not_of(" \t");
    if (first == std::string_view::npos) return false;
    s = s.substr(first, last - first + 1);
    return s.find_first_of(" \t") != std::string_view::npos &&
           s.find_first_not_of("0123456789.eE+- \t") == std::string_view::npos;
}

/// Whether `s` is digits, one comma and digits, with an optional sign: a decimal comma.
inline bool is_decimal_comma(std::string_view s) noexcept {
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
    const std::size_t comma = s.find(',');
    auto digits = [](std::string_view part) {
        return !part.empty() && part.find_first_not_of("0123456789") == std::string_view::npos;
    };
    return comma != std::string_view::npos && digits(s.substr(0, comma)) && digits(s.substr(comma + 1));
}

}  // namespace detail

/// Why read_csv() failed, and where.
struct CsvError {
    enum class Kind {
        file_not_found,             ///< the file does not exist
        unreadable,                 ///< the file exists but cannot be opened or read (a directory, no permission)
        empty,                      ///< the file holds no data rows
        malformed_number,           ///< a feature field is not a number
        wrong_field_count,          ///< a row has more or fewer fields than the first data row
        label_not_integer,          ///< the label field is not a whole number
        label_negative,             ///< the label field is a negative number
        label_column_out_of_range,  ///< CsvOptions::label_column names no field of the first data row
        number_out_of_range,        ///< a feature field is a number too large in magnitude for the feature type
        not_finite,                 ///< a feature field is `nan`, `inf` or `infinity` (in any case, with any sign)
        label_too_large,            ///< the label field is a whole number above 2^53
        unterminated_quote,         ///< a quoted field is still open at the end of the text
        text_after_quote,           ///< a quoted field's closing quote is followed by more than spaces
    };

    Kind kind = Kind::empty;
    /// The path (or name) given to read_csv / parse_csv.
    std::string source;
    /// The 1-based line in the file (for a field, the line it starts on); 0 when the error is
    /// about the whole file.
    std::size_t line = 0;
    /// The 1-based field number (the CSV column, not a character offset); 0 when the error
    /// is about a whole line or file. For wrong_field_count it is the first missing or first
    /// extra field.
    std::size_t column = 0;
    /// The offending field as written, quotes included (for label_column_out_of_range, the
    /// requested column; for unterminated_quote, the field up to the end of its line; for
    /// text_after_quote, the text after the closing quote).
    std::string text;
    /// For wrong_field_count: the fields of the first data row, the line it is on, and the
    /// fields found on this one.
    std::size_t expected_fields = 0;
    std::size_t expected_fields_line = 0;
    std::size_t found_fields = 0;
    /// For number_out_of_range: the feature type, "float", "double" or "long double".
    std::string value_type;
    /// For empty, and for an error in the first data row after a header that CsvHeader::detect
    /// found: the line read as a header, so that the message says a line was taken; else 0.
    std::size_t header_line = 0;
    /// For file_not_found and unreadable: the system's errno value.
    int system_error = 0;

    /// One line for a person, in the compiler's `file:line:column: what` form, e.g.
    /// `digits.csv:17:5: expected a number, found "abc"`.
    [[nodiscard]] std::string message() const {
        std::string where = source;
        if (line != 0) where += ':' + std::to_string(line);
        if (column != 0) where += ':' + std::to_string(column);
        where += ": ";
        return where + description() + header_note();
    }

private:
    [[nodiscard]] std::string description() const {
        switch (kind) {
            case Kind::file_not_found:
                return "cannot open the file: " + system_message();
            case Kind::unreadable:
                return "cannot read the file: " + system_message();
            case Kind::empty:
                return "no data rows";
            case Kind::malformed_number:
                return "expected a number, found " + quoted() + hint();
            case Kind::wrong_field_count:
                return "expected " + std::to_string(expected_fields) + " fields, as on line " +
                       std::to_string(expected_fields_line) + ", found " + std::to_string(found_fields);
            case Kind::label_not_integer:
                return "expected a whole-number class label, found " + quoted() + hint();
            case Kind::label_negative:
                return "expected a class label of 0 or more, found " + quoted();
            case Kind::label_column_out_of_range:
                return "the label column " + text + " does not exist: the row has " + std::to_string(found_fields) +
                       " fields";
            case Kind::number_out_of_range:
                return "the number " + quoted() + " is out of range for " + value_type;
            case Kind::not_finite:
                return "expected a finite number, found " + quoted() + hint();
            case Kind::label_too_large:
                return "the class label " + quoted() + " is out of range: labels are whole numbers from 0 to 2^53";
            case Kind::unterminated_quote:
                return "a quoted field is not closed by the end of the file: " + shortened();
            case Kind::text_after_quote:
                return "expected a delimiter or the end of the line after a closing quote, found " + quoted();
        }
        return "unknown error";
    }
    /// What a person most likely meant, for the values that tend to be there.
    [[nodiscard]] std::string hint() const {
        if (detail::is_missing_marker(text)) return ": missing values are not supported";
        if (detail::is_decimal_comma(text)) return ": write decimals with a point (1.5), not a comma";
        if (detail::is_spaced_numbers(text))
            return ": for columns separated by spaces, set CsvOptions::whitespace_delimited";
        return {};
    }
    [[nodiscard]] std::string header_note() const {
        if (header_line == 0) return {};
        return " (line " + std::to_string(header_line) + " was read as a header)";
    }
    [[nodiscard]] std::string system_message() const {
        return system_error != 0 ? std::generic_category().message(system_error) : std::string("unknown reason");
    }
    /// How much of a field a message shows, so that a binary file does not flood the terminal.
    static constexpr std::size_t shown = 40;
    /// The field in quotes, shortened.
    [[nodiscard]] std::string quoted() const {
        return text.size() <= shown ? '"' + text + '"' : '"' + text.substr(0, shown) + "\"...";
    }
    /// The field as written (a quoted field with its own quote), shortened.
    [[nodiscard]] std::string shortened() const { return text.size() <= shown ? text : text.substr(0, shown) + "..."; }
};

namespace detail {

inline std::string_view trim_blanks(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// One field of a record as csv_scanner found it.
struct csv_field {
    /// As written, without the spaces around it (a quoted field with its quotes).
    std::string_view text;
    /// Its value: the text between the quotes of a quoted field (a literal quote still
    /// doubled, see `escaped`), the text itself otherwise.
    std::string_view content;
    /// The 1-based line it starts on.
    std::size_t line = 0;
    bool quoted = false;
    /// A quoted field holding `""`, which stands for one quote.
    bool escaped = false;

    /// The value with each `""` undoubled.
    [[nodiscard]] std::string value() const {
        if (!escaped) return std::string(content);
        std::string result;
        result.reserve(content.size());
        for (std::size_t i = 0; i < content.size(); ++i) {
            result += content[i];
            if (content[i] == '"') ++i;  // the quote's twin
        }
        return result;
    }
};

/// Splits CSV text into records of fields, without copying: RFC 4180 records and quoting,
/// with `\n`, `\r\n` and `\r` all ending a line, spaces and tabs around a field ignored, and
/// blank lines skipped.
class csv_scanner {
public:
    enum class status { record, end, unterminated_quote, text_after_quote };

    csv_scanner(std::string_view text, char delimiter, bool whitespace_delimited) noexcept
        : text_(text), delimiter_(delimiter), whitespace_(whitespace_delimited) {}

    /// Reads the next record that is not blank into `fields` (reusing its storage). On a
    /// quote error, fields.back() is the field at fault.
    status next(std::vector<csv_field>& fields) {
        for (;;) {
            fields.clear();
            if (pos_ == text_.size()) return status::end;
            record_line_ = line_;
            for (;;) {
                skip_spaces();
                if (whitespace_ && at_line_end()) break;
                csv_field& field = fields.emplace_back();
                field.line = line_;
                if (pos_ < text_.size() && text_[pos_] == '"') {
                    if (const status s = quoted_field(field); s != status::record) return s;
                } else {
                    const std::size_t start = pos_;
                    skip_field();
                    std::string_view text = text_.substr(start, pos_ - start);  // skip_spaces() took the leading ones
                    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
                    field.text = field.content = text;
                }
                if (!whitespace_ && pos_ < text_.size() && text_[pos_] == delimiter_) {
                    ++pos_;
                } else if (!whitespace_ || at_line_end()) {
                    break;
                }
            }
            if (pos_ < text_.size()) skip_line_end();
            const bool blank =
                whitespace_ ? fields.empty() : fields.size() == 1 && !fields[0].quoted && fields[0].text.empty();
            if (!blank) return status::record;
        }
    }

    /// The 1-based line on which the record last read starts.
    [[nodiscard]] std::size_t record_line() const noexcept { return record_line_; }
    /// After text_after_quote: the text that follows the closing quote.
    [[nodiscard]] std::string_view text_after_quote() const noexcept { return after_quote_; }

private:
    [[nodiscard]] bool is_space(char c) const noexcept {
        return (c == ' ' || c == '\t') && (whitespace_ || c != delimiter_);
    }
    /// Moves pos_ to the end of the unquoted text at it: a separator, a line end or the end.
    void skip_field() noexcept {
        const char* p = text_.data() + pos_;
        const char* const end = text_.data() + text_.size();
        if (whitespace_) {
            while (p != end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') ++p;
        } else {
            while (p != end && *p != delimiter_ && *p != '\n' && *p != '\r') ++p;
        }
        pos_ = static_cast<std::size_t>(p - text_.data());
    }
    [[nodiscard]] bool at_line_end() const noexcept {
        return pos_ == text_.size() || text_[pos_] == '\n' || text_[pos_] == '\r';
    }
    void skip_spaces() noexcept {
        while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    }
    /// Requires: at a line end that is not the end of the text.
    void skip_line_end() noexcept {
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
        ++line_;
    }

    /// Reads the quoted field at pos_ (its opening quote), line breaks inside included.
    status quoted_field(csv_field& field) {
        const std::size_t start = pos_;
        field.quoted = true;
        std::size_t close = start;
        for (;;) {
            close = text_.find('"', close + 1);
            if (close == std::string_view::npos) {
                field.text = text_.substr(start, text_.find_first_of("\r\n", start) - start);
                return status::unterminated_quote;
            }
            if (close + 1 < text_.size() && text_[close + 1] == '"') {
                field.escaped = true;
                ++close;
                continue;
            }
            break;
        }
        field.content = text_.substr(start + 1, close - start - 1);
        field.text = text_.substr(start, close + 1 - start);
        for (std::size_t i = 0; i < field.content.size(); ++i) {  // lines inside the quotes
            const char c = field.content[i];
            if (c == '\n' || (c == '\r' && (i + 1 == field.content.size() || field.content[i + 1] != '\n'))) ++line_;
        }
        pos_ = close + 1;
        skip_spaces();
        const bool separated = whitespace_ ? pos_ > close + 1 : pos_ < text_.size() && text_[pos_] == delimiter_;
        if (separated || at_line_end()) return status::record;
        const std::size_t end = pos_;
        skip_field();
        after_quote_ = text_.substr(end, pos_ - end);
        return status::text_after_quote;
    }

    std::string_view text_;
    char delimiter_;
    bool whitespace_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::size_t record_line_ = 1;
    std::string_view after_quote_;
};

/// How a field read as a number came out.
enum class number_status {
    ok,          ///< in range (or subnormal), `out` holds it
    underflow,   ///< not zero, but below the smallest subnormal in magnitude: `out` holds the nearest value, +-0
    overflow,    ///< above the type's largest finite value in magnitude
    not_finite,  ///< nan, inf or infinity
    malformed,   ///< not a number
};

template <std::floating_point T>
T string_to_floating(const char* s, char** end) noexcept {
    if constexpr (std::is_same_v<T, float>) {
        return std::strtof(s, end);
    } else if constexpr (std::is_same_v<T, double>) {
        return std::strtod(s, end);
    } else {
        return static_cast<T>(std::strtold(s, end));
    }
}

/// A number that std::from_chars matched but found outside T's range, through strtof /
/// strtod / strtold, which give the nearest value (0 or a subnormal, errno ERANGE) where
/// from_chars gives none. Their decimal point is the C locale's: the program's locale may
/// have another, so the copy spells the point the locale's way (from_chars checked the
/// syntax already, so the copy is a decimal number with at most one point).
template <std::floating_point T>
number_status parse_out_of_range(std::string_view s, T& out) {
    const std::string_view point = std::localeconv()->decimal_point;
    std::string copy;
    copy.reserve(s.size() + point.size());
    for (char c : s) {
        if (c == '.') {
            copy += point;
        } else {
            copy += c;
        }
    }
    const int saved_errno = errno;
    errno = 0;
    char* end = nullptr;
    const T value = string_to_floating<T>(copy.c_str(), &end);
    const bool range_error = errno == ERANGE;
    errno = saved_errno;
    if (end != copy.c_str() + copy.size()) return number_status::malformed;
    if (std::isinf(value)) return number_status::overflow;
    out = value;
    return range_error && value == 0 ? number_status::underflow : number_status::ok;
}

/// from_chars rejects a leading '+', which spreadsheets sometimes write; accept one.
inline std::string_view drop_plus(std::string_view s) noexcept {
    if (s.size() >= 2 && s[0] == '+' && s[1] != '+' && s[1] != '-') s.remove_prefix(1);
    return s;
}

/// Reads the whole of `s` as a decimal number (std::from_chars' general format, plus a
/// leading '+'). Values of magnitude below T's range read as the nearest value, as strtod
/// and numpy read them; hexadecimal is not a number here.
template <std::floating_point T>
number_status parse_number(std::string_view s, T& out) {
    s = drop_plus(s);
    T value{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::general);
    if (s.empty() || end != s.data() + s.size()) return number_status::malformed;
    if (ec == std::errc::result_out_of_range) return parse_out_of_range(s, out);
    if (ec != std::errc()) return number_status::malformed;
    if (!std::isfinite(value)) return number_status::not_finite;
    out = value;
    return number_status::ok;
}

/// 2^53: above it a double no longer tells whole numbers apart, so no label is larger.
inline constexpr long long largest_label = 1LL << 53;

/// Parses `s` as a class label: a whole number from 0 to 2^53, written as an integer or as
/// a number with an integral value ("2.0" from a spreadsheet). Returns the error kind, or
/// nothing on success.
inline std::optional<CsvError::Kind> parse_label(std::string_view s, std::size_t& out) {
    const std::string_view digits = drop_plus(s);
    long long integer = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), integer);
    if (!digits.empty() && ec == std::errc() && end == digits.data() + digits.size()) {
        if (integer < 0) return CsvError::Kind::label_negative;
        if (integer > largest_label) return CsvError::Kind::label_too_large;
        out = static_cast<std::size_t>(integer);
        return std::nullopt;
    }
    double number = 0;
    switch (parse_number(s, number)) {
        case number_status::ok:
            if (number != std::floor(number)) return CsvError::Kind::label_not_integer;
            if (number < 0) return CsvError::Kind::label_negative;
            if (number > static_cast<double>(largest_label)) return CsvError::Kind::label_too_large;
            out = static_cast<std::size_t>(number);
            return std::nullopt;
        case number_status::overflow:
            return digits.starts_with('-') ? CsvError::Kind::label_negative : CsvError::Kind::label_too_large;
        case number_status::underflow:  // not zero, so not whole
        case number_status::not_finite:
        case number_status::malformed:
            break;
    }
    return CsvError::Kind::label_not_integer;
}

/// Whether `s` holds a letter: an ASCII one, or a byte of a UTF-8 sequence (a name in
/// another script).
inline bool has_letter(std::string_view s) noexcept {
    for (char c : s) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte | 0x20) >= 'a' && (byte | 0x20) <= 'z') return true;
        if (byte >= 0x80) return true;
    }
    return false;
}

/// CsvHeader::detect's rule: the first record is a header when at least one field is a
/// name (a field holding a letter that is neither a number nor a missing-value marker) and
/// every other field is a number or empty. A damaged number ("1,5", "1.2.3") or a missing
/// value ("?", "NA", "nan") marks a data row with a fault, which is then reported.
template <std::floating_point T>
bool looks_like_header(const std::vector<csv_field>& fields) {
    bool named = false;
    for (const csv_field& field : fields) {
        const std::string_view value = trim_blanks(field.content);
        if (value.empty()) continue;  // an unnamed column: pandas writes one for the index
        T number{};
        const number_status status = parse_number(value, number);
        if (status == number_status::ok || status == number_status::underflow || status == number_status::overflow)
            continue;  // iris' header starts "150,4,": the counts of rows and features
        if (status == number_status::not_finite || is_missing_marker(value) || !has_letter(value)) return false;
        named = true;
    }
    return named;
}

/// The name of a feature type in messages (std::floating_point: float, double or long double).
template <std::floating_point T>
inline constexpr const char* type_name = std::is_same_v<T, float>    ? "float"
                                         : std::is_same_v<T, double> ? "double"
                                                                     : "long double";

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
    CTNN_ASSERT(options.whitespace_delimited ||
                    (options.delimiter != '\n' && options.delimiter != '\r' && options.delimiter != '"'),
                "ctnn::io::CsvOptions: the delimiter must not be a line break or a quote");
    CsvTable<T> table;
    auto failure = [&](CsvError::Kind kind, std::size_t line, std::size_t column, std::string_view text_found) {
        CsvError error;
        error.kind = kind;
        error.source = std::string(source);
        error.line = line;
        error.column = column;
        error.text = std::string(text_found);
        // A fault in the first data row after a detected header may mean that the header was data.
        if (options.header == CsvHeader::detect && table.rows == 0) error.header_line = table.header_line;
        return error;
    };

    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte-order mark (Excel writes one)

    table.source = std::string(source);
    detail::csv_scanner scanner(text, options.delimiter, options.whitespace_delimited);
    std::vector<detail::csv_field> fields;
    bool first_record = true;
    std::size_t expected_fields = 0, expected_fields_line = 0, label_index = 0;
    const bool labelled = options.label_column.has_value();

    for (;;) {
        const auto status = scanner.next(fields);
        if (status == detail::csv_scanner::status::end) break;
        if (status == detail::csv_scanner::status::unterminated_quote) {
            return failure(CsvError::Kind::unterminated_quote, fields.back().line, fields.size(), fields.back().text);
        }
        if (status == detail::csv_scanner::status::text_after_quote) {
            return failure(CsvError::Kind::text_after_quote, fields.back().line, fields.size(),
                           scanner.text_after_quote());
        }
        const std::size_t line_number = scanner.record_line();

        if (first_record) {
            first_record = false;
            if (options.header == CsvHeader::skip ||
                (options.header == CsvHeader::detect && detail::looks_like_header<T>(fields))) {
                for (const detail::csv_field& field : fields) table.header.push_back(field.value());
                table.header_line = line_number;
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
            const detail::csv_field& field = fields[j];
            // A quoted number is the number (RFC 4180: the quotes are not part of the value).
            const std::string_view value = field.quoted ? detail::trim_blanks(field.content) : field.content;
            if (labelled && j == label_index) {
                std::size_t label = 0;
                if (const auto kind = detail::parse_label(value, label)) {
                    return failure(*kind, field.line, j + 1, field.text);
                }
                table.labels.push_back(label);
                continue;
            }
            T number{};
            switch (detail::parse_number(value, number)) {
                case detail::number_status::ok:
                case detail::number_status::underflow:
                    table.values.push_back(number);
                    continue;
                case detail::number_status::overflow: {
                    CsvError error = failure(CsvError::Kind::number_out_of_range, field.line, j + 1, field.text);
                    error.value_type = detail::type_name<T>;
                    return error;
                }
                case detail::number_status::not_finite:
                    return failure(CsvError::Kind::not_finite, field.line, j + 1, field.text);
                case detail::number_status::malformed:
                    break;
            }
            return failure(CsvError::Kind::malformed_number, field.line, j + 1, field.text);
        }
        table.lines.push_back(line_number);
        ++table.rows;
    }

    if (table.rows == 0) {
        CsvError error = failure(CsvError::Kind::empty, 0, 0, {});
        error.header_line = table.header_line;
        return error;
    }
    return table;
}

/// Reads a CSV file of numbers into a CsvTable, or says why it cannot.
///
/// Records and fields (RFC 4180, plus what numeric files in the wild hold):
/// - One record per line; `\n`, `\r\n` and `\r` (old Mac files) all end a line, mixed freely.
///   Lines holding nothing but spaces and tabs are skipped (a trailing newline or empty last
///   line is fine). A UTF-8 byte-order mark is ignored.
/// - Fields are separated by `options.delimiter`, spaces and tabs around a field ignored; two
///   delimiters in a row enclose an empty field, which is no number. With
///   `options.whitespace_delimited`, runs of spaces and tabs separate fields instead, and
///   spaces and tabs at the start and end of a line are ignored (UCI's `.data` files).
/// - A field in double quotes may hold delimiters, line breaks and `""` (one quote). Only
///   spaces and tabs may follow its closing quote before the next delimiter
///   (text_after_quote); a quote left open is unterminated_quote, at the line and field it
///   opens. A quoted number is that number; a quote inside an unquoted field is an ordinary
///   character.
///
/// The header (CsvOptions::header): with `detect`, the first record is a header when at least
/// one field is a *name* (it holds a letter and is neither a number nor a missing-value
/// marker) and every other field is a number or empty: `width,height,class`,
/// `150,4,setosa,versicolor,virginica`, `,a,b` (pandas' index column). A first record with an
/// empty field and no name (`1,,3,0`), a missing-value marker (`?`, `NA`, `nan` and the rest
/// of pandas' default `na_values`) or a damaged number (`1,5`, `1.2.3`, `1.0   2.0`) is a data
/// row with a fault, reported at its line and column. A record read as a header is never a
/// row: its fields go to CsvTable::header and its line to CsvTable::header_line.
///
/// Every data row must have as many fields as the first one. Feature fields are decimal
/// numbers as std::from_chars reads them (`1`, `-2.5`, `.5`, `3e-4`; a leading '+' is
/// accepted). A number whose magnitude is below T's range reads as the nearest value, 0 or
/// a subnormal, as strtod and numpy read it; one above T's range is number_out_of_range.
/// `nan`, `inf` and `infinity` are not_finite (a missing value is not data), hexadecimal
/// floats are malformed_number (CSV writers do not write them). The label field is a whole
/// number from 0 to 2^53 (`2` or `2.0`), in any feature type.
///
/// @tparam T the feature type: float, double (the default) or long double
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
