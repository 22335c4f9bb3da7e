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

} // namespace core
