#pragma once

// Two-class data sets in the plane that no line separates: two spirals, two circles,
// two moons. Points lie in about [-1, 1]^2; label 0 or 1.

#include <ctnn/random.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <string_view>
#include <vector>

namespace examples {

struct Point {
    float x, y;
    int label;
};

inline constexpr float pi = 3.14159265358979f;

/// Two interleaved spirals of 1.75 turns each, `count` points in all.
inline std::vector<Point> two_spirals(std::size_t count, ctnn::Random& random, float noise = 0.02f) {
    std::vector<Point> points;
    for (std::size_t i = 0; i < count; ++i) {
        const int label = static_cast<int>(i % 2);
        const float t = std::sqrt(random.uniform<float>(0.02f, 1.0f));  // denser toward the outside
        const float angle = 3.5f * pi * t + (label ? pi : 0.0f);
        points.push_back({t * std::cos(angle) + random.normal(0.0f, noise),
                          t * std::sin(angle) + random.normal(0.0f, noise), label});
    }
    return points;
}

/// A disc of class 1 inside a ring of class 0.
inline std::vector<Point> circles(std::size_t count, ctnn::Random& random, float noise = 0.05f) {
    std::vector<Point> points;
    for (std::size_t i = 0; i < count; ++i) {
        const int label = static_cast<int>(i % 2);
        const float radius = label ? 0.35f : 0.85f;
        const float angle = random.uniform<float>(0, 2 * pi);
        points.push_back({radius * std::cos(angle) + random.normal(0.0f, noise),
                          radius * std::sin(angle) + random.normal(0.0f, noise), label});
    }
    return points;
}

/// Two interleaved half circles.
inline std::vector<Point> moons(std::size_t count, ctnn::Random& random, float noise = 0.12f) {
    std::vector<Point> points;
    for (std::size_t i = 0; i < count; ++i) {
        const int label = static_cast<int>(i % 2);
        const float angle = random.uniform<float>(0, pi);
        const float x = label ? 1 - std::cos(angle) : std::cos(angle);
        const float y = label ? 0.5f - std::sin(angle) : std::sin(angle);
        // Centre the pair on the origin and scale it into [-1, 1]^2.
        points.push_back({(x - 0.5f) * 0.8f + random.normal(0.0f, noise) * 0.8f,
                          (y - 0.25f) * 0.8f + random.normal(0.0f, noise) * 0.8f, label});
    }
    return points;
}

}  // namespace examples
