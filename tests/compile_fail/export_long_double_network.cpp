// Compile-fail test compile_fail.export_long_double_network (tests/compile_fail/cases.cmake).
// Misuse: exporting a network of long double as a C++ header.
// Expected: "ctnn::io::export_header(net, path, name): only networks of float or double can be exported"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>
#include <ctnn/io/export.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Scalar = long double;
#else
using Scalar = float;
#endif
using Net = ctnn::BasicNetwork<ctnn::simd::scalar_arch, Scalar, ctnn::Input<2>, ctnn::Dense<1, ctnn::Sigmoid>>;

int main() {
    const Net net;
    return ctnn::io::export_header(net, "model.hpp", "model").ok() ? 0 : 1;
}
