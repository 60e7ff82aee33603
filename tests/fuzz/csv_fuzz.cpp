// Fuzz target for the CSV reader (ctnn::io::parse_csv in ctnn/io/csv.hpp). The input is the file's text, read with
// parse_csv<float> and parse_csv<double> under each of a few option sets that between them use every header mode,
// several delimiters and label columns (none, from the front, from the back, past the end). These must hold:
//
// - a table has the shape CsvTable promises: rows >= 1, rows * columns values, all finite, a label per row when a
//   label column was chosen and none otherwise, increasing 1-based line numbers within the text, a header only when
//   the options allow one;
// - a table written back as CSV (the same delimiter and label column, every number in its shortest round-trip form,
//   no header) reads back to the same rows, labels and values, bit for bit;
// - where the header is not guessed, a table read as float is also read as double, with the same rows, labels and
//   line numbers, each float value within one float step of the double value;
// - an error names a line within the text (none for `empty`), a field for the errors about one field, and gives a
//   message that starts with the source name.

#include <ctnn/io/csv.hpp>

#include "fuzz/fuzz_target.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

using ctnn::io::CsvError;
using ctnn::io::CsvHeader;
using ctnn::io::CsvOptions;
using ctnn::io::CsvTable;

constexpr std::string_view source = "fuzz.csv";

CsvOptions options(char delimiter, CsvHeader header, std::optional<std::ptrdiff_t> label_column) {
    CsvOptions o;
    o.delimiter = delimiter;
    o.header = header;
    o.label_column = label_column;
    return o;
}

const std::vector<CsvOptions>& option_sets() {
    static const std::vector<CsvOptions> all = {
        options(',', CsvHeader::detect, -1), options(',', CsvHeader::none, std::nullopt),
        options(';', CsvHeader::skip, 0),    options('\t', CsvHeader::detect, std::nullopt),
        options(' ', CsvHeader::none, -2),   options('|', CsvHeader::skip, 1),
        options(',', CsvHeader::none, 3),
    };
    return all;
}

/// An upper bound on the number of lines in `text` whatever ends a line ("\n", "\r\n" or a lone "\r").
std::size_t line_bound(std::string_view text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n') +
                                    std::count(text.begin(), text.end(), '\r')) +
           1;
}

/// The same bits, so that -0 and 0 differ.
template <std::floating_point T>
bool same_bits(T a, T b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}

template <std::floating_point T>
void check_table(const CsvTable<T>& table, std::string_view text, const CsvOptions& o) {
    const bool labelled = o.label_column.has_value();
    CTNN_FUZZ_CHECK(table.rows >= 1, "a table without rows");
    CTNN_FUZZ_CHECK(table.values.size() == table.rows * table.columns, "values.size() is not rows * columns");
    CTNN_FUZZ_CHECK(table.labels.size() == (labelled ? table.rows : 0), "a label count other than rows (or 0)");
    CTNN_FUZZ_CHECK(table.has_labels() == labelled, "has_labels() does not say whether a label column was chosen");
    CTNN_FUZZ_CHECK(table.lines.size() == table.rows, "a line number count other than rows");
    CTNN_FUZZ_CHECK(table.source == source, "a table that does not name its source");
    CTNN_FUZZ_CHECK(o.header != CsvHeader::none || table.header.empty(), "a header read where none was allowed");
    for (T v : table.values) CTNN_FUZZ_CHECK(std::isfinite(v), "a value that is not finite");
    const std::size_t lines = line_bound(text);
    for (std::size_t r = 0; r < table.rows; ++r) {
        CTNN_FUZZ_CHECK(table.lines[r] >= 1 && table.lines[r] <= lines, "a row's line number outside the text");
        CTNN_FUZZ_CHECK(r == 0 || table.lines[r] > table.lines[r - 1], "line numbers that do not increase");
    }
}

/// `value` in its shortest form that reads back to the same bits.
template <std::floating_point T>
void append_number(std::string& out, T value) {
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    CTNN_FUZZ_CHECK(ec == std::errc(), "to_chars failed");
    out.append(buffer, end);
}

/// The table as CSV text with the options' delimiter and label column, and no header.
template <std::floating_point T>
std::string write_back(const CsvTable<T>& table, const CsvOptions& o) {
    const bool labelled = o.label_column.has_value();
    const std::size_t fields = table.columns + (labelled ? 1 : 0);
    std::size_t label_index = fields;  // none
    if (labelled) {
        const std::ptrdiff_t requested = *o.label_column;
        label_index =
            static_cast<std::size_t>(requested >= 0 ? requested : static_cast<std::ptrdiff_t>(fields) + requested);
        CTNN_FUZZ_CHECK(label_index < fields, "a table read with a label column that does not exist");
    }
    std::string out;
    for (std::size_t r = 0; r < table.rows; ++r) {
        std::size_t c = 0;
        for (std::size_t j = 0; j < fields; ++j) {
            if (j != 0) out += o.delimiter;
            if (j == label_index) {
                out += std::to_string(table.labels[r]);
            } else {
                append_number(out, table.values[r * table.columns + c++]);
            }
        }
        out += '\n';
    }
    return out;
}

template <std::floating_point T>
void check_write_back(const CsvTable<T>& table, const CsvOptions& o) {
    CsvOptions plain = o;
    plain.header = CsvHeader::none;
    const std::string text = write_back(table, o);
    const auto again = ctnn::io::parse_csv<T>(text, plain, source);
    CTNN_FUZZ_CHECK(again.ok(), "a table written back as CSV does not read back");
    const CsvTable<T>& t = again.value();
    CTNN_FUZZ_CHECK(t.rows == table.rows && t.columns == table.columns, "a table written back reads another shape");
    CTNN_FUZZ_CHECK(t.labels == table.labels, "a table written back reads other labels");
    CTNN_FUZZ_CHECK(std::ranges::equal(t.values, table.values, same_bits<T>),
                    "a table written back reads other values");
    for (std::size_t r = 0; r < t.rows; ++r) {
        CTNN_FUZZ_CHECK(t.lines[r] == r + 1, "a table written back reads other line numbers");
    }
}

void check_error(const CsvError& error, std::string_view text) {
    using Kind = CsvError::Kind;
    CTNN_FUZZ_CHECK(error.source == source, "an error that does not name its source");
    CTNN_FUZZ_CHECK(error.message().starts_with(std::string(source) + ':'), "an error message without its source");
    CTNN_FUZZ_CHECK(error.line <= line_bound(text), "an error on a line past the text");
    switch (error.kind) {
        case Kind::empty:
            CTNN_FUZZ_CHECK(error.line == 0 && error.column == 0, "an empty-file error that names a place");
            break;
        case Kind::malformed_number:
        case Kind::label_not_integer:
        case Kind::label_negative:
            CTNN_FUZZ_CHECK(error.line >= 1 && error.column >= 1, "a field error without its line and field");
            break;
        case Kind::wrong_field_count:
            CTNN_FUZZ_CHECK(error.line >= 1 && error.found_fields != error.expected_fields &&
                                error.expected_fields_line >= 1 && error.expected_fields_line < error.line,
                            "a field-count error without both counts and lines");
            break;
        case Kind::label_column_out_of_range:
            CTNN_FUZZ_CHECK(error.line >= 1, "a label-column error without its line");
            break;
        case Kind::file_not_found:
        case Kind::unreadable:
            CTNN_FUZZ_CHECK(false, "parse_csv reported a file error");
            break;
        default:  // a kind added later: the checks above still apply
            break;
    }
}

template <std::floating_point T>
std::optional<CsvTable<T>> check_parse(std::string_view text, const CsvOptions& o) {
    auto result = ctnn::io::parse_csv<T>(text, o, source);
    if (!result) {
        check_error(result.error(), text);
        return std::nullopt;
    }
    check_table(result.value(), text, o);
    check_write_back(result.value(), o);
    return std::move(result).value();
}

/// A float read of a number is the double read rounded to float, but for double rounding: one float step apart.
bool within_one_float_step(float f, double d) {
    const float rounded = static_cast<float>(d);
    return rounded == f || rounded == std::nextafter(f, std::numeric_limits<float>::infinity()) ||
           rounded == std::nextafter(f, -std::numeric_limits<float>::infinity());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    bool accepted = false;
    for (const CsvOptions& o : option_sets()) {
        const auto as_float = check_parse<float>(text, o);
        const auto as_double = check_parse<double>(text, o);
        accepted = accepted || as_float || as_double;
        // A guessed header may differ: a field can be a number as double but out of range as float.
        if (!as_float || o.header == CsvHeader::detect) continue;
        CTNN_FUZZ_CHECK(as_double.has_value(), "a text read as float is not read as double");
        CTNN_FUZZ_CHECK(as_float->rows == as_double->rows && as_float->columns == as_double->columns &&
                            as_float->labels == as_double->labels && as_float->lines == as_double->lines &&
                            as_float->header == as_double->header,
                        "float and double read different rows, labels or lines");
        CTNN_FUZZ_CHECK(std::ranges::equal(as_float->values, as_double->values, within_one_float_step),
                        "a float value is not the double value rounded");
    }
    ctnn_fuzz::accepted = accepted;
    return 0;
}
