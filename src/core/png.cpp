// PNG files: chunks written here, IDAT deflated by libdeflate (Debian's libdeflate-dev; built from
// Debian's source for wasm). Rows are filtered as the PNG specification recommends: for truecolour
// and grey, each row takes the filter whose output has the smallest sum of absolute values (as
// signed bytes); indexed rows are not filtered, and pack 2, 4 or 8 pixels a byte when the palette
// is small enough. libdeflate's whole-buffer compressor at its default level, 6: on two 18 MP
// 16-colour indexed images level 9 gave files 2-6 % smaller for 6-7 times the deflate time, level 1
// files 6-19 % larger for a saving of 0.1-0.5 s.
#include "png.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include <libdeflate.h>

namespace core {
namespace {

constexpr int kDeflateLevel = 6;

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

/// The zlib stream of raw (libdeflate, kDeflateLevel).
std::vector<uint8_t> zlib_compress(const std::vector<uint8_t>& raw)
{
    std::unique_ptr<libdeflate_compressor, void (*)(libdeflate_compressor*)> compressor(
        libdeflate_alloc_compressor(kDeflateLevel), libdeflate_free_compressor);
    if (!compressor) {
        return {};
    }
    std::vector<uint8_t> out(libdeflate_zlib_compress_bound(compressor.get(), raw.size()));
    const size_t size = libdeflate_zlib_compress(compressor.get(), raw.data(), raw.size(),
                                                 out.data(), out.size());
    out.resize(size);
    return out;
}

/// Signature, IHDR, the extra chunks, IDAT, IEND. raw: the filtered rows, each with its filter
/// type byte first.
std::vector<uint8_t> png_file(int width, int height, int bit_depth, int colour_type,
                              const std::vector<uint8_t>& raw,
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
    ihdr.push_back(0); // adaptive filtering, a filter type per row
    ihdr.push_back(0); // no interlace
    put_chunk(out, "IHDR", ihdr.data(), ihdr.size());
    for (const auto& [type, data] : extra) {
        put_chunk(out, type, data.data(), data.size());
    }
    const std::vector<uint8_t> z = zlib_compress(raw);
    put_chunk(out, "IDAT", z.data(), z.size());
    put_chunk(out, "IEND", nullptr, 0);
    return out;
}

/// Row of filter type `type` into out (row_bytes), bpp bytes per pixel; prev is the row above
/// (zeros for the first row). One loop per type, without branches inside, so that the compiler
/// vectorises them. Returns the sum of the output's magnitudes as signed bytes.
uint64_t filter_row(int type, const uint8_t* row, const uint8_t* prev, size_t row_bytes, size_t bpp,
                    uint8_t* out)
{
    const size_t lead = std::min(bpp, row_bytes);
    switch (type) {
    case 0:
        std::copy(row, row + row_bytes, out);
        break;
    case 1:
        std::copy(row, row + lead, out);
        for (size_t i = lead; i < row_bytes; ++i) {
            out[i] = static_cast<uint8_t>(row[i] - row[i - bpp]);
        }
        break;
    case 2:
        for (size_t i = 0; i < row_bytes; ++i) {
            out[i] = static_cast<uint8_t>(row[i] - prev[i]);
        }
        break;
    case 3:
        for (size_t i = 0; i < lead; ++i) {
            out[i] = static_cast<uint8_t>(row[i] - (prev[i] >> 1));
        }
        for (size_t i = lead; i < row_bytes; ++i) {
            out[i] = static_cast<uint8_t>(row[i] - ((row[i - bpp] + prev[i]) >> 1));
        }
        break;
    default:
        // Paeth: with a = left, b = up, c = up-left, p = a + b - c, |p - a| = |b - c| and so on.
        for (size_t i = 0; i < lead; ++i) {
            out[i] = static_cast<uint8_t>(row[i] - prev[i]);
        }
        for (size_t i = lead; i < row_bytes; ++i) {
            const int a = row[i - bpp];
            const int b = prev[i];
            const int c = prev[i - bpp];
            const int pa = std::abs(b - c);
            const int pb = std::abs(a - c);
            const int pc = std::abs(a + b - 2 * c);
            const int predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            out[i] = static_cast<uint8_t>(row[i] - predictor);
        }
        break;
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < row_bytes; ++i) {
        const int v = static_cast<int8_t>(out[i]);
        sum += static_cast<uint64_t>(v < 0 ? -v : v);
    }
    return sum;
}

/// Every row filtered with the type that minimises the sum of absolute differences.
/// pixels: height rows of row_bytes.
std::vector<uint8_t> filter_rows(const uint8_t* pixels, size_t row_bytes, int height, size_t bpp)
{
    std::vector<uint8_t> raw((row_bytes + 1) * static_cast<size_t>(height));
    const std::vector<uint8_t> zeros(row_bytes, 0);
    std::vector<uint8_t> trial(row_bytes);
    for (int y = 0; y < height; ++y) {
        const uint8_t* row = pixels + static_cast<size_t>(y) * row_bytes;
        const uint8_t* prev = y > 0 ? row - row_bytes : zeros.data();
        uint8_t* dst = raw.data() + static_cast<size_t>(y) * (row_bytes + 1);
        uint64_t best = UINT64_MAX;
        for (int type = 0; type < 5; ++type) {
            const uint64_t sum = filter_row(type, row, prev, row_bytes, bpp, trial.data());
            if (sum < best) {
                best = sum;
                dst[0] = static_cast<uint8_t>(type);
                std::copy(trial.begin(), trial.end(), dst + 1);
            }
        }
    }
    return raw;
}

} // namespace

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc)
{
    return libdeflate_crc32(crc, data, size);
}

std::vector<uint8_t> encode_png(const uint8_t* pixels, int width, int height, int channels)
{
    static const int kColourType[5] = {0, 0, 4, 2, 6};
    const size_t row_bytes = static_cast<size_t>(width) * static_cast<size_t>(channels);
    return png_file(width, height, 8, kColourType[channels],
                    filter_rows(pixels, row_bytes, height, static_cast<size_t>(channels)), {});
}

namespace {

/// encode_png_indexed for 8- or 16-bit indices (a label map is 16-bit: no 8-bit copy of it).
template <class Index>
std::vector<uint8_t> indexed_png(const Index* indices, int width, int height, const uint8_t* palette,
                                 const uint8_t* alpha, int colours)
{
    // Palette order: under filter none deflate sees the same matches and symbol counts whatever
    // the order, so the only order that pays is the one that shortens tRNS: entries that are not
    // opaque go first, and tRNS stops after the last of them.
    std::vector<int> order(static_cast<size_t>(colours));
    for (int c = 0; c < colours; ++c) {
        order[c] = c;
    }
    if (alpha != nullptr) {
        std::stable_partition(order.begin(), order.end(), [&](int c) { return alpha[c] != 255; });
    }
    std::vector<uint8_t> position(256, 0);
    std::vector<uint8_t> plte;
    std::vector<uint8_t> trns;
    for (int at = 0; at < colours; ++at) {
        const int c = order[at];
        position[c] = static_cast<uint8_t>(at);
        plte.insert(plte.end(), palette + 3 * c, palette + 3 * c + 3);
        if (alpha != nullptr && alpha[c] != 255) {
            trns.push_back(alpha[c]);
        }
    }
    // The smallest bit depth that holds every index: 1, 2, 4 or 8 bits, pixels packed from the
    // high bits down as PNG says.
    const int depth = colours <= 2 ? 1 : colours <= 4 ? 2 : colours <= 16 ? 4 : 8;
    const int per_byte = 8 / depth;
    const size_t row_bytes = (static_cast<size_t>(width) * depth + 7) / 8;
    std::vector<uint8_t> raw((row_bytes + 1) * static_cast<size_t>(height), 0);
    for (int y = 0; y < height; ++y) {
        const Index* src = indices + static_cast<size_t>(y) * width;
        uint8_t* dst = raw.data() + static_cast<size_t>(y) * (row_bytes + 1) + 1; // filter none
        if (depth == 8) {
            for (int x = 0; x < width; ++x) {
                dst[x] = position[src[x]];
            }
            continue;
        }
        for (size_t at = 0; at < row_bytes; ++at) {
            const int first = static_cast<int>(at) * per_byte;
            unsigned packed = 0;
            for (int j = 0; j < per_byte; ++j) {
                packed = packed << depth | (first + j < width ? position[src[first + j]] : 0u);
            }
            dst[at] = static_cast<uint8_t>(packed);
        }
    }
    std::vector<std::pair<const char*, std::vector<uint8_t>>> extra;
    extra.emplace_back("PLTE", std::move(plte));
    if (!trns.empty()) {
        extra.emplace_back("tRNS", std::move(trns));
    }
    return png_file(width, height, depth, 3, raw, extra);
}

} // namespace

std::vector<uint8_t> encode_png_indexed(const uint8_t* indices, int width, int height,
                                        const uint8_t* palette, const uint8_t* alpha, int colours)
{
    return indexed_png(indices, width, height, palette, alpha, colours);
}

std::vector<uint8_t> encode_png_indexed(const uint16_t* indices, int width, int height,
                                        const uint8_t* palette, const uint8_t* alpha, int colours)
{
    return indexed_png(indices, width, height, palette, alpha, colours);
}

std::vector<uint8_t> encode_png_grey(const uint16_t* values, int width, int height, int bit_depth)
{
    const size_t bytes = bit_depth == 16 ? 2 : 1;
    const size_t row_bytes = static_cast<size_t>(width) * bytes;
    std::vector<uint8_t> samples(row_bytes * static_cast<size_t>(height));
    for (size_t i = 0; i < static_cast<size_t>(width) * static_cast<size_t>(height); ++i) {
        if (bytes == 2) {
            samples[2 * i] = static_cast<uint8_t>(values[i] >> 8);
            samples[2 * i + 1] = static_cast<uint8_t>(values[i] & 0xFF);
        } else {
            samples[i] = static_cast<uint8_t>(values[i]);
        }
    }
    return png_file(width, height, bit_depth == 16 ? 16 : 8, 0,
                    filter_rows(samples.data(), row_bytes, height, bytes), {});
}

} // namespace core
