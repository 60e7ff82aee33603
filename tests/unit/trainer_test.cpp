// ctnn::Trainer (include/ctnn/train/trainer.hpp) when training diverges: a step whose loss or gradient is not finite
// is refused and leaves no trace (parameters, optimiser state, step count), on every path a step can take (the fused
// one-sample SGD step, minibatches, clipping; SGD, Momentum and Adam); train_epoch and train_random_samples stop and
// say at which step. Each refused step is compared with a twin trainer that never saw it.

#include <ctnn/ctnn.hpp>

#include "support/gradient_check.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

using namespace ctnn;

namespace {

template <class T>
using Net = Network<T, Input<2>, Dense<8, Tanh>, Dense<1, Linear>>;

template <class N>
bool all_finite(const N& net) {
    for (std::size_t k = 0; k < N::parameter_count; ++k) {
        if (!std::isfinite(net.parameter(k))) return false;
    }
    return true;
}

template <class T>
struct Data {
    std::vector<std::array<T, 2>> inputs;
    std::vector<std::array<T, 1>> targets;
};

template <class T>
Data<T> make_data(std::size_t n, Random& random) {
    Data<T> d;
    for (std::size_t s = 0; s < n; ++s) {
        const T a = random.uniform<T>(-1, 1), b = random.uniform<T>(-1, 1);
        d.inputs.push_back({a, b});
        d.targets.push_back({a * b + T(0.5) * a});
    }
    return d;
}

/// `samples` training samples and a freshly initialised network, with a copy of where it started.
template <class T>
struct Start {
    Data<T> data;
    std::unique_ptr<Net<T>> net;
    Net<T> initial;
};

template <class T>
Start<T> start(std::size_t samples, std::uint64_t seed) {
    Random random(seed);
    Start<T> s{make_data<T>(samples, random), std::make_unique<Net<T>>(), {}};
    init::normal_inverse_fan_in(*s.net, random);
    s.initial = *s.net;
    return s;
}

/// The steps of one configuration: each takes step `k` (from 1) of a run on `d` with `trainer`.
enum class Path { fused, one_sample_clipped, minibatch, minibatch_clipped };

template <class Trainer, class T>
StepResult<T> take(Trainer& trainer, Path path, const Data<T>& d, std::size_t k) {
    const std::size_t s = k % d.inputs.size();
    if (path == Path::fused || path == Path::one_sample_clipped) return trainer.step(d.inputs[s], d.targets[s]);
    const std::size_t first = (4 * k) % (d.inputs.size() - 3);  // batches of 4
    return trainer.step(std::span(d.inputs).subspan(first, 4), std::span(d.targets).subspan(first, 4));
}

/// Runs `optimizer` on `path` until a step is refused (at most 3000 steps), and checks that the refused step changed
/// nothing: the network equals its copy from before the step, bit for bit, every parameter is finite, and
/// step_count() did not move. A twin that replays the accepted steps from the same start ends with the same network.
/// (That the optimiser's state is left alone too is the next test's subject.)
template <class T, class Optimizer>
void check_divergence_is_refused(Optimizer optimizer, Path path) {
    using N = Net<T>;
    const Start<T> setup = start<T>(32, 5);
    const Data<T>& d = setup.data;
    N* const net = setup.net.get();
    const N& initial = setup.initial;
    auto trainer = std::make_unique<Trainer<N, MeanSquaredError, Optimizer>>(*net, optimizer);
    const bool clipped = path == Path::one_sample_clipped || path == Path::minibatch_clipped;
    // Clipping takes the unfused path; this max_norm is above every gradient before the loss overflows.
    const T max_norm = sizeof(T) == 4 ? T(1e30) : T(1e200);
    if (clipped) trainer->clip_gradients(max_norm);

    std::size_t refused = 0;
    for (std::size_t k = 1; k <= 3000 && refused == 0; ++k) {
        const N before = *net;
        const auto result = take(*trainer, path, d, k);
        if (!result) {
            refused = k;
            INFO("refused step " << k << ": " << to_string(result.status) << ", loss " << result.loss);
            // Which comes first depends on the path and T: the loss's square or a gradient's product.
            if (result.status == StepStatus::non_finite_loss) {
                CHECK_FALSE(std::isfinite(result.loss));
            } else {
                CHECK(result.status == StepStatus::non_finite_gradient);
                CHECK(std::isfinite(result.loss));
            }
            CHECK(*net == before);
            CHECK(all_finite(*net));
            CHECK(trainer->step_count() == k - 1);
        } else {
            CHECK(std::isfinite(result.loss));
        }
    }
    REQUIRE(refused > 0);  // the learning rate is large enough to diverge
    CHECK_FALSE(*net == initial);

    auto twin_net = std::make_unique<N>(initial);
    auto twin = std::make_unique<Trainer<N, MeanSquaredError, Optimizer>>(*twin_net, optimizer);
    if (clipped) twin->clip_gradients(max_norm);
    for (std::size_t k = 1; k < refused; ++k) REQUIRE(take(*twin, path, d, k).ok());
    CHECK(*twin_net == *net);
    CHECK_FALSE(take(*twin, path, d, refused).ok());
}

}  // namespace

TEMPLATE_TEST_CASE("A diverging SGD step is refused and changes nothing, on every path", "[trainer][divergence]", float,
                   double) {
    using T = TestType;
    const SGD<> sgd{.learning_rate = {50.0}};
    SECTION("one sample, fused") {
        check_divergence_is_refused<T>(sgd, Path::fused);
    }
    SECTION("one sample, clipped (unfused)") {
        check_divergence_is_refused<T>(sgd, Path::one_sample_clipped);
    }
    SECTION("minibatch") {
        check_divergence_is_refused<T>(sgd, Path::minibatch);
    }
    SECTION("minibatch, clipped") {
        check_divergence_is_refused<T>(sgd, Path::minibatch_clipped);
    }
}

TEMPLATE_TEST_CASE("A diverging Momentum or Adam step leaves the parameters and the optimiser's state alone",
                   "[trainer][divergence]", float, double) {
    using T = TestType;
    SECTION("Nesterov momentum") {
        check_divergence_is_refused<T>(Momentum<>{.learning_rate = {20.0}, .momentum = 0.9, .nesterov = true},
                                       Path::minibatch);
    }
    SECTION("Adam with a huge learning rate") {
        // Adam's steps are about as large as the learning rate, whatever the gradient.
        const double huge = sizeof(T) == 4 ? 1e25 : 1e200;
        check_divergence_is_refused<T>(Adam<>{.learning_rate = {huge}}, Path::minibatch);
        check_divergence_is_refused<T>(Adam<>{.learning_rate = {huge}}, Path::one_sample_clipped);
    }
}

/// Twelve rounds of a minibatch step and a one-sample step, with refused steps (a NaN input, an infinite target) in
/// the middle or not, give the same network and the same last gradients, bit for bit, for every optimiser and with
/// clipping or not.
template <class N>
void check_refused_steps_leave_no_trace() {
    using T = typename N::value_type;
    Random random(9);
    const Data<T> d = make_data<T>(16, random);
    N start;
    init::normal_inverse_fan_in(start, random);
    const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
    const std::array<typename N::input_type, 2> bad_inputs{{{T(0.5), nan}, {T(0.5), T(0.25)}}};
    const std::array<typename N::output_type, 2> bad_targets{{{T(0)}, {inf}}};

    auto run = [&](auto optimizer, bool clipped, bool with_bad_steps) {
        auto net = std::make_unique<N>(start);
        Trainer<N, MeanSquaredError, decltype(optimizer)> trainer(*net, optimizer);
        if (clipped) trainer.clip_gradients(T(0.5));
        for (std::size_t k = 0; k < 12; ++k) {
            if (with_bad_steps && k == 5) {
                // A NaN input, an infinite target: one sample, and both in a minibatch.
                const auto one = trainer.step(bad_inputs[0], {T(0)});
                CHECK(one.status == StepStatus::non_finite_loss);
                const auto two = trainer.step(bad_inputs[1], bad_targets[1]);
                CHECK(two.status == StepStatus::non_finite_loss);
                CHECK(trainer.step(std::span(bad_inputs), std::span(bad_targets)).status ==
                      StepStatus::non_finite_loss);
            }
            const std::size_t first = (3 * k) % 12;
            REQUIRE(trainer.step(std::span(d.inputs).subspan(first, 4), std::span(d.targets).subspan(first, 4)).ok());
            REQUIRE(trainer.step(d.inputs[k], d.targets[k]).ok());
        }
        CHECK(trainer.step_count() == 24);
        // The gradients' padding lanes too: those of the twin that saw no NaN are zero.
        const auto& g = trainer.gradients().storage();
        return std::pair(*net, std::vector<T>(g.begin(), g.end()));
    };
    CHECK(run(SGD<>{.learning_rate = {0.1}}, false, true) == run(SGD<>{.learning_rate = {0.1}}, false, false));
    CHECK(run(SGD<>{.learning_rate = {0.1}}, true, true) == run(SGD<>{.learning_rate = {0.1}}, true, false));
    const Momentum<> momentum{.learning_rate = {0.05}, .momentum = 0.9};
    CHECK(run(momentum, false, true) == run(momentum, false, false));
    const Adam<> adam{.learning_rate = {0.01}, .weight_decay = 0.01};
    CHECK(run(adam, false, true) == run(adam, false, false));
    CHECK(run(adam, true, true) == run(adam, true, false));
}

TEMPLATE_TEST_CASE("A refused step in the middle of training leaves no trace", "[trainer][divergence]", float, double) {
    check_refused_steps_leave_no_trace<Net<TestType>>();
    // Hidden layers of 5 and 3 units pad their registers on every instruction set: a NaN input's z is NaN in the
    // padding lanes too, which must not stay in the rows the next steps reuse.
    check_refused_steps_leave_no_trace<Network<TestType, Input<2>, Dense<5, Tanh>, Dense<3, ReLU>, Dense<1, Linear>>>();
}

TEMPLATE_TEST_CASE("A finite loss with a gradient that overflows is refused as non_finite_gradient",
                   "[trainer][divergence]", float, double) {
    // x = 1 reaches a ReLU unit with weight 1e-10, so h = 1e-10; two sigmoid outputs weigh it by the largest
    // finite values: z = 1e-10 x largest is finite, and so is the loss (about 2 z for targets 0), but the delta
    // that reaches the hidden unit, largest + largest, is not.
    using T = TestType;
    using N = Network<T, Input<1>, Dense<1, ReLU>, Dense<2, Sigmoid>>;
    const T big = std::numeric_limits<T>::max();
    const std::array<T, N::parameter_count> parameters{T(1e-10), T(0), big, big, T(0), T(0)};
    const N start = N::from_parameters(parameters);
    const typename N::input_type x{T(1)};
    const typename N::output_type t{T(0), T(0)};
    REQUIRE(std::isfinite(loss<BinaryCrossEntropy>(start, std::span(&x, 1), std::span(&t, 1))));

    auto check = [&](auto optimizer, bool clipped, bool minibatch) {
        N net = start;
        Trainer<N, BinaryCrossEntropy, decltype(optimizer)> trainer(net, optimizer);
        if (clipped) trainer.clip_gradients(T(1));
        const auto result = minibatch ? trainer.step(std::span(&x, 1), std::span(&t, 1)) : trainer.step(x, t);
        CHECK(result.status == StepStatus::non_finite_gradient);
        CHECK(std::isfinite(result.loss));
        CHECK(net == start);
        CHECK(trainer.step_count() == 0);
    };
    check(SGD<>{.learning_rate = {0.1}}, false, false);  // fused: the hidden delta is checked before any update
    check(SGD<>{.learning_rate = {0.1}}, true, false);
    check(SGD<>{.learning_rate = {0.1}}, false, true);
    check(Adam<>{}, false, true);
    check(Momentum<>{}, true, true);

    // fused_sgd_step itself says the same.
    N net = start;
    Workspace<N, 1> workspace;
    const auto fused = fused_sgd_step<BinaryCrossEntropy>(net, x, t, T(0.1), workspace);
    CHECK(fused.status == StepStatus::non_finite_gradient);
    CHECK(net == start);
}

TEMPLATE_TEST_CASE("train_epoch stops at a diverging minibatch and says which", "[trainer][divergence]", float,
                   double) {
    using T = TestType;
    using N = Net<T>;
    const Start<T> setup = start<T>(40, 3);  // 5 minibatches of 8
    const Data<T>& d = setup.data;
    N* const net = setup.net.get();
    const N& initial = setup.initial;
    const SGD<> sgd{.learning_rate = {30.0}};
    Trainer<N, MeanSquaredError, SGD<>> trainer(*net, sgd);
    std::size_t epoch = 0;
    TrainingResult<T> run;
    for (epoch = 1; epoch <= 200; ++epoch) {
        run = trainer.train_epoch(d.inputs, d.targets, 8);
        if (!run) break;
        CHECK(run.steps == 5);
        CHECK(std::isfinite(run.loss));
    }
    REQUIRE_FALSE(run.ok());
    INFO("epoch " << epoch << ": stopped at step " << run.failed_step() << " (" << to_string(run.status) << ")");
    CHECK(run.failed_step() == run.steps + 1);
    CHECK(run.failed_step() >= 1);
    CHECK(run.failed_step() <= 5);
    CHECK(all_finite(*net));
    CHECK(trainer.step_count() == 5 * (epoch - 1) + run.steps);

    // The twin takes the same minibatches one by one: the network it has before the refused one is this network,
    // and its mean loss over the steps taken is the epoch's.
    N twin_net = initial;
    Trainer<N, MeanSquaredError, SGD<>> twin(twin_net, sgd);
    for (std::size_t e = 1; e < epoch; ++e) REQUIRE(twin.train_epoch(d.inputs, d.targets, 8).ok());
    long double sum = 0;
    for (std::size_t b = 0; b < run.steps; ++b) {
        const auto step = twin.step(std::span(d.inputs).subspan(8 * b, 8), std::span(d.targets).subspan(8 * b, 8));
        REQUIRE(step.ok());
        sum += step.loss;
    }
    CHECK(twin_net == *net);
    if (run.steps > 0) {
        CHECK(run.loss == Approx(static_cast<double>(sum / run.steps)).epsilon(1e-5));
    } else {
        CHECK(run.loss == 0);
    }
    const auto refused =
        twin.step(std::span(d.inputs).subspan(8 * run.steps, 8), std::span(d.targets).subspan(8 * run.steps, 8));
    CHECK(refused.status == run.status);
}

TEMPLATE_TEST_CASE("train_random_samples stops at a diverging step and says which", "[trainer][divergence]", float,
                   double) {
    using T = TestType;
    using N = Net<T>;
    const Start<T> setup = start<T>(16, 4);
    const Data<T>& d = setup.data;
    N* const net = setup.net.get();
    const N& initial = setup.initial;
    const SGD<> sgd{.learning_rate = {50.0}};
    Trainer<N, MeanSquaredError, SGD<>> trainer(*net, sgd, 77);
    const auto run = trainer.train_random_samples(d.inputs, d.targets, 5000);
    REQUIRE_FALSE(run.ok());
    INFO("stopped at step " << run.failed_step() << " (" << to_string(run.status) << ")");
    CHECK(run.failed_step() == run.steps + 1);
    CHECK(trainer.step_count() == run.steps);
    CHECK(all_finite(*net));

    // The same seed picks the same samples: a run of exactly the steps taken ends where this one stopped, with the
    // same mean loss.
    N twin_net = initial;
    Trainer<N, MeanSquaredError, SGD<>> twin(twin_net, sgd, 77);
    const auto replay = twin.train_random_samples(d.inputs, d.targets, run.steps);
    CHECK(replay.ok());
    CHECK(replay.steps == run.steps);
    CHECK(twin_net == *net);
    CHECK(replay.loss == run.loss);
}

TEST_CASE("A run that completes says so", "[trainer]") {
    using N = Net<float>;
    Random random(6);
    const Data<float> d = make_data<float>(12, random);
    N net;
    init::normal_inverse_fan_in(net, random);
    N twin_net = net;
    Trainer<N, MeanSquaredError, Adam<>> trainer(net, {.learning_rate = {0.01}});
    const auto epoch = trainer.train_epoch(d.inputs, d.targets, 5);
    CHECK(epoch.ok());
    CHECK(epoch.steps == 3);
    CHECK(epoch.failed_step() == 0);
    // The epoch's loss is the mean over the samples before each step: compare with the losses the steps report.
    Trainer<N, MeanSquaredError, Adam<>> twin(twin_net, {.learning_rate = {0.01}});
    double weighted = 0;
    for (std::size_t first = 0; first < 12; first += 5) {
        const std::size_t count = std::min<std::size_t>(5, 12 - first);
        const auto step =
            twin.step(std::span(d.inputs).subspan(first, count), std::span(d.targets).subspan(first, count));
        weighted += static_cast<double>(step.loss) * static_cast<double>(count);
    }
    CHECK(epoch.loss == Approx(weighted / 12).epsilon(1e-6));
    const auto samples = trainer.train_random_samples(d.inputs, d.targets, 7);
    CHECK(samples.ok());
    CHECK(samples.steps == 7);
    CHECK(std::string(to_string(StepStatus::ok)) == "ok");
    CHECK(std::string(to_string(StepStatus::non_finite_gradient)) == "non_finite_gradient");
}
