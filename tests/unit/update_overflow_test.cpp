// An update that overflows T although the loss and the gradient are finite (include/ctnn/simd/update.hpp,
// simd/kernels.hpp, train/{sgd,momentum,adam}.hpp, train/fused_sgd_step.hpp, train/trainer.hpp): the parameters whose
// new value or optimiser state would be infinite or NaN keep theirs, bit for bit, every other parameter takes its step,
// and the step says StepStatus::non_finite_update. Each step is replayed parameter by parameter in long double from
// the gradient ctnn::backward gives, which also says which parameters overflow (a new value beyond T's largest); the
// setups keep every value far from that boundary, so the verdict does not depend on rounding.

#include <ctnn/ctnn.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

using namespace ctnn;

namespace {

/// The learning rate of step `huge_step`: `huge`; of every other step: `sane`.
struct Scripted {
    double sane = 1e-6;
    double huge = 0;
    std::size_t huge_step = 2;
    [[nodiscard]] double operator()(std::size_t t) const noexcept { return t == huge_step ? huge : sane; }
};

// ---- the replay, in long double ----------------------------------------------------------------------------------

/// Every parameter's value and optimiser state (a: velocity or Adam's m; b: Adam's v) in long double, and which of
/// them the last step left alone because it overflowed.
struct Replay {
    std::vector<long double> w, a, b;
    std::vector<bool> overflowed;
    std::size_t overflow_count = 0;
};

template <class Net>
Replay replay_of(const Net& net) {
    Replay r;
    for (std::size_t k = 0; k < Net::parameter_count; ++k) r.w.push_back(net.parameter(k));
    r.a.assign(r.w.size(), 0);
    r.b.assign(r.w.size(), 0);
    r.overflowed.assign(r.w.size(), false);
    return r;
}

/// A hyper-parameter as the network's T holds it.
template <class T>
long double in(double value) {
    return static_cast<long double>(static_cast<T>(value));
}

/// One parameter's rule: its new value and state from the old, the gradient g and the rate eta.
struct NewValues {
    long double w, a, b;
};

template <class T, class Schedule>
NewValues rule(const SGD<Schedule>& o, long double eta, std::size_t /*t*/, long double g, long double w, long double a,
               long double b) {
    return {w - eta * (g + in<T>(o.weight_decay) * w), a, b};
}

template <class T, class Schedule>
NewValues rule(const Momentum<Schedule>& o, long double eta, std::size_t /*t*/, long double g, long double w,
               long double a, long double b) {
    const long double mu = in<T>(o.momentum);
    const long double d = g + in<T>(o.weight_decay) * w;
    const long double v = mu * a + d;
    return {w - eta * (o.nesterov ? d + mu * v : v), v, b};
}

template <class T, class Schedule>
NewValues rule(const Adam<Schedule>& o, long double eta, std::size_t t, long double g, long double w, long double a,
               long double b) {
    const long double b1 = in<T>(o.beta1), b2 = in<T>(o.beta2);
    const long double d = g + in<T>(o.weight_decay) * w;
    const long double m = b1 * a + (1 - b1) * d;
    const long double v = b2 * b + (1 - b2) * d * d;
    // The bias corrections as Adam computes them, in T (documented): 1 - beta2^t loses digits to cancellation.
    const long double c1 = T(1) - std::pow(static_cast<T>(o.beta1), static_cast<T>(t));
    const long double c2 = T(1) - std::pow(static_cast<T>(o.beta2), static_cast<T>(t));
    return {w - eta * (m / c1) / (std::sqrt(v / c2) + in<T>(o.epsilon)), m, v};
}

template <class T>
constexpr long double largest = std::numeric_limits<T>::max();

/// Step t of `optimizer` at rate eta with the canonical gradient `g`: a parameter whose new value or state lies
/// beyond T's largest keeps its values. Requires every new value to be at most half of T's largest or at least twice
/// it, so that rounding cannot change the verdict.
template <class T, class Optimizer>
void replay_step(Replay& r, const Optimizer& optimizer, double eta, std::size_t t, const std::vector<long double>& g) {
    r.overflow_count = 0;
    for (std::size_t k = 0; k < r.w.size(); ++k) {
        const NewValues n = rule<T>(optimizer, in<T>(eta), t, g[k], r.w[k], r.a[k], r.b[k]);
        bool overflows = false;
        for (const long double value : {n.w, n.a, n.b}) {
            INFO("parameter " << k << ": new value " << static_cast<double>(value) << " at step " << t);
            REQUIRE((std::abs(value) <= largest<T> / 2 || std::abs(value) >= 2 * largest<T>));
            overflows = overflows || std::abs(value) > largest<T>;
        }
        r.overflowed[k] = overflows;
        if (overflows) {
            ++r.overflow_count;
        } else {
            r.w[k] = n.w;
            r.a[k] = n.a;
            r.b[k] = n.b;
        }
    }
}

/// The rate of the overflowing steps: T's largest / 16. A step overflows where the gradient (or velocity) is beyond
/// 32, and stays below half of T's largest where it is below 8; the setups have no gradient in between.
template <class T>
double huge_rate() {
    return static_cast<double>(std::numeric_limits<T>::max() / 16);
}

/// The canonical gradient of the mean loss over `inputs`, from ctnn::backward.
template <class Loss, class Net>
std::vector<long double> gradient(const Net& net, std::span<const typename Net::input_type> inputs,
                                  std::span<const typename Net::output_type> targets) {
    auto gradients = std::make_unique<Gradients<Net>>();
    (void)backward<Loss>(net, inputs, targets, *gradients);
    std::vector<long double> g;
    for (std::size_t k = 0; k < Net::parameter_count; ++k) g.push_back((*gradients)[k]);
    return g;
}

// ---- checks -------------------------------------------------------------------------------------------------------

/// `actual` against the replay: a parameter that overflowed holds exactly `before`'s value, every other one the
/// replayed value to a few units in the last place of T (relative to the sizes of the step's terms).
template <class T>
void check_values(const char* what, const std::vector<T>& actual, const std::vector<T>& before,
                  const std::vector<long double>& expected, const Replay& r, double ulps) {
    std::size_t wrong = 0, first = 0;
    for (std::size_t k = 0; k < actual.size(); ++k) {
        bool right = false;
        if (r.overflowed[k]) {
            right = std::memcmp(&actual[k], &before[k], sizeof(T)) == 0;
        } else {
            const long double magnitude = std::abs(static_cast<long double>(before[k])) +
                                          std::abs(expected[k] - static_cast<long double>(before[k]));
            const long double bound = ulps * std::numeric_limits<T>::epsilon() * magnitude;
            right = std::isfinite(actual[k]) && std::abs(static_cast<long double>(actual[k]) - expected[k]) <= bound;
        }
        if (!right && wrong++ == 0) first = k;
    }
    INFO(what << ": " << wrong << " wrong; first: [" << first << "] = " << double(actual[first]) << ", before "
              << double(before[first]) << ", expected " << static_cast<double>(expected[first])
              << (r.overflowed[first] ? " (overflowed: keeps its value)" : ""));
    CHECK(wrong == 0);
}

template <class Net>
std::vector<typename Net::value_type> parameters_of(const Net& net) {
    std::vector<typename Net::value_type> p;
    for (std::size_t k = 0; k < Net::parameter_count; ++k) p.push_back(net.parameter(k));
    return p;
}

/// An optimiser state array in the canonical order.
template <class Net, class Array>
std::vector<typename Net::value_type> canonical(const Array& storage) {
    std::vector<typename Net::value_type> p;
    for (std::size_t k = 0; k < Net::parameter_count; ++k) p.push_back(storage[Net::storage_index(k)]);
    return p;
}

/// Padding lanes of the storage still hold zero, and no lane holds an infinity or a NaN.
template <class Net>
void check_storage(const Net& net) {
    std::vector<bool> used(Net::storage_size, false);
    Net::for_each_parameter([&](std::size_t, std::size_t s) { used[s] = true; });
    std::size_t bad = 0;
    for (std::size_t s = 0; s < Net::storage_size; ++s) {
        const auto v = net.storage()[s];
        if (!std::isfinite(v) || (!used[s] && v != 0)) ++bad;
    }
    CHECK(bad == 0);
}

// ---- setups -------------------------------------------------------------------------------------------------------

/// A network, its samples, and their targets.
template <class N>
struct Setup {
    std::unique_ptr<N> net = std::make_unique<N>();
    std::vector<typename N::input_type> inputs;
    std::vector<typename N::output_type> targets;
};

/// A small regression network whose gradients fall in three classes: zero (input 1 is always 0; with ReLU, hidden
/// unit 1 is dead), tiny (the weights from input 0, which is 16 / T's largest or twice that) and at least 32 (every
/// other one: the targets sit 40 and 80 below the outputs, hidden unit 0's activation and input 2 are at least 1).
/// At huge_rate() the tiny ones take steps of about 100, so the network stays sane, and the others overflow. With
/// `Act` = PReLU, unit 1 learns its slope instead (gradient about -600).
template <class T, class Act>
using Net = Network<T, Input<3>, Dense<2, Act>, Dense<2, Linear>>;

template <class T, class Act = ReLU>
Setup<Net<T, Act>> regression() {
    using N = Net<T, Act>;
    Setup<N> s;
    std::vector<T> p{T(1), T(5), T(2), T(2), T(-3), T(-5),                      // W1 [out][in]
                     T(1), T(-1)};                                              // b1
    if constexpr (has_learned_slope<Act>) p.insert(p.end(), {T(0.5), T(0.5)});  // slopes
    p.insert(p.end(), {T(1), T(0.5), T(0.5), T(1),                              // W2
                       T(0), T(0)});                                            // b2
    s.net->write_parameters(std::span<const T, N::parameter_count>(p.data(), p.size()));
    const T tiny = 16 / std::numeric_limits<T>::max();
    s.inputs = {{tiny, T(0), T(1)}, {2 * tiny, T(0), T(1.5)}, {tiny, T(0), T(2)}, {3 * tiny, T(0), T(1.25)}};
    for (const auto& x : s.inputs) {
        const auto y = s.net->forward(x);
        s.targets.push_back({y[0] - T(40), y[1] - T(80)});
    }
    return s;
}

template <class T>
constexpr double ulps = 8;

/// Step 1 at a sane rate, step 2 at a rate that overflows some parameters' updates (and not others'), step 3 at a
/// sane rate again, all through a Trainer (a minibatch, or one sample), each against the replay. Step 2 says
/// non_finite_update and counts: step 3 uses the rate of t = 3 and starts from the kept parameters and state.
template <class Optimizer, class N>
void check_trainer(Setup<N> s, Optimizer optimizer, bool one_sample) {
    using T = typename N::value_type;
    auto trainer = std::make_unique<Trainer<N, MeanSquaredError, Optimizer>>(*s.net, optimizer);
    const auto inputs = std::span<const typename N::input_type>(s.inputs).first(one_sample ? 1 : 2);
    const auto targets = std::span<const typename N::output_type>(s.targets).first(one_sample ? 1 : 2);
    auto take = [&] { return one_sample ? trainer->step(inputs[0], targets[0]) : trainer->step(inputs, targets); };
    Replay r = replay_of(*s.net);

    auto g = gradient<MeanSquaredError>(*s.net, inputs, targets);
    REQUIRE(take().ok());
    replay_step<T>(r, trainer->optimizer(), trainer->optimizer().learning_rate(1), 1, g);
    REQUIRE(r.overflow_count == 0);

    g = gradient<MeanSquaredError>(*s.net, inputs, targets);
    trainer->optimizer().learning_rate.huge = huge_rate<T>();
    const auto before = parameters_of(*s.net);
    const auto overflowing = take();
    replay_step<T>(r, trainer->optimizer(), trainer->optimizer().learning_rate.huge, 2, g);
    CHECK(overflowing.status == StepStatus::non_finite_update);
    CHECK_FALSE(overflowing.ok());
    CHECK(std::isfinite(overflowing.loss));
    CHECK(trainer->step_count() == 2);
    INFO(r.overflow_count << " of " << N::parameter_count << " parameters overflow");
    CHECK(r.overflow_count > 0);
    CHECK(r.overflow_count < N::parameter_count);
    check_values("step 2", parameters_of(*s.net), before, r.w, r, ulps<T>);
    check_storage(*s.net);

    g = gradient<MeanSquaredError>(*s.net, inputs, targets);
    const auto before_3 = parameters_of(*s.net);
    REQUIRE(take().ok());
    replay_step<T>(r, trainer->optimizer(), trainer->optimizer().learning_rate(3), 3, g);
    CHECK(r.overflow_count == 0);
    check_values("step 3", parameters_of(*s.net), before_3, r.w, r, ulps<T>);
    CHECK(trainer->step_count() == 3);
}

/// The optimiser's state arrays in the canonical order (zeros where it has none).
template <class N, class State>
std::array<std::vector<typename N::value_type>, 2> state_of(const State& state) {
    std::array<std::vector<typename N::value_type>, 2> out;
    if constexpr (requires { state.velocity; }) {
        out[0] = canonical<N>(state.velocity);
    } else if constexpr (requires { state.m; }) {
        out[0] = canonical<N>(state.m);
    } else {
        out[0].assign(N::parameter_count, 0);
    }
    if constexpr (requires { state.v; }) {
        out[1] = canonical<N>(state.v);
    } else {
        out[1].assign(N::parameter_count, 0);
    }
    return out;
}

/// One step of the optimiser's own update on the gradient of `inputs`, against the replay: it returns whether every
/// parameter was updated, and a parameter that overflowed kept its state too. Returns how many overflowed.
template <class Optimizer, class N, class State>
std::size_t check_update_step(N& net, const Optimizer& optimizer, State& state, Replay& r, std::size_t t,
                              std::span<const typename N::input_type> inputs,
                              std::span<const typename N::output_type> targets) {
    using T = typename N::value_type;
    auto gradients = std::make_unique<Gradients<N>>();
    (void)backward<MeanSquaredError>(net, inputs, targets, *gradients);
    std::vector<long double> g;
    for (std::size_t k = 0; k < N::parameter_count; ++k) g.push_back((*gradients)[k]);
    const auto w0 = parameters_of(net);
    const auto s0 = state_of<N>(state);
    const bool all = optimizer.update(net, *gradients, state, t);
    replay_step<T>(r, optimizer, optimizer.learning_rate(t), t, g);
    const auto s1 = state_of<N>(state);
    INFO("step " << t << ": " << r.overflow_count << " parameters overflow");
    CHECK(all == (r.overflow_count == 0));
    check_values("parameters", parameters_of(net), w0, r.w, r, ulps<T>);
    check_values("first state", s1[0], s0[0], r.a, r, ulps<T>);
    check_values("second state", s1[1], s0[1], r.b, r, ulps<T>);
    check_storage(net);
    return r.overflow_count;
}

template <class Optimizer, class N>
void check_update(Setup<N> s, Optimizer optimizer) {
    using T = typename N::value_type;
    auto state = std::make_unique<typename Optimizer::template State<N>>();
    Replay r = replay_of(*s.net);
    const auto inputs = std::span<const typename N::input_type>(s.inputs).first(2);
    const auto targets = std::span<const typename N::output_type>(s.targets).first(2);
    CHECK(check_update_step(*s.net, optimizer, *state, r, 1, inputs, targets) == 0);
    optimizer.learning_rate.huge = huge_rate<T>();
    CHECK(check_update_step(*s.net, optimizer, *state, r, 2, inputs, targets) > 0);
    CHECK(check_update_step(*s.net, optimizer, *state, r, 3, inputs, targets) == 0);
}

/// A weight decay that halves the weights at huge_rate() (keep = 1 - rate decay = 1/2).
template <class T>
double decay() {
    return static_cast<double>(T(8) / std::numeric_limits<T>::max());
}

/// SGD, with and without decay, and Momentum, classic and Nesterov, whose steps scale with the gradient.
template <class T, class Check>
void for_each_gradient_scaled_optimizer(Check&& check) {
    SECTION("SGD") {
        check(SGD<Scripted>{});
    }
    SECTION("SGD with weight decay") {
        check(SGD<Scripted>{.weight_decay = decay<T>()});
    }
    SECTION("Momentum") {
        check(Momentum<Scripted>{.momentum = 0.9});
    }
    SECTION("Nesterov momentum with weight decay") {
        check(Momentum<Scripted>{.momentum = 0.8, .nesterov = true, .weight_decay = decay<T>()});
    }
}

/// Adam's steps are about eta whatever the gradient, so its overflow comes from the moments: a gradient beyond
/// sqrt(largest / (1 - beta2)) (about 5.8e20 in float, 4.2e155 in double) overflows v. Inputs 1 and 2 reach the
/// hidden units through zero weights, so they leave the forward pass alone and scale those weights' gradients to
/// 2 and 200 times sqrt(largest) times the unit's delta (between 1 and 10): v is finite for the first (though v / (1 -
/// beta2) is not, which Adam must not compute), beyond T for the second.
template <class T>
using WideNet = Network<T, Input<4>, Dense<4, ReLU>, Dense<2, Linear>>;

template <class T>
Setup<WideNet<T>> huge_gradients() {
    Setup<WideNet<T>> s;
    const std::array<T, WideNet<T>::parameter_count> p{
        T(1),   T(0),    T(0),    T(0.5),  T(0.2),  T(0),    T(0),    T(0.1),
        T(1),   T(0),    T(0),    T(1),    T(-1),   T(0),    T(0),    T(2),      // W1
        T(0),   T(0),    T(-100), T(1),                                          // b1
        T(1),   T(0.5),  T(1),    T(0.25), T(0.01), T(0.02), T(0.01), T(0.002),  // W2
        T(0.5), T(-0.25)};                                                       // b2
    s.net->write_parameters(p);
    const T root = std::sqrt(std::numeric_limits<T>::max());
    s.inputs = {{T(0.5), 2 * root, 200 * root, T(8)}, {T(0.25), T(0), T(0), T(-6)}};
    s.targets = {{T(0), T(1)}, {T(-1), T(0)}};
    return s;
}

/// Adam, step 1 on the sample with huge inputs (some parameters' v overflows), step 2 on a plain sample.
template <class T>
void check_adam(bool trainer_path, bool one_sample) {
    using N = WideNet<T>;
    const Adam<> adam{.learning_rate = {0.001}};
    Setup<N> s = huge_gradients<T>();
    Replay r = replay_of(*s.net);
    const auto first = std::span<const typename N::input_type>(s.inputs).first(1);
    const auto first_target = std::span<const typename N::output_type>(s.targets).first(1);
    const auto second = std::span<const typename N::input_type>(s.inputs).subspan(1, 1);
    const auto second_target = std::span<const typename N::output_type>(s.targets).subspan(1, 1);
    // Some parameters take a step with v / (1 - beta2) beyond T's largest.
    const auto g = gradient<MeanSquaredError>(*s.net, first, first_target);
    std::size_t corrected_beyond = 0;
    for (const long double gk : g) {
        const long double v = (1 - in<T>(adam.beta2)) * gk * gk;
        if (v <= largest<T> / 2 && v / (1 - in<T>(adam.beta2)) > largest<T>) ++corrected_beyond;
    }
    CHECK(corrected_beyond > 0);
    if (!trainer_path) {
        auto state = std::make_unique<Adam<>::State<N>>();
        CHECK(check_update_step(*s.net, adam, *state, r, 1, first, first_target) > 0);
        CHECK(check_update_step(*s.net, adam, *state, r, 2, second, second_target) == 0);
        return;
    }
    auto trainer = std::make_unique<Trainer<N, MeanSquaredError, Adam<>>>(*s.net, adam);
    auto take = [&](auto inputs, auto targets) {
        return one_sample ? trainer->step(inputs[0], targets[0]) : trainer->step(inputs, targets);
    };
    const auto before = parameters_of(*s.net);
    const auto step = take(first, first_target);
    replay_step<T>(r, adam, 0.001, 1, g);
    CHECK(step.status == StepStatus::non_finite_update);
    CHECK(trainer->step_count() == 1);
    CHECK(r.overflow_count > 0);
    check_values("step 1", parameters_of(*s.net), before, r.w, r, ulps<T>);
    check_storage(*s.net);
    const auto g2 = gradient<MeanSquaredError>(*s.net, second, second_target);
    const auto before_2 = parameters_of(*s.net);
    REQUIRE(take(second, second_target).ok());
    replay_step<T>(r, adam, 0.001, 2, g2);
    check_values("step 2", parameters_of(*s.net), before_2, r.w, r, ulps<T>);
}

}  // namespace

TEMPLATE_TEST_CASE("An optimiser's update that overflows keeps those parameters and their state, updates the others",
                   "[train][overflow]", float, double) {
    for_each_gradient_scaled_optimizer<TestType>(
        [](auto optimizer) { check_update(regression<TestType>(), optimizer); });
}

TEMPLATE_TEST_CASE("A minibatch step whose update overflows says non_finite_update, counts, and the next step works",
                   "[trainer][overflow]", float, double) {
    for_each_gradient_scaled_optimizer<TestType>(
        [](auto optimizer) { check_trainer(regression<TestType>(), optimizer, false); });
}

TEMPLATE_TEST_CASE("A one-sample step whose update overflows says non_finite_update (fused SGD, unfused momentum)",
                   "[trainer][overflow][fused_sgd]", float, double) {
    for_each_gradient_scaled_optimizer<TestType>(
        [](auto optimizer) { check_trainer(regression<TestType>(), optimizer, true); });
}

TEMPLATE_TEST_CASE("The fused step guards PReLU slopes and biases too", "[trainer][overflow][fused_sgd]", float,
                   double) {
    SECTION("without weight decay") {
        check_trainer(regression<TestType, PReLU>(), SGD<Scripted>{}, true);
    }
    SECTION("with weight decay") {
        check_trainer(regression<TestType, PReLU>(), SGD<Scripted>{.weight_decay = decay<TestType>()}, true);
    }
}

TEMPLATE_TEST_CASE("Adam keeps a parameter whose second moment overflows, and steps the others", "[train][overflow]",
                   float, double) {
    SECTION("Adam::update") {
        check_adam<TestType>(false, false);
    }
    SECTION("a minibatch step") {
        check_adam<TestType>(true, false);
    }
    SECTION("a one-sample step") {
        check_adam<TestType>(true, true);
    }
}

TEMPLATE_TEST_CASE("fused_sgd_step says non_finite_update as the Trainer does", "[overflow][fused_sgd]", float,
                   double) {
    using T = TestType;
    auto s = regression<T>();
    auto twin = std::make_unique<Net<T, ReLU>>(*s.net);
    auto workspace = std::make_unique<Workspace<Net<T, ReLU>>>();
    const T huge = std::numeric_limits<T>::max() / 4;
    const auto fused = fused_sgd_step<MeanSquaredError>(*s.net, s.inputs[0], s.targets[0], huge, *workspace);
    CHECK(fused.status == StepStatus::non_finite_update);
    Trainer<Net<T, ReLU>, MeanSquaredError, SGD<>> trainer(*twin, SGD<>{.learning_rate = {static_cast<double>(huge)}});
    const auto stepped = trainer.step(s.inputs[0], s.targets[0]);
    CHECK(stepped.status == StepStatus::non_finite_update);
    CHECK(stepped.loss == fused.loss);
    CHECK(*twin == *s.net);
    check_storage(*s.net);
    CHECK(std::string(to_string(StepStatus::non_finite_update)) == "non_finite_update");
}

TEMPLATE_TEST_CASE("train_epoch and train_random_samples stop at a step whose update overflows and say which",
                   "[trainer][overflow]", float, double) {
    using T = TestType;
    using N = Net<T, ReLU>;
    const auto s = regression<T>();
    const N start = *s.net;
    const SGD<Scripted> sgd{.learning_rate = {1e-6, huge_rate<T>(), 3}};
    auto net = std::make_unique<N>(start);
    Trainer<N, MeanSquaredError, SGD<Scripted>> trainer(*net, sgd, 7);
    auto twin_net = std::make_unique<N>(start);
    Trainer<N, MeanSquaredError, SGD<Scripted>> twin(*twin_net, sgd, 7);
    auto check_stopped_at_step_3 = [&](const TrainingResult<T>& run) {
        CHECK(run.status == StepStatus::non_finite_update);
        CHECK(run.failed_step() == 3);
        CHECK(run.steps == 2);
        CHECK(trainer.step_count() == 3);
        check_storage(*net);
    };
    SECTION("train_epoch") {
        const auto run = trainer.train_epoch(s.inputs, s.targets, 1);
        check_stopped_at_step_3(run);
        // The twin takes the three steps one by one: the same network, losses and verdicts.
        const auto one = twin.step(std::span(s.inputs).first(1), std::span(s.targets).first(1));
        const auto two = twin.step(std::span(s.inputs).subspan(1, 1), std::span(s.targets).subspan(1, 1));
        REQUIRE(one.ok());
        REQUIRE(two.ok());
        CHECK(run.loss == Approx((one.loss + two.loss) / 2).epsilon(1e-6));
        CHECK(twin.step(std::span(s.inputs).subspan(2, 1), std::span(s.targets).subspan(2, 1)).status ==
              StepStatus::non_finite_update);
        CHECK(*net == *twin_net);
        // The next epoch, at a sane rate again, completes.
        const auto next = trainer.train_epoch(s.inputs, s.targets, 2);
        CHECK(next.ok());
        CHECK(next.steps == 2);
        CHECK(trainer.step_count() == 5);
    }
    SECTION("train_random_samples") {
        const auto run = trainer.train_random_samples(s.inputs, s.targets, 10);
        check_stopped_at_step_3(run);
        // The same seed, two steps, then the third alone: the same network, and the third says the same.
        const auto two = twin.train_random_samples(s.inputs, s.targets, 2);
        CHECK(two.ok());
        CHECK(two.loss == run.loss);
        CHECK(twin.train_random_samples(s.inputs, s.targets, 1).status == StepStatus::non_finite_update);
        CHECK(*twin_net == *net);
        CHECK(trainer.train_random_samples(s.inputs, s.targets, 5).ok());
    }
}
