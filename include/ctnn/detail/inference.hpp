#pragma once

/// @file
/// The inference passes of a network, layer after layer through buffer rows, written once for
/// every network type that keeps its parameters in its own way (ctnn::BasicNetwork,
/// ctnn::BFloat16Network): the caller says how layer i runs, these say in what order and
/// through which rows.

#include "ctnn/config.hpp"
#include "ctnn/detail/static_for.hpp"

#include <algorithm>
#include <cstddef>
#include <span>
#include <type_traits>

namespace ctnn::detail {

/// One sample through `Layers` (a layer_list): `layer(i, in, out)` runs layer i (an integral
/// constant) from `in` into `rows(i)`, a padded row that the next layer reads. Returns the last
/// row's first output_size values.
template <class Layers, class Output, class Input, class Rows, class Layer>
[[nodiscard]] Output forward_sample(const Input& x, Rows&& rows, Layer&& layer) noexcept {
    using T = typename Input::value_type;
    const T* in = x.data();
    static_for<Layers::size>([&](auto i) {
        T* y = rows(i);
        layer(i, in, y);
        in = y;
    });
    Output y;
    for (std::size_t k = 0; k < y.size(); ++k) y[k] = in[k];
    return y;
}

/// The batch through `Layers`, `Tile` samples at a time: `tile(i, x, y, count)` runs layer i on
/// `count` rows from x (the inputs, or the rows of layer i - 1) into y = rows(i) (Tile rows of at
/// least its padded width); `layer` as for forward_sample, when Tile is 1.
/// Requires: both spans have the same length.
template <class Layers, std::size_t Tile, class Input, class Output, class Rows, class Layer, class TileLayer>
void forward_batch(std::span<const Input> inputs, std::span<Output> outputs, Rows&& rows, Layer&& layer,
                   TileLayer&& tile) noexcept {
    CTNN_ASSERT(inputs.size() == outputs.size(), "Network::forward: inputs and outputs differ in length");
    for (std::size_t first = 0; first < inputs.size(); first += Tile) {
        if constexpr (Tile == 1) {
            // One sample: the one-sample kernels, as forward(x).
            outputs[first] = forward_sample<Layers, Output>(
                inputs[first], [&](auto i) { return rows(i)->data(); }, layer);
        } else {
            const std::size_t count = std::min(Tile, inputs.size() - first);
            static_for<Layers::size>([&](auto i) {
                if constexpr (i == 0) {
                    tile(i, inputs.data() + first, rows(i), count);
                } else {
                    tile(i, rows(std::integral_constant<std::size_t, i - 1>{}), rows(i), count);
                }
            });
            const auto* out = rows(std::integral_constant<std::size_t, Layers::size - 1>{});
            for (std::size_t s = 0; s < count; ++s) {
                for (std::size_t k = 0; k < outputs[first + s].size(); ++k) outputs[first + s][k] = out[s][k];
            }
        }
    }
}

}  // namespace ctnn::detail
