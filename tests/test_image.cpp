// Decoding: real photos read, bad bytes give a readable message (never a crash), the size limit is
// checked before any pixel is allocated; libjpeg-turbo and libspng agree with stb_image, DCT-scaled
// working copies, and decoding on a thread pool.
#include "core/image.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <catch2/catch.hpp>

#include "core/png.h"
#include "core/thread_pool.h"
#include "core/work_resolution.h"
#include "support.h"

namespace {

core::DecodeResult decode(const std::vector<uint8_t>& bytes)
{
    return core::decode_image(bytes.data(), bytes.size());
}

/// A PNG signature and an IHDR chunk claiming width x height, 8-bit RGB, and nothing after.
std::vector<uint8_t> png_header(uint32_t width, uint32_t height)
{
    std::vector<uint8_t> b = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13,
                              'I', 'H', 'D', 'R'};
    for (uint32_t v : {width, height}) {
        for (int s = 24; s >= 0; s -= 8) {
            b.push_back(static_cast<uint8_t>(v >> s));
        }
    }
    for (uint8_t v : {8, 2, 0, 0, 0, 0, 0, 0, 0}) { // depth, colour type, methods, fake CRC
        b.push_back(v);
    }
    return b;
}

} // namespace

TEST_CASE("a real JPEG decodes to RGBA at its size", "[image]")
{
    const core::Image img = test::load_photo(test::kChinaJpg);
    CHECK(img.width == 640);
    CHECK(img.height == 427);
    REQUIRE(img.rgba.size() == 640u * 427u * 4u);
    CHECK(img.rgba[3] == 255);
}

TEST_CASE("an empty file is refused with a message", "[image]")
{
    const core::DecodeResult r = decode({});
    CHECK_FALSE(r.ok);
    CHECK(r.error == "The file is empty.");
}

TEST_CASE("random bytes are refused with a message", "[image]")
{
    std::vector<uint8_t> bytes(4096);
    uint32_t s = 12345;
    for (uint8_t& b : bytes) {
        s = test::lcg_step(s);
        b = static_cast<uint8_t>(s >> 24);
    }
    const core::DecodeResult r = decode(bytes);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("could not be read as an image"));
}

TEST_CASE("a truncated JPEG and a truncated PNG never crash", "[image]")
{
    const std::vector<uint8_t> jpg = test::read_bytes(test::kChinaJpg);
    for (size_t keep : {size_t{2}, size_t{100}, size_t{1000}, jpg.size() / 2}) {
        const std::vector<uint8_t> cut(jpg.begin(), jpg.begin() + keep);
        const core::DecodeResult r = decode(cut);
        // stb may return the decoded part of a JPEG cut late; it must never crash or lie about size.
        if (r.ok) {
            CHECK(r.image.rgba.size() == r.image.pixels() * 4);
        } else {
            CHECK_FALSE(r.error.empty());
        }
    }
    const core::Image img = test::stripes({10, 20, 30, 200, 100, 50}, 8, 8);
    const std::vector<uint8_t> png = core::encode_png(img.rgba.data(), img.width, img.height, 4);
    const std::vector<uint8_t> cut(png.begin(), png.begin() + png.size() / 2);
    const core::DecodeResult r = decode(cut);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("png"));
}

TEST_CASE("a header claiming 65535 x 65535 is refused before decoding", "[image]")
{
    const core::DecodeResult r = decode(png_header(65535, 65535));
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("65535 x 65535") && Catch::Contains("up to 40 MP"));
}

TEST_CASE("damaged WebP and HEIC headers are named in the message", "[image]")
{
    std::vector<uint8_t> webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '};
    CHECK_THAT(decode(webp).error, Catch::Contains("webp"));
    std::vector<uint8_t> heic = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0};
    CHECK_THAT(decode(heic).error, Catch::Contains("heic"));
    const std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    CHECK_THAT(decode(std::vector<uint8_t>(svg.begin(), svg.end())).error, Catch::Contains("SVG"));
}

TEST_CASE("PNG encoding round-trips exactly", "[image]")
{
    const core::Image img = test::load_photo(test::kChinaJpg);
    const std::vector<uint8_t> png = core::encode_png(img.rgba.data(), img.width, img.height, 4);
    const core::DecodeResult back = decode(png);
    REQUIRE(back.ok);
    CHECK(back.format == "png");
    CHECK(back.image.width == img.width);
    CHECK(back.image.height == img.height);
    CHECK(back.image.rgba == img.rgba);
}

// --- the decoders: libjpeg-turbo and libspng against stb_image, the one every build used before ---

namespace {

std::vector<std::string> fixtures_ending(const std::string& ext)
{
    std::vector<std::string> paths;
    if (ext == ".jpg") {
        paths = {test::kChinaJpg, test::kFlowerJpg};
    }
    for (const char* dir : {"tests/fixtures/photo", "tests/fixtures/inputs"}) {
        for (const auto& e : std::filesystem::directory_iterator(test::source_path(dir))) {
            if (e.path().extension() == ext) {
                paths.push_back(e.path().string());
            }
        }
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

core::DecodeResult decode_with(const std::vector<uint8_t>& bytes, bool stb, size_t max_pixels = 0,
                               core::ThreadPool* pool = nullptr)
{
    core::DecodeOptions o;
    o.stb_reference = stb;
    o.max_pixels = max_pixels;
    o.pool = pool;
    return core::decode_image(bytes.data(), bytes.size(), o);
}

struct Diff {
    double mean = 0.0;
    int max = 0;
};

Diff rgba_diff(const core::Image& a, const core::Image& b)
{
    Diff d;
    double sum = 0.0;
    for (size_t i = 0; i < a.rgba.size(); ++i) {
        const int v = std::abs(static_cast<int>(a.rgba[i]) - static_cast<int>(b.rgba[i]));
        sum += v;
        d.max = std::max(d.max, v);
    }
    d.mean = a.rgba.empty() ? 0.0 : sum / static_cast<double>(a.rgba.size());
    return d;
}

/// Mean and largest RGB difference between small and the n x n box averages of big, over the
/// boxes that lie wholly inside big (small's size is big's divided by n, rounded up).
Diff box_diff(const core::Image& small, const core::Image& big, int n)
{
    Diff d;
    double sum = 0.0;
    size_t count = 0;
    for (int y = 0; y < big.height / n; ++y) {
        for (int x = 0; x < big.width / n; ++x) {
            for (int c = 0; c < 3; ++c) {
                int s = 0;
                for (int dy = 0; dy < n; ++dy) {
                    for (int dx = 0; dx < n; ++dx) {
                        s += big.rgba[4 * (static_cast<size_t>(n * y + dy) * big.width + n * x + dx) + c];
                    }
                }
                const int mean = (s + n * n / 2) / (n * n);
                const int v = std::abs(mean - small.rgba[4 * (static_cast<size_t>(y) * small.width + x) + c]);
                sum += v;
                d.max = std::max(d.max, v);
                ++count;
            }
        }
    }
    d.mean = count ? sum / static_cast<double>(count) : 255.0;
    return d;
}

/// libjpeg-turbo's own test images, in its Debian source (scripts/setup.sh unpacks it).
std::string jpeg_test_image(const std::string& name)
{
    return std::string(KPIX_JPEG_TESTIMAGES) + "/" + name;
}

} // namespace

TEST_CASE("libjpeg-turbo gives stb's pictures within IDCT noise on every JPEG fixture", "[image][decoders]")
{
    const std::vector<std::string> jpegs = fixtures_ending(".jpg");
    REQUIRE(jpegs.size() >= 12);
    for (const std::string& path : jpegs) {
        INFO(path);
        const std::vector<uint8_t> bytes = test::read_bytes(path);
        const core::DecodeResult ours = decode_with(bytes, false);
        const core::DecodeResult stb = decode_with(bytes, true);
        REQUIRE(ours.ok);
        REQUIRE(stb.ok);
        CHECK(ours.format == "jpeg");
        CHECK(ours.scale_denom == 1);
        CHECK(ours.orientation == stb.orientation);
        CHECK(ours.icc_profile == stb.icc_profile);
        REQUIRE(ours.image.width == stb.image.width);
        REQUIRE(ours.image.height == stb.image.height);
        CHECK(ours.full_width == ours.image.width);
        CHECK(ours.full_height == ours.image.height);
        const Diff d = rgba_diff(ours.image, stb.image);
        INFO("mean " << d.mean << ", max " << d.max);
        CHECK(d.mean < 1.0);
        CHECK(d.max <= 40);
    }
}

TEST_CASE("libspng gives exactly stb's pixels on every PNG fixture", "[image][decoders]")
{
    const std::vector<std::string> pngs = fixtures_ending(".png");
    REQUIRE(pngs.size() >= 7);
    for (const std::string& path : pngs) {
        INFO(path);
        const std::vector<uint8_t> bytes = test::read_bytes(path);
        const core::DecodeResult ours = decode_with(bytes, false);
        const core::DecodeResult stb = decode_with(bytes, true);
        REQUIRE(ours.ok);
        REQUIRE(stb.ok);
        CHECK(ours.format == "png");
        CHECK(ours.orientation == stb.orientation);
        CHECK(ours.icc_profile == stb.icc_profile);
        CHECK(ours.image.width == stb.image.width);
        CHECK(ours.image.height == stb.image.height);
        CHECK(ours.image.rgba == stb.image.rgba);
    }
}

TEST_CASE("libjpeg-turbo's arithmetic-coded test image opens; its 12-bit one is refused by name", "[image][decoders]")
{
    const core::DecodeResult ari = decode_with(test::read_bytes(jpeg_test_image("testimgari.jpg")), false);
    REQUIRE(ari.ok);
    CHECK(ari.image.width == 227);
    CHECK(ari.image.height == 149);
    // The same picture Huffman coded: arithmetic coding is lossless, so the pixels agree.
    const core::DecodeResult huff = decode_with(test::read_bytes(jpeg_test_image("testimgint.jpg")), false);
    REQUIRE(huff.ok);
    CHECK(rgba_diff(ari.image, huff.image).mean < 0.5);
    // stb_image refuses arithmetic coding.
    CHECK_FALSE(decode_with(test::read_bytes(jpeg_test_image("testimgari.jpg")), true).ok);

    const core::DecodeResult twelve = decode_with(test::read_bytes(jpeg_test_image("testorig12.jpg")), false);
    CHECK_FALSE(twelve.ok);
    CHECK(twelve.format == "jpeg");
    CHECK_THAT(twelve.error, Catch::Contains("12-bit JPEG"));
}

TEST_CASE("a JPEG cut short is refused, one missing only its end marker opens", "[image][decoders]")
{
    const std::vector<uint8_t> jpg = test::read_bytes(test::kChinaJpg);
    const std::vector<uint8_t> half(jpg.begin(), jpg.begin() + jpg.size() / 2);
    const core::DecodeResult cut = decode_with(half, false);
    CHECK_FALSE(cut.ok);
    CHECK_THAT(cut.error, Catch::Contains("cut short"));
    REQUIRE(jpg[jpg.size() - 2] == 0xFF);
    REQUIRE(jpg[jpg.size() - 1] == 0xD9);
    const std::vector<uint8_t> no_eoi(jpg.begin(), jpg.end() - 2);
    const core::DecodeResult open = decode_with(no_eoi, false);
    REQUIRE(open.ok);
    CHECK(open.image.rgba == decode_with(jpg, false).image.rgba);
}

TEST_CASE("a JPEG working copy is decoded at a reduced DCT scale, upright and converted", "[image][decoders]")
{
    // china.jpg is 640 x 427: 1/2 is 320 x 214 (68 480 pixels), 1/4 160 x 107 (17 120), 1/8 80 x 54.
    const std::vector<uint8_t> jpg = test::read_bytes(test::kChinaJpg);
    const core::DecodeResult full = decode_with(jpg, false);
    REQUIRE(full.ok);
    const std::pair<size_t, int> cases[] = {{273'280, 1}, {200'000, 1}, {68'480, 2}, {60'000, 2},
                                            {17'120, 4}, {17'000, 4}, {4'320, 8}, {4'000, 8}};
    for (const auto& [max_pixels, denom] : cases) {
        INFO("max_pixels " << max_pixels);
        const core::DecodeResult copy = decode_with(jpg, false, max_pixels);
        REQUIRE(copy.ok);
        CHECK(copy.scale_denom == denom);
        CHECK(copy.full_width == 640);
        CHECK(copy.full_height == 427);
        CHECK(copy.image.pixels() <= max_pixels);
        CHECK(copy.image.pixels() > max_pixels * 9 / 10);
        if (denom > 1 && copy.image.pixels() == max_pixels) {
            // Exactly the scaled decode: the full decode's denom x denom box averages.
            const Diff d = box_diff(copy.image, full.image, denom);
            INFO("mean " << d.mean);
            CHECK(d.mean < 1.0);
        }
    }
    // Orientation and the colour profile apply to the copy: the full decode's picture, halved.
    // (orient_6's turn keeps the 2 x 2 boxes aligned; a mirror across its odd side would not.)
    for (const char* name : {"orient_6.jpg", "flower_p3.jpg"}) {
        INFO(name);
        const std::vector<uint8_t> bytes = test::read_bytes(test::source_path(std::string("tests/fixtures/photo/") + name));
        const core::DecodeResult big = decode_with(bytes, false);
        REQUIRE(big.ok);
        const size_t half = static_cast<size_t>((big.image.width + 1) / 2) * static_cast<size_t>((big.image.height + 1) / 2);
        const core::DecodeResult copy = decode_with(bytes, false, half);
        REQUIRE(copy.ok);
        CHECK(copy.scale_denom == 2);
        CHECK(copy.orientation == big.orientation);
        CHECK(copy.icc_profile == big.icc_profile);
        CHECK(copy.full_width == big.image.width);
        CHECK(copy.full_height == big.image.height);
        const Diff d = box_diff(copy.image, big.image, 2);
        INFO("mean " << d.mean);
        CHECK(d.mean < 1.5);
    }
}

TEST_CASE("decoding on a thread pool gives the same pixels", "[image][decoders]")
{
    core::ThreadPool pool(4);
    for (const char* name : {"orient_6.jpg", "orient_7.jpg", "flower_p3.jpg", "flower_p3.png"}) {
        INFO(name);
        const std::vector<uint8_t> bytes = test::read_bytes(test::source_path(std::string("tests/fixtures/photo/") + name));
        const core::DecodeResult alone = decode_with(bytes, false);
        const core::DecodeResult shared = decode_with(bytes, false, 0, &pool);
        REQUIRE(alone.ok);
        REQUIRE(shared.ok);
        CHECK(alone.image.width == shared.image.width);
        CHECK(alone.image.rgba == shared.image.rgba);
    }
}
