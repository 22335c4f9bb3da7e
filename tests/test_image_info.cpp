// core::image_info, the size read from a header without decoding: every fixture's size is the
// one decode_image gives (upright: a quarter-turned HEIC, TIFF or JPEG reports its shown size),
// and a header claiming 60000 x 60000 (tests/fixtures/huge, made by
// scripts/make_huge_header_fixtures.py) is refused with its size before any pixel is decoded.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/decode_codec.h"
#include "core/image.h"
#include "support.h"

namespace {

core::ImageInfo info_of(const std::vector<uint8_t>& bytes)
{
    return core::image_info(bytes.data(), bytes.size());
}

} // namespace

TEST_CASE("image_info gives each format's size as decode_image gives the full image", "[image_info]")
{
    struct Case {
        const char* path;
        const char* format;
        int width;
        int height;
    };
    const Case cases[] = {
        {"tests/fixtures/photo/orient_1.jpg", "jpeg", 0, 0},
        {"tests/fixtures/photo/orient_6.jpg", "jpeg", 0, 0},
        {"tests/fixtures/photo/orient_6.png", "png", 0, 0},
        {"tests/fixtures/inputs/animated.gif", "gif", 0, 0},
        {"tests/fixtures/inputs/progressive.jpg", "jpeg", 0, 0},
        {"tests/fixtures/formats/plain.heic", "heic", 48, 36},
        {"tests/fixtures/formats/rotated.heic", "heic", 48, 36}, // stored 36 x 48, irot: shown 48 x 36
        {"tests/fixtures/formats/grid.heic", "heic", 96, 72},
        {"tests/fixtures/formats/plain.avif", "avif", 48, 36},
        {"tests/fixtures/formats/mif1.avif", "avif", 48, 36},
        {"tests/fixtures/formats/lossy.webp", "webp", 48, 36},
        {"tests/fixtures/formats/lossless_alpha.webp", "webp", 48, 36},
        {"tests/fixtures/formats/animated.webp", "webp", 48, 36},
        {"tests/fixtures/formats/rgb8.tif", "tiff", 48, 36},
        {"tests/fixtures/formats/rgb16_lzw.tif", "tiff", 48, 36},
        {"tests/fixtures/formats/orient6.tif", "tiff", 48, 36}, // stored 36 x 48, Orientation 6
    };
    for (const Case& c : cases) {
        INFO(c.path);
        const std::vector<uint8_t> bytes = test::read_bytes(test::source_path(c.path));
        const core::ImageInfo info = info_of(bytes);
        if (!core::codec_built(c.format)) {
            CHECK_FALSE(info.ok);
            CHECK(info.error == std::string("This build of kpix cannot decode ") + c.format + " files.");
            continue;
        }
        REQUIRE(info.ok);
        CHECK(info.error.empty());
        CHECK_FALSE(info.too_large);
        CHECK(info.format == c.format);
        const core::DecodeResult r = core::decode_image(bytes.data(), bytes.size());
        REQUIRE(r.ok);
        CHECK(info.width == r.full_width);
        CHECK(info.height == r.full_height);
        if (c.width > 0) {
            CHECK(info.width == c.width);
            CHECK(info.height == c.height);
        }
    }
}

TEST_CASE("image_info turns a quarter-turned JPEG's size as its EXIF orientation says", "[image_info]")
{
    const core::ImageInfo stored = info_of(test::read_bytes(test::source_path("tests/fixtures/photo/orient_1.jpg")));
    const core::ImageInfo turned = info_of(test::read_bytes(test::source_path("tests/fixtures/photo/orient_6.jpg")));
    REQUIRE(stored.ok);
    REQUIRE(turned.ok);
    REQUIRE(stored.width != stored.height);
    CHECK(turned.width == stored.width);
    CHECK(turned.height == stored.height);
}

TEST_CASE("a header claiming 60000 x 60000 is refused with its size before decoding, in every format",
          "[image_info]")
{
    const char* files[] = {"huge.jpg", "huge.png", "huge.gif", "huge.bmp", "huge.heic", "huge.avif",
                           "huge.webp", "huge.tif"};
    const std::string message = "The image is 60000 x 60000 pixels (3600.0 MP); kpix handles up to 40 MP.";
    for (const char* name : files) {
        INFO(name);
        const std::vector<uint8_t> bytes = test::read_bytes(test::source_path(std::string("tests/fixtures/huge/") + name));
        const core::ImageInfo info = info_of(bytes);
        const core::DecodeResult r = core::decode_image(bytes.data(), bytes.size());
        CHECK_FALSE(r.ok);
        if (!core::codec_built(info.format)) {
            CHECK(r.error == "This build of kpix cannot decode " + info.format + " files.");
            continue;
        }
        CHECK_FALSE(info.ok);
        CHECK(info.too_large);
        CHECK(info.width == 60000);
        CHECK(info.height == 60000);
        CHECK(info.error == message);
        // decode_image refuses it from the header, with the same sentence (the decoders' own
        // checks would say something else: "size is out of range", "damaged").
        CHECK(r.error == message);
    }
}

TEST_CASE("a quarter-turned HEIC too large is refused with the size it would be shown at", "[image_info]")
{
    const std::vector<uint8_t> bytes = test::read_bytes(test::source_path("tests/fixtures/huge/huge_rotated.heic"));
    if (!core::codec_built("heic")) {
        return;
    }
    const core::ImageInfo info = info_of(bytes);
    CHECK(info.too_large);
    CHECK(info.width == 1000);
    CHECK(info.height == 60000);
    const core::DecodeResult r = core::decode_image(bytes.data(), bytes.size());
    CHECK(r.error == "The image is 1000 x 60000 pixels (60.0 MP); kpix handles up to 40 MP.");
}

TEST_CASE("image_info says why it cannot read a header", "[image_info]")
{
    CHECK(core::image_info(nullptr, 0).error == "The file is empty.");
    const std::vector<uint8_t> text = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'};
    const core::ImageInfo info = info_of(text);
    CHECK_FALSE(info.ok);
    CHECK_FALSE(info.too_large);
    CHECK(info.error.find("could not be read as an image") != std::string::npos);
    std::vector<uint8_t> cut = test::read_bytes(test::source_path("tests/fixtures/formats/rgb8.tif"));
    cut.resize(6);
    CHECK(info_of(cut).error.rfind("The tiff file is damaged", 0) == 0);
}
