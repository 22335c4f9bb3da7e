// TIFF through libtiff (Debian's library natively), read from memory through its client I/O
// callbacks, with its messages kept for the user instead of printed. Grey and RGB images of 8 or
// 16 bits a sample in strips are read row by row here, so alpha stays exact (libtiff's RGBA
// reader premultiplies it); everything else goes through that reader, un-premultiplied after.
#include "decode_codec.h"

#include <algorithm>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

#include <tiffio.h>

namespace core {
namespace {

/// Largest single allocation libtiff may make for a file (strip buffers, tag arrays).
constexpr tmsize_t kMaxAlloc = tmsize_t{256} << 20;

using Tiff = std::unique_ptr<TIFF, void (*)(TIFF*)>;

struct Source {
    const uint8_t* data;
    toff_t size;
    toff_t at;
    char error[256];
};

tmsize_t read_proc(thandle_t h, void* buf, tmsize_t n)
{
    auto* s = static_cast<Source*>(h);
    const toff_t left = s->at < s->size ? s->size - s->at : 0;
    const toff_t take = std::min<toff_t>(left, static_cast<toff_t>(n));
    std::memcpy(buf, s->data + s->at, take);
    s->at += take;
    return static_cast<tmsize_t>(take);
}

tmsize_t write_proc(thandle_t, void*, tmsize_t) { return 0; }

toff_t seek_proc(thandle_t h, toff_t off, int whence)
{
    auto* s = static_cast<Source*>(h);
    const toff_t base = whence == SEEK_CUR ? s->at : whence == SEEK_END ? s->size : 0;
    s->at = base + off;
    return s->at;
}

int close_proc(thandle_t) { return 0; }
toff_t size_proc(thandle_t h) { return static_cast<Source*>(h)->size; }
int map_proc(thandle_t, void**, toff_t*) { return 0; }
void unmap_proc(thandle_t, void*, toff_t) {}

int on_error(TIFF*, void* user, const char*, const char* fmt, va_list ap)
{
    auto* s = static_cast<Source*>(user);
    if (s->error[0] == 0) {
        std::vsnprintf(s->error, sizeof s->error, fmt, ap);
    }
    return 1;
}

int on_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

uint8_t to8(uint16_t v) { return static_cast<uint8_t>((v * 255u + 32767u) / 65535u); }

/// Grey or RGB, with or without one extra (alpha) sample, 8 or 16 bits, in strips and one plane:
/// row by row, alpha as stored (associated alpha is un-premultiplied by the caller).
bool read_rows(TIFF* tif, int spp, int bits, bool grey_inverted, CodecDecode& out)
{
    Image& img = out.image;
    std::vector<uint8_t> row(static_cast<size_t>(TIFFScanlineSize(tif)));
    const size_t need = static_cast<size_t>(img.width) * spp * (bits / 8);
    if (row.size() < need) {
        return false;
    }
    const bool colour = spp >= 3;
    const bool alpha = spp == 2 || spp == 4;
    for (int y = 0; y < img.height; ++y) {
        if (TIFFReadScanline(tif, row.data(), static_cast<uint32_t>(y), 0) < 0) {
            return false;
        }
        uint8_t* o = img.rgba.data() + static_cast<size_t>(y) * img.width * 4;
        for (int x = 0; x < img.width; ++x, o += 4) {
            uint8_t s[4] = {0, 0, 0, 255};
            for (int c = 0; c < spp; ++c) {
                const size_t i = static_cast<size_t>(x) * spp + c;
                if (bits == 8) {
                    s[c] = row[i];
                } else {
                    uint16_t v = 0;
                    std::memcpy(&v, row.data() + 2 * i, 2); // libtiff gives native byte order
                    s[c] = to8(v);
                }
            }
            if (!colour) {
                const uint8_t g = grey_inverted ? static_cast<uint8_t>(255 - s[0]) : s[0];
                s[3] = alpha ? s[1] : 255;
                s[0] = s[1] = s[2] = g;
            } else if (!alpha) {
                s[3] = 255;
            }
            std::memcpy(o, s, 4);
        }
    }
    return true;
}

void unpremultiply(Image& img)
{
    for (size_t i = 0; i < img.rgba.size(); i += 4) {
        const unsigned a = img.rgba[i + 3];
        if (a != 0 && a != 255) {
            for (int c = 0; c < 3; ++c) {
                img.rgba[i + c] = static_cast<uint8_t>(std::min(255u, (img.rgba[i + c] * 255u + a / 2) / a));
            }
        }
    }
}

/// libtiff's RGBA reader, rows in stored order (requesting the file's own orientation makes it
/// flip nothing: decode_image applies the orientation, as for every format).
bool read_rgba(TIFF* tif, uint16_t orientation, CodecDecode& out)
{
    char why[1024] = "";
    TIFFRGBAImage reader;
    if (!TIFFRGBAImageOK(tif, why) || !TIFFRGBAImageBegin(&reader, tif, 0, why)) {
        auto* src = static_cast<Source*>(TIFFClientdata(tif));
        std::snprintf(src->error, sizeof src->error, "%s", why);
        return false;
    }
    reader.req_orientation = orientation;
    Image& img = out.image;
    std::vector<uint32_t> px(img.pixels());
    const int ok = TIFFRGBAImageGet(&reader, px.data(), static_cast<uint32_t>(img.width),
                                    static_cast<uint32_t>(img.height));
    TIFFRGBAImageEnd(&reader);
    if (!ok) {
        return false;
    }
    for (size_t i = 0; i < px.size(); ++i) {
        img.rgba[4 * i + 0] = static_cast<uint8_t>(TIFFGetR(px[i]));
        img.rgba[4 * i + 1] = static_cast<uint8_t>(TIFFGetG(px[i]));
        img.rgba[4 * i + 2] = static_cast<uint8_t>(TIFFGetB(px[i]));
        img.rgba[4 * i + 3] = static_cast<uint8_t>(TIFFGetA(px[i]));
    }
    unpremultiply(img);
    return true;
}

/// The TIFF opened from memory (its first directory read), with libtiff's allocation limit and its
/// messages kept in src; nullptr when it cannot be opened.
Tiff open_tiff(Source& src)
{
    std::unique_ptr<TIFFOpenOptions, void (*)(TIFFOpenOptions*)> opts(TIFFOpenOptionsAlloc(), TIFFOpenOptionsFree);
    TIFFOpenOptionsSetMaxSingleMemAlloc(opts.get(), kMaxAlloc);
    TIFFOpenOptionsSetErrorHandlerExtR(opts.get(), on_error, &src);
    TIFFOpenOptionsSetWarningHandlerExtR(opts.get(), on_warning, &src);
    // "rm": read only, never memory-map (there is no file to map).
    return Tiff(TIFFClientOpenExt("image.tiff", "rm", &src, read_proc, write_proc, seek_proc, close_proc, size_proc,
                                  map_proc, unmap_proc, opts.get()),
                TIFFClose);
}

std::string damaged(const Source& src, const char* what)
{
    return std::string("The tiff file is ") + what + " (" + (src.error[0] ? src.error : "no details") + ").";
}

} // namespace

bool tiff_info(const uint8_t* data, size_t size, CodecInfo& out)
{
    Source src{data, static_cast<toff_t>(size), 0, ""};
    const Tiff tif = open_tiff(src);
    if (!tif) {
        out.error = damaged(src, "damaged or unsupported");
        return false;
    }
    uint32_t w = 0;
    uint32_t h = 0;
    uint16_t orientation = ORIENTATION_TOPLEFT;
    TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_ORIENTATION, &orientation);
    if (w == 0 || h == 0 || w > INT32_MAX || h > INT32_MAX) {
        out.error = "The tiff file's size is out of range.";
        return false;
    }
    out.width = static_cast<int>(w);
    out.height = static_cast<int>(h);
    out.orientation = orientation >= 1 && orientation <= 8 ? orientation : 0;
    return true;
}

bool decode_tiff(const uint8_t* data, size_t size, size_t max_pixels, CodecDecode& out)
{
    Source src{data, static_cast<toff_t>(size), 0, ""};
    const Tiff tif = open_tiff(src);
    auto fail = [&](const char* what) {
        out.error = damaged(src, what);
        out.image = Image{};
        return false;
    };
    if (!tif) {
        return fail("damaged or unsupported");
    }
    uint32_t w = 0;
    uint32_t h = 0;
    TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
    if (w == 0 || h == 0 || static_cast<uint64_t>(w) * h > max_pixels) {
        out.error = "The tiff file's size is out of range.";
        return false;
    }
    uint16_t spp = 1, bits = 1, photometric = 0, planar = PLANARCONFIG_CONTIG, orientation = ORIENTATION_TOPLEFT;
    uint16_t extra_count = 0;
    uint16_t* extra = nullptr;
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_ORIENTATION, &orientation);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
    TIFFGetField(tif.get(), TIFFTAG_PHOTOMETRIC, &photometric);
    uint32_t icc_size = 0;
    void* icc = nullptr;
    if (TIFFGetField(tif.get(), TIFFTAG_ICCPROFILE, &icc_size, &icc) && icc != nullptr && icc_size > 0) {
        out.icc.assign(static_cast<uint8_t*>(icc), static_cast<uint8_t*>(icc) + icc_size);
    }
    out.orientation = orientation >= 1 && orientation <= 8 ? orientation : 0;
    out.frames = TIFFNumberOfDirectories(tif.get());
    if (out.frames > 1) {
        out.note = "TIFF: first of " + std::to_string(out.frames) + " images used";
    }
    out.image.width = static_cast<int>(w);
    out.image.height = static_cast<int>(h);
    out.image.rgba.assign(out.image.pixels() * 4, 0);
    const bool grey = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
    const bool simple = !TIFFIsTiled(tif.get()) && planar == PLANARCONFIG_CONTIG && (bits == 8 || bits == 16) &&
        ((grey && (spp == 1 || spp == 2)) || (photometric == PHOTOMETRIC_RGB && (spp == 3 || spp == 4))) &&
        extra_count == ((spp == 2 || spp == 4) ? 1 : 0);
    if (simple) {
        if (!read_rows(tif.get(), spp, bits, photometric == PHOTOMETRIC_MINISWHITE, out)) {
            return fail(src.error[0] ? "damaged" : "cut short");
        }
        if (extra_count == 1 && extra[0] == EXTRASAMPLE_ASSOCALPHA) {
            unpremultiply(out.image);
        }
    } else if (!read_rgba(tif.get(), orientation, out)) {
        return fail("damaged or unsupported");
    }
    return true;
}

} // namespace core
