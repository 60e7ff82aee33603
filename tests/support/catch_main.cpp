// Catch2's test runner, compiled once from its single header where no prebuilt Catch2::Catch2WithMain fits the
// target (cross builds; see tests/CMakeLists.txt).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
