// Compile-fail test compile_fail.save_long_double_network (tests/compile_fail/cases.cmake).
// Misuse: saving a network of long double, which weights files cannot hold.
// Expected: "ctnn::io::save(net, path): only networks of float or double (IEEE 754) can be saved"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>
#include <ctnn/io/weights.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Scalar = long double;
#else
using Scalar = double;
#endif
using Net = ctnn::BasicNetwork<ctnn::simd::scalar_arch, Scalar, ctnn::Input<2>, ctnn::Dense<1, ctnn::Sigmoid>>;

int main() {
    const Net net;
    return ctnn::io::save(net, "net.ctnn").ok() ? 0 : 1;
}
