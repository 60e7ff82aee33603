// Compile-time checks of ctnn::QuantizedNetwork (STYLE rule 4): its size is its parameters, counted here from the
// topology as written (int8 rows padded to 4 bytes; per unit 12 bytes: an int32 bias, a float weight scale and a float
// multiplier with FloatRequantizer, an int32 bias and an int32 multiplier and shift with FixedPointRequantizer, which
// keeps no weight scales; per layer two qparams of 8 bytes and Tanh's or Sigmoid's 256-byte table; the input's
// qparams), and it is trivially copyable. Compiling this file is the test.

#include <ctnn/activation.hpp>
#include <ctnn/dense.hpp>
#include <ctnn/input.hpp>
#include <ctnn/network.hpp>
#include <ctnn/quantized_network.hpp>

#include <cstddef>
#include <type_traits>

namespace ctnn_quantized_static_test {

constexpr std::size_t layer_bytes(std::size_t in, std::size_t out, bool table) {
    return out * ((in + 3) / 4 * 4) + out * 12 + 16 + (table ? 256 : 0);
}

using Small = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>, ctnn::Dense<16, ctnn::Tanh>,
                            ctnn::Dense<1, ctnn::Sigmoid>>;
using QSmall = ctnn::QuantizedNetwork<Small>;
static_assert(sizeof(QSmall) == QSmall::storage_bytes);
static_assert(QSmall::storage_bytes ==
              8 + layer_bytes(2, 16, true) + layer_bytes(16, 16, true) + layer_bytes(16, 1, true));
static_assert(std::is_trivially_copyable_v<QSmall>);

using Mnist = ctnn::Network<float, ctnn::Input<784>, ctnn::Dense<128, ctnn::ReLU>, ctnn::Dense<64, ctnn::ReLU>,
                            ctnn::Dense<10, ctnn::Softmax>>;
using QMnist = ctnn::QuantizedNetwork<Mnist>;
static_assert(sizeof(QMnist) == QMnist::storage_bytes);
static_assert(QMnist::storage_bytes ==
              8 + layer_bytes(784, 128, false) + layer_bytes(128, 64, false) + layer_bytes(64, 10, false));
static_assert(std::is_trivially_copyable_v<QMnist>);

// Odd widths: every row padded to a whole word, no padding between members or layers.
using Odd = ctnn::Network<float, ctnn::Input<5>, ctnn::Dense<3, ctnn::Linear>, ctnn::Dense<7, ctnn::ReLU>,
                          ctnn::Dense<1, ctnn::Linear>>;
using QOdd = ctnn::QuantizedNetwork<Odd>;
static_assert(sizeof(QOdd) == 8 + layer_bytes(5, 3, false) + layer_bytes(3, 7, false) + layer_bytes(7, 1, false));

// FixedPointRequantizer: 12 bytes a unit too (bias, multiplier, shift), so 1 byte a weight plus 12 a unit plus the
// fixed costs; each layer's sizeof is its `bytes`, and the weight scales take no room.
using QSmallFixed = ctnn::QuantizedNetwork<Small, ctnn::FixedPointRequantizer>;
static_assert(sizeof(QSmallFixed) == QSmallFixed::storage_bytes);
static_assert(QSmallFixed::storage_bytes ==
              8 + layer_bytes(2, 16, true) + layer_bytes(16, 16, true) + layer_bytes(16, 1, true));
static_assert(sizeof(QSmallFixed::layer_type<1>) == 16 * 16 + 16 * 12 + 16 + 256);
static_assert(QSmallFixed::layer_type<1>::bytes == sizeof(QSmallFixed::layer_type<1>));
static_assert(!QSmallFixed::layer_type<1>::has_weight_scales && QSmall::layer_type<1>::has_weight_scales);
static_assert(std::is_empty_v<decltype(QSmallFixed::layer_type<1>::weight_scales)>);
static_assert(std::is_trivially_copyable_v<QSmallFixed>);
using QMnistFixed = ctnn::QuantizedNetwork<Mnist, ctnn::FixedPointRequantizer>;
static_assert(sizeof(QMnistFixed) == QMnistFixed::storage_bytes);
static_assert(sizeof(QMnistFixed) ==
              8 + layer_bytes(784, 128, false) + layer_bytes(128, 64, false) + layer_bytes(64, 10, false));
static_assert(sizeof(QMnistFixed::layer_type<0>) == 128 * 784 + 128 * 12 + 16);
static_assert(sizeof(QMnistFixed) == 111664);
using QOddFixed = ctnn::QuantizedNetwork<Odd, ctnn::FixedPointRequantizer>;
static_assert(sizeof(QOddFixed) == 8 + layer_bytes(5, 3, false) + layer_bytes(3, 7, false) + layer_bytes(7, 1, false));

// forward_quanta's layout: the input's quanta, then per layer its Linear's and its output's.
static_assert(QOdd::quanta_size == 5 + 2 * (3 + 7 + 1));
static_assert(QOdd::linear_quanta_offset(0) == 5 && QOdd::output_quanta_offset(0) == 8);
static_assert(QOdd::linear_quanta_offset(2) == 5 + 6 + 14 && QOdd::output_quanta_offset(2) == 26);

}  // namespace ctnn_quantized_static_test
