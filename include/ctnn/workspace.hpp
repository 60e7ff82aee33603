#pragma once

/// @file
/// ctnn::Workspace: the buffers of one training pass (pre-activations, activations and
/// deltas of every layer) and the mode of RReLU layers, kept apart from the network so
/// that an inference-only program carries none of it.

#include "ctnn/random.hpp"

#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/range.hpp>
#include <boost/hana/tuple.hpp>

#include <cstddef>

namespace ctnn {

/// Buffers for forward and backward passes of a `Net` over up to `Samples` samples at a
/// time (per layer: z, y and delta rows of its padded width; `Net::batch_tile` by default,
/// so a minibatch runs through the batched kernels). A fresh workspace is in inference
/// mode: RReLU layers use their mean slope. draw_slopes() switches to training mode for
/// one step, with a new random slope per RReLU unit, shared by the step's samples.
template <class Net, std::size_t Samples = Net::batch_tile>
class Workspace {
    static_assert(Samples >= 1, "ctnn::Workspace<Net, Samples>: Samples must be at least 1");

public:
    using value_type = typename Net::value_type;
    using layers = typename Net::layers;
    /// Samples a batched pass through this workspace handles at once.
    static constexpr std::size_t samples = Samples;

    Workspace() noexcept { use_mean_slopes(); }

    /// Training mode for one step: each RReLU unit's slope uniform in [lower, upper], drawn
    /// layer by layer, unit by unit.
    void draw_slopes(Random& random) noexcept {
        // Only the real units draw, so a seed gives the same slopes whatever the padding.
        for_each_random_slope([&](auto& slope, std::size_t units, value_type lower, value_type upper) {
            for (std::size_t o = 0; o < units; ++o) slope[o] = random.uniform<value_type>(lower, upper);
        });
    }

    /// Inference mode: each RReLU unit's slope is (lower + upper) / 2.
    void use_mean_slopes() noexcept {
        for_each_random_slope([&](auto& slope, std::size_t /*units*/, value_type lower, value_type upper) {
            slope.fill((lower + upper) / 2);
        });
    }

    /// The buffers of layer `I`.
    template <std::size_t I>
    [[nodiscard]] auto& layer() noexcept {
        return boost::hana::at_c<I>(caches_);
    }
    template <std::size_t I>
    [[nodiscard]] const auto& layer() const noexcept {
        return boost::hana::at_c<I>(caches_);
    }

private:
    template <class F>
    void for_each_random_slope(F&& f) noexcept {
        boost::hana::for_each(boost::hana::make_range(boost::hana::size_c<0>, boost::hana::size_c<layers::size>),
                              [&](auto i) {
                                  using L = typename layers::template at<decltype(i)::value>;
                                  if constexpr (L::random_slope) {
                                      using A = typename L::activation;
                                      f(layer<decltype(i)::value>().slope, L::output_size, ratio<typename A::lower>(),
                                        ratio<typename A::upper>());
                                  }
                              });
    }

    template <class R>
    static constexpr value_type ratio() noexcept {
        return static_cast<value_type>(R::num) / static_cast<value_type>(R::den);
    }

    typename layers::template caches<Samples> caches_;
};

}  // namespace ctnn
