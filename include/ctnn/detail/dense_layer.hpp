#pragma once

/// @file
/// A Dense spec bound to its scalar type, arch, input width and place in the network's
/// flat parameter storage. Stateless: the parameters live in the network, the buffers of
/// a training pass in a Workspace; this type only knows the layout and the kernels.
///
/// Storage of one layer, from `offset`, in scalars (P = padded<T, Arch>(Out)):
///   weights  In x P, input-major (row i: the weights from input i to every output)
///   bias     P
///   slope    P          (PReLU only)
/// Padding lanes are zero and stay zero: their gradients are zero.

#include "ctnn/activation/relu.hpp"
#include "ctnn/activation/softmax.hpp"
#include "ctnn/activation/traits.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/kernels.hpp"
#include "ctnn/simd/ops.hpp"

#include <array>
#include <cstddef>
#include <type_traits>

namespace ctnn::detail {

template <class Arch, class T, std::size_t In, std::size_t Out, class Act, std::size_t Offset>
struct dense_layer {
    using activation = Act;
    using vector = simd::vector_t<T, Arch>;

    static constexpr std::size_t input_size = In;
    static constexpr std::size_t output_size = Out;
    static constexpr std::size_t padded_size = simd::padded<T, Arch>(Out);
    static constexpr bool learned_slope = has_learned_slope<Act>;
    static constexpr bool random_slope = has_random_slope<Act>;

    static constexpr std::size_t weight_offset = Offset;
    static constexpr std::size_t bias_offset = weight_offset + In * padded_size;
    static constexpr std::size_t slope_offset = bias_offset + padded_size;
    static constexpr std::size_t storage_size = In * padded_size + padded_size + (learned_slope ? padded_size : 0);
    static constexpr std::size_t end_offset = Offset + storage_size;
    static constexpr std::size_t parameter_count = In * Out + Out + (learned_slope ? Out : 0);

    /// The buffers one sample's training pass keeps for this layer.
    struct cache {
        alignas(simd::alignment<T, Arch>) std::array<T, padded_size> z{};      // pre-activation
        alignas(simd::alignment<T, Arch>) std::array<T, padded_size> y{};      // activation
        alignas(simd::alignment<T, Arch>) std::array<T, padded_size> delta{};  // dL/dz, then scratch
        // RReLU: this step's slope per unit.
        alignas(simd::alignment<T, Arch>) std::array<T, random_slope ? padded_size : 0> slope{};
    };

    /// Calls `f(k, s)` for every parameter: `k` its index in the canonical order within the
    /// layer (weight [out][in] row-major, bias, slope), `s` its index in the storage.
    template <class F>
    static constexpr void for_each_parameter(F&& f) {
        for (std::size_t o = 0; o < Out; ++o) {
            for (std::size_t i = 0; i < In; ++i) f(o * In + i, weight_offset + i * padded_size + o);
        }
        for (std::size_t o = 0; o < Out; ++o) f(In * Out + o, bias_offset + o);
        if constexpr (learned_slope) {
            for (std::size_t o = 0; o < Out; ++o) f(In * Out + Out + o, slope_offset + o);
        }
    }

    /// Copies the layer's parameters from the canonical order (`canonical[0, parameter_count)`)
    /// into `storage`. The same mapping as for_each_parameter, as plain loops: in a constant
    /// expression (Network::from_parameters) each parameter then costs a few evaluation steps
    /// instead of a few dozen, which keeps large exported networks within clang's limit.
    static constexpr void write_canonical(const T* canonical, T* storage) noexcept {
        for (std::size_t o = 0; o < Out; ++o) {
            T* column = storage + weight_offset + o;
            for (std::size_t i = 0; i < In; ++i) column[i * padded_size] = canonical[o * In + i];
        }
        for (std::size_t o = 0; o < Out; ++o) storage[bias_offset + o] = canonical[In * Out + o];
        if constexpr (learned_slope) {
            for (std::size_t o = 0; o < Out; ++o) storage[slope_offset + o] = canonical[In * Out + Out + o];
        }
    }

    /// Storage index of the parameter at canonical index `k` within the layer.
    [[nodiscard]] static constexpr std::size_t storage_index(std::size_t k) noexcept {
        if (k < In * Out) return weight_offset + (k % In) * padded_size + k / In;
        k -= In * Out;
        return k < Out ? bias_offset + k : slope_offset + (k - Out);
    }

    /// Sets the parameters that are not zero in a fresh layer (PReLU's initial slope).
    static constexpr void initialize_defaults(T* storage) noexcept {
        if constexpr (learned_slope) {
            constexpr T initial = static_cast<T>(Act::initial_slope::num) / static_cast<T>(Act::initial_slope::den);
            for (std::size_t o = 0; o < Out; ++o) storage[slope_offset + o] = initial;
        }
    }

    /// z = W x + b over all padded lanes.
    static void affine(const T* storage, const T* x, T* z) noexcept {
        simd::affine<Arch, In, padded_size>(storage + weight_offset, storage + bias_offset, x, z);
    }

    /// y = f(z). `random_slopes` is this step's RReLU slopes, or null for the mean slope.
    static void activate(const T* storage, const T* z, T* y, const T* random_slopes = nullptr) noexcept {
        if constexpr (std::is_same_v<Act, Softmax>) {
            Softmax::apply(z, y, Out);
        } else if constexpr (learned_slope || random_slope) {
            const T* slopes = learned_slope ? storage + slope_offset : random_slopes;
            for (std::size_t o = 0; o < padded_size; o += simd::width<T, Arch>) {
                const vector zv = simd::load<vector>(z + o);
                const vector a = slopes ? simd::load<vector>(slopes + o) : mean_slope();
                simd::store(y + o, Act::value(zv, a));
            }
        } else {
            simd::transform<Arch, padded_size>(z, y, [](const vector& v) { return Act::value(v); });
        }
    }

    /// Inference forward for one sample: z and y may be the same buffer.
    static void forward(const T* storage, const T* x, T* y) noexcept {
        affine(storage, x, y);
        activate(storage, y, y);
    }

    /// Turns c.delta from dL/dy into dL/dz, and adds the slope gradient of a PReLU layer.
    static void activation_backward(const T* storage, T* gradients, cache& c) noexcept {
        static_assert(!std::is_same_v<Act, Softmax>, "Softmax is only differentiated with its loss");
        for (std::size_t o = 0; o < padded_size; o += simd::width<T, Arch>) {
            const vector z = simd::load<vector>(c.z.data() + o);
            const vector dy = simd::load<vector>(c.delta.data() + o);
            vector dz;
            if constexpr (learned_slope) {
                T* slope_gradient = gradients + slope_offset + o;
                simd::store(slope_gradient,
                            simd::fma(dy, Act::slope_derivative(z), simd::load<vector>(slope_gradient)));
                dz = dy * Act::derivative(z, simd::load<vector>(storage + slope_offset + o));
            } else if constexpr (random_slope) {
                dz = dy * Act::derivative(z, simd::load<vector>(c.slope.data() + o));
            } else {
                dz = dy * Act::derivative(z, simd::load<vector>(c.y.data() + o));
            }
            simd::store(c.delta.data() + o, dz);
        }
    }

    /// Adds this sample's dW = x delta^T and db = delta to `gradients`.
    static void accumulate_gradients(T* gradients, const T* x, const cache& c) noexcept {
        simd::add_outer_product<Arch, In, padded_size>(gradients + weight_offset, x, c.delta.data());
        simd::add<Arch, padded_size>(gradients + bias_offset, c.delta.data());
    }

    /// dx = W^T delta, the gradient with respect to this layer's input (In values).
    static void input_gradient(const T* storage, const cache& c, T* dx) noexcept {
        simd::transposed_product<Arch, In, padded_size>(storage + weight_offset, c.delta.data(), dx);
    }

private:
    static vector mean_slope() noexcept {
        if constexpr (random_slope) {
            return simd::ratio_value<vector, typename Act::mean_slope>();
        } else {
            return vector(T(0));
        }
    }
};

}  // namespace ctnn::detail
