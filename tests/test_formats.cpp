// HEIC, AVIF, WebP and TIFF (tests/fixtures/formats, made by scripts/make_format_fixtures.py from
// one real photo): each decodes to the photo's pixels within its codec's noise, upright, in sRGB;
// cut-short and corrupted copies give a message naming the format. A build without one of the
// decoders (core::codec_built) must refuse its files with a message instead.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>

#include "core/decode_codec.h"
#include "core/image.h"
#include "support.h"

namespace {

std::string fixture(const std::string& name)
{
    return test::source_path("tests/fixtures/formats/" + name);
}

core::DecodeResult decode_file(const std::string& path)
{
    const std::vector<uint8_t> bytes = test::read_bytes(path);
    return core::decode_image(bytes.data(), bytes.size());
}

core::Image reference(const std::string& path)
{
    core::DecodeResult r = decode_file(path);
    REQUIRE(r.ok);
    return std::move(r.image);
}

/// Mean and largest absolute difference of the channels [first, last) over all pixels.
struct Difference {
    double mean = 0;
    int max = 0;
};

Difference difference(const core::Image& a, const core::Image& b, int first = 0, int last = 3)
{
    REQUIRE(a.width == b.width);
    REQUIRE(a.height == b.height);
    Difference d;
    long sum = 0;
    for (size_t i = 0; i < a.pixels(); ++i) {
        for (int c = first; c < last; ++c) {
            const int e = std::abs(a.rgba[4 * i + c] - b.rgba[4 * i + c]);
            sum += e;
            d.max = std::max(d.max, e);
        }
    }
    d.mean = static_cast<double>(sum) / static_cast<double>(a.pixels() * (last - first));
    return d;
}

/// The photo as Pillow's convert("L") makes it (ITU-R 601-2 luma), in every colour channel.
core::Image grey(core::Image img)
{
    for (size_t i = 0; i < img.pixels(); ++i) {
        uint8_t* p = img.rgba.data() + 4 * i;
        const auto l = static_cast<uint8_t>((p[0] * 19595 + p[1] * 38470 + p[2] * 7471 + 0x8000) >> 16);
        p[0] = p[1] = p[2] = l;
    }
    return img;
}

/// Decodes a fixture whose decoder is in this build, or checks that it is refused by name.
bool decodes(const std::string& name, const std::string& format, core::DecodeResult& r)
{
    r = decode_file(fixture(name));
    if (!core::codec_built(format)) {
        CHECK_FALSE(r.ok);
        CHECK_THAT(r.error, Catch::Contains(format));
        return false;
    }
    INFO(name << ": " << r.error);
    REQUIRE(r.ok);
    CHECK(r.format == format);
    return true;
}

} // namespace

TEST_CASE("HEIC decodes to the photo, turned by irot, a grid whole", "[formats][heif]")
{
    const core::Image photo = reference(fixture("source.png"));
    core::DecodeResult r;
    if (decodes("plain.heic", "heic", r)) {
        CHECK(difference(r.image, photo).mean < 3.0);
    }
    if (decodes("rotated.heic", "heic", r)) {
        // Stored 36 x 48, turned a quarter left: upright only if the irot box was applied.
        CHECK(r.image.width == 48);
        CHECK(difference(r.image, photo).mean < 3.0);
        CHECK_THAT(r.orientation_applied, Catch::Contains("irot"));
        CHECK(r.full_width == 48);
    }
    if (decodes("grid.heic", "heic", r)) {
        // 2 x 2 tiles of 64 x 64 cropped to 96 x 72: each quarter must match, not only the first.
        const core::Image whole = reference(fixture("grid_source.png"));
        REQUIRE(r.image.width == 96);
        REQUIRE(r.image.height == 72);
        for (int q = 0; q < 4; ++q) {
            core::Image a;
            core::Image b;
            a.width = b.width = 32;
            a.height = b.height = 32;
            for (int y = 0; y < 32; ++y) {
                const size_t row = static_cast<size_t>((q / 2) * 40 + y) * 96 + (q % 2) * 64;
                a.rgba.insert(a.rgba.end(), r.image.rgba.begin() + 4 * row, r.image.rgba.begin() + 4 * (row + 32));
                b.rgba.insert(b.rgba.end(), whole.rgba.begin() + 4 * row, whole.rgba.begin() + 4 * (row + 32));
            }
            INFO("quarter " << q);
            CHECK(difference(a, b).mean < 4.0);
        }
    }
}

TEST_CASE("a HEIC's P3 profile, as ICC or as nclx, is converted to sRGB", "[formats][heif]")
{
    // flower_p3.png holds the same P3 pixels with the P3 profile in iCCP: decoded to sRGB.
    const core::Image srgb = reference(test::source_path("tests/fixtures/photo/flower_p3.png"));
    core::DecodeResult r;
    for (const char* name : {"p3_icc.heic", "p3_nclx.heic"}) {
        INFO(name);
        if (!decodes(name, "heic", r)) {
            continue;
        }
        CHECK_THAT(r.icc_profile, Catch::Contains("Display P3"));
        CHECK(difference(r.image, srgb).mean < 3.0);
    }
    CHECK(r.icc_profile == (core::codec_built("heic") ? "Display P3 (nclx)" : ""));
}

TEST_CASE("AVIF decodes to the photo, also when its major brand is mif1", "[formats][heif]")
{
    const core::Image photo = reference(fixture("source.png"));
    core::DecodeResult r;
    for (const char* name : {"plain.avif", "mif1.avif"}) {
        INFO(name);
        if (decodes(name, "avif", r)) {
            CHECK(difference(r.image, photo).mean < 3.0);
        }
    }
}

TEST_CASE("WebP: lossy, lossless with alpha, an animation's first frame", "[formats][webp]")
{
    const core::Image photo = reference(fixture("source.png"));
    core::DecodeResult r;
    // Lossy WebP halves the chroma resolution: a 48 x 36 photo moves by 3 to 5 levels on average
    // (a mirrored or wrong frame by over 20).
    if (decodes("lossy.webp", "webp", r)) {
        CHECK(difference(r.image, photo).mean < 5.0);
        CHECK(r.frames == 1);
    }
    if (decodes("lossless_alpha.webp", "webp", r)) {
        const Difference d = difference(r.image, reference(fixture("source_alpha.png")), 0, 4);
        CHECK(d.max == 0);
    }
    if (decodes("animated.webp", "webp", r)) {
        CHECK(r.frames == 3);
        CHECK_THAT(r.note, Catch::Contains("first frame of 3"));
        CHECK(difference(r.image, photo).mean < 5.0);
    }
}

TEST_CASE("TIFF: 8 and 16 bits, RGB and grey, alpha, LZW, Deflate and none, orientation",
          "[formats][tiff]")
{
    const core::Image photo = reference(fixture("source.png"));
    const core::Image with_alpha = reference(fixture("source_alpha.png"));
    core::DecodeResult r;
    for (const char* name : {"rgb8.tif", "rgb8_lzw.tif", "rgb8_deflate.tif", "rgb16.tif", "rgb16_lzw.tif"}) {
        INFO(name);
        if (decodes(name, "tiff", r)) {
            CHECK(difference(r.image, photo, 0, 4).max == 0);
        }
    }
    if (decodes("rgba8_lzw.tif", "tiff", r)) {
        CHECK(difference(r.image, with_alpha, 0, 4).max == 0);
    }
    for (const char* name : {"grey8.tif", "grey16_deflate.tif"}) {
        INFO(name);
        if (decodes(name, "tiff", r)) {
            CHECK(difference(r.image, grey(photo), 0, 4).max <= 1);
        }
    }
    if (decodes("grey_alpha8.tif", "tiff", r)) {
        CHECK(difference(r.image, grey(with_alpha), 0, 3).max <= 1);
        CHECK(difference(r.image, with_alpha, 3, 4).max == 0);
    }
    if (decodes("orient6.tif", "tiff", r)) {
        CHECK(r.orientation == 6);
        CHECK(difference(r.image, photo, 0, 4).max == 0);
    }
}

TEST_CASE("cut-short and corrupted HEIC, AVIF, WebP and TIFF files give a message", "[formats][bad_input]")
{
    for (const char* name : {"plain.heic", "grid.heic", "plain.avif", "lossy.webp", "lossless_alpha.webp",
                             "animated.webp", "rgb8_lzw.tif", "rgb16.tif"}) {
        const std::vector<uint8_t> whole = test::read_bytes(fixture(name));
        const std::string ext = std::string(name).substr(std::string(name).rfind('.') + 1);
        const std::string format = ext == "tif" ? "tiff" : ext;
        INFO(name);
        for (size_t keep : {size_t{20}, size_t{40}, whole.size() / 2, whole.size() - 5}) {
            INFO("first " << keep << " bytes");
            const core::DecodeResult r = core::decode_image(whole.data(), keep);
            CHECK_FALSE(r.ok);
            CHECK_THAT(r.error, Catch::Contains(format));
        }
        std::vector<uint8_t> bad = whole;
        for (size_t i = bad.size() / 3; i < bad.size(); i += 7) {
            bad[i] = static_cast<uint8_t>(bad[i] ^ 0x5A);
        }
        const core::DecodeResult r = core::decode_image(bad.data(), bad.size());
        CHECK((r.ok || !r.error.empty()));
    }
}

TEST_CASE("every build decodes each fixture to the same pixels", "[formats]")
{
    // FNV-1a of the decoded RGBA, written down from the native build in checksums.txt (libwebp's
    // SSE2 and plain C paths, libheif's and libtiff's, must give the same bytes; wasm runs the plain
    // C ones; tests/heif_module.mjs checks the page's HEIC decoder module against the same list).
    const std::vector<uint8_t> listing = test::read_bytes(fixture("checksums.txt"));
    std::istringstream lines(std::string(listing.begin(), listing.end()));
    std::string line;
    int checked = 0;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream fields(line);
        std::string n;
        std::string hex;
        fields >> n >> hex;
        const uint64_t hash = std::stoull(hex, nullptr, 16);
        const std::string ext = n.substr(n.rfind('.') + 1);
        const std::string format = ext == "tif" ? "tiff" : ext;
        ++checked;
        if (!core::codec_built(format)) {
            continue; // tested by the cases above: refused by name
        }
        const core::DecodeResult r = decode_file(fixture(n));
        REQUIRE(r.ok);
        uint64_t h = 14695981039346656037ull;
        for (uint8_t b : r.image.rgba) {
            h = (h ^ b) * 1099511628211ull;
        }
        INFO(n);
        CHECK(h == hash);
    }
    CHECK(checked == 14);
}
