// What turning photos upright and converting their colour profile costs: times the EXIF
// orientation transform and the lcms2 Display P3 -> sRGB conversion on a 4 MP photo.
// usage: kpix-bench-photo [P3_JPEG] [REPEATS]   (default: the flower_p3.jpg fixture, 5)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/exif.h"
#include "core/icc.h"
#include "core/image.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv)
{
    const std::string path = argc > 1 ? argv[1] : KPIX_SOURCE_DIR "/tests/fixtures/photo/flower_p3.jpg";
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    std::vector<uint8_t> bytes;
    std::string error;
    if (!core::read_file(path, bytes, error)) {
        std::fprintf(stderr, "kpix-bench-photo: %s\n", error.c_str());
        return 2;
    }
    std::string note;
    const std::vector<uint8_t> profile = core::embedded_icc_profile(bytes.data(), bytes.size(), note);
    core::DecodeResult small = core::decode_image(bytes.data(), bytes.size());
    if (!small.ok || profile.empty()) {
        std::fprintf(stderr, "kpix-bench-photo: %s has no usable ICC profile\n", path.c_str());
        return 2;
    }
    // A 2448 x 1632 (4.0 MP) image tiled from the photo's pixels, so the colours are a photo's.
    core::Image big;
    big.width = 2448;
    big.height = 1632;
    big.rgba.resize(big.pixels() * 4);
    for (int y = 0; y < big.height; ++y) {
        for (int x = 0; x < big.width; ++x) {
            const size_t s = static_cast<size_t>(y % small.image.height) * small.image.width + x % small.image.width;
            std::copy_n(small.image.rgba.begin() + static_cast<long>(4 * s), 4,
                        big.rgba.begin() + 4 * (static_cast<long>(y) * big.width + x));
        }
    }
    double best_icc = 1e9;
    double best_rotate = 1e9;
    for (int r = 0; r < repeats; ++r) {
        core::Image img = big;
        auto t0 = std::chrono::steady_clock::now();
        const core::ProfileConversion c = core::convert_to_srgb(img, profile.data(), profile.size());
        best_icc = std::min(best_icc, seconds_since(t0));
        if (!c.converted) {
            std::fprintf(stderr, "kpix-bench-photo: %s\n", c.note.c_str());
            return 1;
        }
        t0 = std::chrono::steady_clock::now();
        core::apply_orientation(img, 6);
        best_rotate = std::min(best_rotate, seconds_since(t0));
    }
    std::printf("%d x %d (%.1f MP), best of %d\n", big.width, big.height, big.pixels() / 1e6, repeats);
    std::printf("icc %s -> sRGB: %.1f ms (%.1f ns/pixel)\n", small.icc_profile.c_str(), best_icc * 1e3,
                best_icc * 1e9 / static_cast<double>(big.pixels()));
    std::printf("orientation 6 (rotate 90° clockwise): %.1f ms\n", best_rotate * 1e3);
    return 0;
}
