// Encoders for the exports: the PNG container (chunks and CRC written here, deflate borrowed from
// stb_image_write), the GIF89a container with its variable-width LZW, and palette texts.
#include "export.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "stats.h"

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

void put_u16_le(std::vector<uint8_t>& out, int v)
{
    out.push_back(static_cast<uint8_t>(v & 0xFF));
    out.push_back(static_cast<uint8_t>((v >> 8) & 0xFF));
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

std::string hex_colour(const uint8_t* c)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c[0], c[1], c[2]);
    return buf;
}

std::string percent(double share)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * share);
    return buf;
}

/// Writes variable-width codes least significant bit first into 255-byte GIF sub-blocks.
class CodeWriter {
public:
    explicit CodeWriter(std::vector<uint8_t>& out) : m_out(out) {}

    void put(int code, int bits)
    {
        m_bits |= static_cast<uint32_t>(code) << m_count;
        m_count += bits;
        while (m_count >= 8) {
            byte(static_cast<uint8_t>(m_bits & 0xFF));
            m_bits >>= 8;
            m_count -= 8;
        }
    }

    void finish()
    {
        if (m_count > 0) {
            byte(static_cast<uint8_t>(m_bits & 0xFF));
        }
        flush_block();
        m_out.push_back(0); // block terminator
    }

private:
    void byte(uint8_t b)
    {
        m_block.push_back(b);
        if (m_block.size() == 255) {
            flush_block();
        }
    }

    void flush_block()
    {
        if (!m_block.empty()) {
            m_out.push_back(static_cast<uint8_t>(m_block.size()));
            m_out.insert(m_out.end(), m_block.begin(), m_block.end());
            m_block.clear();
        }
    }

    std::vector<uint8_t>& m_out;
    std::vector<uint8_t> m_block;
    uint32_t m_bits = 0;
    int m_count = 0;
};

/// GIF's LZW: codes grow from min_code_size + 1 to 12 bits; when all 4096 codes are taken a clear
/// code starts a fresh table. The table is a trie stored as first-child / next-sibling links, so
/// clearing it costs nothing beyond resetting the roots.
void lzw_encode(const std::vector<uint8_t>& indices, int min_code_size, std::vector<uint8_t>& out)
{
    constexpr int kMaxCodes = 4096;
    const int clear = 1 << min_code_size;
    const int end_of_info = clear + 1;
    std::vector<int16_t> first_child(kMaxCodes, -1);
    std::vector<int16_t> next_sibling(kMaxCodes, -1);
    std::vector<uint8_t> suffix(kMaxCodes, 0);
    int next_code = clear + 2;
    int code_size = min_code_size + 1;

    out.push_back(static_cast<uint8_t>(min_code_size));
    CodeWriter writer(out);
    writer.put(clear, code_size);
    if (indices.empty()) {
        writer.put(end_of_info, code_size);
        writer.finish();
        return;
    }
    int prefix = indices[0];
    for (size_t i = 1; i < indices.size(); ++i) {
        const uint8_t c = indices[i];
        int child = first_child[prefix];
        while (child >= 0 && suffix[child] != c) {
            child = next_sibling[child];
        }
        if (child >= 0) {
            prefix = child;
            continue;
        }
        writer.put(prefix, code_size);
        if (next_code < kMaxCodes) {
            // The decoder adds this entry one code later, and widens its codes as soon as its
            // next free code reaches 1 << code_size: widen at the same point.
            if (next_code == (1 << code_size) && code_size < 12) {
                ++code_size;
            }
            suffix[next_code] = c;
            first_child[next_code] = -1;
            next_sibling[next_code] = first_child[prefix];
            first_child[prefix] = static_cast<int16_t>(next_code);
            ++next_code;
        } else {
            writer.put(clear, code_size);
            std::fill(first_child.begin(), first_child.begin() + clear, int16_t{-1});
            next_code = clear + 2;
            code_size = min_code_size + 1;
        }
        prefix = c;
    }
    writer.put(prefix, code_size);
    if (next_code < kMaxCodes && next_code == (1 << code_size) && code_size < 12) {
        ++code_size;
    }
    writer.put(end_of_info, code_size);
    writer.finish();
}

/// Smallest n >= 1 with 2^n >= colours: GIF colour tables hold 2^n entries.
int table_bits(size_t colours)
{
    int bits = 1;
    while ((size_t{1} << bits) < colours) {
        ++bits;
    }
    return bits;
}

void put_colour_table(std::vector<uint8_t>& out, const std::vector<uint8_t>& palette, int bits)
{
    std::vector<uint8_t> table(size_t{3} << bits, 0);
    std::copy(palette.begin(), palette.end(), table.begin());
    out.insert(out.end(), table.begin(), table.end());
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

std::vector<uint8_t> encode_label_map(const ClusterResult& result)
{
    return encode_png_grey(result.labels.data(), result.width, result.height,
                           result.k <= 256 ? 8 : 16);
}

GifEncoder::GifEncoder(int width, int height, const std::vector<uint8_t>& global_palette)
    : m_out{'G', 'I', 'F', '8', '9', 'a'}, m_global(global_palette), m_width(width), m_height(height)
{
    if (m_global.empty()) {
        m_global = {0, 0, 0};
    }
    put_u16_le(m_out, width);
    put_u16_le(m_out, height);
    m_global_bits = table_bits(m_global.size() / 3);
    m_out.push_back(static_cast<uint8_t>(0x80 | 0x70 | (m_global_bits - 1))); // table, 8-bit colour
    m_out.push_back(0); // background colour index
    m_out.push_back(0); // no aspect ratio
    put_colour_table(m_out, m_global, m_global_bits);

    // NETSCAPE2.0 application extension: loop count 0 = forever.
    const uint8_t loop[] = {0x21, 0xFF, 11, 'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0',
                            3, 1, 0, 0, 0};
    m_out.insert(m_out.end(), loop, loop + sizeof loop);
}

void GifEncoder::add_frame(const GifFrame& f)
{
    // Graphic control extension: delay, transparency; a frame with transparent pixels is cleared
    // to the background before the next one (disposal 2), so that nothing shows through.
    const bool transparent = f.transparent >= 0;
    m_out.push_back(0x21);
    m_out.push_back(0xF9);
    m_out.push_back(4);
    m_out.push_back(static_cast<uint8_t>((transparent ? 2 : 1) << 2 | (transparent ? 1 : 0)));
    put_u16_le(m_out, std::clamp(f.delay_cs, 0, 65535));
    m_out.push_back(static_cast<uint8_t>(transparent ? f.transparent : 0));
    m_out.push_back(0);

    m_out.push_back(0x2C); // image descriptor
    put_u16_le(m_out, 0);
    put_u16_le(m_out, 0);
    put_u16_le(m_out, m_width);
    put_u16_le(m_out, m_height);
    const bool local = f.palette != m_global;
    const int bits = local ? table_bits(f.palette.size() / 3) : m_global_bits;
    m_out.push_back(static_cast<uint8_t>(local ? 0x80 | (bits - 1) : 0));
    if (local) {
        put_colour_table(m_out, f.palette, bits);
    }
    lzw_encode(f.indices, std::max(2, bits), m_out);
}

std::vector<uint8_t> GifEncoder::finish()
{
    m_out.push_back(0x3B); // trailer
    return std::move(m_out);
}

std::vector<uint8_t> encode_gif(const std::vector<GifFrame>& frames, int width, int height)
{
    GifEncoder gif(width, height, frames.empty() ? std::vector<uint8_t>{} : frames[0].palette);
    for (const GifFrame& f : frames) {
        gif.add_frame(f);
    }
    return gif.finish();
}

std::string file_extension(const std::string& path)
{
    const size_t dot = path.find_last_of('.');
    const size_t slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return "";
    }
    std::string ext = path.substr(dot + 1);
    for (char& c : ext) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return ext;
}

bool palette_format_from_path(const std::string& path, PaletteFormat& format)
{
    const std::string ext = file_extension(path);
    if (ext == "gpl") {
        format = PaletteFormat::gpl;
    } else if (ext == "json") {
        format = PaletteFormat::json;
    } else if (ext == "css") {
        format = PaletteFormat::css;
    } else if (ext == "txt") {
        format = PaletteFormat::txt;
    } else {
        return false;
    }
    return true;
}

std::string palette_text(const ClusterResult& result, PaletteFormat format, const std::string& name)
{
    std::string s;
    char buf[64];
    switch (format) {
    case PaletteFormat::gpl:
        s = "GIMP Palette\nName: " + name + "\nColumns: 8\n# kpix, largest share first\n";
        for (int c = 0; c < result.k; ++c) {
            const uint8_t* p = result.palette.data() + 3 * c;
            std::snprintf(buf, sizeof buf, "%3d %3d %3d\t", p[0], p[1], p[2]);
            s += buf + hex_colour(p) + " " + percent(result.shares[c]) + "\n";
        }
        break;
    case PaletteFormat::json:
        s = "{\"name\":" + json_string(name) + ",\"colours\":[";
        for (int c = 0; c < result.k; ++c) {
            const uint8_t* p = result.palette.data() + 3 * c;
            std::snprintf(buf, sizeof buf, "[%d,%d,%d]", p[0], p[1], p[2]);
            s += std::string(c > 0 ? ",\n" : "\n") + "{\"hex\":\"" + hex_colour(p) +
                 "\",\"rgb\":" + buf + ",\"share\":" + json_number(result.shares[c]) + "}";
        }
        s += "\n]}\n";
        break;
    case PaletteFormat::css:
        s = "/* kpix palette of " + name + ", largest share first */\n:root {\n";
        for (int c = 0; c < result.k; ++c) {
            s += "  --kpix-" + std::to_string(c + 1) + ": " +
                 hex_colour(result.palette.data() + 3 * c) + "; /* " +
                 percent(result.shares[c]) + " */\n";
        }
        s += "}\n";
        break;
    case PaletteFormat::txt:
        for (int c = 0; c < result.k; ++c) {
            s += hex_colour(result.palette.data() + 3 * c) + " " + percent(result.shares[c]) + "\n";
        }
        break;
    }
    return s;
}

} // namespace core
