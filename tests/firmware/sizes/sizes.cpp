// The measured firmware of tools/embedded-sizes, one program per variant, chosen with macros:
//   SIZES_KIND        0 empty, 1 ctnn inference, 2 ctnn training (one-sample SGD steps), 3 plain C inference,
//                     4 plain C training; all on the 2-16-16-1 network of tanh_net.hpp
//   SIZES_ITERATIONS  how many forward passes or training steps main runs (the count is a volatile, so builds for
//                     different counts have the same code)
//   SIZES_REPORT      1: also measure the peak stack of one call and print it (a separate build: printf costs flash)

#include "tanh_net.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

#ifndef SIZES_ITERATIONS
#define SIZES_ITERATIONS 0
#endif

extern "C" float plain_forward(const float* parameters, const float x[2]);
extern "C" void plain_sgd_step(float* parameters, const float x[2], float target, float rate);

namespace {

using Net = tanh_net::Network;
// One more than the count, so that it is never zero: a zero would move it from .data to .bss and change the code's
// addresses.
volatile int iterations = SIZES_ITERATIONS + 1;
volatile float sink;
const std::array<Net::input_type, 4> inputs{{{0.5f, -1.0f}, {1.5f, 0.25f}, {-0.75f, 1.0f}, {0.0f, -0.5f}}};
const std::array<Net::output_type, 4> targets{{{1}, {0}, {0}, {1}}};

#if SIZES_KIND == 2
Net net = tanh_net::network;  // trained in place: in RAM
ctnn::Trainer<Net, ctnn::BinaryCrossEntropy> trainer(net, {.learning_rate = {0.05}});
#elif SIZES_KIND == 3
constexpr std::array<float, Net::parameter_count> parameters = tanh_net::parameters;
#elif SIZES_KIND == 4
std::array<float, Net::parameter_count> parameters = tanh_net::parameters;
#endif

[[gnu::noinline]] void run(int i) {
    const Net::input_type& x = inputs[static_cast<unsigned>(i) & 3];
    const float t = targets[static_cast<unsigned>(i) & 3][0];
    (void)x;
    (void)t;
#if SIZES_KIND == 1
    sink = tanh_net::network.forward(x)[0];
#elif SIZES_KIND == 2
    sink = trainer.step(x, {t}).loss;
#elif SIZES_KIND == 3
    sink = plain_forward(parameters.data(), x.data());
#elif SIZES_KIND == 4
    plain_sgd_step(parameters.data(), x.data(), t, 0.05f);
#endif
}

#if SIZES_REPORT
// Peak stack of one run(): paints the 16 KiB below this function's frame, calls run, and finds the deepest word that
// changed.
[[gnu::noinline]] std::uint32_t peak_stack() {
    constexpr std::uint32_t paint = 0xC5C5C5C5u;
    std::uint32_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    volatile std::uint32_t* const low = reinterpret_cast<volatile std::uint32_t*>(sp - 16384);
    volatile std::uint32_t* const high = reinterpret_cast<volatile std::uint32_t*>(sp - 16);
    for (volatile std::uint32_t* p = low; p < high; ++p) *p = paint;
    run(0);
    volatile std::uint32_t* p = low;
    while (p < high && *p == paint) ++p;
    return sp - reinterpret_cast<std::uint32_t>(p);
}
#endif

}  // namespace

int main() {
    for (int i = 1; i < iterations; ++i) run(i);
#if SIZES_REPORT
    std::printf("stack: %lu\n", static_cast<unsigned long>(peak_stack()));
#endif
    return 0;
}
