// libspng's one-call decode into RGBA8. Its chunk limits keep a small file from asking for
// gigabytes of ancillary chunks; the image size was checked against the pixel limit before.
#include "decode_png.h"

#include <memory>

#include <spng.h>

namespace core {
namespace {

/// Largest chunk, and largest total of ancillary chunks kept, that a PNG may hold.
constexpr size_t kMaxChunkBytes = size_t{64} << 20;

std::string damaged(int code)
{
    return std::string("The png file is damaged or unsupported (") + spng_strerror(code) + ").";
}

} // namespace

bool decode_png(const uint8_t* data, size_t size, size_t max_pixels, Image& out, std::string& error)
{
    std::unique_ptr<spng_ctx, void (*)(spng_ctx*)> ctx(spng_ctx_new(SPNG_CTX_IGNORE_ADLER32), spng_ctx_free);
    if (!ctx) {
        error = "Out of memory while reading the png file.";
        return false;
    }
    spng_set_crc_action(ctx.get(), SPNG_CRC_USE, SPNG_CRC_USE);
    spng_set_chunk_limits(ctx.get(), kMaxChunkBytes, kMaxChunkBytes);
    int rc = spng_set_png_buffer(ctx.get(), data, size);
    spng_ihdr ihdr{};
    if (rc == 0) {
        rc = spng_get_ihdr(ctx.get(), &ihdr);
    }
    if (rc != 0) {
        error = damaged(rc);
        return false;
    }
    const size_t w = ihdr.width;
    const size_t h = ihdr.height;
    if (w == 0 || h == 0 || w * h > max_pixels) {
        error = "The png file's size is out of range.";
        return false;
    }
    size_t bytes = 0;
    rc = spng_decoded_image_size(ctx.get(), SPNG_FMT_RGBA8, &bytes);
    if (rc != 0 || bytes != w * h * 4) {
        error = damaged(rc);
        return false;
    }
    out.width = static_cast<int>(w);
    out.height = static_cast<int>(h);
    out.rgba.assign(bytes, 0);
    rc = spng_decode_image(ctx.get(), out.rgba.data(), bytes, SPNG_FMT_RGBA8, SPNG_DECODE_TRNS);
    if (rc != 0) {
        error = damaged(rc);
        out = Image{};
        return false;
    }
    return true;
}

} // namespace core
