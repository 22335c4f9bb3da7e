// EXIF orientation: the tag read in both byte orders from JPEG and PNG, all 8 orientations turned
// upright on a tiny image and on a real photo, and malformed EXIF ignored without reading outside it.
#include "core/exif.h"

#include <algorithm>
#include <cstring>

#include <catch2/catch.hpp>

#include "core/icc.h"
#include "core/thread_pool.h"
#include "photo_support.h"

namespace {

struct Entry {
    uint16_t tag;
    uint16_t type;
    uint32_t count;
    uint32_t value; // a SHORT value goes in the first two bytes of the field, as TIFF stores it
};

/// A TIFF structure: header, IFD0 at ifd_offset (entry count as given, or the number of entries)
/// with the entries, then the next-IFD link.
struct Tiff {
    bool little = true;
    uint32_t ifd_offset = 8;
    std::vector<Entry> entries;
    int count = -1;
    uint32_t next = 0;

    std::vector<uint8_t> bytes() const
    {
        std::vector<uint8_t> b;
        auto put16 = [&](uint32_t v) {
            little ? b.insert(b.end(), {uint8_t(v), uint8_t(v >> 8)})
                   : b.insert(b.end(), {uint8_t(v >> 8), uint8_t(v)});
        };
        auto put32 = [&](uint32_t v) {
            little ? b.insert(b.end(), {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)})
                   : b.insert(b.end(), {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)});
        };
        b.insert(b.end(), little ? std::initializer_list<uint8_t>{'I', 'I'} : std::initializer_list<uint8_t>{'M', 'M'});
        put16(42);
        put32(ifd_offset);
        put16(count >= 0 ? static_cast<uint32_t>(count) : static_cast<uint32_t>(entries.size()));
        for (const Entry& e : entries) {
            put16(e.tag);
            put16(e.type);
            put32(e.count);
            if (e.type == 3 && e.count == 1) {
                put16(e.value);
                put16(0);
            } else {
                put32(e.value);
            }
        }
        put32(next);
        return b;
    }
};

Tiff with_orientation(int v, bool little = true)
{
    Tiff t;
    t.little = little;
    t.entries = {{0x010F, 2, 4, 0x41424300}, {0x0112, 3, 1, static_cast<uint32_t>(v)},
                 {0x011A, 5, 1, 0x100}};
    return t;
}

int orientation_of(const std::vector<uint8_t>& tiff)
{
    return core::exif_orientation(tiff.data(), tiff.size());
}

std::vector<uint8_t> exif_payload(const std::vector<uint8_t>& tiff)
{
    // NOTE: built with memcpy: GCC 12 gives a false -Warray-bounds on inserting after a 6-byte list.
    std::vector<uint8_t> p(6 + tiff.size());
    std::memcpy(p.data(), "Exif\0\0", 6);
    std::memcpy(p.data() + 6, tiff.data(), tiff.size());
    return p;
}

/// A 3 x 2 image whose pixels are the letters a..f (in R), stored row by row.
core::Image letters()
{
    core::Image img;
    img.width = 3;
    img.height = 2;
    for (char ch : std::string("abcdef")) {
        img.rgba.insert(img.rgba.end(), {static_cast<uint8_t>(ch), 0, 0, 255});
    }
    return img;
}

std::string rows(const core::Image& img)
{
    std::string s;
    for (int y = 0; y < img.height; ++y) {
        s += y ? "/" : "";
        for (int x = 0; x < img.width; ++x) {
            s += static_cast<char>(img.rgba[4 * (static_cast<size_t>(y) * img.width + x)]);
        }
    }
    return s;
}

} // namespace

TEST_CASE("the orientation tag reads in both byte orders", "[exif]")
{
    for (bool little : {true, false}) {
        for (int v = 1; v <= 8; ++v) {
            CHECK(orientation_of(with_orientation(v, little).bytes()) == v);
        }
    }
    Tiff none;
    none.entries = {{0x010F, 2, 4, 0}};
    CHECK(orientation_of(none.bytes()) == 0);
}

TEST_CASE("all 8 orientations turn a tiny image upright", "[exif]")
{
    // Stored "abc/def"; what a viewer shows for each tag.
    const char* expected[9] = {"", "abc/def", "cba/fed", "fed/cba", "def/abc",
                               "ad/be/cf", "da/eb/fc", "fc/eb/da", "cf/be/ad"};
    for (int v = 1; v <= 8; ++v) {
        core::Image img = letters();
        core::apply_orientation(img, v);
        INFO("orientation " << v);
        CHECK(rows(img) == expected[v]);
        CHECK(img.rgba.size() == 6u * 4u);
        CHECK(std::string(core::orientation_description(v)).empty() == (v == 1));
    }
    core::Image img = letters();
    core::apply_orientation(img, 9);
    CHECK(rows(img) == "abc/def");
    CHECK(std::string(core::orientation_description(6)) == "rotated 90° clockwise");
}

TEST_CASE("orientations of an image larger than a tile are exact, on a pool or not", "[exif]")
{
    // 150 x 130 (not a multiple of the 64-pixel tiles), every pixel its own index.
    core::Image img;
    img.width = 150;
    img.height = 130;
    img.rgba.resize(img.pixels() * 4);
    for (size_t i = 0; i < img.pixels(); ++i) {
        std::memcpy(img.rgba.data() + 4 * i, &i, 4);
    }
    auto at = [](const core::Image& m, int x, int y) {
        uint32_t v = 0;
        std::memcpy(&v, m.rgba.data() + 4 * (static_cast<size_t>(y) * m.width + x), 4);
        return v;
    };
    // Where upright (x, y) comes from in the stored image, per orientation (as in the EXIF spec).
    auto source = [&](int v, int x, int y, int& sx, int& sy) {
        const int w = img.width;
        const int h = img.height;
        switch (v) {
        case 2: sx = w - 1 - x; sy = y; break;
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;
        case 4: sx = x; sy = h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = h - 1 - x; break;
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;
        case 8: sx = w - 1 - y; sy = x; break;
        default: sx = x; sy = y; break;
        }
    };
    core::ThreadPool pool(3);
    for (int v = 1; v <= 8; ++v) {
        INFO("orientation " << v);
        core::Image alone = img;
        core::Image shared = img;
        core::apply_orientation(alone, v);
        core::apply_orientation(shared, v, &pool);
        CHECK(alone.rgba == shared.rgba);
        REQUIRE(alone.width == (v >= 5 ? img.height : img.width));
        size_t wrong = 0;
        for (int y = 0; y < alone.height; ++y) {
            for (int x = 0; x < alone.width; ++x) {
                int sx = 0;
                int sy = 0;
                source(v, x, y, sx, sy);
                wrong += at(alone, x, y) != at(img, sx, sy);
            }
        }
        CHECK(wrong == 0);
    }
}

TEST_CASE("a truncated EXIF block is ignored at every length", "[exif]")
{
    for (bool little : {true, false}) {
        const std::vector<uint8_t> full = with_orientation(6, little).bytes();
        const size_t entries_end = 8 + 2 + 3 * 12; // the next-IFD link is not needed
        for (size_t n = 0; n < full.size(); ++n) {
            // A copy of exactly n bytes, so reading past it is a heap overflow the sanitizer sees.
            const std::vector<uint8_t> cut(full.begin(), full.begin() + static_cast<long>(n));
            INFO("kept " << n << " of " << full.size());
            CHECK(core::exif_orientation(n ? cut.data() : nullptr, n) == (n >= entries_end ? 6 : 0));
        }
    }
}

TEST_CASE("IFD offsets outside the data are ignored", "[exif]")
{
    for (uint32_t offset : {0u, 4u, 7u, 50u, 51u, 1000u, 0x7FFFFFFFu, 0xFFFFFFF0u, 0xFFFFFFFFu}) {
        Tiff t = with_orientation(3);
        t.ifd_offset = offset;
        INFO("offset " << offset);
        CHECK(orientation_of(t.bytes()) == 0);
    }
}

TEST_CASE("a huge entry count or value count is ignored", "[exif]")
{
    Tiff many = with_orientation(6);
    many.count = 0xFFFF; // claims 65535 entries, the data holds 3
    CHECK(orientation_of(many.bytes()) == 0);
    Tiff huge_count = with_orientation(6);
    huge_count.entries[1].count = 0xFFFFFFFF;
    CHECK(orientation_of(huge_count.bytes()) == 0);
    Tiff wrong_type = with_orientation(6);
    wrong_type.entries[1].type = 4; // LONG: an offset, not a value
    CHECK(orientation_of(wrong_type.bytes()) == 0);
    for (uint32_t v : {0u, 9u, 0xFFFFu}) {
        CHECK(orientation_of(with_orientation(static_cast<int>(v)).bytes()) == 0);
    }
}

TEST_CASE("IFD loops cannot hang the reader", "[exif]")
{
    Tiff self = with_orientation(8);
    self.next = 8; // IFD0's link points back at IFD0
    CHECK(orientation_of(self.bytes()) == 8);
    Tiff no_tag;
    no_tag.entries = {{0x010F, 2, 4, 0}};
    no_tag.next = 8;
    CHECK(orientation_of(no_tag.bytes()) == 0);
    Tiff header_loop = with_orientation(8);
    header_loop.ifd_offset = 0; // IFD0 "at" the header itself
    CHECK(orientation_of(header_loop.bytes()) == 0);
}

TEST_CASE("bad TIFF headers are ignored", "[exif]")
{
    std::vector<uint8_t> b = with_orientation(6).bytes();
    b[2] = 43;
    CHECK(orientation_of(b) == 0);
    b = with_orientation(6).bytes();
    b[0] = b[1] = 'X';
    CHECK(orientation_of(b) == 0);
    CHECK(orientation_of({'I', 'I', 42, 0}) == 0);
}

TEST_CASE("EXIF is found in JPEG APP1 and PNG eXIf, and bounded by its segment", "[exif]")
{
    const std::vector<uint8_t> jpg = test::read_bytes(test::kChinaJpg); // no EXIF of its own
    const std::vector<uint8_t> tagged = test::jpeg_with_segment(jpg, 0xE1, exif_payload(with_orientation(5, false).bytes()));
    CHECK(core::file_orientation(tagged.data(), tagged.size()) == 5);

    // IFD0 placed past the end of the APP1 segment (but inside the file): not EXIF's to read.
    Tiff outside = with_orientation(5);
    outside.ifd_offset = 8 + 40;
    std::vector<uint8_t> seg = exif_payload(outside.bytes());
    seg.resize(6 + 8);
    std::vector<uint8_t> after = test::jpeg_with_segment(jpg, 0xE1, seg);
    const std::vector<uint8_t> ifd_bytes = with_orientation(5).bytes();
    after.insert(after.begin() + 2 + 4 + static_cast<long>(seg.size()), ifd_bytes.begin() + 8, ifd_bytes.end());
    CHECK(core::file_orientation(after.data(), after.size()) == 0);

    // An APP1 whose length runs past the end of the file, and one too short for "Exif\0\0".
    std::vector<uint8_t> long_seg = {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xF0, 'E', 'x', 'i', 'f', 0, 0};
    const std::vector<uint8_t> t = with_orientation(6).bytes();
    long_seg.insert(long_seg.end(), t.begin(), t.end());
    CHECK(core::file_orientation(long_seg.data(), long_seg.size()) == 0);
    const std::vector<uint8_t> short_seg = test::jpeg_with_segment(jpg, 0xE1, {'E', 'x', 'i'});
    CHECK(core::file_orientation(short_seg.data(), short_seg.size()) == 0);

    const std::vector<uint8_t> png = test::read_bytes(test::photo_fixture("orient_6.png"));
    CHECK(core::file_orientation(png.data(), png.size()) == 6);
    // A chunk claiming more bytes than the file has, before the real one: the walk stops there.
    std::vector<uint8_t> bad_png = test::png_with_chunk(png, "tEXt", {});
    bad_png[8 + 25] = 0x7F;
    CHECK(core::file_orientation(bad_png.data(), bad_png.size()) == 0);
    // Files without EXIF, and formats that have no place for it.
    CHECK(core::file_orientation(jpg.data(), 2) == 0);
    const std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a'};
    CHECK(core::file_orientation(gif.data(), gif.size()) == 0);
}

TEST_CASE("the 8 orientations of a real photo decode to the same upright picture", "[exif][photo]")
{
    const core::DecodeResult upright = test::decode_bytes(test::read_bytes(test::photo_fixture("orient_1.jpg")));
    REQUIRE(upright.ok);
    CHECK(upright.orientation == 1);
    CHECK(upright.orientation_applied.empty());
    REQUIRE(upright.image.width == 160);
    REQUIRE(upright.image.height == 107);
    for (int v = 2; v <= 8; ++v) {
        INFO("orient_" << v << ".jpg");
        const std::vector<uint8_t> bytes = test::read_bytes(test::photo_fixture("orient_" + std::to_string(v) + ".jpg"));
        const core::DecodeResult r = test::decode_bytes(bytes);
        REQUIRE(r.ok);
        CHECK(r.orientation == v);
        CHECK(r.orientation_applied == core::orientation_description(v));
        REQUIRE(r.image.width == 160);
        REQUIRE(r.image.height == 107);
        // The variants were compressed from differently arranged pixels, so JPEG noise differs.
        CHECK(test::mean_abs_diff(r.image, upright.image) < 6.0);
        if (v == 2 || v == 3 || v == 4) {
            // Left as stored, the same comparison fails by far: the check can tell.
            core::Image as_stored = r.image;
            core::apply_orientation(as_stored, v); // each of 2, 3, 4 undoes itself
            CHECK(test::mean_abs_diff(as_stored, upright.image) > 20.0);
        }
    }
    const core::DecodeResult png = test::decode_bytes(test::read_bytes(test::photo_fixture("orient_6.png")));
    REQUIRE(png.ok);
    CHECK(png.orientation == 6);
    REQUIRE(png.image.width == test::kCropW);
    REQUIRE(png.image.height == test::kCropH);
    const core::Image box = test::crop(upright.image, test::kCropX, test::kCropY, test::kCropW, test::kCropH);
    CHECK(test::mean_abs_diff(png.image, box) < 6.0);
}

TEST_CASE("random damage to a file's metadata never reads outside it", "[exif][icc]")
{
    // Bytes 0..63 of orient_6.jpg hold its JFIF and EXIF segments, the first 700 of flower_p3.jpg
    // its ICC profile; every mutation is decoded from a buffer of exactly the file's size, so a read
    // past it is a heap overflow the sanitizer preset reports.
    uint32_t s = 2024;
    auto next = [&s]() {
        s = test::lcg_step(s);
        return s >> 8;
    };
    for (const char* name : {"orient_6.jpg", "flower_p3.jpg", "orient_6.png", "flower_p3.png"}) {
        const std::vector<uint8_t> original = test::read_bytes(test::photo_fixture(name));
        const size_t span = std::min<size_t>(original.size(), std::string(name).find("orient") == 0 ? 64 : 700);
        for (int round = 0; round < 300; ++round) {
            std::vector<uint8_t> bytes = original;
            for (int flips = 1 + static_cast<int>(next() % 4); flips > 0; --flips) {
                bytes[next() % span] = static_cast<uint8_t>(next());
            }
            const int o = core::file_orientation(bytes.data(), bytes.size());
            CHECK((o >= 0 && o <= 8));
            std::string note;
            const std::vector<uint8_t> icc = core::embedded_icc_profile(bytes.data(), bytes.size(), note);
            CHECK(icc.size() <= bytes.size() * 1100); // deflate expands at most about 1032 times
            if (round % 10 == 0) {
                const core::DecodeResult r = test::decode_bytes(bytes);
                CHECK((!r.ok || r.image.rgba.size() == r.image.pixels() * 4));
            }
        }
    }
}
