// The one decode path: JPEG to libjpeg-turbo, PNG to libspng, HEIF, WebP and TIFF to their
// libraries, everything else to stb_image, with a size check (image_info) before any pixel is
// allocated, and recognisable formats none of them reads named in the message instead of a bare
// "unknown image type". Then the two things phones and cameras rely on viewers to do: convert an embedded colour profile to sRGB, and turn the picture upright as
// its EXIF orientation says; last, the working copy when one was asked for.
#include "image.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <stb_image.h>

#include "containers.h"
#include "decode_codec.h"
#include "decode_jpeg.h"
#include "decode_png.h"
#include "exif.h"
#include "icc.h"
#include "work_resolution.h"

namespace core {
namespace {

bool starts_with(const uint8_t* data, size_t size, size_t offset, const char* magic)
{
    const size_t len = std::strlen(magic);
    return size >= offset + len && std::memcmp(data + offset, magic, len) == 0;
}

/// Formats users drop that no decoder of this build reads, so the message can say what the file is.
std::string unsupported_format(const uint8_t* data, size_t size)
{
    // A bare JPEG XL codestream, or its container (a box of 12 bytes, "JXL ", from byte 0).
    static const uint8_t jxl_box[12] = {0, 0, 0, 12, 'J', 'X', 'L', ' ', '\r', '\n', 0x87, '\n'};
    if (starts_with(data, size, 0, "\xFF\x0A") || (size >= 12 && std::memcmp(data, jxl_box, 12) == 0)) {
        return "jpeg xl";
    }
    if (starts_with(data, size, 0, "<svg") || starts_with(data, size, 0, "<?xml")) {
        return "svg";
    }
    return "";
}

/// The HEIF flavour of an ISO base media file, from the brands of its ftyp box: "avif" when its
/// major brand is AV1's (avif, avis) or a generic one (mif1, msf1) lists AV1's among its
/// compatible brands, "heic" for HEVC's brands, "heif" for a HEIF file with neither; "" when the
/// file is no HEIF file. (AVIF files carry mif1 too: mif1 alone does not mean HEIC.)
std::string heif_flavour(const uint8_t* data, size_t size)
{
    if (!starts_with(data, size, 4, "ftyp") || size < 16) {
        return "";
    }
    const size_t box = std::min<size_t>(size, static_cast<size_t>(data[0]) << 24 | data[1] << 16 | data[2] << 8 | data[3]);
    auto is = [&](size_t at, std::initializer_list<const char*> brands) {
        for (const char* b : brands) {
            if (std::memcmp(data + at, b, 4) == 0) {
                return true;
            }
        }
        return false;
    };
    const auto av1 = {"avif", "avis"};
    const auto hevc = {"heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"};
    if (is(8, av1)) return "avif";
    if (is(8, hevc)) return "heic";
    if (!is(8, {"mif1", "msf1", "miaf"})) return "";
    std::string found = "heif";
    for (size_t at = 16; at + 4 <= box; at += 4) {
        if (is(at, av1)) return "avif";
        if (is(at, hevc)) found = "heic";
    }
    return found;
}

/// The formats decode_codec.h's decoders read ("heic", "heif", "avif", "webp", "tiff"), or "".
std::string codec_format(const uint8_t* data, size_t size)
{
    if (starts_with(data, size, 0, "RIFF") && starts_with(data, size, 8, "WEBP")) {
        return "webp";
    }
    if (starts_with(data, size, 0, "II*\0") || starts_with(data, size, 0, "MM\0*") ||
        starts_with(data, size, 0, "II+\0") || starts_with(data, size, 0, "MM\0+")) {
        return "tiff";
    }
    return heif_flavour(data, size);
}

std::string format_name(const uint8_t* data, size_t size)
{
    if (starts_with(data, size, 0, "\xFF\xD8")) return "jpeg";
    if (starts_with(data, size, 0, "\x89PNG")) return "png";
    if (starts_with(data, size, 0, "GIF8")) return "gif";
    if (starts_with(data, size, 0, "BM")) return "bmp";
    if (starts_with(data, size, 0, "8BPS")) return "psd";
    if (starts_with(data, size, 0, "#?RADIANCE") || starts_with(data, size, 0, "#?RGBE")) return "hdr";
    if (size >= 2 && data[0] == 'P' && data[1] >= '1' && data[1] <= '6') return "pnm";
    return "tga";
}

uint32_t be32(const uint8_t* p)
{
    return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
        static_cast<uint32_t>(p[2]) << 8 | p[3];
}

/// Width and height from the file's header, read without decoding, for the size check: stb
/// refuses some huge sizes itself, but with a message that does not say what the size is.
bool header_size(const uint8_t* data, size_t size, uint32_t& w, uint32_t& h)
{
    if (starts_with(data, size, 0, "\x89PNG") && size >= 24) {
        w = be32(data + 16);
        h = be32(data + 20);
        return true;
    }
    if (starts_with(data, size, 0, "GIF8") && size >= 10) {
        w = data[6] | data[7] << 8;
        h = data[8] | data[9] << 8;
        return true;
    }
    if (starts_with(data, size, 0, "BM") && size >= 26 && data[14] == 12) {
        // An OS/2 BITMAPCOREHEADER: 16-bit sides.
        w = data[18] | data[19] << 8;
        h = data[20] | data[21] << 8;
        return true;
    }
    if (starts_with(data, size, 0, "BM") && size >= 26) {
        w = data[18] | data[19] << 8 | data[20] << 16 | static_cast<uint32_t>(data[21]) << 24;
        const int32_t hh = static_cast<int32_t>(data[22] | data[23] << 8 | data[24] << 16 |
                                                static_cast<uint32_t>(data[25]) << 24);
        h = static_cast<uint32_t>(hh < 0 ? -static_cast<int64_t>(hh) : hh);
        return true;
    }
    if (starts_with(data, size, 0, "\xFF\xD8")) {
        // Walk the JPEG segments to the first start-of-frame marker (SOF0..SOF15 but DHT, JPG, DAC).
        size_t i = 2;
        while (i + 9 < size) {
            if (data[i] != 0xFF) {
                return false;
            }
            const uint8_t marker = data[i + 1];
            if (marker == 0xFF) {
                ++i;
                continue;
            }
            const size_t len = static_cast<size_t>(data[i + 2]) << 8 | data[i + 3];
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                marker != 0xCC) {
                h = static_cast<uint32_t>(data[i + 5]) << 8 | data[i + 6];
                w = static_cast<uint32_t>(data[i + 7]) << 8 | data[i + 8];
                return true;
            }
            if (len < 2) {
                return false;
            }
            i += 2 + len;
        }
    }
    return false;
}

/// The DHT segment whose length field starts at data[at], read table by table exactly as
/// stb_image reads it (tables may run past the segment; bytes past the file read as 0): false when
/// a table lists more than 256 codes.
/// NOTE: Debian's stb_image (2022-09) writes past its 257-entry code-size array for such a table
/// before any check (found by the fuzzer; UBSan: index 257 out of bounds in stbi__build_huffman),
/// so such files must never reach it.
bool dht_within_limits(const uint8_t* data, size_t size, size_t at)
{
    auto byte = [&](size_t i) -> int { return i < size ? data[i] : 0; };
    long remaining = (static_cast<long>(byte(at)) << 8 | byte(at + 1)) - 2;
    size_t i = at + 2;
    while (remaining > 0 && i < size) {
        const int q = byte(i++);
        if ((q >> 4) > 1 || (q & 15) > 3) {
            return true; // stb rejects the table before reading its counts
        }
        long n = 0;
        for (int c = 0; c < 16; ++c) {
            n += byte(i++);
        }
        if (n > 256) {
            return false;
        }
        i += static_cast<size_t>(n);
        remaining -= 17 + n;
    }
    return true;
}

/// True when no Huffman table stb_image could read from this JPEG lists more than 256 codes.
/// Segments are followed by their lengths up to the first scan (stb reads them at exactly those
/// places, or fails); from the first scan, or anything unexpected, on, every FF C4 byte pair is
/// taken as a possible DHT marker, which valid entropy-coded data never contains.
bool jpeg_huffman_tables_ok(const uint8_t* data, size_t size)
{
    size_t i = 2;
    while (i + 4 <= size && data[i] == 0xFF) {
        const uint8_t marker = data[i + 1];
        if (marker == 0xFF) {
            ++i;
            continue;
        }
        if (marker == 0xDA || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9)) {
            break; // a scan, or a marker without a length: scan mode from here
        }
        if (marker == 0xC4 && !dht_within_limits(data, size, i + 2)) {
            return false;
        }
        i += 2 + (static_cast<size_t>(data[i + 2]) << 8 | data[i + 3]);
    }
    for (; i + 1 < size; ++i) {
        if (data[i] == 0xFF && data[i + 1] == 0xC4 && !dht_within_limits(data, size, i + 2)) {
            return false;
        }
    }
    return true;
}

/// Why stb_image must not read this binary PNM (P5 grey, P6 RGB), or "" when it may: the three
/// header numbers (width, height, largest value) are read as stb reads them (whitespace and #
/// comments between), and the pixel data must be all there.
/// NOTE: Debian's stb_image (2022-09) adds up header digits in an int without a check (UBSan:
/// signed integer overflow in stbi__pnm_getinteger), and converts a 16-bit PNM cut short by
/// reading past its buffer (ASan: heap-buffer-overflow in stbi__convert_16_to_8); both found by
/// the fuzzer. Its 16-bit PNM output was wrong even for a whole file, so those are refused.
std::string pnm_problem(const uint8_t* data, size_t size)
{
    size_t i = 2;
    uint64_t numbers[3] = {0, 0, 0};
    for (uint64_t& n : numbers) {
        while (i < size) {
            if (data[i] == ' ' || (data[i] >= '\t' && data[i] <= '\r')) {
                ++i;
            } else if (data[i] == '#') {
                while (i < size && data[i] != '\n' && data[i] != '\r') {
                    ++i;
                }
            } else {
                break;
            }
        }
        size_t digits = 0;
        for (; i < size && data[i] >= '0' && data[i] <= '9'; ++i) {
            n = n * 10 + static_cast<uint64_t>(data[i] - '0');
            if (++digits > 9) {
                return "a header number of more than 9 digits";
            }
        }
    }
    if (numbers[2] > 255) {
        return "16-bit samples, which kpix does not read in PNM";
    }
    const uint64_t channels = data[1] == '6' ? 3 : 1;
    const uint64_t needed = numbers[0] * numbers[1] * channels;
    if ((data[1] == '5' || data[1] == '6') && (i + 1 > size || size - (i + 1) < needed)) {
        return "its pixel data is cut short";
    }
    return "";
}

std::string too_large_message(uint64_t w, uint64_t h)
{
    const double mp = static_cast<double>(w * h) / 1e6;
    char msg[200];
    std::snprintf(msg, sizeof msg, "The image is %llu x %llu pixels (%.1f MP); kpix handles up to %.0f MP.",
                  static_cast<unsigned long long>(w), static_cast<unsigned long long>(h), mp,
                  static_cast<double>(kMaxPixels) / 1e6);
    return msg;
}

const char* kReadable = "kpix reads JPEG, PNG, HEIC, AVIF, WebP, TIFF, BMP, GIF, TGA, PSD, HDR and PNM files";

/// The message for a format no decoder of this build reads (unsupported_format's names).
std::string cannot_decode_message(const std::string& format)
{
    std::string name = format;
    for (char& ch : name) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return "This is a " + name + " image, which kpix cannot decode here; " + kReadable + ".";
}

/// The stored size and the orientation still to apply of a format stb_image or its replacements
/// (libjpeg-turbo, libspng) read: JPEG, PNG, GIF and BMP from their headers, the rest through
/// stb_image's info (after the checks its known weaknesses need, as in decode_stb).
bool stb_format_info(const uint8_t* data, size_t size, const std::string& format, uint32_t& w, uint32_t& h,
                     std::string& error)
{
    if (header_size(data, size, w, h)) {
        return true;
    }
    if (format == "jpeg" || format == "png" || format == "gif" || format == "bmp") {
        error = "The " + format + " file is damaged (its header cannot be read).";
        return false;
    }
    const std::string pnm = format == "pnm" ? pnm_problem(data, size) : "";
    if (!pnm.empty()) {
        error = "The pnm file is damaged (" + pnm + ").";
        return false;
    }
    int iw = 0;
    int ih = 0;
    int channels = 0;
    if (!stbi_info_from_memory(data, static_cast<int>(size), &iw, &ih, &channels)) {
        const char* why = stbi_failure_reason();
        error = std::string("This file could not be read as an image (") + (why ? why : "unknown reason") + "); " +
            kReadable + ".";
        return false;
    }
    w = static_cast<uint32_t>(std::max(iw, 0));
    h = static_cast<uint32_t>(std::max(ih, 0));
    return true;
}

/// Why a file is refused before its header is read (empty, a format kpix never decodes, over
/// 2 GB), with the format named when known; empty when it may be read.
std::string early_refusal(const uint8_t* data, size_t size, std::string& format)
{
    if (data == nullptr || size == 0) {
        return "The file is empty.";
    }
    const std::string other = unsupported_format(data, size);
    if (!other.empty()) {
        format = other;
        return cannot_decode_message(other);
    }
    if (size > static_cast<size_t>(INT32_MAX)) {
        return "The file is too large to read (over 2 GB).";
    }
    return {};
}

} // namespace

ImageInfo image_info(const uint8_t* data, size_t size)
{
    ImageInfo info;
    info.error = early_refusal(data, size, info.format);
    if (!info.error.empty()) {
        return info;
    }
    const std::string codec = codec_format(data, size);
    info.format = codec.empty() ? format_name(data, size) : codec;
    uint32_t w = 0;
    uint32_t h = 0;
    int orientation = 0;
    if (!codec.empty()) {
        CodecInfo c;
        const bool read = codec == "webp" ? webp_info(data, size, c) :
            codec == "tiff"               ? tiff_info(data, size, c) :
                                            heif_info(data, size, codec, c);
        if (!read) {
            info.error = std::move(c.error);
            return info;
        }
        w = static_cast<uint32_t>(std::max(c.width, 0));
        h = static_cast<uint32_t>(std::max(c.height, 0));
        orientation = c.orientation;
    } else {
        if (!stb_format_info(data, size, info.format, w, h, info.error)) {
            return info;
        }
        orientation = file_orientation(data, size);
    }
    if (orientation >= 5 && orientation <= 8) {
        std::swap(w, h);
    }
    info.width = static_cast<int>(std::min<uint32_t>(w, INT32_MAX));
    info.height = static_cast<int>(std::min<uint32_t>(h, INT32_MAX));
    if (w == 0 || h == 0) {
        info.error = "The " + info.format + " file is damaged (its header gives a size of " + std::to_string(w) +
            " x " + std::to_string(h) + " pixels).";
        return info;
    }
    if (static_cast<uint64_t>(w) * h > kMaxPixels) {
        info.too_large = true;
        info.error = too_large_message(w, h);
        return info;
    }
    info.ok = true;
    return info;
}

namespace {

/// stb_image's decode of any format it reads, with the checks its known weaknesses need.
bool decode_stb(const uint8_t* data, size_t size, DecodeResult& r)
{
    if (starts_with(data, size, 0, "\xFF\xD8") && !jpeg_huffman_tables_ok(data, size)) {
        r.format = "jpeg";
        r.error = "The jpeg file is damaged or unsupported (a Huffman table lists more than 256 codes).";
        return false;
    }
    const std::string pnm = format_name(data, size) == "pnm" ? pnm_problem(data, size) : "";
    if (!pnm.empty()) {
        r.format = "pnm";
        r.error = "The pnm file is damaged (" + pnm + ").";
        return false;
    }
    const int len = static_cast<int>(size);
    int w = 0;
    int h = 0;
    int channels = 0;
    if (!stbi_info_from_memory(data, len, &w, &h, &channels)) {
        const char* why = stbi_failure_reason();
        r.error = std::string("This file could not be read as an image (") +
            (why ? why : "unknown reason") + "); " + kReadable + ".";
        return false;
    }
    r.format = format_name(data, size);
    const size_t pixels = static_cast<size_t>(w) * static_cast<size_t>(h);
    if (w <= 0 || h <= 0 || pixels > kMaxPixels) {
        r.error = too_large_message(static_cast<uint64_t>(w), static_cast<uint64_t>(h));
        return false;
    }
    // stb reads zeros past the end of a BMP, TGA, PSD, HDR or PIC, so a few hundred bytes can
    // claim (and cost the time and memory of) tens of megapixels of black. Their data is raw or
    // run-length coded, at most a few dozen pixels a byte; PNG, JPEG and GIF compress far better.
    // NOTE: found by the fuzzer: a 589-byte BMP claiming 48 x 262176 pixels.
    constexpr size_t kMaxPixelsPerByte = 256;
    if (r.format != "png" && r.format != "jpeg" && r.format != "gif" && pixels / kMaxPixelsPerByte > size) {
        char msg[200];
        std::snprintf(msg, sizeof msg,
                      "The %s file is damaged: its header claims %d x %d pixels, far more than its %zu bytes can hold.",
                      r.format.c_str(), w, h, size);
        r.error = msg;
        return false;
    }
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels_rgba(
        stbi_load_from_memory(data, len, &w, &h, &channels, 4), stbi_image_free);
    if (!pixels_rgba) {
        const char* why = stbi_failure_reason();
        r.error = std::string("The ") + r.format + " file is damaged or unsupported (" +
            (why ? why : "unknown reason") + ").";
        return false;
    }
    r.image.width = w;
    r.image.height = h;
    r.image.rgba.assign(pixels_rgba.get(), pixels_rgba.get() + pixels * 4);
    return true;
}

void add_note(DecodeResult& r, const std::string& note)
{
    if (!note.empty()) {
        r.note = r.note.empty() ? note : r.note + "; " + note;
    }
}

} // namespace

DecodeResult decode_image(const uint8_t* data, size_t size, const DecodeOptions& options)
{
    DecodeResult r;
    r.error = early_refusal(data, size, r.format);
    if (!r.error.empty()) {
        return r;
    }
    // The size from the header, before any pixel is decoded: a file claiming more than kpix
    // opens is refused here, whatever its format.
    const ImageInfo info = image_info(data, size);
    if (info.too_large) {
        r.format = info.format;
        r.error = info.error;
        return r;
    }
    const std::string codec = codec_format(data, size);
    const std::string format = codec.empty() ? format_name(data, size) : codec;
    std::string decoder_note;
    bool decoded = false;
    int stored_w = 0;
    int stored_h = 0;
    CodecDecode other_codec;
    if (!codec.empty()) {
        r.format = codec;
        decoded = codec == "webp" ? decode_webp(data, size, kMaxPixels, other_codec) :
            codec == "tiff"       ? decode_tiff(data, size, kMaxPixels, other_codec) :
                                    decode_heif(data, size, codec, kMaxPixels, other_codec);
        r.image = std::move(other_codec.image);
        r.error = std::move(other_codec.error);
        r.frames = other_codec.frames;
        decoder_note = std::move(other_codec.note);
    } else if (format == "jpeg" && !options.stb_reference) {
        r.format = format;
        JpegDecode jpeg;
        decoded = decode_jpeg(data, size, options.max_pixels, kMaxPixels, jpeg);
        r.image = std::move(jpeg.image);
        r.scale_denom = jpeg.scale_denom;
        r.error = std::move(jpeg.error);
        decoder_note = std::move(jpeg.note);
        stored_w = jpeg.full_width;
        stored_h = jpeg.full_height;
    } else if (format == "png" && !options.stb_reference) {
        r.format = format;
        decoded = decode_png(data, size, kMaxPixels, r.image, r.error);
    } else {
        decoded = decode_stb(data, size, r);
    }
    if (!decoded) {
        return r;
    }
    if (r.scale_denom == 1) {
        stored_w = r.image.width;
        stored_h = r.image.height;
    }
    const std::vector<uint8_t> icc = codec.empty() ? embedded_icc_profile(data, size, r.note) : other_codec.icc;
    if (!icc.empty()) {
        const ProfileConversion c = convert_to_srgb(r.image, icc.data(), icc.size(), options.pool);
        r.icc_profile = c.converted ? c.description : "";
        r.note = c.note;
    }
    add_note(r, decoder_note);
    if (r.format == "gif") {
        r.frames = std::max(1, gif_frame_count(data, size));
        if (r.frames > 1) {
            add_note(r, "animated GIF: first frame of " + std::to_string(r.frames) + " used");
        }
    }
    const int orientation = codec.empty() ? file_orientation(data, size) : other_codec.orientation;
    if (orientation >= 1) {
        apply_orientation(r.image, orientation, options.pool);
        r.orientation = orientation;
        r.orientation_applied = orientation_description(orientation);
    } else if (!other_codec.turned.empty()) {
        r.orientation_applied = other_codec.turned;
    }
    const bool swapped = orientation >= 5 && orientation <= 8;
    r.full_width = swapped ? stored_h : stored_w;
    r.full_height = swapped ? stored_w : stored_h;
    if (options.max_pixels > 0 && r.image.pixels() > options.max_pixels) {
        r.image = downscale_area(r.image, options.max_pixels);
    }
    r.ok = true;
    return r;
}

int working_copy_scale(const uint8_t* data, size_t size, size_t max_pixels)
{
    uint32_t w = 0;
    uint32_t h = 0;
    if (data == nullptr || format_name(data, size) != "jpeg" || !header_size(data, size, w, h)) {
        return 1;
    }
    return jpeg_scale_for(w, h, max_pixels);
}

bool read_file(const std::string& path, std::vector<uint8_t>& bytes, std::string& error)
{
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!f) {
        error = "cannot open " + path + ": " + std::strerror(errno);
        return false;
    }
    bytes.clear();
    uint8_t buf[1 << 16];
    size_t got = 0;
    while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
        bytes.insert(bytes.end(), buf, buf + got);
    }
    if (std::ferror(f.get())) {
        error = "cannot read " + path + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

bool write_file(const std::string& path, const std::vector<uint8_t>& bytes, std::string& error)
{
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "wb"), std::fclose);
    if (!f) {
        error = "cannot write " + path + ": " + std::strerror(errno);
        return false;
    }
    if (std::fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size()) {
        error = "cannot write " + path + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

} // namespace core
