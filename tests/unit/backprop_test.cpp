#include <ctnn/ctnn.hpp>

#include "support/gradient_check.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <tuple>
#include <vector>

using namespace ctnn;

namespace {

template <class T>
using SoftmaxNet = Network<T, Input<5>, Dense<9, Tanh>, Dense<4, Softmax>>;
template <class T>
using SigmoidNet = Network<T, Input<5>, Dense<9, ReLU>, Dense<3, Sigmoid>>;
template <class T>
using LinearNet = Network<T, Input<5>, Dense<9, Swish>, Dense<3, Linear>>;

template <class Net>
std::vector<typename Net::value_type> parameters_of(const Gradients<Net>& g) {
    std::vector<typename Net::value_type> p(Net::parameter_count);
    g.read(std::span<typename Net::value_type, Net::parameter_count>(p.data(), p.size()));
    return p;
}

/// One sample, by the one-sample forms and by the span forms with a batch of one: the same loss, gradients and input
/// gradient, bit for bit, with and without a workspace (of batch_tile samples, and of one, the per-sample path).
template <class Loss, class Net>
void require_one_sample_forms_equal_batch_of_one(std::uint64_t seed) {
    using T = typename Net::value_type;
    Random random(seed);
    Net net;
    ctnn_test::randomize(net, random);
    const auto x = ctnn_test::make_inputs<Net>(1, random)[0];
    const auto t = ctnn_test::make_targets<Loss, Net>(1, random)[0];
    const std::span<const typename Net::input_type> xs(&x, 1);
    const std::span<const typename Net::output_type> ts(&t, 1);

    Gradients<Net> batch_g;
    std::array<typename Net::input_type, 1> batch_dx{};
    const T batch_loss = backward<Loss>(net, xs, ts, batch_g, batch_dx);
    const T batch_only_loss = loss<Loss>(net, xs, ts);  // loss has a sum of its own: compared with itself

    Gradients<Net> g;
    typename Net::input_type dx{};
    CHECK(backward<Loss>(net, x, t, g, dx) == batch_loss);
    CHECK(parameters_of(g) == parameters_of(batch_g));
    CHECK(dx == batch_dx[0]);
    Gradients<Net> g_only;
    CHECK(backward<Loss>(net, x, t, g_only) == batch_loss);
    CHECK(parameters_of(g_only) == parameters_of(batch_g));
    CHECK(loss<Loss>(net, x, t) == batch_only_loss);

    Workspace<Net> workspace;
    Workspace<Net, 1> single;
    CHECK(backward<Loss>(net, x, t, g, workspace, dx) == batch_loss);
    CHECK(parameters_of(g) == parameters_of(batch_g));
    CHECK(dx == batch_dx[0]);
    CHECK(loss<Loss>(net, x, t, workspace) == loss<Loss>(net, xs, ts, workspace));
    Gradients<Net> per_sample_batch;
    const T per_sample_loss = backward<Loss>(net, xs, ts, per_sample_batch, single);
    CHECK(backward<Loss>(net, x, t, g_only, single) == per_sample_loss);
    CHECK(parameters_of(g_only) == parameters_of(per_sample_batch));
    CHECK(loss<Loss>(net, x, t, single) == loss<Loss>(net, xs, ts, single));
}

/// The one-sample backward against central differences of the long-double reference's loss of that sample.
template <class Loss, class Net>
void require_one_sample_gradients_match_finite_differences(std::uint64_t seed) {
    using T = typename Net::value_type;
    Random random(seed);
    Net net;
    ctnn_test::randomize(net, random);
    const auto x = ctnn_test::make_inputs_away_from_kinks(net, 1, random, 0.05)[0];
    const auto t = ctnn_test::make_targets<Loss, Net>(1, random)[0];
    Gradients<Net> g;
    typename Net::input_type dx{};
    (void)backward<Loss>(net, x, t, g, dx);
    const auto p = parameters_of(g);

    ctnn_test::ReferenceMlp reference = ctnn_test::reference_of(net);
    std::vector<ctnn_test::real> rx(x.begin(), x.end());
    const std::vector<ctnn_test::real> rt(t.begin(), t.end());
    // Central differences of the reference's loss of the sample, moving one of `entries` at a time.
    auto against_differences = [&](const auto& analytic, std::vector<ctnn_test::real>& entries) {
        return ctnn_test::compare_with_central_differences(
            std::vector<ctnn_test::real>(analytic.begin(), analytic.end()),
            [&](std::size_t k, ctnn_test::real d) {
                const ctnn_test::real kept = entries[k];
                entries[k] = kept + d;
                const ctnn_test::real value = reference.loss(ctnn_test::loss_kind<Loss>(), rx, rt);
                entries[k] = kept;
                return value;
            },
            ctnn_test::reference_step, ctnn_test::tolerances<T>::reference);
    };
    const auto parameters = against_differences(p, reference.parameters);
    const auto inputs = against_differences(dx, rx);
    INFO("worst " << static_cast<double>(parameters.worst) << " (parameters), " << static_cast<double>(inputs.worst)
                  << " (inputs)");
    CHECK(parameters.failures == 0);
    CHECK(inputs.failures == 0);
}

}  // namespace

TEMPLATE_TEST_CASE("One-sample backward and loss equal the span forms with a batch of one", "[backprop][one_sample]",
                   float, double) {
    using T = TestType;
    require_one_sample_forms_equal_batch_of_one<CategoricalCrossEntropy, SoftmaxNet<T>>(1);
    require_one_sample_forms_equal_batch_of_one<BinaryCrossEntropy, SigmoidNet<T>>(2);
    require_one_sample_forms_equal_batch_of_one<MeanSquaredError, LinearNet<T>>(3);
    require_one_sample_forms_equal_batch_of_one<MSELoss, LinearNet<T>>(4);
}

TEMPLATE_TEST_CASE("One-sample backward matches finite differences of the sample's loss", "[backprop][one_sample]",
                   float, double) {
    using T = TestType;
    require_one_sample_gradients_match_finite_differences<CategoricalCrossEntropy, SoftmaxNet<T>>(11);
    require_one_sample_gradients_match_finite_differences<BinaryCrossEntropy, SigmoidNet<T>>(12);
    require_one_sample_gradients_match_finite_differences<MeanSquaredError, LinearNet<T>>(13);
    require_one_sample_gradients_match_finite_differences<MSELoss, LinearNet<T>>(14);
}

TEMPLATE_TEST_CASE("One-sample loss takes a braced target", "[backprop][one_sample]", float, double) {
    using T = TestType;
    using Net = Network<T, Input<2>, Dense<2, Linear>>;
    Net net;
    net.write_parameters(std::array<T, 6>{1, 0, 0, 1, 0, 0});  // y = x
    const typename Net::input_type x{T(1), T(2)};
    CHECK(loss<MeanSquaredError>(net, x, {T(0), T(0)}) == T(2.5));  // (1 + 4) / 2
    CHECK(loss<MSELoss>(net, x, {T(0), T(0)}) == T(2.5));           // (1 + 4) / 2 as well: n = 2
    CHECK(loss<MSELoss>(net, x, {T(1), T(0)}) == T(2));             // (0 + 4) / 2
}
