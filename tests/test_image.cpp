// Decoding: real photos read, bad bytes give a readable message (never a crash), the size limit is
// checked before any pixel is allocated.
#include "core/image.h"

#include <cstring>

#include <catch2/catch.hpp>

#include "core/png.h"
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
        s = s * 1664525u + 1013904223u;
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

TEST_CASE("formats stb cannot read are named in the message", "[image]")
{
    std::vector<uint8_t> webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '};
    CHECK_THAT(decode(webp).error, Catch::Contains("WEBP"));
    std::vector<uint8_t> heic = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'};
    CHECK_THAT(decode(heic).error, Catch::Contains("HEIC"));
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
