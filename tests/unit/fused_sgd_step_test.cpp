// ctnn::fused_sgd_step (include/ctnn/train/fused_sgd_step.hpp) against its definition: ctnn::backward on a batch of
// one, then ctnn::SGD's update, on every output/loss pairing, with learned (PReLU) and random (RReLU) slopes, with and
// without weight decay, in float and double; and ctnn::Trainer's one-sample SGD step, which takes the fused path,
// against the same step taken through the gradients.

#include <ctnn/ctnn.hpp>

#include "support/gradient_check.hpp"

#include <catch2/catch.hpp>

#if defined(CTNN_TEST_SIZE_OPTIMISED) && !defined(__OPTIMIZE_SIZE__)
#error "ctnn_size_optimised_tests must be built with -Os: it tests fused_sgd_step's route for size-optimised builds"
#endif

#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>

namespace {

using namespace ctnn;

template <class T>
constexpr double tolerance = std::is_same_v<T, float> ? 2e-6 : 1e-13;

/// The largest difference between two networks' parameters, relative to max(1, |parameter|).
template <class Net>
double largest_difference(const Net& a, const Net& b) {
    double worst = 0;
    for (std::size_t k = 0; k < Net::parameter_count; ++k) {
        const double pa = a.parameter(k), pb = b.parameter(k);
        worst = std::max(worst, std::abs(pa - pb) / std::max(1.0, std::abs(pb)));
    }
    return worst;
}

template <class Net, class Loss>
void check_fused_step_matches_backward_then_update(double weight_decay) {
    using T = typename Net::value_type;
    INFO("weight decay " << weight_decay << ", T = " << (sizeof(T) == 4 ? "float" : "double"));
    Random random(17);
    auto fused = std::make_unique<Net>();
    ctnn_test::randomize(*fused, random);
    auto reference = std::make_unique<Net>(*fused);
    auto workspace = std::make_unique<Workspace<Net>>();
    auto gradients = std::make_unique<Gradients<Net>>();
    const SGD<> sgd{{0.05}, weight_decay};
    SGD<>::State<Net> state;
    const auto inputs = ctnn_test::make_inputs<Net>(5, random);
    const auto targets = ctnn_test::make_targets<Loss, Net>(5, random);
    for (std::size_t s = 0; s < inputs.size(); ++s) {
        const auto fused_step =
            fused_sgd_step<Loss>(*fused, inputs[s], targets[s], T(0.05), *workspace, T(weight_decay));
        REQUIRE(fused_step.ok());
        const T fused_loss = fused_step.loss;
        const T reference_loss =
            backward<Loss>(*reference, std::span(&inputs[s], 1), std::span(&targets[s], 1), *gradients, *workspace);
        REQUIRE(sgd.update(*reference, *gradients, state, s + 1));
        CHECK(fused_loss == Approx(reference_loss).epsilon(tolerance<T>));
        CHECK(largest_difference(*fused, *reference) <= tolerance<T>);
        CHECK(largest_difference(*fused, Net()) > 0);  // the step did move the parameters
    }
    // Padding lanes stay zero: the storage sums to the same total as the parameters.
    double storage = 0, parameters = 0;
    for (const T v : fused->storage()) storage += std::abs(double(v));
    for (std::size_t k = 0; k < Net::parameter_count; ++k) parameters += std::abs(double(fused->parameter(k)));
    CHECK(storage == Approx(parameters).epsilon(1e-12));
}

template <class T>
using Regression = Network<T, Input<3>, Dense<5, PReLU>, Dense<9, Tanh>, Dense<2, Linear>>;
template <class T>
using Binary = Network<T, Input<4>, Dense<17, ReLU>, Dense<3, Sigmoid>>;
template <class T>
using Classifier = Network<T, Input<7>, Dense<33, ELU>, Dense<6, PReLU>, Dense<10, Softmax>>;

}  // namespace

TEMPLATE_TEST_CASE("fused_sgd_step equals backward on one sample followed by SGD's update", "[train][fused_sgd]", float,
                   double) {
    for (const double decay : {0.0, 0.01}) {
        check_fused_step_matches_backward_then_update<Regression<TestType>, MeanSquaredError>(decay);
        check_fused_step_matches_backward_then_update<Binary<TestType>, BinaryCrossEntropy>(decay);
        check_fused_step_matches_backward_then_update<Classifier<TestType>, CategoricalCrossEntropy>(decay);
    }
}

TEST_CASE("Trainer's one-sample SGD step (fused) equals the step taken through the gradients", "[train][fused_sgd]") {
    using Net = Network<float, Input<4>, Dense<16, RReLU>, Dense<8, PReLU>, Dense<3, Softmax>>;
    Random random(23);
    auto fused_net = std::make_unique<Net>();
    ctnn_test::randomize(*fused_net, random);
    auto plain_net = std::make_unique<Net>(*fused_net);
    const SGD<StepDecay> sgd{{0.1, 0.5, 3}, 0.001};
    auto fused = std::make_unique<Trainer<Net, CategoricalCrossEntropy, SGD<StepDecay>>>(*fused_net, sgd, 5);
    auto plain = std::make_unique<Trainer<Net, CategoricalCrossEntropy, SGD<StepDecay>>>(*plain_net, sgd, 5);
    plain->clip_gradients(1e30f);  // clipping needs the whole gradient, so this trainer takes the unfused path
    const auto inputs = ctnn_test::make_inputs<Net>(10, random);
    const auto targets = ctnn_test::make_targets<CategoricalCrossEntropy, Net>(10, random);
    for (std::size_t s = 0; s < inputs.size(); ++s) {
        const auto fused_step = fused->step(inputs[s], targets[s]);
        const auto plain_step = plain->step(inputs[s], targets[s]);
        REQUIRE(fused_step.ok());
        REQUIRE(plain_step.ok());
        const float fused_loss = fused_step.loss, plain_loss = plain_step.loss;
        INFO("step " << s + 1);
        CHECK(fused_loss == Approx(plain_loss).epsilon(1e-5));
        CHECK(largest_difference(*fused_net, *plain_net) <= 1e-5);
    }
    CHECK(fused->step_count() == inputs.size());
    CHECK(fused->random()() == plain->random()());  // both drew the same RReLU slopes
}
