// ctnn::backward and ctnn::loss given a class label out of range: a broken precondition, reported through
// CTNN_ASSERT (always on). Here CTNN_ASSERT is routed to a counter that returns, as a firmware's handler might: the
// call then returns NaN and reads and writes nothing out of range (the sanitizer builds check the latter).
#include "support/expect.hpp"

#include <cmath>
#include <cstddef>
#include <cstring>

namespace {
int broken = 0;
const char* last_message = "";
}  // namespace

#define CTNN_ASSERT(condition, message) \
    ((condition) ? static_cast<void>(0) : (++broken, last_message = (message), static_cast<void>(0)))

#include <ctnn/ctnn.hpp>

#include <array>

int main() {
    using ctnn_test::expect;
    using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;
    Net net;
    ctnn::Random random(1);
    ctnn::init::xavier_normal(net, random);
    const std::array<Net::input_type, 2> xs{{{1.0f, 2.0f}, {-1.0f, 0.5f}}};
    ctnn::Gradients<Net> g;
    const std::array<Net::output_type, 2> ts{{{0, 0, 1}, {1, 0, 0}}};
    (void)ctnn::backward<ctnn::CategoricalCrossEntropy>(net, xs, ts, g);
    const float kept = g[0];

    const std::array<int, 2> labels{2, 3};
    expect(std::isnan(ctnn::loss<ctnn::CategoricalCrossEntropy>(net, xs, labels)), "loss: NaN for a label of 3");
    expect(broken == 1, "loss: CTNN_ASSERT reported the label");
    expect(std::strstr(last_message, "class label is out of range") != nullptr, "loss: the message names the fault");
    expect(std::isnan(ctnn::backward<ctnn::CategoricalCrossEntropy>(net, xs, labels, g)), "backward: NaN");
    expect(broken == 2, "backward: CTNN_ASSERT reported the label");
    expect(g[0] == kept, "backward: the gradients are unchanged");
    expect(std::isnan(ctnn::loss<ctnn::CategoricalCrossEntropy>(net, xs[0], -1)), "one sample: NaN for -1");
    expect(broken == 3, "one sample: CTNN_ASSERT reported the label");

    using Binary = ctnn::Network<double, ctnn::Input<2>, ctnn::Dense<1, ctnn::Sigmoid>>;
    Binary binary;
    expect(std::isnan(ctnn::loss<ctnn::BinaryCrossEntropy>(binary, Binary::input_type{1, 2}, 2)), "sigmoid: NaN for 2");
    expect(broken == 4, "sigmoid: CTNN_ASSERT reported the label");
    expect(!std::isnan(ctnn::loss<ctnn::BinaryCrossEntropy>(binary, Binary::input_type{1, 2}, true)), "sigmoid: true");
    expect(broken == 4, "sigmoid: true and 1 are in range");
    return ctnn_test::summary();
}
