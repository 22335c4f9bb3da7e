// The bad-input matrix in the core: odd but valid images (greyscale, 16-bit, CMYK, progressive,
// animated GIF, 1 x 1, one colour) decode and cluster as a user would expect; damaged or foreign
// files give a message naming the problem, never a crash; huge headers are refused before stb
// allocates anything (under ASan an allocation of gigabytes would abort the test); and every file
// the fuzzer found (tests/fixtures/fuzz/) decodes cleanly or fails cleanly.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <stb_image_write.h>

#include "core/cluster.h"
#include "core/containers.h"
#include "core/gif.h"
#include "core/image.h"
#include "core/render.h"
#include "core/work_resolution.h"
#include "support.h"

namespace {

std::string input_fixture(const std::string& name)
{
    return test::source_path("tests/fixtures/inputs/" + name);
}

core::DecodeResult decode_file(const std::string& path)
{
    const std::vector<uint8_t> bytes = test::read_bytes(path);
    return core::decode_image(bytes.data(), bytes.size());
}

core::DecodeResult decode(const std::vector<uint8_t>& bytes)
{
    return core::decode_image(bytes.data(), bytes.size());
}

/// Through stb_image even for JPEG and PNG (DecodeOptions::stb_reference).
core::DecodeResult decode_stb(const std::vector<uint8_t>& bytes)
{
    core::DecodeOptions options;
    options.stb_reference = true;
    return core::decode_image(bytes.data(), bytes.size(), options);
}

/// Mean of |a - b| over the RGB channels of two images of the same size.
double mean_rgb_diff(const core::Image& a, const core::Image& b)
{
    double sum = 0.0;
    for (size_t i = 0; i < a.pixels(); ++i) {
        for (int c = 0; c < 3; ++c) {
            sum += std::abs(static_cast<int>(a.rgba[4 * i + c]) - static_cast<int>(b.rgba[4 * i + c]));
        }
    }
    return sum / static_cast<double>(a.pixels() * 3);
}

size_t distinct_colours(const core::Image& img)
{
    std::set<uint32_t> seen;
    for (size_t i = 0; i < img.pixels(); ++i) {
        const uint8_t* p = img.rgba.data() + 4 * i;
        seen.insert(static_cast<uint32_t>(p[0]) << 16 | static_cast<uint32_t>(p[1]) << 8 | p[2]);
    }
    return seen.size();
}

/// A decode that failed says why; one that worked has consistent sizes. Either way no crash.
void check_clean(const core::DecodeResult& r)
{
    if (r.ok) {
        CHECK(r.image.width > 0);
        CHECK(r.image.height > 0);
        CHECK(r.image.pixels() <= core::kMaxPixels);
        CHECK(r.image.rgba.size() == r.image.pixels() * 4);
    } else {
        CHECK_FALSE(r.error.empty());
    }
}

core::ClusterResult cluster(const core::Image& img, int k)
{
    core::ThreadPool pool(1);
    core::ClusterParams params;
    params.kmeans.k = k;
    return core::cluster(img, params, pool, nullptr);
}

void put_be16(std::vector<uint8_t>& b, size_t at, uint16_t v)
{
    b[at] = static_cast<uint8_t>(v >> 8);
    b[at + 1] = static_cast<uint8_t>(v);
}

} // namespace

TEST_CASE("greyscale and grey + alpha PNGs decode to RGBA with R = G = B", "[image][bad_input]")
{
    for (const char* name : {"grey.png", "grey_alpha.png"}) {
        INFO(name);
        const core::DecodeResult r = decode_file(input_fixture(name));
        REQUIRE(r.ok);
        CHECK(r.format == "png");
        CHECK(r.image.width == 32);
        CHECK(r.image.height == 21);
        bool grey = true;
        std::set<int> alphas;
        for (size_t i = 0; i < r.image.pixels(); ++i) {
            const uint8_t* p = r.image.rgba.data() + 4 * i;
            grey = grey && p[0] == p[1] && p[1] == p[2];
            alphas.insert(p[3]);
        }
        CHECK(grey);
        if (std::string(name) == "grey.png") {
            CHECK(alphas == std::set<int>{255});
        } else {
            CHECK(alphas.size() > 10); // the alpha ramp survives
        }
    }
}

TEST_CASE("a 16-bit PNG decodes to 8 bits with its colours", "[image][bad_input]")
{
    const core::DecodeResult r = decode_file(input_fixture("rgb16.png"));
    REQUIRE(r.ok);
    CHECK(r.image.width == 32);
    CHECK(r.image.height == 21);
    CHECK(distinct_colours(r.image) > 100);
    // The same 32 x 21 photo as the progressive JPEG (which is lossy): close, not equal.
    const core::DecodeResult jpeg = decode_file(input_fixture("progressive.jpg"));
    REQUIRE(jpeg.ok);
    CHECK(mean_rgb_diff(r.image, jpeg.image) < 8.0);
}

TEST_CASE("CMYK and progressive JPEGs decode to the same picture", "[image][bad_input]")
{
    const core::DecodeResult prog = decode_file(input_fixture("progressive.jpg"));
    const core::DecodeResult cmyk = decode_file(input_fixture("cmyk.jpg"));
    REQUIRE(prog.ok);
    REQUIRE(cmyk.ok);
    CHECK(prog.image.width == 32);
    CHECK(cmyk.image.width == 32);
    CHECK(cmyk.image.height == 21);
    CHECK(mean_rgb_diff(prog.image, cmyk.image) < 12.0);
}

TEST_CASE("an animated GIF gives its first frame and says so", "[image][bad_input]")
{
    const std::vector<uint8_t> bytes = test::read_bytes(input_fixture("animated.gif"));
    const core::DecodeResult r = decode(bytes);
    REQUIRE(r.ok);
    CHECK(r.format == "gif");
    CHECK(r.frames == 3);
    CHECK(r.note == "animated GIF: first frame of 3 used");
    REQUIRE(r.image.width == 8);
    const uint8_t* p = r.image.rgba.data();
    CHECK(p[0] > 150); // the first frame is red
    CHECK(p[1] < 80);
    CHECK(p[2] < 80);

    // Every cut of the file: the count never grows past 3 and never reads outside the bytes.
    int last = 0;
    for (size_t keep = 0; keep <= bytes.size(); ++keep) {
        const int n = core::gif_frame_count(bytes.data(), keep);
        CHECK(n >= last);
        CHECK(n <= 3);
        last = n;
        check_clean(core::decode_image(bytes.data(), keep));
    }
    CHECK(last == 3);
}

TEST_CASE("a single-frame GIF says nothing about frames", "[image][bad_input]")
{
    const core::Image img = test::stripes({200, 30, 30, 30, 30, 200}, 4, 4);
    std::vector<core::GifFrame> frames(1);
    frames[0].indices.assign(img.pixels(), 0);
    for (size_t i = 0; i < img.pixels(); ++i) {
        frames[0].indices[i] = (i % 8) < 4 ? 0 : 1;
    }
    frames[0].palette = {200, 30, 30, 30, 30, 200};
    frames[0].delay_cs = 10;
    const std::vector<uint8_t> gif = core::encode_gif(frames, img.width, img.height);
    REQUIRE(core::gif_frame_count(gif.data(), gif.size()) == 1);
    const core::DecodeResult r = decode(gif);
    REQUIRE(r.ok);
    CHECK(r.frames == 1);
    CHECK(r.note.empty());
}

TEST_CASE("a 1 x 1 and a one-colour image cluster with k reduced, and say so", "[cluster][bad_input]")
{
    for (const char* name : {"one_pixel.png", "one_colour.png"}) {
        INFO(name);
        const core::DecodeResult r = decode_file(input_fixture(name));
        REQUIRE(r.ok);
        const core::ClusterResult c = cluster(r.image, 8);
        CHECK(c.k == 1);
        CHECK_THAT(c.note, Catch::Contains("k reduced from 8 to 1"));
        CHECK(c.labels.size() == r.image.pixels());
        CHECK(c.shares == std::vector<double>{1.0});
    }
    const core::DecodeResult one = decode_file(input_fixture("one_pixel.png"));
    REQUIRE(one.image.width == 1);
    const core::ClusterResult c = cluster(one.image, 1);
    CHECK(c.palette == std::vector<uint8_t>{10, 120, 230});
}

TEST_CASE("k greater than the number of colours gives one cluster per colour", "[cluster][bad_input]")
{
    const core::DecodeResult r = decode_file(input_fixture("three_colours.png"));
    REQUIRE(r.ok);
    const core::ClusterResult c = cluster(r.image, 8);
    CHECK(c.k == 3);
    CHECK_THAT(c.note, Catch::Contains("k reduced from 8 to 3"));
    CHECK(c.inertia == 0.0);
    for (double s : c.shares) {
        CHECK(s == Approx(1.0 / 3.0));
    }
}

TEST_CASE("nonsense parameters reaching the core give a valid result", "[cluster][bad_input]")
{
    const core::Image img = test::stripes({200, 30, 30, 30, 30, 200, 30, 200, 30}, 4, 4);
    core::ThreadPool pool(1);
    for (int k : {0, -5, 1 << 20}) {
        INFO("k = " << k);
        core::ClusterParams params;
        params.kmeans.k = k;
        const core::ClusterResult c = core::cluster(img, params, pool, nullptr);
        CHECK(c.k >= 1);
        CHECK(c.k <= 3);
        CHECK(c.labels.size() == img.pixels());
    }
    for (float xy : {std::nanf(""), -1.0f}) {
        core::ClusterParams params;
        params.kmeans.k = 3;
        params.xy = xy;
        const core::ClusterResult c = core::cluster(img, params, pool, nullptr);
        CHECK(c.d == 3); // no position features: colour only
        CHECK(c.k == 3);
    }
    core::ClusterParams params;
    params.kmeans.k = 2;
    params.kmeans.n_init = -3;
    params.kmeans.max_iter = -1;
    const core::ClusterResult c = core::cluster(img, params, pool, nullptr);
    CHECK(c.k == 2);
    CHECK(c.iterations >= 1);
}

TEST_CASE("formats no decoder reads are named: JPEG XL, SVG; damaged HEIF headers name theirs", "[image][bad_input]")
{
    const std::vector<uint8_t> jxl = {0xFF, 0x0A, 0xFA, 0x7F, 0x01, 0x90, 0x08};
    const core::DecodeResult r = decode(jxl);
    CHECK_FALSE(r.ok);
    CHECK(r.format == "jpeg xl");
    CHECK_THAT(r.error, Catch::StartsWith("This is a JPEG XL image, which kpix cannot decode here"));
    // The ftyp brands say which HEIF: AVIF files carry mif1 too, so mif1 alone is not HEIC.
    const std::vector<uint8_t> avif = {0, 0, 0, 28, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0, 0, 0, 0};
    CHECK(decode(avif).format == "avif");
    CHECK_THAT(decode(avif).error, Catch::Contains("avif"));
    const std::vector<uint8_t> mif1_avif = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'm', 'i', 'f', '1',
                                            0, 0, 0, 0, 'm', 'i', 'f', '1', 'a', 'v', 'i', 'f'};
    CHECK(decode(mif1_avif).format == "avif");
    const std::vector<uint8_t> mif1_heic = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'm', 'i', 'f', '1',
                                            0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'};
    CHECK(decode(mif1_heic).format == "heic");
    const std::vector<uint8_t> heif = {0, 0, 0, 16, 'f', 't', 'y', 'p', 'm', 'i', 'f', '1', 0, 0, 0, 0};
    CHECK(decode(heif).format == "heif");
    CHECK_THAT(decode(heif).error, Catch::Contains("heif"));
    const std::string xml = "<?xml version=\"1.0\"?><svg/>";
    CHECK_THAT(decode(std::vector<uint8_t>(xml.begin(), xml.end())).error, Catch::Contains("SVG"));
}

TEST_CASE("huge sizes in JPEG, GIF and BMP headers are refused before decoding", "[image][bad_input]")
{
    // A real JPEG with its SOF patched to 65535 x 65535: stb would try to allocate 17 GB.
    std::vector<uint8_t> jpg = test::read_bytes(input_fixture("progressive.jpg"));
    size_t sof = 0;
    for (size_t i = 2; i + 9 < jpg.size(); ++i) {
        if (jpg[i] == 0xFF && (jpg[i + 1] == 0xC0 || jpg[i + 1] == 0xC2)) {
            sof = i;
            break;
        }
    }
    REQUIRE(sof != 0);
    put_be16(jpg, sof + 5, 65535);
    put_be16(jpg, sof + 7, 65535);
    core::DecodeResult r = decode(jpg);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("65535 x 65535") && Catch::Contains("up to 40 MP"));

    std::vector<uint8_t> gif = test::read_bytes(input_fixture("animated.gif"));
    gif[6] = gif[7] = gif[8] = gif[9] = 0xFF;
    r = decode(gif);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("65535 x 65535"));

    // Just over the limit: 8000 x 5001 = 40.008 MP.
    put_be16(jpg, sof + 5, 5001);
    put_be16(jpg, sof + 7, 8000);
    r = decode(jpg);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("8000 x 5001 pixels (40.0 MP)"));
}

TEST_CASE("every cut of every odd input decodes cleanly or fails cleanly", "[image][bad_input]")
{
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("tests/fixtures/inputs"))) {
        const std::vector<uint8_t> bytes = test::read_bytes(entry.path().string());
        INFO(entry.path().filename().string());
        for (size_t keep : {size_t{0}, size_t{1}, size_t{8}, size_t{30}, bytes.size() / 3,
                            bytes.size() / 2, bytes.size() - 1}) {
            check_clean(core::decode_image(bytes.data(), std::min(keep, bytes.size())));
        }
    }
}

TEST_CASE("inputs found by the fuzzer decode cleanly or fail cleanly", "[image][bad_input][fuzz]")
{
    const std::string dir = test::source_path("tests/fixtures/fuzz");
    int files = 0;
    core::ThreadPool pool(1);
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        ++files;
        INFO(entry.path().filename().string());
        const core::DecodeResult r = decode_file(entry.path().string());
        check_clean(r);
        if (r.ok) {
            // The harness's short run: small k, a few rounds, a small working copy.
            core::ClusterParams params;
            params.kmeans.k = 3;
            params.kmeans.max_iter = 4;
            params.work_pixels = 4096;
            const core::ClusterResult c = core::cluster(r.image, params, pool, nullptr);
            CHECK(c.labels.size() == (c.k > 0 ? r.image.pixels() : 0));
        }
    }
    CHECK(files >= 1);
}

TEST_CASE("a JPEG Huffman table of more than 256 codes is refused before stb reads it", "[image][bad_input][fuzz]")
{
    const std::vector<uint8_t> bytes = test::read_bytes(test::source_path("tests/fixtures/fuzz/jpeg-dht-over-256-codes.jpg"));
    const core::DecodeResult r = decode_stb(bytes);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "The jpeg file is damaged or unsupported (a Huffman table lists more than 256 codes).");
    const core::DecodeResult turbo = decode(bytes);
    CHECK_FALSE(turbo.ok);
    CHECK_THAT(turbo.error, Catch::StartsWith("The jpeg file is damaged"));
}

TEST_CASE("a PNM header number of more than 9 digits is refused before stb reads it", "[image][bad_input][fuzz]")
{
    const core::DecodeResult r =
        decode_file(test::source_path("tests/fixtures/fuzz/pnm-header-number-of-116-digits.pgm"));
    CHECK_FALSE(r.ok);
    CHECK(r.error == "The pnm file is damaged (a header number of more than 9 digits).");
    // A 16-bit PNM cut short: stb would read past its buffer converting it to 8 bits.
    const core::DecodeResult cut = decode_file(test::source_path("tests/fixtures/fuzz/pnm-16-bit-cut-short.pgm"));
    CHECK_FALSE(cut.ok);
    CHECK(cut.error == "The pnm file is damaged (16-bit samples, which kpix does not read in PNM).");
    // 8-bit PNMs, whole (with a comment) and cut short.
    const std::string whole = std::string("P5\n# a comment\n2 1\n255\n") + std::string("\x12\xAB", 2);
    const core::DecodeResult ok = decode(std::vector<uint8_t>(whole.begin(), whole.end()));
    REQUIRE(ok.ok);
    CHECK(ok.image.rgba == std::vector<uint8_t>{0x12, 0x12, 0x12, 255, 0xAB, 0xAB, 0xAB, 255});
    const core::DecodeResult short_one = decode(std::vector<uint8_t>(whole.begin(), whole.end() - 1));
    CHECK(short_one.error == "The pnm file is damaged (its pixel data is cut short).");
}

TEST_CASE("a tiny BMP claiming megapixels is refused as damaged, not padded with black", "[image][bad_input][fuzz]")
{
    const core::DecodeResult r =
        decode_file(test::source_path("tests/fixtures/fuzz/bmp-589-bytes-claiming-12-megapixels.bmp"));
    CHECK_FALSE(r.ok);
    CHECK(r.format == "bmp");
    CHECK(r.error == "The bmp file is damaged: its header claims 48 x 262176 pixels, far more than its 589 bytes can hold.");
    // A real BMP of the same photo still decodes.
    const core::Image img = test::load_photo(test::kChinaJpg);
    std::vector<uint8_t> bmp;
    stbi_write_bmp_to_func(
        [](void* ctx, void* data, int size) {
            auto* v = static_cast<std::vector<uint8_t>*>(ctx);
            v->insert(v->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
        },
        &bmp, img.width, img.height, 4, img.rgba.data());
    const core::DecodeResult back = decode(bmp);
    REQUIRE(back.ok);
    CHECK(back.format == "bmp");
    CHECK(back.image.rgba == img.rgba);
}

TEST_CASE("Huffman tables are checked at 256 codes for stb, before and after the first scan", "[image][bad_input]")
{
    const std::vector<uint8_t> jpg = test::read_bytes(input_fixture("progressive.jpg"));
    // A DHT segment: one DC table 0 whose 16 code-length counts sum to codes.
    auto dht = [](int codes) {
        std::vector<uint8_t> s = {0xFF, 0xC4, 0, 0, 0x00};
        int left = codes;
        for (int c = 0; c < 16; ++c) {
            const int here = std::min(left, 255);
            s.push_back(static_cast<uint8_t>(here));
            left -= here;
        }
        s.insert(s.end(), static_cast<size_t>(codes), 0);
        put_be16(s, 2, static_cast<uint16_t>(s.size() - 2));
        return s;
    };
    const std::string refused = "The jpeg file is damaged or unsupported (a Huffman table lists more than 256 codes).";
    for (int codes : {256, 257, 600}) {
        INFO(codes << " codes");
        // Right after SOI (walked segment by segment) ...
        std::vector<uint8_t> early(jpg.begin(), jpg.begin() + 2);
        const std::vector<uint8_t> seg = dht(codes);
        early.insert(early.end(), seg.begin(), seg.end());
        early.insert(early.end(), jpg.begin() + 2, jpg.end());
        const core::DecodeResult a = decode_stb(early);
        // ... and between the scans of the progressive JPEG (found by scanning for FF C4).
        size_t second_sos = 0;
        for (size_t i = 2, seen = 0; i + 1 < jpg.size(); ++i) {
            if (jpg[i] == 0xFF && jpg[i + 1] == 0xDA && ++seen == 2) {
                second_sos = i;
                break;
            }
        }
        REQUIRE(second_sos != 0);
        std::vector<uint8_t> late(jpg.begin(), jpg.begin() + static_cast<ptrdiff_t>(second_sos));
        late.insert(late.end(), seg.begin(), seg.end());
        late.insert(late.end(), jpg.begin() + static_cast<ptrdiff_t>(second_sos), jpg.end());
        const core::DecodeResult b = decode_stb(late);
        check_clean(a);
        check_clean(b);
        // libjpeg-turbo judges the tables itself, and says the file is damaged.
        for (const std::vector<uint8_t>* bytes : {&early, &late}) {
            const core::DecodeResult turbo = decode(*bytes);
            check_clean(turbo);
            if (codes > 256) {
                CHECK_FALSE(turbo.ok);
                CHECK_THAT(turbo.error, Catch::StartsWith("The jpeg file is damaged"));
            }
        }
        if (codes > 256) {
            CHECK(a.error == refused);
            CHECK(b.error == refused);
        } else {
            CHECK(a.error != refused); // left to stb, which judges the code lengths itself
            CHECK(b.error != refused);
        }
    }
}
