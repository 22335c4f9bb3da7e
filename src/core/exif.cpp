// Reading one tag of IFD0 is all kpix needs from EXIF, so this is not a general TIFF reader: the
// header, the IFD0 offset, the entry count and each 12-byte entry are checked to lie inside the
// data before they are read, and the Orientation value must be one SHORT stored in the entry itself.
#include "exif.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <utility>

#include "containers.h"
#include "thread_pool.h"

namespace core {
namespace {

/// Reads 16- and 32-bit values in the TIFF's byte order; callers check the bounds first.
struct TiffReader {
    const uint8_t* data = nullptr;
    bool little = false;

    uint16_t u16(size_t at) const
    {
        const uint8_t* p = data + at;
        return little ? static_cast<uint16_t>(p[0] | p[1] << 8) : static_cast<uint16_t>(p[0] << 8 | p[1]);
    }
    uint32_t u32(size_t at) const
    {
        const uint8_t* p = data + at;
        return little ? static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
                static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24
                      : static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
                static_cast<uint32_t>(p[2]) << 8 | static_cast<uint32_t>(p[3]);
    }
};

constexpr uint16_t kOrientationTag = 0x0112;
constexpr uint16_t kTypeShort = 3;
constexpr size_t kEntrySize = 12;

} // namespace

int exif_orientation(const uint8_t* tiff, size_t size)
{
    if (tiff == nullptr || size < 8) {
        return 0;
    }
    TiffReader r{tiff, false};
    if (tiff[0] == 'I' && tiff[1] == 'I') {
        r.little = true;
    } else if (!(tiff[0] == 'M' && tiff[1] == 'M')) {
        return 0;
    }
    if (r.u16(2) != 42) {
        return 0;
    }
    const size_t ifd = r.u32(4);
    if (ifd < 8 || ifd > size || size - ifd < 2) {
        return 0;
    }
    const size_t count = r.u16(ifd);
    // A count that runs past the data means the IFD is damaged: nothing in it is trusted.
    if (count > (size - ifd - 2) / kEntrySize) {
        return 0;
    }
    for (size_t e = 0; e < count; ++e) {
        const size_t at = ifd + 2 + e * kEntrySize;
        if (r.u16(at) != kOrientationTag) {
            continue;
        }
        if (r.u16(at + 2) != kTypeShort || r.u32(at + 4) != 1) {
            return 0;
        }
        const uint16_t v = r.u16(at + 8); // a single SHORT sits left-justified in the value field
        return v >= 1 && v <= 8 ? v : 0;
    }
    return 0;
}

int file_orientation(const uint8_t* data, size_t size)
{
    int orientation = 0;
    for_each_jpeg_segment(data, size, [&](uint8_t marker, ByteSpan p) {
        if (marker == 0xE1 && p.size >= 6 && std::memcmp(p.data, "Exif\0\0", 6) == 0) {
            orientation = exif_orientation(p.data + 6, p.size - 6);
            return false; // the first EXIF segment is the one that counts
        }
        return true;
    });
    for_each_png_chunk(data, size, [&](const char* type, ByteSpan p) {
        if (std::memcmp(type, "eXIf", 4) == 0) {
            orientation = exif_orientation(p.data, p.size);
            return false;
        }
        return true;
    });
    return orientation;
}

void apply_orientation(Image& image, int orientation, ThreadPool* pool)
{
    if (orientation < 2 || orientation > 8 || image.width <= 0 || image.height <= 0) {
        return;
    }
    const ptrdiff_t w = image.width;
    const ptrdiff_t h = image.height;
    const bool swap = orientation >= 5;
    const ptrdiff_t out_w = swap ? h : w;
    const ptrdiff_t out_h = swap ? w : h;
    // The stored pixel shown at upright (x, y) is at index base + x * step_x + y * step_y: each
    // orientation is an affine map, written here from its (sx, sy) in the comment.
    ptrdiff_t base = 0;
    ptrdiff_t step_x = 1;
    ptrdiff_t step_y = w;
    switch (orientation) {
    case 2: base = w - 1; step_x = -1; step_y = w; break;                 // (w-1-x, y)
    case 3: base = (h - 1) * w + w - 1; step_x = -1; step_y = -w; break;  // (w-1-x, h-1-y)
    case 4: base = (h - 1) * w; step_x = 1; step_y = -w; break;           // (x, h-1-y)
    case 5: base = 0; step_x = w; step_y = 1; break;                      // (y, x)
    case 6: base = (h - 1) * w; step_x = -w; step_y = 1; break;           // (y, h-1-x)
    case 7: base = (h - 1) * w + w - 1; step_x = -w; step_y = -1; break;  // (w-1-y, h-1-x)
    case 8: base = w - 1; step_x = w; step_y = -1; break;                 // (w-1-y, x)
    default: break;
    }
    std::vector<uint8_t> out(image.rgba.size());
    const uint8_t* src = image.rgba.data();
    uint8_t* dst = out.data();
    // In square tiles: a turn reads the stored image down its columns, and a tile's columns stay
    // in cache while its rows are written (row by row, a 12 MP turn missed the cache per pixel).
    constexpr ptrdiff_t kTile = 64;
    const auto bands = [&](size_t, size_t y_begin, size_t y_end) {
        for (ptrdiff_t x0 = 0; x0 < out_w; x0 += kTile) {
            const ptrdiff_t x1 = std::min(out_w, x0 + kTile);
            for (ptrdiff_t y = static_cast<ptrdiff_t>(y_begin); y < static_cast<ptrdiff_t>(y_end); ++y) {
                uint8_t* d = dst + 4 * y * out_w;
                ptrdiff_t s = base + y * step_y + x0 * step_x;
                for (ptrdiff_t x = x0; x < x1; ++x, s += step_x) {
                    std::memcpy(d + 4 * x, src + 4 * s, 4);
                }
            }
        }
    };
    for_chunks(pool, 0, static_cast<size_t>(out_h), kTile, bands);
    image.rgba = std::move(out);
    image.width = static_cast<int>(out_w);
    image.height = static_cast<int>(out_h);
}

const char* orientation_description(int orientation)
{
    switch (orientation) {
    case 2: return "mirrored left to right";
    case 3: return "rotated 180°";
    case 4: return "mirrored top to bottom";
    case 5: return "rotated 90° clockwise and mirrored left to right";
    case 6: return "rotated 90° clockwise";
    case 7: return "rotated 90° counter-clockwise and mirrored left to right";
    case 8: return "rotated 90° counter-clockwise";
    default: return "";
    }
}

} // namespace core
