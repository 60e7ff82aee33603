#include <ctnn/io/csv.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

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
    for (std::string_view bad :
         {"abc", "", "1.2.3", "1,5", "nan", "inf", "-inf", "0x10", "1e", "--1", "+-1", "1 2", "\"1\"", "1e999"}) {
        CAPTURE(bad);
        const std::string text = rows_with(9, 2, bad);
        const auto result = parse_csv(text, unlabelled);
        REQUIRE_FALSE(result.ok());
        const CsvError& error = result.error();
        if (bad == "1,5") {  // an extra field
            CHECK(error.kind == CsvError::Kind::wrong_field_count);
            CHECK(error.line == 9);
            CHECK(error.column == 4);
        } else {
            CHECK(error.kind == CsvError::Kind::malformed_number);
            CHECK(error.line == 9);
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
        for (std::string_view bad : {"2.5", "one", "", "1e-1", "nan"}) {
            CAPTURE(bad);
            const auto result = parse_csv("0.5,3\n1.5," + std::string(bad) + "\n", {}, "labels.csv");
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == CsvError::Kind::label_not_integer);
            CHECK(result.error().line == 2);
            CHECK(result.error().column == 2);
            CHECK(result.error().message() ==
                  "labels.csv:2:2: expected a whole-number class label, found \"" + std::string(bad) + "\"");
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
        CHECK(table.lines == std::vector<std::size_t>{2, 3});
        CHECK(parse_csv(numeric).value().rows == 2);
    }
    SECTION("detect reads an all-numeric first line as data") {
        const auto table = parse_csv(plain).value();
        CHECK(table.rows == 2);
        CHECK(table.header.empty());
        CHECK(table.labels == std::vector<std::size_t>{0, 1});
    }
    SECTION("skip drops the first line even when it is numeric") {
        const auto table = parse_csv(plain, {.header = CsvHeader::skip}).value();
        CHECK(table.rows == 1);
        CHECK(table.values == std::vector<double>{3, 4});
        CHECK(table.header == std::vector<std::string>{"1", "2", "0"});
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
    for (std::string_view text : {"", "\n\n", "  \r\n", "a,b,c\n", "a,b,c\n\n"}) {
        CAPTURE(text);
        const auto result = parse_csv(text, {}, "nothing.csv");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == CsvError::Kind::empty);
        CHECK(result.error().line == 0);
        CHECK(result.error().message() == "nothing.csv: no data rows");
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
