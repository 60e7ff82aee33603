#include <ctnn/io/csv.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

// The build defines CTNN_SOURCE_DIR as the project's root, so the tests find examples/data/.
#ifndef CTNN_SOURCE_DIR
#error "tests/unit/csv_test.cpp: define CTNN_SOURCE_DIR as the project's source directory (tests/CMakeLists.txt does)"
#endif

using ctnn::io::CsvError;
using ctnn::io::CsvHeader;
using ctnn::io::CsvOptions;
using ctnn::io::parse_csv;
using ctnn::io::read_csv;

namespace {

const std::string data_dir = std::string(CTNN_SOURCE_DIR) + "/examples/data/";

/// A file in the temporary directory, removed when the test ends. Each test case runs in
/// its own process under ctest, possibly in parallel, so the name carries a clock reading.
class TemporaryFile {
public:
    TemporaryFile(std::string_view name, std::string_view content)
        : path_(std::filesystem::temp_directory_path() /
                ("ctnn_csv_test_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "_" +
                 std::string(name))) {
        std::ofstream out(path_, std::ios::binary);
        out << content;
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    ~TemporaryFile() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    [[nodiscard]] std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

/// 20 rows of "r,r+1,r%3" (line r + 1), with one field replaced.
std::string rows_with(std::size_t line, std::size_t column, std::string_view field) {
    std::string text;
    for (std::size_t r = 0; r < 20; ++r) {
        for (std::size_t c = 0; c < 3; ++c) {
            if (c != 0) text += ',';
            const std::size_t value = c == 0 ? r : c == 1 ? r + 1 : r % 3;
            text += r + 1 == line && c + 1 == column ? std::string(field) : std::to_string(value);
        }
        text += '\n';
    }
    return text;
}

}  // namespace

TEST_CASE("read_csv reports a malformed number with its file, line and column, and returns no table", "[csv][errors]") {
    std::string text = "a,b,c,d,e,label\n";  // a header, skipped by CsvHeader::detect
    for (int line = 2; line <= 20; ++line) text += line == 17 ? "1,2,3,4,abc,0\n" : "1,2,3,4,5,1\n";
    const TemporaryFile file("digits.csv", text);

    const auto result = read_csv(file.path());
    REQUIRE_FALSE(result.ok());
    REQUIRE_FALSE(result);
    const CsvError& error = result.error();
    CHECK(error.kind == CsvError::Kind::malformed_number);
    CHECK(error.line == 17);
    CHECK(error.column == 5);
    CHECK(error.text == "abc");
    CHECK(error.source == file.path());
    CHECK(error.message() == file.path() + ":17:5: expected a number, found \"abc\"");

    SECTION("an in-memory text is named by its source") {
        const auto parsed = parse_csv(text, {}, "digits.csv");
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().message() == "digits.csv:17:5: expected a number, found \"abc\"");
    }
}

TEST_CASE("read_csv rejects every kind of malformed number at its place", "[csv][errors]") {
    const CsvOptions unlabelled{.label_column = std::nullopt};
    for (std::string_view bad : {"abc", "", "1.2.3", "1,5", "0x10", "0x1p3", "1e", "e5", ".", "-", "--1", "+-1", "++1",
                                 "1 2", "\"1\"x", "1\"", "?", "NA", "1,5e3"}) {
        CAPTURE(bad);
        const std::string text = rows_with(9, 2, bad);
        const auto result = parse_csv(text, unlabelled);
        REQUIRE_FALSE(result.ok());
        const CsvError& error = result.error();
        CHECK(error.line == 9);
        if (bad.find(',') != std::string_view::npos) {  // an extra field
            CHECK(error.kind == CsvError::Kind::wrong_field_count);
            CHECK(error.column == 4);
        } else if (bad == "\"1\"x") {
            CHECK(error.kind == CsvError::Kind::text_after_quote);
            CHECK(error.column == 2);
            CHECK(error.text == "x");
        } else {
            CHECK(error.kind == CsvError::Kind::malformed_number);
            CHECK(error.column == 2);
            CHECK(error.text == bad);
        }
    }
}

TEST_CASE("read_csv accepts the usual ways of writing a number", "[csv]") {
    const auto result = parse_csv("1, -2.5 ,.5,\t3e-4,+7,1E2,-0,5.\n", {.label_column = std::nullopt});
    REQUIRE(result.ok());
    const auto& table = result.value();
    REQUIRE(table.columns == 8);
    const std::vector<double> expected{1, -2.5, 0.5, 3e-4, 7, 100, 0, 5};
    CHECK(table.values == expected);
    CHECK_FALSE(table.has_labels());
}

TEST_CASE("read_csv reports a row with too few or too many fields", "[csv][errors]") {
    SECTION("too few: the column is the first missing field") {
        const auto result = parse_csv("1,2,0\n3,4,1\n5,6\n", {}, "short.csv");
        REQUIRE_FALSE(result.ok());
        const CsvError& error = result.error();
        CHECK(error.kind == CsvError::Kind::wrong_field_count);
        CHECK(error.line == 3);
        CHECK(error.column == 3);
        CHECK(error.expected_fields == 3);
        CHECK(error.expected_fields_line == 1);
        CHECK(error.found_fields == 2);
        CHECK(error.message() == "short.csv:3:3: expected 3 fields, as on line 1, found 2");
    }
    SECTION("too many: the column is the first extra field") {
        const auto result = parse_csv("a,b,c\n\n1,2,0\n3,4,1,9,9\n", {}, "long.csv");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message() == "long.csv:4:4: expected 3 fields, as on line 3, found 5");
    }
    SECTION("a trailing delimiter is an extra, empty field") {
        const auto result = parse_csv("1,2,0\n3,4,1,\n");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == CsvError::Kind::wrong_field_count);
        CHECK(result.error().line == 2);
    }
}

TEST_CASE("read_csv reads class labels as whole numbers of at least 0", "[csv][labels]") {
    SECTION("integers, and whole numbers written as decimals") {
        const auto result = parse_csv("0.5,3\n1.5,2.0\n2.5,+1\n3.5,1e1\n4.5,-0\n");
        REQUIRE(result.ok());
        CHECK(result.value().labels == std::vector<std::size_t>{3, 2, 1, 10, 0});
        CHECK(result.value().values == std::vector<double>{0.5, 1.5, 2.5, 3.5, 4.5});
    }
    SECTION("a fraction or text is not a label") {
        for (std::string_view bad : {"2.5", "one", "", "1e-1", "nan", "inf", "0x1", "\"\""}) {
            CAPTURE(bad);
            const auto result = parse_csv("0.5,3\n1.5," + std::string(bad) + "\n", {}, "labels.csv");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == CsvError::Kind::label_not_integer);
            CHECK(result.error().line == 2);
            CHECK(result.error().column == 2);
            const bool missing = bad.empty() || bad == "nan";
            CHECK(result.error().message() == "labels.csv:2:2: expected a whole-number class label, found \"" +
                                                  std::string(bad) + "\"" +
                                                  (missing ? ": missing values are not supported" : ""));
        }
    }
    SECTION("a negative label is an error of its own") {
        for (std::string_view bad : {"-1", "-2.0"}) {
            const auto result = parse_csv("0.5,3\n1.5,1\n2.5," + std::string(bad) + "\n", {}, "labels.csv");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == CsvError::Kind::label_negative);
            CHECK(result.error().line == 3);
            CHECK(result.error().column == 2);
            CHECK(result.error().message() ==
                  "labels.csv:3:2: expected a class label of 0 or more, found \"" + std::string(bad) + "\"");
        }
    }
}

TEST_CASE("read_csv takes the label from the chosen column", "[csv][labels]") {
    const std::string text = "1,10,0.5,100\n2,20,1.5,200\n";
    SECTION("the last column by default") {
        const auto table = parse_csv(text).value();
        CHECK(table.columns == 3);
        CHECK(table.labels == std::vector<std::size_t>{100, 200});
        CHECK(table.values == std::vector<double>{1, 10, 0.5, 2, 20, 1.5});
    }
    SECTION("the first column") {
        const auto table = parse_csv(text, {.label_column = 0}).value();
        CHECK(table.labels == std::vector<std::size_t>{1, 2});
        CHECK(table.values == std::vector<double>{10, 0.5, 100, 20, 1.5, 200});
    }
    SECTION("a column counted from the end") {
        const auto table = parse_csv(text, {.label_column = -3}).value();
        CHECK(table.labels == std::vector<std::size_t>{10, 20});
        CHECK(table.values == std::vector<double>{1, 0.5, 100, 2, 1.5, 200});
        CHECK(table.row(1)[2] == 200);
    }
    SECTION("no label column: every column is a feature") {
        const auto table = parse_csv(text, {.label_column = std::nullopt}).value();
        CHECK(table.columns == 4);
        CHECK_FALSE(table.has_labels());
        CHECK(table.values.size() == 8);
    }
    SECTION("a column that does not exist is an error") {
        for (std::ptrdiff_t column : {4, -5, 100}) {
            const auto result = parse_csv(text, {.label_column = column}, "t.csv");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == CsvError::Kind::label_column_out_of_range);
            CHECK(result.error().line == 1);
            CHECK(result.error().message() ==
                  "t.csv:1: the label column " + std::to_string(column) + " does not exist: the row has 4 fields");
        }
    }
}

TEST_CASE("read_csv skips, keeps or detects a header line", "[csv][header]") {
    const std::string named = "width,height,class\n1,2,0\n3,4,1\n";
    const std::string numeric = "150,4,setosa\n1,2,0\n3,4,1\n";
    const std::string plain = "1,2,0\n3,4,1\n";

    SECTION("detect skips a first line with a field that is not a number, and keeps its fields") {
        const auto table = parse_csv(named).value();
        CHECK(table.rows == 2);
        CHECK(table.header == std::vector<std::string>{"width", "height", "class"});
        CHECK(table.has_header());
        CHECK(table.header_line == 1);
        CHECK(table.lines == std::vector<std::size_t>{2, 3});
        CHECK(parse_csv(numeric).value().rows == 2);
    }
    SECTION("detect reads an all-numeric first line as data") {
        const auto table = parse_csv(plain).value();
        CHECK(table.rows == 2);
        CHECK(table.header.empty());
        CHECK_FALSE(table.has_header());
        CHECK(table.header_line == 0);
        CHECK(table.labels == std::vector<std::size_t>{0, 1});
    }
    SECTION("skip drops the first line even when it is numeric") {
        const auto table = parse_csv(plain, {.header = CsvHeader::skip}).value();
        CHECK(table.rows == 1);
        CHECK(table.values == std::vector<double>{3, 4});
        CHECK(table.header == std::vector<std::string>{"1", "2", "0"});
        CHECK(table.header_line == 1);
    }
    SECTION("none reads a header as data, and so fails on it") {
        const auto result = parse_csv(named, {.header = CsvHeader::none}, "named.csv");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message() == "named.csv:1:1: expected a number, found \"width\"");
    }
    SECTION("the header may have a different number of fields from the data") {
        const auto table = parse_csv("a;b\n1;2;0\n", {.delimiter = ';'}).value();
        CHECK(table.columns == 2);
        CHECK(table.header.size() == 2);
    }
}

TEST_CASE("read_csv handles CRLF, blank lines, a missing final newline, spaces and a byte-order mark",
          "[csv][format]") {
    const std::vector<double> values{1, 2, 3, 4, 5, 6};
    const std::vector<std::size_t> labels{0, 1, 2};
    for (std::string_view text : {
             "1,2,0\n3,4,1\n5,6,2\n",
             "1,2,0\r\n3,4,1\r\n5,6,2\r\n",
             "1,2,0\r\n3,4,1\r\n5,6,2",
             "1,2,0\n3,4,1\n5,6,2",
             "1,2,0\n3,4,1\n5,6,2\n\n\n",
             "1,2,0\r\n3,4,1\r\n5,6,2\r\n\r\n",
             "\n1,2,0\n  \n3,4,1\n\t\n5,6,2\n",
             " 1 , 2 ,0\n3\t,\t4,1 \n 5,6 , 2\r\n",
             "\xEF\xBB\xBF"
             "1,2,0\n3,4,1\n5,6,2\n",
             "x,y,label\r\n1,2,0\r\n3,4,1\r\n5,6,2\r\n",
         }) {
        CAPTURE(text);
        const auto result = parse_csv(text);
        REQUIRE(result.ok());
        CHECK(result.value().rows == 3);
        CHECK(result.value().columns == 2);
        CHECK(result.value().values == values);
        CHECK(result.value().labels == labels);
    }
    SECTION("line numbers count the blank lines and the header") {
        const auto result = parse_csv("a,b,c\r\n\r\n1,2,0\r\n\r\n3,x,1\r\n", {}, "gaps.csv");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message() == "gaps.csv:5:2: expected a number, found \"x\"");
    }
    SECTION("other delimiters, with a tab delimiter not taken for space") {
        CHECK(parse_csv("1;2;0\n3;4;1\n5;6;2\n", {.delimiter = ';'}).value().values == values);
        CHECK(parse_csv("1\t2\t0\n3 \t4\t1\n5\t 6\t2\n", {.delimiter = '\t'}).value().values == values);
        const auto empty_field = parse_csv("1\t2\t0\n3\t\t1\n", {.delimiter = '\t'});
        REQUIRE_FALSE(empty_field.ok());
        CHECK(empty_field.error().kind == CsvError::Kind::malformed_number);
        CHECK(empty_field.error().line == 2);
        CHECK(empty_field.error().column == 2);
    }
}

TEST_CASE("read_csv reports a file with no data rows as empty", "[csv][errors]") {
    for (std::string_view text : {"", "\n\n", "  \r\n", "\r\r", "\xEF\xBB\xBF", " \t \n\t"}) {
        CAPTURE(text);
        const auto result = parse_csv(text, {}, "nothing.csv");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == CsvError::Kind::empty);
        CHECK(result.error().line == 0);
        CHECK(result.error().header_line == 0);
        CHECK(result.error().message() == "nothing.csv: no data rows");
    }
    SECTION("a header alone: the message says which line was read as the header") {
        for (std::string_view text : {"a,b,c\n", "a,b,c\n\n", "\na,b,c", "a,b,c\r\r"}) {
            CAPTURE(text);
            const auto result = parse_csv(text, {}, "nothing.csv");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == CsvError::Kind::empty);
            const std::size_t line = text.starts_with('\n') ? 2 : 1;
            CHECK(result.error().header_line == line);
            CHECK(result.error().message() ==
                  "nothing.csv: no data rows (line " + std::to_string(line) + " was read as a header)");
        }
    }
    const TemporaryFile file("empty.csv", "");
    const auto result = read_csv(file.path());
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == CsvError::Kind::empty);
}

TEST_CASE("read_csv reports a missing file and one that cannot be read", "[csv][errors]") {
    SECTION("a missing file") {
        const std::string path = data_dir + "no_such_file.csv";
        const auto result = read_csv(path);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == CsvError::Kind::file_not_found);
        CHECK(result.error().line == 0);
        CHECK(result.error().message() == path + ": cannot open the file: No such file or directory");
    }
    SECTION("a directory") {
        const auto result = read_csv(data_dir);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == CsvError::Kind::unreadable);
        CHECK(result.error().message().starts_with(data_dir + ": cannot read the file: "));
    }
}

TEST_CASE("read_csv reads a file in float or double", "[csv]") {
    const TemporaryFile file("floats.csv", "x,y,class\r\n0.1,-2.5,1\r\n1e-3,3,0\r\n");
    const auto as_float = read_csv<float>(file.path());
    REQUIRE(as_float.ok());
    CHECK(as_float.value().values == std::vector<float>{0.1f, -2.5f, 1e-3f, 3.0f});
    const auto as_double = read_csv<double>(file.path());
    REQUIRE(as_double.ok());
    CHECK(as_double.value().values == std::vector<double>{0.1, -2.5, 1e-3, 3.0});
    CHECK(as_double.value().labels == std::vector<std::size_t>{1, 0});
    CHECK(as_double.value().source == file.path());
}

// Numbers outside the feature type's range. The expected values come from exact rational
// arithmetic (the decimal times a power of two, rounded to the nearest integer) or from
// std::numeric_limits, not from the parser.

TEMPLATE_TEST_CASE("read_csv reads a number below the type's range as the nearest value, 0 or a subnormal",
                   "[csv][numbers]", float, double, long double) {
    using T = TestType;
    using limits = std::numeric_limits<T>;
    const CsvOptions unlabelled{.label_column = std::nullopt};
    // 1e-(100 - min_exponent10) is far below half the smallest subnormal of each type.
    const std::string exponent = std::to_string(100 - limits::min_exponent10);
    const std::string zeros(static_cast<std::size_t>(100 - limits::min_exponent10) - 1, '0');

    SECTION("far below the range: zero, with the number's sign") {
        for (const std::string& tiny : std::vector<std::string>{
                 "1e-" + exponent, "-1e-" + exponent, "+1e-" + exponent, "0." + zeros + "1", "-0." + zeros + "7",
                 "1E-" + exponent + "0000", "1e-99999999999999999999999", "-12345.678e-" + exponent}) {
            CAPTURE(tiny);
            const auto result = parse_csv<T>("1," + tiny + ",2\n3,4,5\n", unlabelled);
            INFO((result.ok() ? std::string() : result.error().message()));
            REQUIRE(result.ok());
            const auto& table = result.value();
            CHECK(table.rows == 2);
            CHECK(table.header.empty());
            CHECK(table.values[1] == 0);
            CHECK(std::signbit(table.values[1]) == tiny.starts_with('-'));
            CHECK(table.values == std::vector<T>{1, table.values[1], 2, 3, 4, 5});
        }
    }
    SECTION("the smallest subnormal and small multiples of it, written as their shortest decimals") {
        for (int multiple : {1, 2, 3, 1000}) {
            const T value = limits::denorm_min() * static_cast<T>(multiple);
            char digits[64];
            const auto written = std::to_chars(digits, digits + sizeof digits, value);
            REQUIRE(written.ec == std::errc());
            const std::string text(digits, written.ptr);
            CAPTURE(text);
            const auto result = parse_csv<T>(text + ",-" + text + "\n", unlabelled);
            INFO((result.ok() ? std::string() : result.error().message()));
            REQUIRE(result.ok());
            CHECK(result.value().values == std::vector<T>{value, -value});
            CHECK(std::fpclassify(result.value().values[0]) == FP_SUBNORMAL);
        }
    }
    SECTION("a decimal between subnormals rounds to the nearest") {
        if constexpr (std::is_same_v<T, float>) {
            // 1e-40 * 2^149 = 71362.38...
            CHECK(parse_csv<T>("1e-40\n", unlabelled).value().values == std::vector<T>{std::ldexp(71362.0f, -149)});
            // 2.5e-45 * 2^149 = 1.78...: two subnormal steps
            CHECK(parse_csv<T>("2.5e-45\n", unlabelled).value().values == std::vector<T>{std::ldexp(2.0f, -149)});
        } else if constexpr (std::is_same_v<T, double>) {
            // 1e-310 * 2^1074 = 20240225330731.4...
            CHECK(parse_csv<T>("1e-310\n", unlabelled).value().values ==
                  std::vector<T>{std::ldexp(20240225330731.0, -1074)});
        } else if constexpr (limits::digits == 64 && limits::min_exponent == -16381) {
            // x87 extended: 1e-4940 * 2^16445 = 27433340514.4...
            CHECK(parse_csv<T>("1e-4940\n", unlabelled).value().values ==
                  std::vector<T>{std::ldexp(27433340514.0L, -16445)});
        }
    }
    SECTION("the example of the fault: 1e-50 in a float file, in the first column") {
        const auto result = parse_csv<T>("1,2,0\n1e-50,2,1\n");
        REQUIRE(result.ok());
        CHECK(result.value().rows == 2);
        CHECK(result.value().lines == std::vector<std::size_t>{1, 2});
        CHECK(result.value().labels == std::vector<std::size_t>{0, 1});
        T expected = 0;  // float: below the smallest subnormal (1.4e-45)
        if constexpr (std::is_same_v<T, double>) expected = 1e-50;
        if constexpr (std::is_same_v<T, long double>) expected = 1e-50L;
        CHECK(result.value().values == std::vector<T>{1, 2, expected, 2});
    }
    SECTION("a tiny target of regression data reads the same way") {
        const auto result = parse_csv<T>("0.5,-1e-" + exponent + "\n", unlabelled);
        REQUIRE(result.ok());
        CHECK(result.value().values == std::vector<T>{T(0.5), T(0)});
    }
}

TEMPLATE_TEST_CASE("read_csv reports a number above the type's range as out of range for the type", "[csv][numbers]",
                   float, double, long double) {
    using T = TestType;
    using limits = std::numeric_limits<T>;
    const std::string type = std::is_same_v<T, float> ? "float" : std::is_same_v<T, double> ? "double" : "long double";
    const std::string exponent = std::to_string(limits::max_exponent10 + 1);
    const std::string digits(static_cast<std::size_t>(limits::max_exponent10) + 1, '9');  // 10^(max_exponent10+1) - 1

    for (const std::string& huge :
         std::vector<std::string>{"1e" + exponent, "-1e" + exponent, "+1e" + exponent, "1E+" + exponent,
                                  "0.1e" + exponent + "0", "1e99999999999999999999999", digits, "-" + digits + ".5"}) {
        CAPTURE(huge);
        for (std::size_t column : {1, 2}) {  // a feature; the target of regression data
            const std::string text = "1,2\n" + std::string(column == 1 ? huge + ",3" : "3," + huge) + "\n";
            const auto result = parse_csv<T>(text, {.label_column = std::nullopt}, "big.csv");
            REQUIRE_FALSE(result.ok());
            const CsvError& error = result.error();
            CHECK(error.kind == CsvError::Kind::number_out_of_range);
            CHECK(error.line == 2);
            CHECK(error.column == column);
            CHECK(error.text == huge);
            CHECK(error.value_type == type);
            CHECK(error.message().find(":2:" + std::to_string(column) + ": the number \"") != std::string::npos);
            CHECK(error.message().ends_with("is out of range for " + type));
        }
    }
    SECTION("the largest finite value, written as its shortest decimal, is in range") {
        char text[128];
        const auto written = std::to_chars(text, text + sizeof text, limits::max());
        REQUIRE(written.ec == std::errc());
        const std::string max(text, written.ptr);
        CAPTURE(max);
        const auto result = parse_csv<T>(max + ",-" + max + ",0\n");
        REQUIRE(result.ok());
        CHECK(result.value().values == std::vector<T>{limits::max(), -limits::max()});
    }
    SECTION("the example of the message") {
        if constexpr (std::is_same_v<T, float>) {
            const auto result = parse_csv<T>("1,2,0\n1e39,2,1\n", {}, "f.csv");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().message() == "f.csv:2:1: the number \"1e39\" is out of range for float");
        } else if constexpr (std::is_same_v<T, double>) {
            const auto result = parse_csv<T>("1,2,0\n1,-1e309,1\n", {}, "d.csv");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().message() == "d.csv:2:2: the number \"-1e309\" is out of range for double");
        }
    }
}

TEST_CASE("read_csv reads the range of class labels alike in every feature type", "[csv][labels][numbers]") {
    const std::string two_to_53 = "9007199254740992";
    SECTION("whole numbers up to 2^53 are labels") {
        for (const std::string& label :
             std::vector<std::string>{two_to_53, two_to_53 + ".0", std::string("9.007199254740992e15")}) {
            CAPTURE(label);
            CHECK(parse_csv<float>("1," + label + "\n").value().labels == std::vector<std::size_t>{9007199254740992u});
        }
    }
    SECTION("above 2^53: out of range") {
        for (const std::string& label :
             std::vector<std::string>{std::string("9007199254740993"), std::string("1e20"), std::string("1e999"),
                                      std::string("99999999999999999999999"), std::string("+1e400")}) {
            CAPTURE(label);
            const auto result = parse_csv<float>("1,0\n2," + label + "\n", {}, "l.csv");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == CsvError::Kind::label_too_large);
            CHECK(result.error().line == 2);
            CHECK(result.error().column == 2);
            CHECK(result.error().message() == "l.csv:2:2: the class label \"" + label +
                                                  "\" is out of range: labels are whole numbers from 0 to 2^53");
        }
    }
    SECTION("below the range of double: not whole, so not a label") {
        for (std::string_view label : {"1e-400", "-1e-400", "0.5e-999"}) {
            CAPTURE(label);
            const auto result = parse_csv<double>("1,0\n2," + std::string(label) + "\n");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == CsvError::Kind::label_not_integer);
            CHECK(result.error().line == 2);
        }
    }
    SECTION("a huge negative label is negative") {
        const auto result = parse_csv<double>("1,-1e999\n");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == CsvError::Kind::label_negative);
    }
}

TEST_CASE("read_csv rejects nan, inf and hexadecimal numbers with their own message", "[csv][numbers]") {
    for (std::string_view word :
         {"nan", "NaN", "-nan", "+nan", "nan(1)", "inf", "-inf", "+INF", "Infinity", "-infinity", "\"nan\""}) {
        CAPTURE(word);
        const auto result = parse_csv<float>("1,2,0\n3," + std::string(word) + ",1\n", {}, "w.csv");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == CsvError::Kind::not_finite);
        CHECK(result.error().line == 2);
        CHECK(result.error().column == 2);
        CHECK(result.error().text == word);
        CHECK(
            result.error().message().starts_with("w.csv:2:2: expected a finite number, found \"" + std::string(word)));
    }
    CHECK(parse_csv("1,2,0\n3,nan,1\n", {}, "w.csv").error().message() ==
          "w.csv:2:2: expected a finite number, found \"nan\": missing values are not supported");
    CHECK(parse_csv("1,2,0\n3,inf,1\n", {}, "w.csv").error().message() ==
          "w.csv:2:2: expected a finite number, found \"inf\"");
    for (std::string_view hex : {"0x10", "0X1.8P3", "0x1p-2", "-0x1"}) {
        CAPTURE(hex);
        const auto result = parse_csv<double>("1,2,0\n3," + std::string(hex) + ",1\n");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == CsvError::Kind::malformed_number);
        CHECK(result.error().column == 2);
    }
}

// Header detection. The rule (csv.hpp, read_csv): a header holds a name and otherwise only
// numbers and empty fields; a first record with a gap, a missing value or a damaged number
// is a data row with a fault.

TEST_CASE("CsvHeader::detect reports a first data row with a gap or a bad token at its place", "[csv][header]") {
    struct Case {
        std::string text;
        CsvOptions options;
        CsvError::Kind kind;
        std::size_t column;
        std::string field;
    };
    using Kind = CsvError::Kind;
    const std::vector<Case> cases{
        {"1,,3,0\n4,5,6,1\n7,8,9,0\n", {}, Kind::malformed_number, 2, ""},
        {"1,?,3,0\n4,5,6,1\n7,8,9,0\n", {}, Kind::malformed_number, 2, "?"},
        {"1,2,NA,0\n4,5,6,1\n", {}, Kind::malformed_number, 3, "NA"},
        {"N/A,2,3,0\n4,5,6,1\n", {}, Kind::malformed_number, 1, "N/A"},
        {"1,2,null,0\n4,5,6,1\n", {}, Kind::malformed_number, 3, "null"},
        {"1,nan,3,0\n4,5,6,1\n7,8,9,0\n", {}, Kind::not_finite, 2, "nan"},
        {"1,2,-inf,0\n4,5,6,1\n", {}, Kind::not_finite, 3, "-inf"},
        {"1,5;2,5;0\n4;5;1\n", {.delimiter = ';'}, Kind::malformed_number, 1, "1,5"},
        {"1.2.3,4,0\n4,5,1\n", {}, Kind::malformed_number, 1, "1.2.3"},
        {"1,2,\"\"\n4,5,1\n", {}, Kind::label_not_integer, 3, "\"\""},
        {"  1.0   2.0   0\n  3.0   4.0   1\n",
         {.label_column = std::nullopt},
         Kind::malformed_number,
         1,
         "1.0   2.0   0"},
        {"1\t2\t0\n", {}, Kind::label_not_integer, 1, "1\t2\t0"},
        {"1,,\n", {}, Kind::malformed_number, 2, ""},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        const auto result = parse_csv<double>(c.text, c.options, "first.csv");
        REQUIRE_FALSE(result.ok());
        const CsvError& error = result.error();
        CHECK(error.kind == c.kind);
        CHECK(error.line == 1);
        CHECK(error.column == c.column);
        CHECK(error.text == c.field);
        CHECK(error.header_line == 0);
    }
    SECTION("the same faults are reported on any later line") {
        const auto result = parse_csv<double>("4,5,6,1\n1,,3,0\n7,8,9,0\n", {}, "first.csv");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message() ==
              "first.csv:2:2: expected a number, found \"\": missing values are not supported");
    }
    SECTION("messages point at the likely cause") {
        CHECK(parse_csv("1,5;2,5;0\n", {.delimiter = ';'}, "c.csv").error().message() ==
              "c.csv:1:1: expected a number, found \"1,5\": write decimals with a point (1.5), not a comma");
        CHECK(parse_csv("  1.0   2.0   0\n", {.label_column = std::nullopt}, "s.csv").error().message() ==
              "s.csv:1:1: expected a number, found \"1.0   2.0   0\": for columns separated by spaces, set "
              "CsvOptions::whitespace_delimited");
        CHECK(parse_csv("1,?,0\n", {}, "q.csv").error().message() ==
              "q.csv:1:2: expected a number, found \"?\": missing values are not supported");
        CHECK(parse_csv("1,0\n2,Iris setosa\n", {}, "n.csv").error().message() ==
              "n.csv:2:2: expected a whole-number class label, found \"Iris setosa\"");  // words, no hint
    }
}

TEST_CASE("CsvHeader::detect takes a record of names for a header and says so", "[csv][header]") {
    struct Case {
        std::string text;
        std::vector<std::string> header;
        std::size_t header_line;
    };
    const std::vector<Case> cases{
        {"width,height,class\n1,2,0\n", {"width", "height", "class"}, 1},
        {"150,4,setosa,versicolor\n1,2,3,0\n", {"150", "4", "setosa", "versicolor"}, 1},  // iris' counts and names
        {",x,class\n0,1.5,1\n", {"", "x", "class"}, 1},                                   // pandas' unnamed index
        {"label,1x1,1x2\n0,1,2\n", {"label", "1x1", "1x2"}, 1},                           // names starting with digits
        {"\n\n  x , y ,c\n1,2,0\n", {"x", "y", "c"}, 3},
        {"\"width, cm\",\"a \"\"b\"\"\",\" c \"\n1,2,0\n", {"width, cm", "a \"b\"", " c "}, 1},  // RFC 4180
        {"Länge,Breite,Art\n1,2,0\n", {"Länge", "Breite", "Art"}, 1},
        {"x,1e999,c\n1,2,0\n", {"x", "1e999", "c"}, 1},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        const auto result = parse_csv(c.text);
        INFO((result.ok() ? std::string() : result.error().message()));
        REQUIRE(result.ok());
        const auto& table = result.value();
        CHECK(table.has_header());
        CHECK(table.header_line == c.header_line);
        CHECK(table.header == c.header);
        CHECK(table.rows == 1);
        CHECK(table.lines == std::vector<std::size_t>{c.header_line + 1});
    }
    SECTION("a fault in the row after a detected header says that a line was taken as the header") {
        // UCI's iris.data names the class in words: its first row looks like a header.
        const auto result = parse_csv("5.1,3.5,Iris-setosa\n4.9,3.0,Iris-setosa\n", {}, "iris.data");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == CsvError::Kind::label_not_integer);
        CHECK(result.error().header_line == 1);
        CHECK(
            result.error().message() ==
            "iris.data:2:3: expected a whole-number class label, found \"Iris-setosa\" (line 1 was read as a header)");
    }
    SECTION("a fault after the first data row does not mention the header") {
        const auto result = parse_csv("x,c\n1,0\n2,x\n", {}, "t.csv");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().header_line == 0);
        CHECK(result.error().message() == "t.csv:3:2: expected a whole-number class label, found \"x\"");
    }
    SECTION("numbers, quoted or not, are data") {
        for (std::string_view text :
             {"1,2,0\n3,4,1\n", "\"1\",\"2\",\"0\"\n3,4,1\n", " \"1\" ,2, \"0\"\n3,4,1\n", "\"1\",2,0\n\"3\",4,1\n"}) {
            CAPTURE(text);
            const auto table = parse_csv(text).value();
            CHECK_FALSE(table.has_header());
            CHECK(table.rows == 2);
            CHECK(table.values == std::vector<double>{1, 2, 3, 4});
            CHECK(table.labels == std::vector<std::size_t>{0, 1});
        }
    }
}

// Records: line endings, byte-order mark, quotes, whitespace-delimited files.

TEST_CASE("read_csv reads LF, CRLF, CR and mixed line endings, with or without a byte-order mark", "[csv][format]") {
    const std::vector<std::string> endings{"\n", "\r\n", "\r"};
    const std::vector<double> values{1, 2, 3, 4, 5, 6};
    for (const std::string bom : {"", "\xEF\xBB\xBF"}) {
        for (bool header : {false, true}) {
            for (std::size_t mix = 0; mix < 27; ++mix) {  // every ending on each of the three line breaks
                const std::string& a = endings[mix % 3];
                const std::string& b = endings[mix / 3 % 3];
                const std::string& c = endings[mix / 9];
                const std::string text =
                    bom + (header ? "x,y,class" + c : "") + "1,2,0" + a + "3,4,1" + b + "5,6,2" + c;
                CAPTURE(text, header);
                const auto result = parse_csv(text);
                INFO((result.ok() ? std::string() : result.error().message()));
                REQUIRE(result.ok());
                const auto& table = result.value();
                CHECK(table.rows == 3);
                CHECK(table.values == values);
                CHECK(table.labels == std::vector<std::size_t>{0, 1, 2});
                CHECK(table.header_line == (header ? 1u : 0u));
                const std::size_t first = header ? 2 : 1;
                CHECK(table.lines == std::vector<std::size_t>{first, first + 1, first + 2});
            }
        }
    }
    SECTION("an error's line counts every kind of line ending, blank lines included") {
        const std::string text = "1,2,0\r3,4,1\n\r\n5,6,2\r\r\n7,x,0\r";
        const auto result = parse_csv(text, {}, "mixed.csv");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message() == "mixed.csv:6:2: expected a number, found \"x\"");
    }
    SECTION("a file with CR line endings (old Mac) is read from disk with its header") {
        const TemporaryFile file("mac.csv", "\xEF\xBB\xBFwidth,height,class\r0.5,1,0\r1.5,2,1\r2.5,3,0\r");
        const auto result = read_csv<float>(file.path());
        REQUIRE(result.ok());
        CHECK(result.value().rows == 3);
        CHECK(result.value().header == std::vector<std::string>{"width", "height", "class"});
        CHECK(result.value().values == std::vector<float>{0.5f, 1, 1.5f, 2, 2.5f, 3});
        CHECK(result.value().lines == std::vector<std::size_t>{2, 3, 4});
    }
    SECTION("a byte-order mark before a faulty first row does not shift the column") {
        const auto result = parse_csv(
            "\xEF\xBB\xBF"
            "1,?,0\n");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().line == 1);
        CHECK(result.error().column == 2);
    }
}

TEST_CASE("read_csv reads quoted fields as RFC 4180 defines them", "[csv][format][quotes]") {
    SECTION("a quoted number is the number, spaces inside the quotes or not") {
        const auto table = parse_csv("\"1.5\",\" -2 \",\"0\"\n\"3e2\",4,\"+1\"\n").value();
        CHECK(table.values == std::vector<double>{1.5, -2, 300, 4});
        CHECK(table.labels == std::vector<std::size_t>{0, 1});
    }
    SECTION("delimiters and line breaks inside quotes; lines after them keep their numbers") {
        const auto table = parse_csv("\"a,b\",\"c\r\nd\",\"e\nf\rg\"\n1,2,0\n3,4,1\n").value();
        CHECK(table.header == std::vector<std::string>{"a,b", "c\r\nd", "e\nf\rg"});
        CHECK(table.header_line == 1);
        CHECK(table.lines == std::vector<std::size_t>{5, 6});
        const auto result = parse_csv("\"a\nb\",c\n1,0\n2,x\n", {}, "q.csv");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message() == "q.csv:4:2: expected a whole-number class label, found \"x\"");
    }
    SECTION("a number with a line break or a doubled quote inside is no number; the error is at its first line") {
        for (std::string_view field : {"\"1\n\"", "\"1\"\"\"", "\"\""}) {
            CAPTURE(field);
            const auto result = parse_csv("1,2,0\n3," + std::string(field) + ",1\n5,6,2\n");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == CsvError::Kind::malformed_number);
            CHECK(result.error().line == 2);
            CHECK(result.error().column == 2);
            CHECK(result.error().text == field);
        }
    }
    SECTION("a quote that is never closed") {
        const auto result = parse_csv("1,2,0\n3,\"4,1\n5,6,2\n", {}, "open.csv");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == CsvError::Kind::unterminated_quote);
        CHECK(result.error().line == 2);
        CHECK(result.error().column == 2);
        CHECK(result.error().text == "\"4,1");
        CHECK(result.error().message() == "open.csv:2:2: a quoted field is not closed by the end of the file: \"4,1");
    }
    SECTION("text after a closing quote") {
        for (std::string_view text : {"1,\"2\"3,0\n", "1,\"2\" 3,0\n", "1,\"2\"\"3\"x,0\n"}) {
            CAPTURE(text);
            const auto result = parse_csv(text, {}, "after.csv");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == CsvError::Kind::text_after_quote);
            CHECK(result.error().line == 1);
            CHECK(result.error().column == 2);
        }
        CHECK(parse_csv("1,\"2\"3,0\n", {}, "after.csv").error().message() ==
              "after.csv:1:2: expected a delimiter or the end of the line after a closing quote, found \"3\"");
    }
    SECTION("a quote inside an unquoted field is an ordinary character") {
        const auto table = parse_csv("a\"b,c\n1,0\n").value();
        CHECK(table.header == std::vector<std::string>{"a\"b", "c"});
    }
}

TEST_CASE("whitespace_delimited reads column-aligned files like the UCI repository's", "[csv][format][whitespace]") {
    // Rows 1, 2, 51 and 101 of examples/data/iris.csv (R. A. Fisher, 1936), aligned with runs
    // of spaces and tabs as in UCI's `.data` files, with a header and ragged line ends.
    const std::string uci =
        "  sepal_length  sepal_width\tpetal_length petal_width  class\r\n"
        "   5.1   3.5   1.4   0.2   0\r\n"
        "   4.9   3.0   1.4   0.2   0   \r\n"
        "\r\n"
        "   7.0   3.2\t4.7   1.4   1\n"
        "\t6.3   3.3   6.0   2.5   2";
    const CsvOptions whitespace{.whitespace_delimited = true};
    const auto result = parse_csv(uci, whitespace, "iris.data");
    INFO((result.ok() ? std::string() : result.error().message()));
    REQUIRE(result.ok());
    const auto& table = result.value();
    CHECK(table.header ==
          std::vector<std::string>{"sepal_length", "sepal_width", "petal_length", "petal_width", "class"});
    CHECK(table.rows == 4);
    CHECK(table.columns == 4);
    CHECK(table.values ==
          std::vector<double>{5.1, 3.5, 1.4, 0.2, 4.9, 3.0, 1.4, 0.2, 7.0, 3.2, 4.7, 1.4, 6.3, 3.3, 6.0, 2.5});
    CHECK(table.labels == std::vector<std::size_t>{0, 0, 1, 2});
    CHECK(table.lines == std::vector<std::size_t>{2, 3, 5, 6});

    SECTION("the same text with a comma delimiter is an error on its first data line, not a lost row") {
        const auto comma = parse_csv(uci, {}, "iris.data");
        REQUIRE_FALSE(comma.ok());
        CHECK(comma.error().line == 2);
        CHECK(comma.error().column == 1);
    }
    SECTION("the delimiter is not used; quoted fields may hold spaces") {
        const auto table2 =
            parse_csv("\"sepal length\" \"class\"\n 1.5 \"0\"\n", {.delimiter = ';', .whitespace_delimited = true})
                .value();
        CHECK(table2.header == std::vector<std::string>{"sepal length", "class"});
        CHECK(table2.values == std::vector<double>{1.5});
    }
    SECTION("errors keep their line and field") {
        const auto short_row = parse_csv("1 2 0\n 3  4\n", whitespace, "w.data");
        REQUIRE_FALSE(short_row.ok());
        CHECK(short_row.error().message() == "w.data:2:3: expected 3 fields, as on line 1, found 2");
        const auto bad = parse_csv("1 2 0\n3\t\t?  1\n", whitespace, "w.data");
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error().message() == "w.data:2:2: expected a number, found \"?\": missing values are not supported");
        const auto comma = parse_csv("1 2 0\n3,5 4 1\n", whitespace, "w.data");
        REQUIRE_FALSE(comma.ok());
        CHECK(comma.error().kind == CsvError::Kind::malformed_number);
        CHECK(comma.error().text == "3,5");
        const auto quote = parse_csv("1 \"2\"x 0\n", whitespace, "w.data");
        REQUIRE_FALSE(quote.ok());
        CHECK(quote.error().kind == CsvError::Kind::text_after_quote);
        CHECK(quote.error().column == 2);
    }
}

TEST_CASE("parse_csv reads a large text in mixed spellings and line endings exactly", "[csv][format]") {
    // 20000 rows of 8 fields, quoted and bare, LF and CRLF: every value read and summed in order. (Its speed is
    // measured with callgrind, not here: a unit test does not time.)
    std::string text = "a,b,c,d,e,f,g,label\r\n";
    double sum = 0;
    for (int r = 0; r < 20000; ++r) {
        for (int c = 0; c < 7; ++c) {
            const int v = (r * 7 + c) % 1000;
            sum += v / 8.0;
            const std::string number = std::to_string(v / 8.0);
            if (c % 3 == 0) {  // quoted
                text += '"';
                text += number;
                text += "\",";
            } else {
                text += number;
                text += ',';
            }
        }
        text += std::to_string(r % 10) + (r % 2 == 0 ? "\n" : "\r\n");
    }
    const auto result = parse_csv(text);
    REQUIRE(result.ok());
    CHECK(result.value().rows == 20000);
    double total = 0;
    for (double v : result.value().values) total += v;
    CHECK(total == sum);  // eighths are exact, and the order of the sums is the same
}

TEST_CASE("The shipped iris file has 150 rows of 4 features and 50 of each class 0..2", "[csv][data]") {
    const auto result = read_csv(data_dir + "iris.csv");
    INFO((result.ok() ? std::string() : result.error().message()));
    REQUIRE(result.ok());
    const auto& table = result.value();
    CHECK(table.rows == 150);
    CHECK(table.columns == 4);
    REQUIRE(table.values.size() == 150 * 4);
    REQUIRE(table.labels.size() == 150);
    CHECK(table.header == std::vector<std::string>{"150", "4", "setosa", "versicolor", "virginica"});
    for (std::size_t c = 0; c < 3; ++c) CHECK(std::count(table.labels.begin(), table.labels.end(), c) == 50);
    CHECK(table.row(0)[0] == 5.1);  // 5.1,3.5,1.4,0.2,0
    CHECK(table.row(0)[3] == 0.2);
    CHECK(table.lines.front() == 2);
    CHECK(table.lines.back() == 151);
    CHECK(*std::min_element(table.values.begin(), table.values.end()) > 0);
    CHECK(*std::max_element(table.values.begin(), table.values.end()) < 8);
}

TEST_CASE("The shipped digits file has 1797 rows of 64 pixels in 0..16 and labels 0..9", "[csv][data]") {
    const auto result = read_csv<float>(data_dir + "digits.csv");
    INFO((result.ok() ? std::string() : result.error().message()));
    REQUIRE(result.ok());
    const auto& table = result.value();
    CHECK(table.rows == 1797);
    CHECK(table.columns == 64);
    CHECK(table.header.empty());
    REQUIRE(table.values.size() == 1797 * 64);
    CHECK(*std::min_element(table.values.begin(), table.values.end()) == 0);
    CHECK(*std::max_element(table.values.begin(), table.values.end()) == 16);
    CHECK(std::all_of(table.values.begin(), table.values.end(), [](float v) { return v == static_cast<int>(v); }));
    const std::size_t counts[10] = {178, 182, 177, 183, 181, 182, 181, 179, 174, 180};
    for (std::size_t c = 0; c < 10; ++c) {
        CAPTURE(c);
        CHECK(static_cast<std::size_t>(std::count(table.labels.begin(), table.labels.end(), c)) == counts[c]);
    }
}
