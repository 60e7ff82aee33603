#pragma once

// Pictures of a 2-D classifier: the plane coloured by the predicted probability of
// class 1 (blue for 0, orange for 1, pale near 0.5), the points on top, written as PNG
// with stb_image_write.

#include "support/toy_data.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace examples {

/// An RGB image, row-major from the top.
struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb;

    Image(int w, int h) : width(w), height(h), rgb(static_cast<std::size_t>(w * h * 3), 255) {}

    void set(int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
        if (x < 0 || y < 0 || x >= width || y >= height) return;
        auto* p = &rgb[static_cast<std::size_t>((y * width + x) * 3)];
        p[0] = r;
        p[1] = g;
        p[2] = b;
    }

    /// Copies `other` with its top-left corner at (x0, y0).
    void paste(const Image& other, int x0, int y0) {
        for (int y = 0; y < other.height; ++y)
            for (int x = 0; x < other.width; ++x) {
                const auto* p = &other.rgb[static_cast<std::size_t>((y * other.width + x) * 3)];
                set(x0 + x, y0 + y, p[0], p[1], p[2]);
            }
    }

    /// Writes a PNG; false when the file cannot be written.
    bool write_png(const std::string& path) const;
};

/// Draws `probability(x, y)` over [-1.2, 1.2]^2 and the points, in a `size` x `size` image.
template <class Probability>
Image decision_boundary(Probability&& probability, const std::vector<Point>& points, int size = 240) {
    Image image(size, size);
    const float extent = 1.2f;
    auto to_plane = [&](int pixel) { return (2.0f * (static_cast<float>(pixel) + 0.5f) / size - 1.0f) * extent; };
    auto to_pixel = [&](float v) { return static_cast<int>((v / extent + 1.0f) * 0.5f * static_cast<float>(size)); };
    for (int py = 0; py < size; ++py) {
        for (int px = 0; px < size; ++px) {
            const float p = probability(to_plane(px), -to_plane(py));
            // Blend from blue (p = 0) through white to orange (p = 1), lighter near 0.5.
            const float strength = std::min(1.0f, std::abs(p - 0.5f) * 2.0f) * 0.45f;
            const float r = p < 0.5f ? 1 - strength * (1 - 0.26f) : 1 - strength * (1 - 1.00f);
            const float g = p < 0.5f ? 1 - strength * (1 - 0.52f) : 1 - strength * (1 - 0.60f);
            const float b = p < 0.5f ? 1 - strength * (1 - 0.96f) : 1 - strength * (1 - 0.10f);
            image.set(px, py, static_cast<std::uint8_t>(r * 255), static_cast<std::uint8_t>(g * 255),
                      static_cast<std::uint8_t>(b * 255));
        }
    }
    for (const Point& point : points) {
        const int cx = to_pixel(point.x), cy = to_pixel(-point.y);
        for (int dy = -2; dy <= 2; ++dy)
            for (int dx = -2; dx <= 2; ++dx) {
                const bool edge = dx == -2 || dx == 2 || dy == -2 || dy == 2;
                if (edge) {
                    image.set(cx + dx, cy + dy, 255, 255, 255);
                } else if (point.label) {
                    image.set(cx + dx, cy + dy, 220, 110, 0);
                } else {
                    image.set(cx + dx, cy + dy, 20, 80, 200);
                }
            }
    }
    return image;
}

}  // namespace examples
