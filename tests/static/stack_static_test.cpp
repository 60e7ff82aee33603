// The stack figures a network states (forward_stack_bytes, batch_forward_stack_bytes, backward_stack_bytes) against
// the buffers each call keeps, counted here from the widths as written: a row of a layer is its units rounded up to
// whole registers (padded); forward(x) keeps two rows of the widest layer, the batch forward two tiles of batch_tile
// such rows, and backward or loss without a workspace a Workspace: z, y and delta rows of every layer for each sample
// of a tile, plus one row of slopes per RReLU layer. Compiling this file is the test.

#include <ctnn/activation.hpp>
#include <ctnn/dense.hpp>
#include <ctnn/input.hpp>
#include <ctnn/network.hpp>
#include <ctnn/simd/arch.hpp>
#include <ctnn/workspace.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <type_traits>

namespace ctnn_stack_static_test {

using ctnn::Dense;
using ctnn::Input;
using ctnn::simd::default_arch;
using ctnn::simd::scalar_arch;

template <class Net>
constexpr std::size_t padded(std::size_t units) {
    constexpr std::size_t width = ctnn::simd::width<typename Net::value_type, typename Net::arch_type>;
    return (units + width - 1) / width * width;
}

// `units` and `rrelu` per layer, as the topology is written.
template <class Net, std::size_t N>
constexpr bool figures_hold(std::array<std::size_t, N> units, std::array<bool, N> rrelu) {
    constexpr std::size_t scalar = sizeof(typename Net::value_type);
    std::size_t widest = 0, rows = 0, slopes = 0;
    for (std::size_t i = 0; i < N; ++i) {
        widest = std::max(widest, padded<Net>(units[i]));
        rows += padded<Net>(units[i]);
        slopes += rrelu[i] ? padded<Net>(units[i]) : 0;
    }
    const std::size_t forward = 2 * widest * scalar;
    const std::size_t backward = (3 * Net::batch_tile * rows + slopes) * scalar;
    return Net::forward_stack_bytes == forward && Net::batch_forward_stack_bytes == Net::batch_tile * forward &&
           Net::backward_stack_bytes == backward && sizeof(ctnn::Workspace<Net>) == backward;
}

template <class Arch, class T>
using Net_2_16_16_1 =
    ctnn::BasicNetwork<Arch, T, Input<2>, Dense<16, ctnn::ReLU>, Dense<16, ctnn::Tanh>, Dense<1, ctnn::Sigmoid>>;
template <class Arch, class T>
using Net_7_3rrelu_9prelu_4 =
    ctnn::BasicNetwork<Arch, T, Input<7>, Dense<3, ctnn::RReLU>, Dense<9, ctnn::PReLU>, Dense<4, ctnn::Softmax>>;
template <class Arch, class T>
using Mnist =
    ctnn::BasicNetwork<Arch, T, Input<784>, Dense<128, ctnn::ReLU>, Dense<64, ctnn::ReLU>, Dense<10, ctnn::Softmax>>;
// A layer of 2^20 units: forward(x) alone needs 8 MiB of float rows, Linux's whole default stack.
template <class Arch, class T>
using Wide = ctnn::BasicNetwork<Arch, T, Input<1>, Dense<std::size_t{1} << 20, ctnn::ReLU>, Dense<1, ctnn::Linear>>;

template <template <class, class> class Net, std::size_t N>
constexpr bool holds_everywhere(std::array<std::size_t, N> units, std::array<bool, N> rrelu) {
    return figures_hold<Net<default_arch, float>>(units, rrelu) &&
           figures_hold<Net<default_arch, double>>(units, rrelu) &&
           figures_hold<Net<scalar_arch, float>>(units, rrelu) && figures_hold<Net<scalar_arch, double>>(units, rrelu);
}

static_assert(holds_everywhere<Net_2_16_16_1, 3>({16, 16, 1}, {false, false, false}));
static_assert(holds_everywhere<Net_7_3rrelu_9prelu_4, 3>({3, 9, 4}, {true, false, false}));
static_assert(holds_everywhere<Mnist, 3>({128, 64, 10}, {false, false, false}));
static_assert(holds_everywhere<Wide, 2>({std::size_t{1} << 20, 1}, {false, false}));

// The README's figures for 2-16-16-1 float: 128 bytes for forward(x) on every architecture; with SIMD a tile of 32
// samples, so 4 KiB for the batch forward and 384 (32 + padded(1)) bytes for backward (13,824 with SSE2, 15,360 with
// AVX2, 18,432 with AVX-512); one sample on scalar_arch: 396 bytes for backward.
static_assert(Net_2_16_16_1<default_arch, float>::forward_stack_bytes == 128);
static_assert(Net_2_16_16_1<scalar_arch, float>::forward_stack_bytes == 128);
static_assert(Net_2_16_16_1<scalar_arch, float>::batch_forward_stack_bytes == 128);
static_assert(Net_2_16_16_1<scalar_arch, float>::backward_stack_bytes == 396);
using Simd_2_16_16_1 = Net_2_16_16_1<default_arch, float>;
static_assert(std::is_same_v<default_arch, scalar_arch> ||
              (Simd_2_16_16_1::batch_tile == 32 && Simd_2_16_16_1::batch_forward_stack_bytes == 4096 &&
               Simd_2_16_16_1::backward_stack_bytes == 384 * (32 + ctnn::simd::width<float, default_arch>)));
static_assert(Wide<default_arch, float>::forward_stack_bytes == 8 * 1024 * 1024);

}  // namespace ctnn_stack_static_test
