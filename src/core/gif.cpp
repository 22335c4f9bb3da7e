// The GIF89a container (screen descriptor, colour tables, NETSCAPE2.0 loop, graphic control) and
// its variable-width LZW, which GIF needs and no Debian library we use provides for writing.
#include "gif.h"

#include <algorithm>

namespace core {
namespace {

void put_u16_le(std::vector<uint8_t>& out, int v)
{
    out.push_back(static_cast<uint8_t>(v & 0xFF));
    out.push_back(static_cast<uint8_t>((v >> 8) & 0xFF));
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

} // namespace core
