// Data shaped by the network: ctnn::data::DatasetFor<Net> and from_table<Net>(table), which take the scalar type and
// sizes from the network whatever the table's type, and the path from a CSV file to a trained float network.

#include <ctnn/ctnn.hpp>
#include <ctnn/data.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#ifndef CTNN_SOURCE_DIR
#error \
    "tests/unit/dataset_for_test.cpp: define CTNN_SOURCE_DIR as the project's source directory (tests/CMakeLists.txt does)"
#endif

using namespace ctnn;

namespace {
const std::string data_dir = std::string(CTNN_SOURCE_DIR) + "/examples/data/";

using FloatIrisNet = Network<float, Input<4>, Dense<8, Tanh>, Dense<3, Softmax>>;
using DoubleIrisNet = Network<double, Input<4>, Dense<8, Tanh>, Dense<3, Softmax>>;
using FloatRegressionNet = Network<float, Input<3>, Dense<4, ReLU>, Dense<1, Linear>>;
}  // namespace

TEST_CASE("DatasetFor<Net> is the Dataset of the network's value_type, input_size and output_size", "[dataset]") {
    STATIC_REQUIRE(std::is_same_v<data::DatasetFor<FloatIrisNet>, data::Dataset<float, 4, 3>>);
    STATIC_REQUIRE(std::is_same_v<data::DatasetFor<DoubleIrisNet>, data::Dataset<double, 4, 3>>);
    STATIC_REQUIRE(std::is_same_v<data::DatasetFor<FloatIrisNet>::input_type, FloatIrisNet::input_type>);
    STATIC_REQUIRE(std::is_same_v<data::DatasetFor<FloatIrisNet>::target_type, FloatIrisNet::output_type>);
}

TEST_CASE("from_table<Net> converts a double table to the network's float, value by value", "[dataset]") {
    // 0.1 and 1/3 have no exact float: each must be the float nearest the double read.
    const auto table = io::parse_csv("0.1,0.2,0.3,0.333333333333333333,2\n-1e-3,7,1e10,-2.5,0\n").value();
    const auto result = data::from_table<FloatIrisNet>(table);
    REQUIRE(result.ok());
    const data::DatasetFor<FloatIrisNet>& d = result.value();
    REQUIRE(d.size() == 2);
    for (std::size_t r = 0; r < 2; ++r) {
        for (std::size_t c = 0; c < 4; ++c) CHECK(d.inputs[r][c] == static_cast<float>(table.values[r * 4 + c]));
    }
    CHECK(d.labels == std::vector<std::size_t>{2, 0});
    CHECK(d.targets[0] == std::array<float, 3>{0, 0, 1});
    CHECK(d.targets[1] == std::array<float, 3>{1, 0, 0});

    SECTION("and a table without labels gives float targets from its last columns") {
        const auto regression = io::parse_csv("1,2,3,0.1\n4,5,6,-0.7\n", {.label_column = std::nullopt}).value();
        const auto r = data::from_table<FloatRegressionNet>(regression);
        REQUIRE(r.ok());
        CHECK(r.value().inputs[1] == std::array<float, 3>{4, 5, 6});
        CHECK(r.value().targets == std::vector<std::array<float, 1>>{{0.1f}, {-0.7f}});
        CHECK_FALSE(r.value().has_labels());
    }
}

TEST_CASE("from_table<Net> of a table of the network's own type is from_table<Inputs, Outputs>", "[dataset]") {
    const auto iris = io::read_csv(data_dir + "iris.csv").value();
    const auto by_net = data::from_table<DoubleIrisNet>(iris).value();
    const auto by_sizes = data::from_table<4, 3>(iris).value();
    CHECK(by_net.inputs == by_sizes.inputs);
    CHECK(by_net.targets == by_sizes.targets);
    CHECK(by_net.labels == by_sizes.labels);
}

TEST_CASE("from_table<Net> reports a value beyond the network's type, and the errors of from_table",
          "[dataset][errors]") {
    constexpr double largest = std::numeric_limits<float>::max();
    SECTION("the largest float converts; beyond it, in either sign, is an error naming line and feature") {
        const auto fits = io::parse_csv("1,2,3," + std::to_string(largest) + ",1\n").value();
        REQUIRE(data::from_table<FloatIrisNet>(fits).ok());
        CHECK(data::from_table<FloatIrisNet>(fits).value().inputs[0][3] == std::numeric_limits<float>::max());

        for (const char* value : {"3.5e38", "-1e39", "1e300"}) {
            const auto table = io::parse_csv("1,2,3,4,0\n5,6," + std::string(value) + ",8,1\n", {}, "big.csv").value();
            const auto result = data::from_table<FloatIrisNet>(table);
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == data::DatasetError::Kind::value_out_of_range);
            CHECK(result.error().line == 2);
            CHECK(result.error().column == 3);
            CHECK(result.error().message() ==
                  "big.csv:2: feature 3 is too large in magnitude for float, the dataset's type");
        }
    }
    SECTION("a target beyond float in a regression table") {
        const auto table = io::parse_csv("1,2,3,1e40\n", {.label_column = std::nullopt}, "r.csv").value();
        const auto result = data::from_table<FloatRegressionNet>(table);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().column == 4);
    }
    SECTION("a label out of range and a column count that does not fit, as for from_table<Inputs, Outputs>") {
        const auto labels = io::parse_csv("1,2,3,4,3\n", {}, "l.csv").value();
        CHECK(data::from_table<FloatIrisNet>(labels).error().message() ==
              "l.csv:1: class label 3 is out of range: the dataset has 3 classes (labels 0 to 2)");
        const auto narrow = io::parse_csv("1,2,3,0\n", {}, "n.csv").value();
        CHECK(data::from_table<FloatIrisNet>(narrow).error().kind == data::DatasetError::Kind::column_count);
    }
}

TEST_CASE("A CSV read as double trains a float network end to end through DatasetFor<Net>", "[dataset][trainer]") {
    // read_csv's default type is double; from_table<Net> makes the float samples the network takes.
    const auto table = io::read_csv(data_dir + "iris.csv");
    REQUIRE(table.ok());
    STATIC_REQUIRE(std::is_same_v<decltype(table.value().values)::value_type, double>);
    auto dataset = data::from_table<FloatIrisNet>(table.value());
    REQUIRE(dataset.ok());
    data::DatasetFor<FloatIrisNet> iris = std::move(dataset).value();
    REQUIRE(iris.size() == 150);

    FloatIrisNet net;
    Random random(7);
    init::pytorch_default(net, random);
    Trainer<FloatIrisNet, CategoricalCrossEntropy, Adam<>> trainer(net, {.learning_rate = {0.01}});

    // Every entry point takes the dataset's vectors as they are.
    const float before = loss<CategoricalCrossEntropy>(net, iris.inputs, iris.targets);
    float last = before;
    for (int epoch = 0; epoch < 150; ++epoch) {
        data::shuffle(iris, trainer.random());
        const auto result = trainer.train_epoch(iris.inputs, iris.targets, 10);
        REQUIRE(result.ok());
        last = result.loss;
    }
    const float after = loss<CategoricalCrossEntropy>(net, iris.inputs, iris.targets);
    INFO("loss before " << before << ", last epoch " << last << ", after " << after);
    CHECK(after < before / 4);
    CHECK(data::accuracy(net, iris) >= 0.9);

    // The batch forward agrees with one-sample forwards and predict_class on the same float samples.
    std::vector<FloatIrisNet::output_type> outputs(iris.size());
    net.forward(iris.inputs, outputs);
    for (std::size_t s = 0; s < iris.size(); ++s) {
        const auto y = net.forward(iris.inputs[s]);
        for (std::size_t k = 0; k < 3; ++k) CHECK(outputs[s][k] == Approx(y[k]).margin(1e-5));
        CHECK(data::predict_class(net, iris.inputs[s]) == data::argmax(y));
    }
    Gradients<FloatIrisNet> gradients;
    CHECK(backward<CategoricalCrossEntropy>(net, iris.inputs, iris.targets, gradients) == Approx(after).epsilon(1e-4));
}
