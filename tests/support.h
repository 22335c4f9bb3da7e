// Helpers shared by the core tests: real photos from Debian's packages, tiny synthetic images.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/image.h"

namespace test {

/// python3-sklearn's sample photo (640 x 427), a real JPEG.
inline const char* kChinaJpg = "/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg";
inline const char* kFlowerJpg = "/usr/lib/python3/dist-packages/sklearn/datasets/images/flower.jpg";

inline std::string source_path(const std::string& relative)
{
    return std::string(KPIX_SOURCE_DIR) + "/" + relative;
}

inline std::vector<uint8_t> read_bytes(const std::string& path)
{
    std::vector<uint8_t> bytes;
    std::string error;
    if (!core::read_file(path, bytes, error)) {
        throw std::runtime_error(error);
    }
    return bytes;
}

/// The photo decoded by stb_image, the decoder the engine's tests and their expected figures
/// were written with (tests of the decoders call decode_image themselves).
inline core::Image load_photo(const std::string& path)
{
    const std::vector<uint8_t> bytes = read_bytes(path);
    core::DecodeOptions options;
    options.stb_reference = true;
    core::DecodeResult r = core::decode_image(bytes.data(), bytes.size(), options);
    if (!r.ok) {
        throw std::runtime_error(path + ": " + r.error);
    }
    return std::move(r.image);
}

/// An image of vertical stripes, one per colour (rgb triples), each `width` pixels wide.
inline core::Image stripes(const std::vector<uint8_t>& colours, int width, int height)
{
    core::Image img;
    const int stripes_count = static_cast<int>(colours.size() / 3);
    img.width = width * stripes_count;
    img.height = height;
    img.rgba.resize(img.pixels() * 4);
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            const int s = x / width;
            uint8_t* p = img.rgba.data() + 4 * (static_cast<size_t>(y) * img.width + x);
            p[0] = colours[3 * s];
            p[1] = colours[3 * s + 1];
            p[2] = colours[3 * s + 2];
            p[3] = 255;
        }
    }
    return img;
}

/// One step of the tests' pseudo-random numbers, a 32-bit linear congruential generator (Numerical
/// Recipes' constants): the next state. Its high bits are the random ones (take s >> 8 or s >> 24).
inline uint32_t lcg_step(uint32_t s)
{
    return s * 1664525u + 1013904223u;
}

/// The same numbers as a generator: next() steps and gives the state's top 24 bits.
struct Lcg {
    uint32_t s;
    uint32_t next()
    {
        s = lcg_step(s);
        return s >> 8;
    }
};

} // namespace test
