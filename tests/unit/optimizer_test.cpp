#include <ctnn/ctnn.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

using namespace ctnn;

// A one-weight linear model z = w x + b with loss 1/2 (z - t)^2 has the gradient
// ((z - t) x, z - t); each test replays an optimiser's rule by hand on it, step by step.
namespace {
using Net = Network<double, Input<1>, Dense<1, Linear>>;
constexpr double x = 1.5, target = -0.5, w0 = 0.8, b0 = 0.1;

struct Model {
    double w = w0, b = b0;
    [[nodiscard]] std::array<double, 2> gradient() const {
        const double e = w * x + b - target;
        return {e * x, e};
    }
};

Net start() {
    Net net;
    net.write_parameters(std::array<double, 2>{w0, b0});
    return net;
}

template <class Optimizer>
void require_matches(Optimizer optimizer, Model& model, auto&& rule, int steps = 5, double clip = 0) {
    Net net = start();
    Trainer<Net, MeanSquaredError, Optimizer> trainer(net, optimizer);
    trainer.clip_gradients(clip);
    const Net::input_type in{x};
    const Net::output_type out{target};
    for (int t = 1; t <= steps; ++t) {
        REQUIRE(trainer.step(in, out).ok());
        rule(t);
        CHECK(net.parameter(0) == Approx(model.w).epsilon(1e-12));
        CHECK(net.parameter(1) == Approx(model.b).epsilon(1e-12));
    }
}
}  // namespace

TEST_CASE("SGD with weight decay follows w <- w - eta (g + lambda w)", "[optimizer]") {
    Model m;
    const double eta = 0.1, lambda = 0.01;
    require_matches(SGD<>{.learning_rate = {eta}, .weight_decay = lambda}, m, [&](int) {
        const auto g = m.gradient();
        m.w -= eta * (g[0] + lambda * m.w);
        m.b -= eta * (g[1] + lambda * m.b);
    });
}

TEST_CASE("Momentum follows v <- mu v + g, w <- w - eta v", "[optimizer]") {
    Model m;
    double vw = 0, vb = 0;
    const double eta = 0.05, mu = 0.9;
    require_matches(Momentum<>{.learning_rate = {eta}, .momentum = mu}, m, [&](int) {
        const auto g = m.gradient();
        vw = mu * vw + g[0];
        vb = mu * vb + g[1];
        m.w -= eta * vw;
        m.b -= eta * vb;
    });
}

TEST_CASE("Nesterov momentum follows w <- w - eta (g + mu v)", "[optimizer]") {
    Model m;
    double vw = 0, vb = 0;
    const double eta = 0.05, mu = 0.8;
    require_matches(Momentum<>{.learning_rate = {eta}, .momentum = mu, .nesterov = true}, m, [&](int) {
        const auto g = m.gradient();
        vw = mu * vw + g[0];
        vb = mu * vb + g[1];
        m.w -= eta * (g[0] + mu * vw);
        m.b -= eta * (g[1] + mu * vb);
    });
}

TEST_CASE("Adam follows its bias-corrected moment rule", "[optimizer]") {
    Model m;
    double mw = 0, mb = 0, vw = 0, vb = 0;
    const double eta = 0.02, b1 = 0.9, b2 = 0.999, eps = 1e-8, lambda = 0.001;
    require_matches(Adam<>{.learning_rate = {eta}, .weight_decay = lambda}, m, [&](int t) {
        auto g = m.gradient();
        g[0] += lambda * m.w;
        g[1] += lambda * m.b;
        mw = b1 * mw + (1 - b1) * g[0];
        mb = b1 * mb + (1 - b1) * g[1];
        vw = b2 * vw + (1 - b2) * g[0] * g[0];
        vb = b2 * vb + (1 - b2) * g[1] * g[1];
        const double c1 = 1 - std::pow(b1, t), c2 = 1 - std::pow(b2, t);
        m.w -= eta * (mw / c1) / (std::sqrt(vw / c2) + eps);
        m.b -= eta * (mb / c1) / (std::sqrt(vb / c2) + eps);
    });
}

TEST_CASE("Gradient-norm clipping scales the gradient to the given norm", "[optimizer]") {
    Model m;
    const double eta = 0.1, clip = 0.25;
    require_matches(
        SGD<>{.learning_rate = {eta}}, m,
        [&](int) {
            auto g = m.gradient();
            const double norm = std::hypot(g[0], g[1]);
            if (norm > clip) g = {g[0] * clip / norm, g[1] * clip / norm};
            m.w -= eta * g[0];
            m.b -= eta * g[1];
        },
        5, clip);
}

TEST_CASE("Learning-rate schedules give their documented rates", "[optimizer][schedule]") {
    CHECK(ConstantRate{0.3}(1) == 0.3);
    CHECK(ConstantRate{0.3}(1000) == 0.3);
    const StepDecay step{.initial = 0.8, .factor = 0.5, .every = 10};
    CHECK(step(1) == 0.8);
    CHECK(step(10) == 0.8);
    CHECK(step(11) == 0.4);
    CHECK(step(25) == Approx(0.2));
    const ExponentialDecay exponential{.initial = 2, .gamma = 0.9};
    CHECK(exponential(1) == 2);
    CHECK(exponential(4) == Approx(2 * 0.729));
    const InverseTimeDecay inverse{.initial = 1, .decay = 0.5};
    CHECK(inverse(1) == 1);
    CHECK(inverse(3) == Approx(0.5));
}

TEST_CASE("The step-decay schedule drives the trainer's learning rate", "[optimizer][schedule]") {
    Model m;
    const StepDecay schedule{.initial = 0.2, .factor = 0.1, .every = 2};
    require_matches(SGD<StepDecay>{.learning_rate = schedule}, m, [&](int t) {
        const auto g = m.gradient();
        m.w -= schedule(static_cast<std::size_t>(t)) * g[0];
        m.b -= schedule(static_cast<std::size_t>(t)) * g[1];
    });
}

TEST_CASE("Optimisers keep padding lanes at zero", "[optimizer]") {
    using Wide = Network<float, Input<3>, Dense<5, PReLU>, Dense<3, Softmax>>;
    Wide net;
    Random random(4);
    init::normal_inverse_fan_in(net, random);
    Trainer<Wide, CategoricalCrossEntropy, Adam<>> trainer(net, {.learning_rate = {0.1}, .weight_decay = 0.1});
    const std::array<Wide::input_type, 2> xs{{{1, 2, 3}, {-1, 0.5f, 2}}};
    const std::array<Wide::output_type, 2> ts{{{1, 0, 0}, {0, 0, 1}}};
    for (int i = 0; i < 20; ++i) REQUIRE(trainer.step(xs, ts).ok());
    std::array<bool, Wide::storage_size> used{};
    Wide::for_each_parameter([&](std::size_t, std::size_t s) { used[s] = true; });
    for (std::size_t s = 0; s < Wide::storage_size; ++s) {
        if (!used[s]) CHECK(net.storage()[s] == 0);
    }
}

TEST_CASE("The same seed gives bit-identical training", "[optimizer]") {
    using Small = Network<float, Input<2>, Dense<8, RReLU>, Dense<1, Sigmoid>>;
    auto train = [] {
        Small net;
        Random random(5);
        init::normal_inverse_fan_in(net, random);
        Trainer<Small, BinaryCrossEntropy, Momentum<>> trainer(net, {.learning_rate = {0.1}}, 42);
        const std::array<Small::input_type, 4> xs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
        const std::array<Small::output_type, 4> ts{{{0}, {1}, {1}, {0}}};
        REQUIRE(trainer.train_random_samples(xs, ts, 500).ok());
        return net;
    };
    CHECK(train() == train());
}

// The update loops run a register at a time; the scalar path (simd::scalar_arch) runs the same
// rules a lane at a time. Layer widths 1, 3, 10 and 33 are not multiples of any register width,
// so a register walk that drops, repeats or shifts a lane, or writes a padding lane, shows here:
// both paths are checked against the rules replayed parameter by parameter in double, and
// against each other.
namespace {
template <class Arch, class T>
using OddWidths = BasicNetwork<Arch, T, Input<3>, Dense<33, PReLU>, Dense<10, Tanh>, Dense<1, Sigmoid>>;

/// The documented rules on canonical parameters, in double: `a` is the velocity or Adam's m, `b` Adam's v.
template <std::size_t N>
struct Replay {
    std::array<double, N> w{}, a{}, b{};

    void step(const SGD<>& o, std::size_t t, const auto& g) {
        for (std::size_t k = 0; k < N; ++k) w[k] -= o.learning_rate(t) * (g[k] + o.weight_decay * w[k]);
    }
    void step(const Momentum<>& o, std::size_t t, const auto& g) {
        for (std::size_t k = 0; k < N; ++k) {
            const double d = g[k] + o.weight_decay * w[k];
            a[k] = o.momentum * a[k] + d;
            w[k] -= o.learning_rate(t) * (o.nesterov ? d + o.momentum * a[k] : a[k]);
        }
    }
    void step(const Adam<>& o, std::size_t t, const auto& g) {
        const double c1 = 1 - std::pow(o.beta1, static_cast<double>(t));
        const double c2 = 1 - std::pow(o.beta2, static_cast<double>(t));
        for (std::size_t k = 0; k < N; ++k) {
            const double d = g[k] + o.weight_decay * w[k];
            a[k] = o.beta1 * a[k] + (1 - o.beta1) * d;
            b[k] = o.beta2 * b[k] + (1 - o.beta2) * d * d;
            w[k] -= o.learning_rate(t) * (a[k] / c1) / (std::sqrt(b[k] / c2) + o.epsilon);
        }
    }
};

template <class Net>
void set_gradients(Gradients<Net>& gradients, const auto& values) {
    for (std::size_t k = 0; k < values.size(); ++k) gradients.storage()[Net::storage_index(k)] = values[k];
}

/// How many parameters of `net` differ from `expected` by more than `tolerance` (relative, or absolute near 0).
std::size_t mismatches(const auto& net, const auto& expected, double tolerance) {
    std::size_t count = 0;
    for (std::size_t k = 0; k < expected.size(); ++k) {
        const double a = net.parameter(k), b = expected[k];
        if (!(std::abs(a - b) <= tolerance * (1 + std::abs(b)))) ++count;
    }
    return count;
}

template <class T, class Optimizer>
void require_same_on_both_paths(const Optimizer& optimizer, double tolerance) {
    using Wide = OddWidths<simd::default_arch, T>;
    using Narrow = OddWidths<simd::scalar_arch, T>;
    constexpr std::size_t n = Wide::parameter_count;
    static_assert(Narrow::parameter_count == n);
    Random random(7);
    std::array<T, n> values{};
    for (auto& p : values) p = random.uniform<T>(-1, 1);
    Replay<n> replay;
    std::copy(values.begin(), values.end(), replay.w.begin());
    Wide wide;
    Narrow narrow;
    wide.write_parameters(values);
    narrow.write_parameters(values);
    Gradients<Wide> wide_gradients;
    Gradients<Narrow> narrow_gradients;
    typename Optimizer::template State<Wide> wide_state{};
    typename Optimizer::template State<Narrow> narrow_state{};
    std::array<bool, Wide::storage_size> used{};
    Wide::for_each_parameter([&](std::size_t, std::size_t s) { used[s] = true; });
    for (std::size_t t = 1; t <= 6; ++t) {
        for (auto& g : values) g = random.uniform<T>(-1, 1);
        set_gradients(wide_gradients, values);
        set_gradients(narrow_gradients, values);
        REQUIRE(optimizer.update(wide, wide_gradients, wide_state, t));
        REQUIRE(optimizer.update(narrow, narrow_gradients, narrow_state, t));
        replay.step(optimizer, t, values);
        // Rounding in T against double: a few units in the last place of T per step.
        const double replay_tolerance = 64 * std::numeric_limits<T>::epsilon();
        CHECK(mismatches(wide, replay.w, replay_tolerance) == 0);
        CHECK(mismatches(narrow, replay.w, replay_tolerance) == 0);
        std::array<double, n> narrow_parameters{};
        for (std::size_t k = 0; k < n; ++k) narrow_parameters[k] = narrow.parameter(k);
        CHECK(mismatches(wide, narrow_parameters, tolerance) == 0);
        std::size_t nonzero_padding = 0;
        for (std::size_t s = 0; s < Wide::storage_size; ++s) {
            if (!used[s] && wide.storage()[s] != 0) ++nonzero_padding;
        }
        CHECK(nonzero_padding == 0);
    }
}

template <class T>
void require_every_optimizer_same_on_both_paths(double tolerance) {
    SECTION("SGD") {
        require_same_on_both_paths<T>(SGD<>{.learning_rate = {0.1}, .weight_decay = 0.01}, tolerance);
    }
    SECTION("Momentum") {
        require_same_on_both_paths<T>(Momentum<>{.learning_rate = {0.05}, .momentum = 0.9, .weight_decay = 0.01},
                                      tolerance);
    }
    SECTION("Nesterov momentum") {
        require_same_on_both_paths<T>(
            Momentum<>{.learning_rate = {0.05}, .momentum = 0.8, .nesterov = true, .weight_decay = 0.01}, tolerance);
    }
    SECTION("Adam") {
        require_same_on_both_paths<T>(Adam<>{.learning_rate = {0.02}, .weight_decay = 0.001}, tolerance);
    }
}
}  // namespace

TEST_CASE("Every optimiser updates registers as the scalar path updates lanes (float)", "[optimizer][arch]") {
    require_every_optimizer_same_on_both_paths<float>(1e-6);
}

TEST_CASE("Every optimiser updates registers as the scalar path updates lanes (double)", "[optimizer][arch]") {
    require_every_optimizer_same_on_both_paths<double>(1e-14);
}
