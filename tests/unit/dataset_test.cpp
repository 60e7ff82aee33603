#include <ctnn/data/dataset.hpp>
#include <ctnn/data/scaling.hpp>
#include <ctnn/io/csv.hpp>
#include <ctnn/random.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

// The build defines CTNN_SOURCE_DIR as the project's root, so the tests find examples/data/.
#ifndef CTNN_SOURCE_DIR
#error \
    "tests/unit/dataset_test.cpp: define CTNN_SOURCE_DIR as the project's source directory (tests/CMakeLists.txt does)"
#endif

using namespace ctnn;

namespace {

const std::string data_dir = std::string(CTNN_SOURCE_DIR) + "/examples/data/";

using Iris = data::Dataset<double, 4, 3>;

Iris load_iris() {
    auto table = io::read_csv(data_dir + "iris.csv");
    REQUIRE(table.ok());
    auto dataset = data::from_table<4, 3>(table.value());
    REQUIRE(dataset.ok());
    return std::move(dataset).value();
}

/// A dataset whose samples tell whether they stayed together: sample i has input {i, -i},
/// target {i, 2i, 3i, 4i} and label i % Classes (no labels when Classes is 0).
using Numbered = data::Dataset<double, 2, 4>;

template <std::size_t Classes>
Numbered numbered(std::size_t n) {
    static_assert(Classes <= 4);
    Numbered d;
    for (std::size_t i = 0; i < n; ++i) {
        const auto x = static_cast<double>(i);
        d.inputs.push_back({x, -x});
        d.targets.push_back({x, 2 * x, 3 * x, 4 * x});
        if (Classes != 0) d.labels.push_back(i % Classes);
    }
    return d;
}

/// Every sample still has the input, target and label it was made with.
template <std::size_t Classes>
bool pairs_intact(const Numbered& d) {
    if (!d.valid()) return false;
    for (std::size_t s = 0; s < d.size(); ++s) {
        const double x = d.inputs[s][0];
        if (d.inputs[s][1] != -x || d.targets[s] != std::array<double, 4>{x, 2 * x, 3 * x, 4 * x}) return false;
        if (Classes != 0 && d.labels[s] != static_cast<std::size_t>(x) % Classes) return false;
    }
    return true;
}

std::vector<double> first_inputs(const Numbered& d) {
    std::vector<double> xs;
    for (const auto& x : d.inputs) xs.push_back(x[0]);
    return xs;
}

template <class D>
std::vector<std::size_t> class_counts(const D& d, std::size_t classes) {
    std::vector<std::size_t> counts(classes);
    for (std::size_t label : d.labels) ++counts.at(label);
    return counts;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------------
// Building a dataset

TEST_CASE("one_hot puts a single 1 at the label", "[dataset]") {
    STATIC_REQUIRE(data::one_hot<3>(1) == std::array<double, 3>{0, 1, 0});
    CHECK(data::one_hot<4, float>(3) == std::array<float, 4>{0, 0, 0, 1});
    CHECK(data::one_hot<1>(0) == std::array<double, 1>{1});
}

TEST_CASE("from_table builds one-hot targets from the labels of a CSV table", "[dataset]") {
    const Iris iris = load_iris();
    REQUIRE(iris.size() == 150);
    CHECK(iris.valid());
    CHECK(iris.inputs[0] == std::array<double, 4>{5.1, 3.5, 1.4, 0.2});
    for (std::size_t s = 0; s < iris.size(); ++s) {
        REQUIRE(iris.labels[s] < 3);
        CHECK(iris.targets[s] == data::one_hot<3>(iris.labels[s]));
    }
    CHECK(class_counts(iris, 3) == std::vector<std::size_t>{50, 50, 50});
}

TEST_CASE("from_table gives a single-output dataset 0/1 targets", "[dataset]") {
    const auto table = io::parse_csv("0.5,1\n-0.5,0\n2,1\n").value();
    const auto result = data::from_table<1, 1>(table);
    REQUIRE(result.ok());
    const auto& d = result.value();
    CHECK(d.targets == std::vector<std::array<double, 1>>{{1}, {0}, {1}});
    CHECK(d.labels == std::vector<std::size_t>{1, 0, 1});
    CHECK(data::Dataset<double, 1, 1>::class_count == 2);

    const auto three = data::from_table<1, 1>(io::parse_csv("0.5,1\n-0.5,2\n", {}, "binary.csv").value());
    REQUIRE_FALSE(three.ok());
    CHECK(three.error().message() ==
          "binary.csv:2: class label 2 is out of range: the dataset has 2 classes (labels 0 to 1)");
}

TEST_CASE("from_table takes the targets of a table without labels from its last columns", "[dataset]") {
    const auto table = io::parse_csv("1,2,3,4\n5,6,7,8\n", {.label_column = std::nullopt}).value();
    const auto result = data::from_table<3, 1>(table);
    REQUIRE(result.ok());
    CHECK(result.value().inputs == std::vector<std::array<double, 3>>{{1, 2, 3}, {5, 6, 7}});
    CHECK(result.value().targets == std::vector<std::array<double, 1>>{{4}, {8}});
    CHECK_FALSE(result.value().has_labels());
    CHECK(data::from_table<2, 2>(table).value().targets[1] == std::array<double, 2>{7, 8});
}

TEST_CASE("from_table reports a shape that does not fit, and returns no dataset", "[dataset][errors]") {
    const auto iris = io::read_csv(data_dir + "iris.csv").value();
    SECTION("too many classes in the labels") {
        const auto result = data::from_table<4, 2>(iris);
        REQUIRE_FALSE(result.ok());
        const auto& error = result.error();
        CHECK(error.kind == data::DatasetError::Kind::label_out_of_range);
        CHECK(error.line == 102);  // the header, 50 setosa and 50 versicolor come first
        CHECK(error.message() == data_dir +
                                     "iris.csv:102: class label 2 is out of range: the dataset has 2 classes "
                                     "(labels 0 to 1)");
    }
    SECTION("the wrong number of feature columns") {
        const auto result = data::from_table<5, 3>(iris);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == data::DatasetError::Kind::column_count);
        CHECK(result.error().message() == data_dir +
                                              "iris.csv: the table has 4 feature columns, but the dataset takes 5 "
                                              "(its inputs; the targets come from the labels)");
    }
    SECTION("the wrong number of columns without labels") {
        const auto table = io::parse_csv("1,2,3\n", {.label_column = std::nullopt}, "r.csv").value();
        const auto result = data::from_table<2, 2>(table);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message() ==
              "r.csv: the table has 3 columns, but the dataset takes 4 (its inputs followed by its targets)");
    }
}

TEST_CASE("Dataset::add encodes a label as the target", "[dataset]") {
    data::Dataset<float, 2, 3> d;
    d.add({1, 2}, 2);
    d.add({3, 4}, 0);
    CHECK(d.size() == 2);
    CHECK(d.valid());
    CHECK(d.targets[0] == std::array<float, 3>{0, 0, 1});
    CHECK(d.labels == std::vector<std::size_t>{2, 0});

    data::Dataset<float, 2, 1> r;
    r.add({1, 2}, std::array<float, 1>{0.5f});
    CHECK_FALSE(r.has_labels());
    CHECK(r.valid());
    r.labels.push_back(7);
    CHECK_FALSE(r.valid());
}

// ---------------------------------------------------------------------------------------------------------------------
// Shuffling and splitting

TEST_CASE("shuffle keeps every input with its target and label", "[dataset][shuffle]") {
    auto d = numbered<3>(100);
    Random random(1);
    data::shuffle(d, random);
    CHECK(pairs_intact<3>(d));
    auto xs = first_inputs(d);
    CHECK_FALSE(std::is_sorted(xs.begin(), xs.end()));
    std::sort(xs.begin(), xs.end());
    CHECK(xs == first_inputs(numbered<3>(100)));  // a permutation

    auto regression = numbered<0>(50);
    data::shuffle(regression, random);
    CHECK(pairs_intact<0>(regression));
    CHECK(regression.labels.empty());
}

TEST_CASE("shuffle gives the same order for the same seed and another for another seed", "[dataset][shuffle]") {
    auto a = numbered<3>(64), b = numbered<3>(64), c = numbered<3>(64);
    Random ra(42), rb(42), rc(43);
    data::shuffle(a, ra);
    data::shuffle(b, rb);
    data::shuffle(c, rc);
    CHECK(first_inputs(a) == first_inputs(b));
    CHECK(first_inputs(a) != first_inputs(c));
}

TEST_CASE("shuffle puts each sample at each position equally often", "[dataset][shuffle]") {
    // 4 samples, 24000 shuffles: each of the 16 (sample, position) pairs about 6000 times.
    Random random(5);
    std::array<std::array<int, 4>, 4> seen{};
    for (int trial = 0; trial < 24000; ++trial) {
        auto d = numbered<0>(4);
        data::shuffle(d, random);
        for (std::size_t p = 0; p < 4; ++p) ++seen[static_cast<std::size_t>(d.inputs[p][0])][p];
    }
    for (const auto& row : seen) {
        for (int n : row) CHECK(std::abs(n - 6000) < 300);  // about 4.5 standard deviations
    }
}

TEST_CASE("shuffle leaves an empty or one-sample dataset alone", "[dataset][shuffle]") {
    Random random(1);
    auto empty = numbered<3>(0);
    data::shuffle(empty, random);
    CHECK(empty.empty());
    auto one = numbered<3>(1);
    data::shuffle(one, random);
    CHECK(one.inputs[0][0] == 0);
}

TEST_CASE("split without stratification divides the samples in the given proportion", "[dataset][split]") {
    const auto d = numbered<3>(100);
    Random random(3);
    const auto [train, test] = data::split(d, 0.75, random, false);
    CHECK(train.size() == 75);
    CHECK(test.size() == 25);
    CHECK(pairs_intact<3>(train));
    CHECK(pairs_intact<3>(test));
    auto xs = first_inputs(train);
    const auto test_xs = first_inputs(test);
    xs.insert(xs.end(), test_xs.begin(), test_xs.end());
    std::sort(xs.begin(), xs.end());
    CHECK(xs == first_inputs(d));  // every sample in exactly one part

    SECTION("the train size is rounded to the nearest sample") {
        Random r(1);
        CHECK(data::split(d, 0.333, r, false).train.size() == 33);
        CHECK(data::split(d, 0.335, r, false).train.size() == 34);
        CHECK(data::split(d, 0.0, r, false).train.size() == 0);
        CHECK(data::split(d, 1.0, r, false).test.size() == 0);
    }
    SECTION("a dataset without labels splits the same way") {
        Random r(1);
        const auto parts = data::split(numbered<0>(10), 0.8, r);
        CHECK(parts.train.size() == 8);
        CHECK(parts.test.size() == 2);
        CHECK(parts.train.labels.empty());
    }
}

TEST_CASE("A stratified split keeps each class's proportion", "[dataset][split]") {
    SECTION("iris, 75/25: 150 * 0.75 = 112.5 rounds to 113; each class gives 37 or 38") {
        const Iris iris = load_iris();
        Random random(7);
        const auto [train, test] = data::split(iris, 0.75, random);
        CHECK(train.size() == 113);
        CHECK(test.size() == 37);
        CHECK(train.valid());
        CHECK(test.valid());
        for (std::size_t c = 0; c < 3; ++c) {
            const std::size_t n = class_counts(train, 3)[c];
            CHECK((n == 37 || n == 38));
            CHECK(class_counts(test, 3)[c] == 50 - n);
        }
        // The classes are mixed, not in blocks.
        CHECK_FALSE(std::is_sorted(train.labels.begin(), train.labels.end()));
        CHECK_FALSE(std::is_sorted(test.labels.begin(), test.labels.end()));
        for (std::size_t s = 0; s < train.size(); ++s) CHECK(train.targets[s] == data::one_hot<3>(train.labels[s]));
    }
    SECTION("an imbalanced set: 90 of one class and 10 of the other, 80/20") {
        data::Dataset<double, 1, 2> d;
        for (std::size_t i = 0; i < 100; ++i) d.add({static_cast<double>(i)}, i % 10 == 0 ? 1 : 0);
        Random random(11);
        const auto [train, test] = data::split(d, 0.8, random);
        CHECK(class_counts(train, 2) == std::vector<std::size_t>{72, 8});
        CHECK(class_counts(test, 2) == std::vector<std::size_t>{18, 2});
        for (const auto& part : {train, test}) {
            for (std::size_t s = 0; s < part.size(); ++s) {
                CHECK((static_cast<std::size_t>(part.inputs[s][0]) % 10 == 0) == (part.labels[s] == 1));
            }
        }
    }
    SECTION("digits, 70/30: every class within one sample of 70 %") {
        const auto table = io::read_csv<float>(data_dir + "digits.csv").value();
        const auto digits = data::from_table<64, 10>(table).value();
        Random random(2);
        const auto [train, test] = data::split(digits, 0.7, random);
        CHECK(train.size() == 1258);  // round(1797 * 0.7) = round(1257.9)
        CHECK(test.size() == 1797 - 1258);
        const auto all = class_counts(digits, 10), in_train = class_counts(train, 10);
        for (std::size_t c = 0; c < 10; ++c) {
            CAPTURE(c);
            CHECK(std::abs(static_cast<double>(in_train[c]) - 0.7 * static_cast<double>(all[c])) < 1.0);
        }
    }
}

TEST_CASE("split is deterministic for a seed", "[dataset][split]") {
    const auto d = numbered<4>(40);
    for (bool stratified : {false, true}) {
        Random a(9), b(9);
        const auto first = data::split(d, 0.5, a, stratified);
        const auto second = data::split(d, 0.5, b, stratified);
        CHECK(first_inputs(first.train) == first_inputs(second.train));
        CHECK(first_inputs(first.test) == first_inputs(second.test));
    }
}

TEST_CASE("subset takes the samples at the given indices", "[dataset]") {
    const auto d = numbered<3>(10);
    const std::vector<std::size_t> indices{7, 2, 2};
    const auto s = data::subset(d, std::span<const std::size_t>(indices));
    CHECK(first_inputs(s) == std::vector<double>{7, 2, 2});
    CHECK(s.labels == std::vector<std::size_t>{1, 2, 2});
}

// ---------------------------------------------------------------------------------------------------------------------
// Scaling (ctnn/data/scaling.hpp)

TEMPLATE_TEST_CASE("Standardizer gives the training set mean 0 and standard deviation 1 per column", "[scaling]", float,
                   double) {
    using T = TestType;
    const auto table = io::read_csv<T>(data_dir + "iris.csv").value();
    const auto iris = data::from_table<4, 3>(table).value();
    Random random(4);
    auto [train, test] = data::split(iris, 0.75, random);
    const auto original_test = test;

    data::Standardizer scaler(train);
    STATIC_REQUIRE(std::is_same_v<decltype(scaler), data::Standardizer<T, 4>>);
    scaler.apply(train);
    scaler.apply(test);
    const double tolerance = std::is_same_v<T, float> ? 1e-5 : 1e-12;
    for (std::size_t c = 0; c < 4; ++c) {
        double sum = 0, squares = 0;
        for (const auto& x : train.inputs) sum += x[c];
        const double mean = sum / static_cast<double>(train.size());
        for (const auto& x : train.inputs) squares += (x[c] - mean) * (x[c] - mean);
        CHECK(std::fabs(mean) < tolerance);
        CHECK(std::sqrt(squares / static_cast<double>(train.size())) == Approx(1).epsilon(tolerance));
        CHECK(scaler.scale()[c] > 0);
    }
    // The test set is scaled with the training set's statistics.
    for (std::size_t s = 0; s < test.size(); ++s) {
        for (std::size_t c = 0; c < 4; ++c) {
            CHECK(test.inputs[s][c] == (original_test.inputs[s][c] - scaler.mean()[c]) / scaler.scale()[c]);
        }
    }
    CHECK(test.targets == original_test.targets);
    CHECK(test.labels == original_test.labels);
}

TEST_CASE("Standardizer maps a constant column to 0 and leaves a default scaler as the identity", "[scaling]") {
    data::Dataset<double, 3, 1> d;
    d.add({1, 0.1, -4}, std::array<double, 1>{0});
    d.add({3, 0.1, -4}, std::array<double, 1>{0});
    d.add({5, 0.1, -4}, std::array<double, 1>{0});
    data::Standardizer<double, 3> scaler;
    CHECK(scaler(std::array<double, 3>{1, 2, 3}) == std::array<double, 3>{1, 2, 3});
    scaler.fit(d);
    CHECK(scaler.mean()[0] == 3);
    CHECK(scaler.scale()[0] == Approx(std::sqrt(8.0 / 3)));
    CHECK(scaler.scale()[1] == 1);  // 0.1 three times: a constant, whatever the rounding of its mean
    CHECK(scaler.scale()[2] == 1);
    scaler.apply(d);
    for (const auto& x : d.inputs) {
        CHECK(std::fabs(x[1]) < 1e-15);
        CHECK(x[2] == 0);
    }
}

TEMPLATE_TEST_CASE("MinMaxScaler maps the training set onto [0, 1] per column", "[scaling]", float, double) {
    using T = TestType;
    const auto digits = data::from_table<64, 10>(io::read_csv<T>(data_dir + "digits.csv").value()).value();
    Random random(8);
    auto [train, test] = data::split(digits, 0.8, random);
    data::MinMaxScaler scaler(train);
    STATIC_REQUIRE(std::is_same_v<decltype(scaler), data::MinMaxScaler<T, 64>>);
    scaler.apply(train);
    for (std::size_t c = 0; c < 64; ++c) {
        CAPTURE(c);
        T lowest = 2, highest = -1;
        for (const auto& x : train.inputs) {
            lowest = std::min(lowest, x[c]);
            highest = std::max(highest, x[c]);
        }
        CHECK(lowest == 0);  // exactly: no rounding past either end
        const bool constant = scaler.minimum()[c] == scaler.maximum()[c];
        CHECK(highest == (constant ? 0 : 1));  // the always-blank corner pixels are constant: they map to 0
    }
    scaler.apply(test);
    for (const auto& x : test.inputs) {
        for (T v : x) CHECK(std::isfinite(v));
    }
}

TEST_CASE("MinMaxScaler maps onto a chosen range, and does not clip new data", "[scaling]") {
    data::Dataset<double, 2, 1> d;
    d.add({-2, 10}, std::array<double, 1>{0});
    d.add({0, 20}, std::array<double, 1>{0});
    d.add({2, 30}, std::array<double, 1>{0});
    data::MinMaxScaler<double, 2> unfitted(-1.0, 1.0);
    CHECK(unfitted(std::array<double, 2>{5, 6}) == std::array<double, 2>{5, 6});
    data::MinMaxScaler scaler(d, -1.0, 1.0);
    CHECK(scaler.low() == -1);
    CHECK(scaler.high() == 1);
    CHECK(scaler.minimum() == std::array<double, 2>{-2, 10});
    CHECK(scaler.maximum() == std::array<double, 2>{2, 30});
    scaler.apply(d);
    CHECK(d.inputs == std::vector<std::array<double, 2>>{{-1, -1}, {0, 0}, {1, 1}});
    CHECK(scaler(std::array<double, 2>{4, 0}) == std::array<double, 2>{2, -2});
}
