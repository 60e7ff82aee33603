// ctnn::quantize given an empty calibration set, or calibration values that are not finite: broken preconditions,
// reported through CTNN_ASSERT (always on). Here CTNN_ASSERT is routed to a counter that returns, as a firmware's
// handler might: quantize then still returns a network (scales 2^-23, zero points 0) whose forward pass reads and
// writes nothing out of range (the sanitizer builds check that). Built without Catch2, so the quantized network is
// also compiled where exceptions and RTTI are off (CTNN_CORE_ONLY_TESTS).
#include "support/expect.hpp"

#include <cstddef>
#include <cstring>
#include <limits>

namespace {
int broken = 0;
const char* first_message = "";
}  // namespace

#define CTNN_ASSERT(condition, message) \
    ((condition) ? static_cast<void>(0) : (broken++ == 0 ? (first_message = (message)) : nullptr, static_cast<void>(0)))

#include <ctnn/ctnn.hpp>
#include <ctnn/quantized_network.hpp>

#include <array>
#include <span>

int main() {
    using ctnn_test::expect;
    using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::ReLU>, ctnn::Dense<3, ctnn::Softmax>>;
    Net net;
    ctnn::Random random(1);
    ctnn::init::xavier_normal(net, random);

    const auto empty = ctnn::quantize(net, std::span<const Net::input_type>());
    expect(broken >= 1, "empty calibration set: CTNN_ASSERT reported it");
    expect(std::strstr(first_message, "the calibration set is empty") != nullptr, "empty: the message names the fault");
    expect(empty.input_qparams().scale > 0.0f, "empty: the scales stay positive");
    (void)empty.forward({1.0f, 2.0f});

    broken = 0;
    const std::array<Net::input_type, 2> nan_inputs{{{1.0f, std::numeric_limits<float>::quiet_NaN()}, {0.5f, 0.25f}}};
    const auto nan = ctnn::quantize(net, nan_inputs);
    expect(broken >= 1, "NaN input: CTNN_ASSERT reported it");
    expect(std::strstr(first_message, "a NaN or an infinity was observed") != nullptr, "NaN: the message names it");
    (void)nan.forward({1.0f, 2.0f});

    broken = 0;
    const std::array<Net::input_type, 2> inputs{{{1.0f, -2.0f}, {0.5f, 0.25f}}};
    const auto good = ctnn::quantize(net, inputs);
    expect(broken == 0, "finite, non-empty calibration: no report");
    expect(good.predict_class({1.0f, -2.0f}) < 3, "a class of the three");
    return ctnn_test::summary();
}
