// JPEG segments and PNG chunks, read with every length checked against what is left of the file
// before it is used (subtracting from the remaining size, never adding to an offset, so no overflow).
#include "containers.h"

#include <cstring>

namespace core {

void for_each_jpeg_segment(const uint8_t* data, size_t size,
                           const std::function<bool(uint8_t marker, ByteSpan payload)>& fn)
{
    if (data == nullptr || size < 4 || data[0] != 0xFF || data[1] != 0xD8) {
        return;
    }
    size_t i = 2;
    while (size - i >= 2) {
        if (data[i] != 0xFF) {
            return;
        }
        const uint8_t marker = data[i + 1];
        if (marker == 0xFF) { // fill byte before a marker
            ++i;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // TEM, RSTn: no length
            i += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) { // EOI, SOS: no metadata after this point
            return;
        }
        if (size - i < 4) {
            return;
        }
        const size_t len = static_cast<size_t>(data[i + 2]) << 8 | data[i + 3];
        if (len < 2 || len > size - i - 2) {
            return;
        }
        if (!fn(marker, ByteSpan{data + i + 4, len - 2})) {
            return;
        }
        i += 2 + len;
    }
}

void for_each_png_chunk(const uint8_t* data, size_t size,
                        const std::function<bool(const char* type, ByteSpan payload)>& fn)
{
    static const uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (data == nullptr || size < 8 || std::memcmp(data, kSignature, 8) != 0) {
        return;
    }
    size_t i = 8;
    while (size - i >= 12) { // length, type, CRC
        const size_t len = static_cast<size_t>(data[i]) << 24 | static_cast<size_t>(data[i + 1]) << 16 |
            static_cast<size_t>(data[i + 2]) << 8 | data[i + 3];
        if (len > size - i - 12) {
            return;
        }
        char type[5] = {};
        std::memcpy(type, data + i + 4, 4);
        if (!fn(type, ByteSpan{data + i + 8, len})) {
            return;
        }
        if (std::memcmp(type, "IEND", 4) == 0) {
            return;
        }
        i += 12 + len;
    }
}

namespace {

/// Skips a chain of GIF sub-blocks (a size byte, that many bytes, ..., a zero size) starting at
/// i; false when the file ends first.
bool skip_gif_sub_blocks(const uint8_t* data, size_t size, size_t& i)
{
    while (i < size) {
        const size_t len = data[i];
        ++i;
        if (len == 0) {
            return true;
        }
        if (len > size - i) {
            return false;
        }
        i += len;
    }
    return false;
}

} // namespace

int gif_frame_count(const uint8_t* data, size_t size)
{
    if (data == nullptr || size < 13 || std::memcmp(data, "GIF8", 4) != 0) {
        return 0;
    }
    size_t i = 13; // header (6) and logical screen descriptor (7)
    const uint8_t screen = data[10];
    if (screen & 0x80) { // global colour table: 3 * 2^(1 + n) bytes
        const size_t table = size_t{3} << ((screen & 7) + 1);
        if (table > size - i) {
            return 0;
        }
        i += table;
    }
    int frames = 0;
    while (i < size) {
        const uint8_t block = data[i++];
        if (block == 0x21) { // extension: a label, then sub-blocks
            if (i >= size) {
                break;
            }
            ++i;
            if (!skip_gif_sub_blocks(data, size, i)) {
                break;
            }
        } else if (block == 0x2C) { // image descriptor (9 bytes), local table, LZW size, data
            if (size - i < 9) {
                break;
            }
            const uint8_t local = data[i + 8];
            i += 9;
            ++frames;
            if (local & 0x80) {
                const size_t table = size_t{3} << ((local & 7) + 1);
                if (table > size - i) {
                    break;
                }
                i += table;
            }
            if (i >= size) {
                break;
            }
            ++i; // LZW minimum code size
            if (!skip_gif_sub_blocks(data, size, i)) {
                break;
            }
        } else { // the trailer (0x3B), or anything unknown
            break;
        }
    }
    return frames;
}

} // namespace core
