// PNG files: chunks and CRC written here, IDAT deflated by stb_image_write's zlib.
#include "png.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>
#include <utility>

#include <stb_image_write.h>

// stb_image_write's deflate; defined (extern "C") in stb_impl.c but declared only inside the
// header's implementation section, so it is declared here. The result is malloc'ed.
extern "C" unsigned char* stbi_zlib_compress(unsigned char* data, int data_len, int* out_len,
                                             int quality);

namespace core {
namespace {

const std::array<uint32_t, 256>& crc_table()
{
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t n = 0; n < 256; ++n) {
            uint32_t c = n;
            for (int b = 0; b < 8; ++b) {
                c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            t[n] = c;
        }
        return t;
    }();
    return table;
}

void put_u32_be(std::vector<uint8_t>& out, uint32_t v)
{
    out.push_back(static_cast<uint8_t>(v >> 24));
    out.push_back(static_cast<uint8_t>(v >> 16));
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

/// Appends one chunk: length, type, data, CRC over type and data.
void put_chunk(std::vector<uint8_t>& out, const char type[5], const uint8_t* data, size_t size)
{
    put_u32_be(out, static_cast<uint32_t>(size));
    const size_t type_at = out.size();
    out.insert(out.end(), type, type + 4);
    if (size > 0) {
        out.insert(out.end(), data, data + size);
    }
    put_u32_be(out, crc32(out.data() + type_at, size + 4));
}

/// Signature, IHDR, the extra chunks, IDAT (filter byte 0 on every row of raw), IEND.
/// raw: height rows of row_bytes + 1 bytes, the first byte of each row left for the filter type.
std::vector<uint8_t> png_container(int width, int height, int bit_depth, int colour_type,
                                   std::vector<uint8_t>& raw,
                                   const std::vector<std::pair<const char*, std::vector<uint8_t>>>& extra)
{
    static const uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    std::vector<uint8_t> out(kSignature, kSignature + 8);
    std::vector<uint8_t> ihdr;
    put_u32_be(ihdr, static_cast<uint32_t>(width));
    put_u32_be(ihdr, static_cast<uint32_t>(height));
    ihdr.push_back(static_cast<uint8_t>(bit_depth));
    ihdr.push_back(static_cast<uint8_t>(colour_type));
    ihdr.push_back(0); // deflate
    ihdr.push_back(0); // adaptive filtering (we use filter type 0 on every row)
    ihdr.push_back(0); // no interlace
    put_chunk(out, "IHDR", ihdr.data(), ihdr.size());
    for (const auto& [type, data] : extra) {
        put_chunk(out, type, data.data(), data.size());
    }
    int zsize = 0;
    // Quality 8 is stb's own default for PNG.
    unsigned char* z = stbi_zlib_compress(raw.data(), static_cast<int>(raw.size()), &zsize, 8);
    put_chunk(out, "IDAT", z, static_cast<size_t>(zsize));
    std::free(z);
    put_chunk(out, "IEND", nullptr, 0);
    return out;
}

} // namespace

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc)
{
    const std::array<uint32_t, 256>& table = crc_table();
    uint32_t c = crc ^ 0xFFFFFFFFu;
    for (size_t i = 0; i < size; ++i) {
        c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
    }
    return c ^ 0xFFFFFFFFu;
}

std::vector<uint8_t> encode_png_indexed(const uint8_t* indices, int width, int height,
                                        const uint8_t* palette, const uint8_t* alpha, int colours)
{
    const size_t row = static_cast<size_t>(width) + 1;
    std::vector<uint8_t> raw(row * static_cast<size_t>(height), 0);
    for (int y = 0; y < height; ++y) {
        std::copy_n(indices + static_cast<size_t>(y) * width, width, raw.begin() + y * row + 1);
    }
    std::vector<std::pair<const char*, std::vector<uint8_t>>> extra;
    extra.emplace_back("PLTE", std::vector<uint8_t>(palette, palette + 3 * colours));
    if (alpha != nullptr) {
        // tRNS may stop after the last entry that is not opaque.
        int last = colours;
        while (last > 0 && alpha[last - 1] == 255) {
            --last;
        }
        if (last > 0) {
            extra.emplace_back("tRNS", std::vector<uint8_t>(alpha, alpha + last));
        }
    }
    return png_container(width, height, 8, 3, raw, extra);
}

std::vector<uint8_t> encode_png_grey(const uint16_t* values, int width, int height, int bit_depth)
{
    const size_t bytes = bit_depth == 16 ? 2 : 1;
    const size_t row = static_cast<size_t>(width) * bytes + 1;
    std::vector<uint8_t> raw(row * static_cast<size_t>(height), 0);
    for (int y = 0; y < height; ++y) {
        uint8_t* dst = raw.data() + y * row + 1;
        const uint16_t* src = values + static_cast<size_t>(y) * width;
        for (int x = 0; x < width; ++x) {
            if (bytes == 2) {
                dst[2 * x] = static_cast<uint8_t>(src[x] >> 8);
                dst[2 * x + 1] = static_cast<uint8_t>(src[x] & 0xFF);
            } else {
                dst[x] = static_cast<uint8_t>(src[x]);
            }
        }
    }
    return png_container(width, height, bit_depth == 16 ? 16 : 8, 0, raw, {});
}

std::vector<uint8_t> encode_png(const uint8_t* pixels, int width, int height, int channels)
{
    std::vector<uint8_t> out;
    stbi_write_png_to_func(
        [](void* ctx, void* data, int size) {
            auto* v = static_cast<std::vector<uint8_t>*>(ctx);
            const auto* p = static_cast<const uint8_t*>(data);
            v->insert(v->end(), p, p + size);
        },
        &out, width, height, channels, pixels, width * channels);
    return out;
}

} // namespace core
