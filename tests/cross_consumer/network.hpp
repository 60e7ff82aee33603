// The consumer's own interface to its network, so that main.cpp needs no ctnn header.
#pragma once

/// Trains a 2-8-1 network on XOR and returns the sum of squared errors on the four points.
float xor_error_after_training();

/// The SIMD architecture ctnn compiled for ("arm64+neon" on AArch64, "scalar" on Cortex-M).
const char* simd_arch_name();
