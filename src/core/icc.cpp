// Finding and applying embedded ICC profiles. JPEG splits a profile over APP2 segments of at most
// 64 KB, numbered 1..n; PNG stores it zlib-compressed in iCCP. The inflate is stb_image's, run
// into a fixed-size buffer (grown a few times up to a cap) so a small chunk cannot expand into
// gigabytes. The conversion is lcms2's: one transform per image, run over the pixels in slices.
#include "icc.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <lcms2.h>
#include <stb_image.h>

#include "containers.h"
#include "thread_pool.h"

namespace core {
namespace {

/// Profiles larger than this are ignored (real ones are a few KB, printer profiles a few MB).
constexpr size_t kMaxProfileBytes = 16u << 20;

std::vector<uint8_t> jpeg_profile(const uint8_t* data, size_t size, std::string& note)
{
    static const char kTag[] = "ICC_PROFILE"; // 11 letters and the NUL that ends them
    struct Chunk {
        int seq;
        ByteSpan bytes;
    };
    std::vector<Chunk> chunks;
    int total = 0;
    bool bad = false;
    for_each_jpeg_segment(data, size, [&](uint8_t marker, ByteSpan p) {
        if (marker != 0xE2 || p.size < 14 || std::memcmp(p.data, kTag, 12) != 0) {
            return true;
        }
        const int seq = p.data[12];
        const int count = p.data[13];
        if (count == 0 || seq == 0 || seq > count || (total != 0 && count != total)) {
            bad = true;
            return false;
        }
        total = count;
        chunks.push_back({seq, ByteSpan{p.data + 14, p.size - 14}});
        return true;
    });
    if (chunks.empty() && !bad) {
        return {};
    }
    std::sort(chunks.begin(), chunks.end(), [](const Chunk& a, const Chunk& b) { return a.seq < b.seq; });
    bad = bad || static_cast<int>(chunks.size()) != total;
    for (size_t i = 0; !bad && i < chunks.size(); ++i) {
        bad = chunks[i].seq != static_cast<int>(i) + 1;
    }
    if (bad) {
        note = "The JPEG's ICC profile is incomplete or out of order, so it was ignored.";
        return {};
    }
    std::vector<uint8_t> profile;
    for (const Chunk& c : chunks) {
        profile.insert(profile.end(), c.bytes.data, c.bytes.data + c.bytes.size);
    }
    return profile;
}

std::vector<uint8_t> png_profile(const uint8_t* data, size_t size, std::string& note)
{
    std::vector<uint8_t> profile;
    for_each_png_chunk(data, size, [&](const char* type, ByteSpan p) {
        if (std::memcmp(type, "iCCP", 4) != 0) {
            return true;
        }
        // Profile name (1..79 bytes), NUL, compression method (0 = zlib), compressed profile.
        const uint8_t* nul = static_cast<const uint8_t*>(std::memchr(p.data, 0, std::min<size_t>(p.size, 80)));
        const size_t header = nul ? static_cast<size_t>(nul - p.data) + 2 : 0;
        if (nul == nullptr || header > p.size || p.data[header - 1] != 0 ||
            p.size - header > static_cast<size_t>(INT32_MAX)) {
            note = "The PNG's ICC profile chunk is malformed, so it was ignored.";
            return false;
        }
        const char* in = reinterpret_cast<const char*>(p.data + header);
        const int in_len = static_cast<int>(p.size - header);
        for (size_t cap = size_t{1} << 16; cap <= kMaxProfileBytes; cap *= 8) {
            std::vector<uint8_t> out(cap);
            const int got = stbi_zlib_decode_buffer(reinterpret_cast<char*>(out.data()),
                                                    static_cast<int>(cap), in, in_len);
            if (got >= 0) {
                out.resize(static_cast<size_t>(got));
                profile = std::move(out);
                return false;
            }
        }
        note = "The PNG's ICC profile could not be inflated (damaged, or over 16 MB), so it was ignored.";
        return false;
    });
    return profile;
}

using ProfilePtr = std::unique_ptr<void, cmsBool (*)(cmsHPROFILE)>;
using TransformPtr = std::unique_ptr<void, void (*)(cmsHTRANSFORM)>;

std::string describe(cmsHPROFILE profile)
{
    char text[256] = {};
    const cmsUInt32Number n =
        cmsGetProfileInfoASCII(profile, cmsInfoDescription, "en", "US", text, sizeof text);
    std::string s = n > 0 ? std::string(text) : std::string();
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) {
        s.pop_back();
    }
    return s.empty() ? "unnamed profile" : s;
}

/// Whether the transform leaves every probe colour as it is, give or take lcms2's rounding (one
/// level in 255): every grey, every single-channel ramp over black and over white, and a 16-level
/// grid of the cube (about 6,000 colours).
bool identity_on_probe(cmsHTRANSFORM xform)
{
    std::vector<uint8_t> probe;
    auto add = [&](int r, int g, int b) {
        probe.insert(probe.end(), {static_cast<uint8_t>(r), static_cast<uint8_t>(g),
                                   static_cast<uint8_t>(b), 255});
    };
    for (int v = 0; v < 256; ++v) {
        add(v, v, v);
        for (int other : {0, 255}) {
            add(v, other, other);
            add(other, v, other);
            add(other, other, v);
        }
    }
    for (int r = 0; r < 256; r += 17) {
        for (int g = 0; g < 256; g += 17) {
            for (int b = 0; b < 256; b += 17) {
                add(r, g, b);
            }
        }
    }
    std::vector<uint8_t> out(probe.size());
    cmsDoTransform(xform, probe.data(), out.data(), static_cast<cmsUInt32Number>(probe.size() / 4));
    for (size_t i = 0; i < probe.size(); ++i) {
        if (std::abs(out[i] - probe[i]) > 1) {
            return false;
        }
    }
    return true;
}

} // namespace

std::vector<uint8_t> embedded_icc_profile(const uint8_t* data, size_t size, std::string& note)
{
    std::vector<uint8_t> profile = jpeg_profile(data, size, note);
    if (profile.empty() && note.empty()) {
        profile = png_profile(data, size, note);
    }
    if (profile.size() > kMaxProfileBytes) {
        note = "The embedded ICC profile is over 16 MB, so it was ignored.";
        profile.clear();
    }
    return profile;
}

ProfileConversion convert_to_srgb(Image& image, const uint8_t* icc, size_t size, ThreadPool* pool)
{
    ProfileConversion c;
    if (icc == nullptr || size == 0 || size > kMaxProfileBytes) {
        c.note = "The embedded ICC profile is empty or too large, so it was ignored.";
        return c;
    }
    ProfilePtr in(cmsOpenProfileFromMem(icc, static_cast<cmsUInt32Number>(size)), cmsCloseProfile);
    if (!in) {
        c.note = "The embedded ICC profile could not be read, so colours are taken as sRGB.";
        return c;
    }
    c.description = describe(in.get());
    if (cmsGetColorSpace(in.get()) != cmsSigRgbData) {
        c.note = "The embedded ICC profile (" + c.description +
            ") is not for RGB data, so it was ignored.";
        return c;
    }
    ProfilePtr srgb(cmsCreate_sRGBProfile(), cmsCloseProfile);
    TransformPtr xform(srgb ? cmsCreateTransform(in.get(), TYPE_RGBA_8, srgb.get(), TYPE_RGBA_8,
                                                 INTENT_RELATIVE_COLORIMETRIC, cmsFLAGS_COPY_ALPHA)
                            : nullptr,
                       cmsDeleteTransform);
    if (!xform) {
        c.note = "The embedded ICC profile (" + c.description +
            ") cannot be converted to sRGB, so it was ignored.";
        return c;
    }
    // An sRGB profile (most photos that carry one say "sRGB IEC61966-2.1") needs no conversion,
    // but lcms2 would spend about 20 ns a pixel on it (a third of the CPU time of an 18 MP PNG to
    // an indexed one). A transform that moves no probe colour by more than its own rounding is
    // taken as the identity and the pixels are left as they are. NOTE: measured on that HP
    // profile over all 2^24 colours, lcms2 moves 0.13 % of the channel values by 1 and none by
    // more; on china.jpg's and the astronaut's pixels it moves none.
    c.converted = true;
    if (identity_on_probe(xform.get())) {
        return c;
    }
    // Slices through a small buffer: the image is converted in place without a second full copy.
    // NOTE: one transform may run on several threads at once: lcms2 copies its one-pixel cache
    // into each call, and each pixel's result does not depend on its neighbours.
    constexpr size_t kSlice = 1 << 14;
    const auto slices = [&](size_t, size_t begin, size_t end) {
        std::vector<uint8_t> buffer(kSlice * 4);
        for (size_t start = begin; start < end; start += kSlice) {
            const size_t n = std::min(kSlice, end - start);
            uint8_t* p = image.rgba.data() + start * 4;
            cmsDoTransform(xform.get(), p, buffer.data(), static_cast<cmsUInt32Number>(n));
            std::memcpy(p, buffer.data(), n * 4);
        }
    };
    if (pool != nullptr) {
        pool->parallel_for(0, image.pixels(), kSlice * 8, slices);
    } else {
        slices(0, 0, image.pixels());
    }
    return c;
}

} // namespace core
