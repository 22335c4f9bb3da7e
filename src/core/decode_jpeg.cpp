// libjpeg-turbo through its libjpeg API. Errors come back through setjmp/longjmp, as libjpeg
// requires of a caller that must not exit: each step that calls into the library is its own small
// function that sets the jump point and holds nothing with a destructor, and the decompressor is
// destroyed by its owner on every path. Two guards keep hostile files cheap: a limit on the
// number of progressive scans, and "premature end of file" is an error unless only the last row
// group is missing (a file without its final EOI marker still opens).
#include "decode_jpeg.h"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

#include <jpeglib.h>
#include <jerror.h>

namespace core {
namespace {

/// Each scan of a progressive JPEG is a pass over the whole image, so a small file with thousands
/// of scans costs minutes. Encoders write about ten; libjpeg-turbo's TurboJPEG API offers the
/// same kind of limit for the same reason.
constexpr int kMaxScans = 500;

struct ErrorManager {
    jpeg_error_mgr pub; // first, so libjpeg's jpeg_error_mgr* is also ours
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    char first_warning[JMSG_LENGTH_MAX];
    long warnings;
    int bad_precision;  // the sample precision of a JPEG refused for it (12), else 0
    bool reading_rows;  // jpeg_read_scanlines has started
    bool cut_short;     // the data ended before the picture did
};

struct Decompressor {
    jpeg_decompress_struct cinfo{};
    ErrorManager err{};
    jpeg_progress_mgr progress{};
    ~Decompressor() { jpeg_destroy_decompress(&cinfo); } // safe on a zeroed or half-made struct
};

ErrorManager& error_manager(j_common_ptr c)
{
    return *reinterpret_cast<ErrorManager*>(c->err);
}

[[noreturn]] void on_error(j_common_ptr c)
{
    ErrorManager& e = error_manager(c);
    (*c->err->format_message)(c, e.message);
    if (c->err->msg_code == JERR_BAD_PRECISION) {
        e.bad_precision = c->err->msg_parm.i[0];
    }
    std::longjmp(e.jump, 1);
}

void on_message(j_common_ptr c, int level)
{
    if (level >= 0) {
        return; // trace messages
    }
    ErrorManager& e = error_manager(c);
    if (e.warnings++ == 0) {
        (*c->err->format_message)(c, e.first_warning);
    }
    if (c->err->msg_code != JWRN_JPEG_EOF || !c->is_decompressor) {
        return;
    }
    // The data ran out. Missing only the last row group (typically just the EOI marker) is
    // harmless; anything more would show a grey or blurred picture as if it were the photo.
    const auto* d = reinterpret_cast<j_decompress_ptr>(c);
    const JDIMENSION group = static_cast<JDIMENSION>(d->max_v_samp_factor * d->min_DCT_scaled_size);
    if (!e.reading_rows || d->output_scanline + group < d->output_height) {
        e.cut_short = true;
        std::snprintf(e.message, sizeof e.message, "the file ends before the picture does");
        std::longjmp(e.jump, 1);
    }
}

void on_progress(j_common_ptr c)
{
    const auto* d = reinterpret_cast<j_decompress_ptr>(c);
    if (d->input_scan_number > kMaxScans) {
        ErrorManager& e = error_manager(c);
        std::snprintf(e.message, sizeof e.message, "over %d progressive scans", kMaxScans);
        std::longjmp(e.jump, 1);
    }
}

bool read_header(Decompressor& d, const uint8_t* data, size_t size, size_t min_pixels)
{
    jpeg_decompress_struct& cinfo = d.cinfo;
    cinfo.err = jpeg_std_error(&d.err.pub);
    d.err.pub.error_exit = on_error;
    d.err.pub.emit_message = on_message;
    if (setjmp(d.err.jump)) {
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
    jpeg_read_header(&cinfo, TRUE);
    d.progress.progress_monitor = on_progress;
    cinfo.progress = &d.progress;
    const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
    // The accurate integer IDCT (libjpeg-turbo's default, said here because the pixels must not
    // depend on the build: its SIMD and C versions give the same results).
    cinfo.dct_method = JDCT_ISLOW;
    cinfo.scale_num = 1;
    cinfo.scale_denom = static_cast<unsigned int>(jpeg_scale_for(cinfo.image_width, cinfo.image_height, min_pixels));
    jpeg_calc_output_dimensions(&cinfo);
    return true;
}

bool read_pixels(Decompressor& d, uint8_t* out, size_t row_bytes)
{
    jpeg_decompress_struct& cinfo = d.cinfo;
    if (setjmp(d.err.jump)) {
        return false;
    }
    jpeg_start_decompress(&cinfo);
    d.err.reading_rows = true;
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW rows[16];
        const JDIMENSION n = std::min<JDIMENSION>(16, cinfo.output_height - cinfo.output_scanline);
        for (JDIMENSION i = 0; i < n; ++i) {
            rows[i] = out + (cinfo.output_scanline + i) * row_bytes;
        }
        jpeg_read_scanlines(&cinfo, rows, n);
    }
    // No jpeg_finish_decompress: it would only read on to the EOI marker, which is allowed to be
    // missing.
    return true;
}

/// Adobe's inverted CMYK to RGB, as stb_image does it: each channel times K / 255.
void cmyk_to_rgba(uint8_t* p, size_t pixels)
{
    auto mul = [](unsigned x, unsigned y) {
        const unsigned t = x * y + 128;
        return static_cast<uint8_t>((t + (t >> 8)) >> 8);
    };
    for (size_t i = 0; i < pixels; ++i, p += 4) {
        const unsigned k = p[3];
        p[0] = mul(p[0], k);
        p[1] = mul(p[1], k);
        p[2] = mul(p[2], k);
        p[3] = 255;
    }
}

} // namespace

int jpeg_scale_for(size_t w, size_t h, size_t min_pixels)
{
    for (int d : {8, 4, 2}) {
        const size_t sw = (w + static_cast<size_t>(d) - 1) / static_cast<size_t>(d);
        const size_t sh = (h + static_cast<size_t>(d) - 1) / static_cast<size_t>(d);
        if (min_pixels > 0 && sw * sh >= min_pixels) {
            return d;
        }
    }
    return 1;
}

bool decode_jpeg(const uint8_t* data, size_t size, size_t min_pixels, size_t max_pixels, JpegDecode& out)
{
    Decompressor d;
    if (!read_header(d, data, size, min_pixels)) {
        if (d.err.bad_precision != 0 && d.err.bad_precision != 8) {
            out.error = "This is a " + std::to_string(d.err.bad_precision) +
                "-bit JPEG, which kpix cannot decode; it reads 8-bit JPEGs (what cameras and phones write).";
        } else {
            out.error = std::string("The jpeg file is damaged or unsupported (") + d.err.message + ").";
        }
        return false;
    }
    const size_t w = d.cinfo.output_width;
    const size_t h = d.cinfo.output_height;
    const size_t full = static_cast<size_t>(d.cinfo.image_width) * d.cinfo.image_height;
    if (w == 0 || h == 0 || full > max_pixels || d.cinfo.output_components != 4) {
        out.error = "The jpeg file's size is out of range.";
        return false;
    }
    out.scale_denom = static_cast<int>(d.cinfo.scale_denom);
    out.full_width = static_cast<int>(d.cinfo.image_width);
    out.full_height = static_cast<int>(d.cinfo.image_height);
    Image& img = out.image;
    img.width = static_cast<int>(w);
    img.height = static_cast<int>(h);
    img.rgba.assign(w * h * 4, 0);
    if (!read_pixels(d, img.rgba.data(), w * 4)) {
        out.error = std::string(d.err.cut_short ? "The jpeg file is cut short (" : "The jpeg file is damaged (") +
            d.err.message + ").";
        img = Image{};
        return false;
    }
    if (d.cinfo.out_color_space == JCS_CMYK) {
        cmyk_to_rgba(img.rgba.data(), w * h);
    }
    if (d.err.warnings > 0) {
        out.note = std::string("The jpeg file has damaged data (") + d.err.first_warning +
            "); the picture may show it.";
    }
    return true;
}

} // namespace core
