// Helpers for the photo tests (orientation, colour profiles): the fixtures made by
// scripts/make_photo_fixtures.py, and editing JPEG/PNG metadata to build damaged files.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/image.h"
#include "support.h"

namespace test {

inline std::string photo_fixture(const std::string& name)
{
    return source_path("tests/fixtures/photo/" + name);
}

/// The box scripts/make_photo_fixtures.py crops the PNG fixtures from (left, top, width, height).
constexpr int kCropX = 56;
constexpr int kCropY = 24;
constexpr int kCropW = 64;
constexpr int kCropH = 43;

inline core::DecodeResult decode_bytes(const std::vector<uint8_t>& bytes)
{
    return core::decode_image(bytes.data(), bytes.size());
}

inline core::Image crop(const core::Image& img, int x0, int y0, int w, int h)
{
    core::Image out;
    out.width = w;
    out.height = h;
    out.rgba.resize(out.pixels() * 4);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            for (int c = 0; c < 4; ++c) {
                out.rgba[4 * (static_cast<size_t>(y) * w + x) + c] =
                    img.rgba[4 * (static_cast<size_t>(y0 + y) * img.width + x0 + x) + c];
            }
        }
    }
    return out;
}

/// Mean absolute difference per RGB channel (0..255) of two images of the same size.
inline double mean_abs_diff(const core::Image& a, const core::Image& b)
{
    double sum = 0.0;
    for (size_t i = 0; i < a.pixels(); ++i) {
        for (int c = 0; c < 3; ++c) {
            sum += std::abs(static_cast<int>(a.rgba[4 * i + c]) - static_cast<int>(b.rgba[4 * i + c]));
        }
    }
    return sum / (3.0 * static_cast<double>(a.pixels()));
}

/// A JPEG with segment (marker, payload) inserted right after SOI.
inline std::vector<uint8_t> jpeg_with_segment(const std::vector<uint8_t>& jpeg, uint8_t marker,
                                              const std::vector<uint8_t>& payload)
{
    std::vector<uint8_t> out(jpeg.begin(), jpeg.begin() + 2);
    const size_t len = payload.size() + 2;
    out.insert(out.end(), {0xFF, marker, static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len)});
    out.insert(out.end(), payload.begin(), payload.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

/// A PNG with chunk (type, payload) inserted right after IHDR (CRC left zero: nobody checks it).
inline std::vector<uint8_t> png_with_chunk(const std::vector<uint8_t>& png, const char* type,
                                           const std::vector<uint8_t>& payload)
{
    const size_t after_ihdr = 8 + 12 + 13;
    std::vector<uint8_t> out(png.begin(), png.begin() + after_ihdr);
    const size_t len = payload.size();
    out.insert(out.end(), {static_cast<uint8_t>(len >> 24), static_cast<uint8_t>(len >> 16),
                           static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len)});
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), payload.begin(), payload.end());
    out.insert(out.end(), {0, 0, 0, 0});
    out.insert(out.end(), png.begin() + after_ihdr, png.end());
    return out;
}

} // namespace test
