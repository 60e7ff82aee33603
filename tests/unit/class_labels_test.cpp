#include <ctnn/ctnn.hpp>
#include <ctnn/data/dataset.hpp>
#include <ctnn/io/csv.hpp>

#include "support/parameter_bits.hpp"
#include "support/reference_mlp.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

// The build defines CTNN_SOURCE_DIR as the project's root, so the tests find examples/data/.
#ifndef CTNN_SOURCE_DIR
#error \
    "tests/unit/class_labels_test.cpp: define CTNN_SOURCE_DIR as the project's source directory (tests/CMakeLists.txt does)"
#endif

using namespace ctnn;

namespace {

/// Fisher's iris (examples/data/iris.csv): 150 samples, 4 measurements, labels 0..2 and their one-hot targets.
template <class T>
data::Dataset<T, 4, 3> load_iris() {
    auto table = io::read_csv<T>(std::string(CTNN_SOURCE_DIR) + "/examples/data/iris.csv");
    REQUIRE(table.ok());
    auto dataset = data::from_table<4, 3>(table.value());
    REQUIRE(dataset.ok());
    return std::move(dataset).value();
}

/// Iris as a binary problem, setosa (label 1) against the rest (0): labels as bool and int, targets {0} or {1}.
template <class T>
struct BinaryIris {
    std::vector<std::array<T, 4>> inputs;
    std::array<bool, 150> is_setosa{};
    std::vector<int> labels;
    std::vector<std::array<T, 1>> targets;
};

template <class T>
BinaryIris<T> load_binary_iris() {
    const auto iris = load_iris<T>();
    REQUIRE(iris.size() == 150);
    BinaryIris<T> binary;
    binary.inputs = iris.inputs;
    for (std::size_t s = 0; s < iris.size(); ++s) {
        binary.is_setosa[s] = iris.labels[s] == 0;
        binary.labels.push_back(iris.labels[s] == 0 ? 1 : 0);
        binary.targets.push_back({iris.labels[s] == 0 ? T(1) : T(0)});
    }
    return binary;
}

template <class Net>
std::vector<typename Net::value_type> parameters_of(const Gradients<Net>& g) {
    std::vector<typename Net::value_type> p(Net::parameter_count);
    g.read(std::span<typename Net::value_type, Net::parameter_count>(p.data(), p.size()));
    return p;
}

template <class Net>
Net initialised(std::uint64_t seed) {
    Net net;
    Random random(seed);
    init::xavier_normal(net, random);
    return net;
}

/// backward and loss with `labels` give what they give with `targets`, bit for bit, through the batched path
/// (Workspace<Net>) and the per-sample one (Workspace<Net, 1>).
template <class Loss, class Net, class Labels>
void require_same_as_targets(const Net& net, std::span<const typename Net::input_type> inputs,
                             std::span<const typename Net::output_type> targets, const Labels& labels) {
    Gradients<Net> expected, got;
    std::vector<typename Net::input_type> expected_dx(inputs.size()), got_dx(inputs.size());
    const auto expected_loss = backward<Loss>(net, inputs, targets, expected, expected_dx);
    CHECK(backward<Loss>(net, inputs, labels, got, got_dx) == expected_loss);
    CHECK(parameters_of(got) == parameters_of(expected));
    CHECK(got_dx == expected_dx);
    CHECK(loss<Loss>(net, inputs, labels) == loss<Loss>(net, inputs, targets));

    Workspace<Net, 1> single;
    const auto single_loss = backward<Loss>(net, inputs, targets, expected, single);
    CHECK(backward<Loss>(net, inputs, labels, got, single) == single_loss);
    CHECK(parameters_of(got) == parameters_of(expected));
    CHECK(loss<Loss>(net, inputs, labels, single) == loss<Loss>(net, inputs, targets, single));
}

}  // namespace

TEMPLATE_TEST_CASE("Class indices give the loss and gradients of the one-hot targets they encode (iris, softmax)",
                   "[class_labels][cce]", float, double) {
    using T = TestType;
    using Net = Network<T, Input<4>, Dense<8, Tanh>, Dense<3, Softmax>>;
    const auto iris = load_iris<T>();
    const Net net = initialised<Net>(3);
    const std::vector<int> as_int(iris.labels.begin(), iris.labels.end());
    const std::vector<std::uint8_t> as_byte(iris.labels.begin(), iris.labels.end());
    require_same_as_targets<CategoricalCrossEntropy>(net, iris.inputs, iris.targets, iris.labels);
    require_same_as_targets<CategoricalCrossEntropy>(net, iris.inputs, iris.targets, as_int);
    require_same_as_targets<CategoricalCrossEntropy>(net, iris.inputs, iris.targets, as_byte);

    SECTION("and that loss is the mean of -log y_label, by the long-double reference") {
        const auto reference = ctnn_test::reference_of(net);
        ctnn_test::real expected = 0;
        for (std::size_t s = 0; s < iris.size(); ++s) {
            const std::vector<ctnn_test::real> x(iris.inputs[s].begin(), iris.inputs[s].end());
            expected -= std::log(reference.forward(x)[iris.labels[s]]) / static_cast<ctnn_test::real>(iris.size());
        }
        CHECK(loss<CategoricalCrossEntropy>(net, iris.inputs, iris.labels) ==
              Approx(static_cast<double>(expected)).epsilon(std::is_same_v<T, float> ? 1e-5 : 1e-12));
    }
    SECTION("one sample at a time") {
        for (std::size_t s = 0; s < iris.size(); s += 7) {
            Gradients<Net> expected, got;
            CHECK(backward<CategoricalCrossEntropy>(net, iris.inputs[s], iris.targets[s], expected) ==
                  backward<CategoricalCrossEntropy>(net, iris.inputs[s], iris.labels[s], got));
            CHECK(parameters_of(got) == parameters_of(expected));
            CHECK(loss<CategoricalCrossEntropy>(net, iris.inputs[s], as_int[s]) ==
                  loss<CategoricalCrossEntropy>(net, iris.inputs[s], iris.targets[s]));
        }
    }
}

TEMPLATE_TEST_CASE("0/1 labels give the loss and gradients of the targets {0} and {1} (iris, one sigmoid)",
                   "[class_labels][bce]", float, double) {
    using T = TestType;
    using Net = Network<T, Input<4>, Dense<6, Tanh>, Dense<1, Sigmoid>>;
    const auto iris = load_binary_iris<T>();
    const Net net = initialised<Net>(4);
    require_same_as_targets<BinaryCrossEntropy>(net, iris.inputs, iris.targets, iris.is_setosa);
    require_same_as_targets<BinaryCrossEntropy>(net, iris.inputs, iris.targets, iris.labels);
    Gradients<Net> expected, got;
    CHECK(backward<BinaryCrossEntropy>(net, iris.inputs[0], true, got) ==
          backward<BinaryCrossEntropy>(net, iris.inputs[0], {T(1)}, expected));
    CHECK(parameters_of(got) == parameters_of(expected));
}

namespace {

/// Two trainers from the same network, one given targets and one labels, run `run` and end equal: the same results
/// and the same weights, bit for bit.
template <class Loss, class Optimizer, class Net, class Targets, class Labels, class Run>
void require_same_training(const Net& start, const Targets& targets, const Labels& labels, Optimizer optimizer, Run run,
                           typename Net::value_type clip = 0) {
    Net with_targets = start, with_labels = start;
    Trainer<Net, Loss, Optimizer> a(with_targets, optimizer, 9), b(with_labels, optimizer, 9);
    a.clip_gradients(clip);
    b.clip_gradients(clip);
    const auto ra = run(a, targets);
    const auto rb = run(b, labels);
    REQUIRE(ra.ok());
    CHECK(rb.ok());
    CHECK(ra.steps == rb.steps);
    CHECK(ra.loss == rb.loss);
    CHECK(a.step_count() == b.step_count());
    CHECK(ctnn_test::parameter_bits(with_targets) == ctnn_test::parameter_bits(with_labels));
    CHECK(ctnn_test::parameter_bits(with_targets) != ctnn_test::parameter_bits(start));  // it trained
}

}  // namespace

TEMPLATE_TEST_CASE("A Trainer on class indices ends with the weights it reaches on one-hot targets (iris)",
                   "[class_labels][trainer]", float, double) {
    using T = TestType;
    using Net = Network<T, Input<4>, Dense<8, Tanh>, Dense<3, Softmax>>;
    using Loss = CategoricalCrossEntropy;
    const auto iris = load_iris<T>();
    const Net start = initialised<Net>(5);
    const auto& xs = iris.inputs;
    auto epochs = [&](auto& trainer, const auto& targets) {
        TrainingResult<T> result;
        for (int e = 0; e < 3 && result.ok(); ++e) result = trainer.train_epoch(xs, targets, 16);
        return result;
    };
    auto random_samples = [&](auto& trainer, const auto& targets) {
        return trainer.train_random_samples(xs, targets, 300);
    };
    auto one_by_one = [&](auto& trainer, const auto& targets) {
        TrainingResult<T> result;
        for (std::size_t s = 0; s < xs.size() && result.ok(); ++s) {
            const auto taken = trainer.step(xs[s], targets[s]);
            result.status = taken.status;
            result.steps += taken.ok() ? 1 : 0;
            result.loss += taken.loss;
        }
        return result;
    };
    SECTION("SGD, minibatch epochs") {
        require_same_training<Loss>(start, iris.targets, iris.labels, SGD<>{}, epochs);
    }
    SECTION("SGD, random samples (the fused one-sample step)") {
        require_same_training<Loss>(start, iris.targets, iris.labels, SGD<>{}, random_samples);
    }
    SECTION("SGD with clipping, random samples (the unfused one-sample step)") {
        require_same_training<Loss>(start, iris.targets, iris.labels, SGD<>{}, random_samples, T(0.5));
    }
    SECTION("Momentum, one sample at a time") {
        require_same_training<Loss>(start, iris.targets, iris.labels, Momentum<>{}, one_by_one);
    }
    SECTION("SGD, one sample at a time, labels as int") {
        const std::vector<int> as_int(iris.labels.begin(), iris.labels.end());
        require_same_training<Loss>(start, iris.targets, as_int, SGD<>{}, one_by_one);
    }
    SECTION("Adam, minibatch epochs") {
        require_same_training<Loss>(start, iris.targets, iris.labels, Adam<>{}, epochs);
    }
}

TEMPLATE_TEST_CASE("A Trainer on 0/1 labels ends with the weights it reaches on targets {0} and {1} (iris)",
                   "[class_labels][trainer]", float, double) {
    using T = TestType;
    using Net = Network<T, Input<4>, Dense<6, Tanh>, Dense<1, Sigmoid>>;
    using Loss = BinaryCrossEntropy;
    const auto iris = load_binary_iris<T>();
    const Net start = initialised<Net>(6);
    auto epochs = [&](auto& trainer, const auto& targets) { return trainer.train_epoch(iris.inputs, targets, 10); };
    auto random_samples = [&](auto& trainer, const auto& targets) {
        return trainer.train_random_samples(iris.inputs, targets, 200);
    };
    require_same_training<Loss>(start, iris.targets, iris.is_setosa, SGD<>{}, epochs);
    require_same_training<Loss>(start, iris.targets, iris.labels, SGD<>{}, random_samples);
    require_same_training<Loss>(start, iris.targets, iris.is_setosa, Adam<>{}, random_samples);
}

TEMPLATE_TEST_CASE("fused_sgd_step with a class index is the step with its one-hot target", "[class_labels][fused]",
                   float, double) {
    using T = TestType;
    using Net = Network<T, Input<4>, Dense<8, ReLU>, Dense<3, Softmax>>;
    const auto iris = load_iris<T>();
    Net a = initialised<Net>(7), b = a;
    Workspace<Net> wa, wb;
    for (std::size_t s = 0; s < iris.size(); s += 3) {
        const auto ra =
            fused_sgd_step<CategoricalCrossEntropy>(a, iris.inputs[s], iris.targets[s], T(0.05), wa, T(1e-3));
        const auto rb =
            fused_sgd_step<CategoricalCrossEntropy>(b, iris.inputs[s], iris.labels[s], T(0.05), wb, T(1e-3));
        REQUIRE(ra.ok());
        CHECK(rb.ok());
        CHECK(ra.loss == rb.loss);
    }
    CHECK(ctnn_test::parameter_bits(a) == ctnn_test::parameter_bits(b));
}

TEST_CASE("label_in_range and labels_in_range say which labels name a class", "[class_labels]") {
    STATIC_REQUIRE(label_in_range<3>(0));
    STATIC_REQUIRE(label_in_range<3>(2));
    STATIC_REQUIRE(!label_in_range<3>(3));
    STATIC_REQUIRE(!label_in_range<3>(-1));
    STATIC_REQUIRE(!label_in_range<3>(std::uint8_t{255}));
    STATIC_REQUIRE(!label_in_range<3>(std::int64_t{-4294967296}));  // -2^32: 0 in the low 32 bits
    STATIC_REQUIRE(label_in_range<2>(true));
    STATIC_REQUIRE(!label_in_range<2>(std::size_t{2}));
    using Softmax3 = Network<float, Input<2>, Dense<3, Softmax>>;
    using Sigmoid1 = Network<float, Input<2>, Dense<1, Sigmoid>>;
    STATIC_REQUIRE(label_classes<CategoricalCrossEntropy, Softmax3> == 3);
    STATIC_REQUIRE(label_classes<BinaryCrossEntropy, Sigmoid1> == 2);
    const std::vector<int> good{0, 1, 2}, bad{0, 3, 1};
    CHECK(labels_in_range<CategoricalCrossEntropy, Softmax3>(std::span<const int>(good)));
    CHECK(!labels_in_range<CategoricalCrossEntropy, Softmax3>(std::span<const int>(bad)));
    CHECK(!labels_in_range<BinaryCrossEntropy, Sigmoid1>(std::span<const int>(good)));
}

namespace {

template <class Trainer>
void require_refused_unchanged(Trainer& trainer, const StepResult<typename Trainer::value_type>& result,
                               const std::vector<std::byte>& parameters_before, Random generator_before) {
    CHECK(result.status == StepStatus::invalid_target);
    CHECK(!result);
    CHECK(std::isnan(result.loss));
    CHECK(trainer.step_count() == 0);
    CHECK(ctnn_test::parameter_bits(trainer.network()) == parameters_before);
    Random now = trainer.random();  // a copy: the trainer's own generator stays as it is
    for (int k = 0; k < 4; ++k) CHECK(now() == generator_before());  // nothing drawn
}

}  // namespace

TEMPLATE_TEST_CASE("A class index out of range refuses the training step: invalid_target, nothing changed",
                   "[class_labels][trainer][invalid]", float, double) {
    using T = TestType;
    using Net = Network<T, Input<4>, Dense<5, RReLU>, Dense<3, Softmax>>;  // RReLU: the step draws slopes
    using Loss = CategoricalCrossEntropy;
    const auto iris = load_iris<T>();
    const Net start = initialised<Net>(8);
    const auto before = ctnn_test::parameter_bits(start);

    SECTION("a minibatch with a label of output_size") {
        Net net = start;
        Trainer<Net, Loss, SGD<>> trainer(net);
        std::vector<std::size_t> labels(iris.labels.begin(), iris.labels.begin() + 10);
        labels[7] = 3;
        const Random generator = trainer.random();
        const auto result = trainer.step(std::span(iris.inputs).first(10), labels);
        require_refused_unchanged(trainer, result, before, generator);
    }
    SECTION("one sample, negative, with the fused SGD step and with Adam") {
        Net net = start;
        Trainer<Net, Loss, SGD<>> sgd(net);
        Random generator = sgd.random();
        require_refused_unchanged(sgd, sgd.step(iris.inputs[0], -1), before, generator);
        require_refused_unchanged(sgd, sgd.step(iris.inputs[0], std::size_t{3}), before, generator);
        Trainer<Net, Loss, Adam<>> adam(net);
        generator = adam.random();
        require_refused_unchanged(adam, adam.step(iris.inputs[0], 5), before, generator);
    }
    SECTION("an epoch stops at the batch that holds it, after the batches before") {
        std::vector<int> labels(iris.labels.begin(), iris.labels.end());
        labels[37] = 99;
        Net net = start, reference = start;
        Trainer<Net, Loss, SGD<>> trainer(net), first_three(reference);
        const auto run = trainer.train_epoch(iris.inputs, labels, 10);
        CHECK(run.status == StepStatus::invalid_target);
        CHECK(run.steps == 3);
        CHECK(run.failed_step() == 4);
        REQUIRE(first_three.train_epoch(std::span(iris.inputs).first(30), std::span(iris.labels).first(30), 10).ok());
        CHECK(trainer.step_count() == 3);
        CHECK(ctnn_test::parameter_bits(net) == ctnn_test::parameter_bits(reference));
    }
    SECTION("random samples stop at the first pick of it") {
        const std::vector<int> labels(iris.size(), -7);
        Net net = start;
        Trainer<Net, Loss, SGD<>> trainer(net);
        const auto run = trainer.train_random_samples(iris.inputs, labels, 50);
        CHECK(run.status == StepStatus::invalid_target);
        CHECK(run.steps == 0);
        CHECK(ctnn_test::parameter_bits(net) == before);
    }
    SECTION("fused_sgd_step on its own") {
        Net net = start;
        Workspace<Net> workspace;
        const auto result = fused_sgd_step<Loss>(net, iris.inputs[0], 3, T(0.1), workspace);
        CHECK(result.status == StepStatus::invalid_target);
        CHECK(std::isnan(result.loss));
        CHECK(ctnn_test::parameter_bits(net) == before);
    }
    CHECK(std::string(to_string(StepStatus::invalid_target)) == "invalid_target");
}

TEMPLATE_TEST_CASE("A label other than 0 or 1 refuses a step of one sigmoid output", "[class_labels][trainer][invalid]",
                   float, double) {
    using T = TestType;
    using Net = Network<T, Input<4>, Dense<6, Tanh>, Dense<1, Sigmoid>>;
    const auto iris = load_binary_iris<T>();
    const Net start = initialised<Net>(10);
    const auto before = ctnn_test::parameter_bits(start);
    Net net = start;
    Trainer<Net, BinaryCrossEntropy, SGD<>> trainer(net);
    const Random generator = trainer.random();
    require_refused_unchanged(trainer, trainer.step(iris.inputs[0], 2), before, generator);
    const std::vector<int> labels{0, 1, -1};
    require_refused_unchanged(trainer, trainer.step(std::span(iris.inputs).first(3), labels), before, generator);
}
