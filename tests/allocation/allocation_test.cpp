// The core never allocates (STYLE rule 17): inference, losses, backpropagation and a gradient step run with zero heap
// allocations. This file replaces the global operator new and delete with counting versions, so it is a binary of its
// own (ctnn_allocation_tests), and it is left out of sanitizer runs, whose runtimes replace the allocator themselves.
//
// Counting is switched on only inside the measured region (allocations_in), so Catch2 and the test's own setup may
// allocate freely; every ctnn result computed in the region is checked after it, so that the compiler cannot drop the
// work being measured.

#include "ctnn/ctnn.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

// ---- counting replacements of the global allocation functions
// --------------------------------------------------------

namespace {

std::atomic<bool> counting{false};
std::atomic<std::size_t> allocation_count{0};
std::atomic<std::size_t> deallocation_count{0};

void* allocate(std::size_t size) noexcept {
    if (counting.load()) ++allocation_count;
    return std::malloc(size == 0 ? 1 : size);
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) noexcept {
    if (counting.load()) ++allocation_count;
    std::size_t align = static_cast<std::size_t>(alignment);
    if (align < sizeof(void*)) align = sizeof(void*);
    void* p = nullptr;
    return posix_memalign(&p, align, size == 0 ? 1 : size) == 0 ? p : nullptr;
}

void deallocate(void* p) noexcept {
    if (p == nullptr) return;
    if (counting.load()) ++deallocation_count;
    std::free(p);
}

void* allocate_or_throw(std::size_t size) {
    if (void* p = allocate(size)) return p;
    throw std::bad_alloc();
}

void* allocate_aligned_or_throw(std::size_t size, std::align_val_t alignment) {
    if (void* p = allocate_aligned(size, alignment)) return p;
    throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t size) {
    return allocate_or_throw(size);
}
void* operator new[](std::size_t size) {
    return allocate_or_throw(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return allocate(size);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
    return allocate_aligned_or_throw(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
    return allocate_aligned_or_throw(size, alignment);
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return allocate_aligned(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return allocate_aligned(size, alignment);
}

void operator delete(void* p) noexcept {
    deallocate(p);
}
void operator delete[](void* p) noexcept {
    deallocate(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    deallocate(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    deallocate(p);
}
void operator delete(void* p, std::size_t) noexcept {
    deallocate(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    deallocate(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    deallocate(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    deallocate(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    deallocate(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    deallocate(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    deallocate(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    deallocate(p);
}

namespace {

/// What the allocation functions saw inside one measured region.
struct heap_use {
    std::size_t allocations = 0;
    std::size_t deallocations = 0;
};

/// Runs `f` with counting switched on. The counters are sequentially consistent atomics, and the replaced operators
/// read them, so no call to an allocation function can move across the switch.
template <class F>
heap_use allocations_in(F&& f) {
    allocation_count = 0;
    deallocation_count = 0;
    counting = true;
    f();
    counting = false;
    return {allocation_count.load(), deallocation_count.load()};
}

}  // namespace

// ---- the counter counts ------------------------------------------------------------------------------------------

TEST_CASE("The allocation counter counts new and delete inside the measured region only", "[allocation][counter]") {
    SECTION("a new-expression and its delete are counted") {
        int* volatile p = nullptr;  // volatile: the compiler may not elide the allocation
        const heap_use use = allocations_in([&] { p = new int(42); });
        CHECK(use.allocations == 1);
        CHECK(*p == 42);
        const heap_use freed = allocations_in([&] { delete p; });
        CHECK(freed.deallocations == 1);
    }
    SECTION("array, nothrow and over-aligned new are counted") {
        struct alignas(64) over_aligned {
            unsigned char bytes[64];
        };
        int* volatile array = nullptr;
        int* volatile nothrow = nullptr;
        over_aligned* volatile aligned = nullptr;
        const heap_use use = allocations_in([&] {
            array = new int[7];
            nothrow = new (std::nothrow) int(1);
            aligned = new over_aligned;
        });
        CHECK(use.allocations == 3);
        CHECK(reinterpret_cast<std::uintptr_t>(aligned) % 64 == 0);
        const heap_use freed = allocations_in([&] {
            delete[] array;
            delete nothrow;
            delete aligned;
        });
        CHECK(freed.deallocations == 3);
    }
    SECTION("a standard container's allocation is counted") {
        std::vector<double> v;
        const heap_use use = allocations_in([&] { v.resize(100); });
        CHECK(use.allocations == 1);
        CHECK(v.size() == 100);
    }
    SECTION("allocations outside the region are not counted") {
        const heap_use use = allocations_in([] {});
        const auto* p = new std::string(100, 'x');  // outside: not counted
        CHECK(use.allocations == 0);
        CHECK(allocation_count.load() == 0);
        delete p;
    }
}

// ---- the core does not allocate ----------------------------------------------------------------------------------

namespace {

/// A network of two hidden layers of `Hidden` (widths not multiples of any register) and an output of `Output`,
/// trained with `Loss`.
template <class T, class Hidden, class Output, class Loss>
struct setup {
    using value_type = T;
    using hidden = Hidden;
    using loss = Loss;
    using net =
        ctnn::Network<T, ctnn::Input<5>, ctnn::Dense<9, Hidden>, ctnn::Dense<17, Hidden>, ctnn::Dense<3, Output>>;
};

template <class T, class Hidden>
using setups_for = std::tuple<setup<T, Hidden, ctnn::Linear, ctnn::MeanSquaredError>,
                              setup<T, Hidden, ctnn::Sigmoid, ctnn::BinaryCrossEntropy>,
                              setup<T, Hidden, ctnn::Softmax, ctnn::CategoricalCrossEntropy>>;

template <class... Tuples>
using tuple_cat_t = decltype(std::tuple_cat(std::declval<Tuples>()...));

// Every hidden family with every output/loss pair in float; in double (the same code paths, wider lanes) RReLU, the
// family with the most machinery (random slopes drawn in the workspace), with every pair.
using float_setups = tuple_cat_t<setups_for<float, ctnn::Tanh>, setups_for<float, ctnn::ReLU>,
                                 setups_for<float, ctnn::PReLU>, setups_for<float, ctnn::RReLU>>;
using double_setups = setups_for<double, ctnn::RReLU>;
using all_setups = tuple_cat_t<float_setups, double_setups>;

/// A network with random parameters, a batch of inputs and targets that suit the loss, and every buffer the measured
/// calls need, all allocated before any region.
template <class Setup>
struct fixture {
    using T = typename Setup::value_type;
    using Net = typename Setup::net;
    static constexpr std::size_t batch = 4;

    Net net;
    std::vector<typename Net::input_type> inputs = std::vector<typename Net::input_type>(batch);
    std::vector<typename Net::output_type> targets = std::vector<typename Net::output_type>(batch);
    std::vector<typename Net::output_type> outputs = std::vector<typename Net::output_type>(batch);
    std::vector<typename Net::input_type> input_gradients = std::vector<typename Net::input_type>(batch);
    ctnn::Gradients<Net> gradients;
    ctnn::Workspace<Net> workspace;
    ctnn::Random random{2024};

    fixture() {
        std::array<T, Net::parameter_count> parameters{};
        for (auto& p : parameters) p = random.normal<T>(T(0), T(0.4));
        net.write_parameters(parameters);
        for (auto& x : inputs) {
            for (auto& v : x) v = random.normal<T>();
        }
        for (auto& t : targets) {
            for (auto& v : t) v = random.uniform<T>();  // in [0, 1): valid for all three losses
        }
    }
};

template <class Range>
bool all_finite(const Range& values) {
    for (const auto v : values) {
        if (!std::isfinite(v)) return false;
    }
    return true;
}

template <class Rows>
bool all_rows_finite(const Rows& rows) {
    for (const auto& row : rows) {
        if (!all_finite(row)) return false;
    }
    return true;
}

void check_no_heap_use(const char* what, const heap_use& use) {
    INFO(what);
    CHECK(use.allocations == 0);
    CHECK(use.deallocations == 0);
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("Inference, losses, backpropagation and a gradient step never allocate", "[allocation]",
                        all_setups) {
    using Setup = TestType;
    using Loss = typename Setup::loss;
    using Net = typename Setup::net;
    using T = typename Setup::value_type;
    fixture<Setup> f;  // allocates, outside any region
    const std::span<const typename Net::input_type> inputs(f.inputs);
    const std::span<const typename Net::output_type> targets(f.targets);
    INFO("T = " << (sizeof(T) == 4 ? "float" : "double") << ", parameters = " << Net::parameter_count);

    SECTION("forward for one sample") {
        typename Net::output_type y{};
        check_no_heap_use("net.forward(x)", allocations_in([&] { y = f.net.forward(f.inputs[0]); }));
        CHECK(all_finite(y));
    }
    SECTION("forward for a batch") {
        check_no_heap_use("net.forward(inputs, outputs)",
                          allocations_in([&] { f.net.forward(inputs, std::span(f.outputs)); }));
        CHECK(all_rows_finite(f.outputs));
    }
    SECTION("the loss, in inference mode and with a workspace") {
        T plain = 0;
        T with_workspace = 0;
        check_no_heap_use("ctnn::loss<Loss>(net, inputs, targets)",
                          allocations_in([&] { plain = ctnn::loss<Loss>(f.net, inputs, targets); }));
        check_no_heap_use("ctnn::loss<Loss>(net, inputs, targets, workspace)", allocations_in([&] {
                              with_workspace = ctnn::loss<Loss>(f.net, inputs, targets, f.workspace);
                          }));
        CHECK(std::isfinite(plain));
        CHECK(plain == Approx(with_workspace));
    }
    SECTION("backward over a batch without input gradients") {
        T loss = 0;
        check_no_heap_use("ctnn::backward<Loss>(net, inputs, targets, gradients)",
                          allocations_in([&] { loss = ctnn::backward<Loss>(f.net, inputs, targets, f.gradients); }));
        CHECK(std::isfinite(loss));
        CHECK(all_finite(f.gradients.storage()));
    }
    SECTION("backward over a batch with input gradients") {
        T loss = 0;
        check_no_heap_use("ctnn::backward<Loss>(net, inputs, targets, gradients, input_gradients)", allocations_in([&] {
                              loss = ctnn::backward<Loss>(f.net, inputs, targets, f.gradients,
                                                          std::span(f.input_gradients));
                          }));
        CHECK(std::isfinite(loss));
        CHECK(all_rows_finite(f.input_gradients));
    }
    SECTION("backward in training mode, with a workspace and fresh RReLU slopes") {
        T loss = 0;
        check_no_heap_use("workspace.draw_slopes(random); ctnn::backward<Loss>(..., workspace, input_gradients)",
                          allocations_in([&] {
                              f.workspace.draw_slopes(f.random);
                              loss = ctnn::backward<Loss>(f.net, inputs, targets, f.gradients, f.workspace,
                                                          std::span(f.input_gradients));
                              f.workspace.use_mean_slopes();
                          }));
        CHECK(std::isfinite(loss));
        CHECK(all_rows_finite(f.input_gradients));
    }
    SECTION("a gradient step over the flat storage") {
        (void)ctnn::backward<Loss>(f.net, inputs, targets, f.gradients);  // outside the region
        const T before = f.net.storage()[0];
        const T lr = T(0.05);
        check_no_heap_use("for (i) net.storage()[i] -= lr * g.storage()[i]", allocations_in([&] {
                              for (std::size_t i = 0; i < Net::storage_size; ++i) {
                                  f.net.storage()[i] -= lr * f.gradients.storage()[i];
                              }
                          }));
        CHECK(f.net.storage()[0] == before - lr * f.gradients.storage()[0]);
    }
}

// ---- training does not allocate -----------------------------------------------------------------------------------

namespace {

/// Runs every way of training through `trainer` inside one measured region: a step on one sample, on a batch, the
/// classic random-sample loop and an epoch of minibatches. Checks that none allocates and that the parameters moved.
template <class Setup, class Trainer>
void check_trainer_does_not_allocate(const char* optimizer, fixture<Setup>& f, Trainer& trainer) {
    using Net = typename Setup::net;
    using T = typename Setup::value_type;
    const std::span<const typename Net::input_type> inputs(f.inputs);
    const std::span<const typename Net::output_type> targets(f.targets);
    std::array<T, Net::parameter_count> before{};
    std::array<T, Net::parameter_count> after{};
    f.net.read_parameters(before);
    T losses[4] = {};
    bool taken[4] = {};
    INFO("optimiser: " << optimizer);
    check_no_heap_use("trainer.step(x, t); step(inputs, targets); train_random_samples; train_epoch",
                      allocations_in([&] {
                          const auto one = trainer.step(f.inputs[0], f.targets[0]);
                          const auto batch = trainer.step(inputs, targets);
                          const auto random_samples = trainer.train_random_samples(inputs, targets, 5);
                          const auto epoch = trainer.train_epoch(inputs, targets, 3);
                          losses[0] = one.loss, losses[1] = batch.loss;
                          losses[2] = random_samples.loss, losses[3] = epoch.loss;
                          taken[0] = one.ok(), taken[1] = batch.ok(), taken[2] = random_samples.ok();
                          taken[3] = epoch.ok();
                      }));
    f.net.read_parameters(after);
    CHECK(trainer.step_count() == 1 + 1 + 5 + 2);
    CHECK((taken[0] && taken[1] && taken[2] && taken[3]));
    CHECK(all_finite(losses));
    CHECK(all_finite(after));
    CHECK(before != after);
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("A training step never allocates, whatever the optimiser", "[allocation][trainer]",
                        all_setups) {
    using Setup = TestType;
    using Loss = typename Setup::loss;
    using Net = typename Setup::net;
    INFO("T = " << (sizeof(typename Setup::value_type) == 4 ? "float" : "double"));
    // The trainers are built outside the regions: their state is part of them, sized at compile time.
    SECTION("SGD with a step-decay schedule and weight decay") {
        fixture<Setup> f;
        ctnn::Trainer<Net, Loss, ctnn::SGD<ctnn::StepDecay>> trainer(
            f.net, {.learning_rate = {0.05, 0.5, 3}, .weight_decay = 1e-3}, 5);
        check_trainer_does_not_allocate("SGD<StepDecay>", f, trainer);
    }
    SECTION("Nesterov momentum with a 1/t schedule and gradient clipping") {
        fixture<Setup> f;
        ctnn::Trainer<Net, Loss, ctnn::Momentum<ctnn::InverseTimeDecay>> trainer(
            f.net, {.learning_rate = {0.05, 0.1}, .momentum = 0.9, .nesterov = true}, 6);
        trainer.clip_gradients(0.5);
        check_trainer_does_not_allocate("Momentum<InverseTimeDecay>, Nesterov, clipped", f, trainer);
    }
    SECTION("Adam with an exponential schedule and weight decay") {
        fixture<Setup> f;
        ctnn::Trainer<Net, Loss, ctnn::Adam<ctnn::ExponentialDecay>> trainer(
            f.net, {.learning_rate = {0.01, 0.99}, .weight_decay = 1e-4}, 7);
        check_trainer_does_not_allocate("Adam<ExponentialDecay>", f, trainer);
    }
}
