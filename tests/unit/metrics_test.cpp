#include <ctnn/ctnn.hpp>
#include <ctnn/data/metrics.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <vector>

using namespace ctnn;

TEST_CASE("argmax gives the index of the first largest value", "[metrics]") {
    STATIC_REQUIRE(data::argmax(std::array<double, 3>{0.1, 0.7, 0.2}) == 1);
    STATIC_REQUIRE(data::argmax(std::array<int, 4>{3, 5, 5, 1}) == 1);
    STATIC_REQUIRE(data::argmax(std::array<float, 1>{-2}) == 0);
    CHECK(data::argmax(std::array<float, 3>{-3, -2, -1}) == 2);
}

TEST_CASE("ConfusionMatrix counts (truth, predicted) pairs and derives the metrics", "[metrics][confusion]") {
    data::ConfusionMatrix<3> m;
    const std::vector<std::array<std::size_t, 2>> pairs{{0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 1},
                                                        {1, 1}, {1, 2}, {1, 2}, {2, 0}, {2, 2}, {2, 2}, {2, 2}, {2, 2}};
    for (const auto& [truth, predicted] : pairs) m.add(truth, predicted);

    using Row = std::array<std::size_t, 3>;
    CHECK(m.counts == std::array<Row, 3>{Row{5, 1, 0}, Row{0, 3, 2}, Row{1, 0, 4}});
    CHECK(m.total() == 16);
    CHECK(m.correct() == 12);
    CHECK(m.accuracy() == 0.75);
    CHECK(m.actual(1) == 5);
    CHECK(m.predicted(0) == 6);
    CHECK(m.precision(0) == Approx(5.0 / 6));
    CHECK(m.precision(1) == Approx(3.0 / 4));
    CHECK(m.precision(2) == Approx(4.0 / 6));
    CHECK(m.recall(0) == Approx(5.0 / 6));
    CHECK(m.recall(1) == Approx(3.0 / 5));
    CHECK(m.recall(2) == Approx(4.0 / 5));

    SECTION("to_string prints the counts, recall per row, precision per column and the accuracy") {
        CHECK(m.to_string() ==
              "truth \\ predicted       0       1       2  recall\n"
              "0                       5       1       0   0.833\n"
              "1                       0       3       2   0.600\n"
              "2                       1       0       4   0.800\n"
              "precision           0.833   0.750   0.667\n"
              "accuracy 0.750 (12 of 16)\n");
    }
    SECTION("to_string names the classes when given names") {
        const std::vector<std::string> names{"setosa", "versicolor", "virginica"};
        CHECK(m.to_string(names) ==
              "truth \\ predicted      setosa  versicolor   virginica      recall\n"
              "setosa                      5           1           0       0.833\n"
              "versicolor                  0           3           2       0.600\n"
              "virginica                   1           0           4       0.800\n"
              "precision               0.833       0.750       0.667\n"
              "accuracy 0.750 (12 of 16)\n");
    }
}

TEST_CASE("ConfusionMatrix gives 0, not NaN, for a class never seen or never predicted", "[metrics][confusion]") {
    data::ConfusionMatrix<3> m;
    CHECK(m.accuracy() == 0);
    m.add(0, 1);
    m.add(1, 1);
    CHECK(m.precision(2) == 0);  // never predicted
    CHECK(m.recall(2) == 0);     // never the truth
    CHECK(m.precision(0) == 0);
    CHECK(m.recall(0) == 0);
    CHECK(m.precision(1) == 0.5);
    CHECK(m.accuracy() == 0.5);
}

TEST_CASE("accuracy and the confusion matrix of a hand-set softmax network", "[metrics][accuracy]") {
    // W = identity, b = 0: the softmax of x, so the predicted class is the larger input.
    using Net = Network<double, Input<2>, Dense<2, Softmax>>;
    const Net net = Net::from_parameters(std::array<double, 6>{1, 0, 0, 1, 0, 0});
    data::Dataset<double, 2, 2> d;
    d.add({1, 0}, 0);   // predicted 0: right
    d.add({0, 1}, 1);   // predicted 1: right
    d.add({2, 3}, 1);   // predicted 1: right
    d.add({3, -1}, 1);  // predicted 0: wrong
    CHECK(data::predict_class(net, {3, -1}) == 0);
    CHECK(data::accuracy(net, d) == 0.75);

    const auto m = data::confusion_matrix(net, d);
    STATIC_REQUIRE(decltype(m)::class_count == 2);
    using Row = std::array<std::size_t, 2>;
    CHECK(m.counts == std::array<Row, 2>{Row{1, 0}, Row{1, 2}});
    CHECK(m.accuracy() == data::accuracy(net, d));

    // The same through a workspace's rows instead of stack buffers.
    Workspace<Net, 1> workspace;
    CHECK(data::predict_class(net, {3, -1}, workspace) == 0);
    CHECK(data::predict_class(net, {2, 3}, workspace) == 1);
    CHECK(data::accuracy(net, d, workspace) == 0.75);
    CHECK(data::confusion_matrix(net, d, workspace).counts == std::array<Row, 2>{Row{1, 0}, Row{1, 2}});
}

TEST_CASE("accuracy of a three-class float network", "[metrics][accuracy]") {
    // Class scores x0, x1 and -(x0 + x1), plus a bias that favours class 2 by 0.5.
    using Net = Network<float, Input<2>, Dense<3, Softmax>>;
    const Net net = Net::from_parameters(std::array<float, 9>{1, 0, 0, 1, -1, -1, 0, 0, 0.5f});
    data::Dataset<float, 2, 3> d;
    d.add({2, 1}, 0);
    d.add({1, 2}, 1);
    d.add({-1, -1}, 2);
    d.add({0.1f, 0.1f}, 2);  // scores 0.1, 0.1, 0.3
    d.add({0, 0}, 0);        // scores 0, 0, 0.5: predicted 2, wrong
    CHECK(data::accuracy(net, d) == 0.8);
    const auto m = data::confusion_matrix(net, d);
    CHECK(m.counts[0][2] == 1);
    CHECK(m.correct() == 4);
}

TEST_CASE("A single sigmoid output predicts class 1 at 0.5 and above", "[metrics][accuracy]") {
    // y = sigmoid(x): class 1 exactly when x >= 0.
    using Net = Network<double, Input<1>, Dense<1, Sigmoid>>;
    const Net net = Net::from_parameters(std::array<double, 2>{1, 0});
    CHECK(data::predict_class(net, {0.0}) == 1);
    CHECK(data::predict_class(net, {-1e-3}) == 0);
    data::Dataset<double, 1, 1> d;
    d.add({-2}, 0);    // 0: right
    d.add({-0.5}, 1);  // 0: wrong
    d.add({0.5}, 1);   // 1: right
    d.add({3}, 0);     // 1: wrong
    d.add({0}, 1);     // 1: right
    CHECK(d.targets[1] == std::array<double, 1>{1});
    CHECK(data::accuracy(net, d) == Approx(0.6));
    const auto m = data::confusion_matrix(net, d);
    STATIC_REQUIRE(decltype(m)::class_count == 2);
    using Row = std::array<std::size_t, 2>;
    CHECK(m.counts == std::array<Row, 2>{Row{1, 1}, Row{1, 2}});

    Workspace<Net> workspace;
    CHECK(data::predict_class(net, {0.0}, workspace) == 1);
    CHECK(data::predict_class(net, {-1e-3}, workspace) == 0);
    CHECK(data::accuracy(net, d, workspace) == Approx(0.6));
    CHECK(data::confusion_matrix(net, d, workspace).counts == std::array<Row, 2>{Row{1, 1}, Row{1, 2}});
}
