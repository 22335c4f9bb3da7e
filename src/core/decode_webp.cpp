// WebP through libwebp (Debian's library natively): the demuxer finds the ICC profile, the EXIF
// block and the frame count; a still image is decoded straight into RGBA8, an animation's first
// frame through the animation decoder, which composes it on the canvas as a viewer shows it.
#include "decode_codec.h"

#include <cstring>
#include <memory>

#include <webp/decode.h>
#include <webp/demux.h>

#include "exif.h"

namespace core {
namespace {

const char* status_text(VP8StatusCode status)
{
    switch (status) {
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "bad bitstream";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
    case VP8_STATUS_SUSPENDED: return "suspended";
    case VP8_STATUS_USER_ABORT: return "aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "the file ends before the picture does";
    default: return "unknown error";
    }
}

/// The chunk's bytes (the first of its kind), or empty.
std::vector<uint8_t> chunk(const WebPDemuxer* demux, const char* fourcc)
{
    WebPChunkIterator it;
    std::vector<uint8_t> bytes;
    if (WebPDemuxGetChunk(demux, fourcc, 1, &it)) {
        bytes.assign(it.chunk.bytes, it.chunk.bytes + it.chunk.size);
        WebPDemuxReleaseChunkIterator(&it);
    }
    return bytes;
}

/// The Orientation of a WebP EXIF chunk: a TIFF structure, which some writers prefix with the
/// JPEG APP1 "Exif\0\0" header.
int webp_orientation(const std::vector<uint8_t>& exif)
{
    const size_t skip = exif.size() >= 6 && std::memcmp(exif.data(), "Exif\0\0", 6) == 0 ? 6 : 0;
    return exif.size() > skip ? exif_orientation(exif.data() + skip, exif.size() - skip) : 0;
}

bool decode_still(const uint8_t* data, size_t size, CodecDecode& out)
{
    Image& img = out.image;
    img.rgba.assign(img.pixels() * 4, 0);
    WebPDecoderConfig config;
    WebPInitDecoderConfig(&config);
    config.output.colorspace = MODE_RGBA;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = img.rgba.data();
    config.output.u.RGBA.stride = img.width * 4;
    config.output.u.RGBA.size = img.rgba.size();
    const VP8StatusCode status = WebPDecode(data, size, &config);
    WebPFreeDecBuffer(&config.output);
    if (status != VP8_STATUS_OK) {
        out.error = std::string(status == VP8_STATUS_NOT_ENOUGH_DATA ? "The webp file is cut short (" :
                                                                       "The webp file is damaged or unsupported (") +
            status_text(status) + ").";
        img = Image{};
        return false;
    }
    return true;
}

bool decode_first_frame(const uint8_t* data, size_t size, CodecDecode& out)
{
    WebPAnimDecoderOptions options;
    WebPAnimDecoderOptionsInit(&options);
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    const WebPData webp{data, size};
    std::unique_ptr<WebPAnimDecoder, void (*)(WebPAnimDecoder*)> dec(WebPAnimDecoderNew(&webp, &options),
                                                                      WebPAnimDecoderDelete);
    uint8_t* frame = nullptr;
    int timestamp = 0;
    if (!dec || !WebPAnimDecoderGetNext(dec.get(), &frame, &timestamp)) {
        out.error = "The animated webp file is damaged (its first frame cannot be decoded).";
        return false;
    }
    Image& img = out.image;
    img.rgba.assign(frame, frame + img.pixels() * 4);
    return true;
}

/// The EXIF orientation of a WebP with an EXIF chunk (0 when none).
int exif_chunk_orientation(const WebPDemuxer* demux)
{
    const uint32_t flags = WebPDemuxGetI(demux, WEBP_FF_FORMAT_FLAGS);
    return (flags & EXIF_FLAG) ? webp_orientation(chunk(demux, "EXIF")) : 0;
}

} // namespace

bool webp_info(const uint8_t* data, size_t size, CodecInfo& out)
{
    WebPBitstreamFeatures features;
    const VP8StatusCode status = WebPGetFeatures(data, size, &features);
    // A VP8X header that says the canvas size is enough, though the rest of the file be missing.
    const bool sized = features.width > 0 && features.height > 0;
    if (status != VP8_STATUS_OK && !(status == VP8_STATUS_NOT_ENOUGH_DATA && sized)) {
        out.error = std::string("The webp file's header cannot be read (") + status_text(status) + ").";
        return false;
    }
    out.width = features.width;
    out.height = features.height;
    // The EXIF chunk may follow the picture: only a whole file's orientation is known.
    const WebPData webp{data, size};
    std::unique_ptr<WebPDemuxer, void (*)(WebPDemuxer*)> demux(WebPDemux(&webp), WebPDemuxDelete);
    out.orientation = demux ? exif_chunk_orientation(demux.get()) : 0;
    return true;
}

bool decode_webp(const uint8_t* data, size_t size, size_t max_pixels, CodecDecode& out)
{
    const WebPData webp{data, size};
    WebPDemuxState state = WEBP_DEMUX_PARSE_ERROR;
    std::unique_ptr<WebPDemuxer, void (*)(WebPDemuxer*)> demux(WebPDemuxPartial(&webp, &state), WebPDemuxDelete);
    if (!demux || state < WEBP_DEMUX_PARSED_HEADER) {
        out.error = "The webp file is damaged (its header cannot be read).";
        return false;
    }
    const size_t w = WebPDemuxGetI(demux.get(), WEBP_FF_CANVAS_WIDTH);
    const size_t h = WebPDemuxGetI(demux.get(), WEBP_FF_CANVAS_HEIGHT);
    if (w == 0 || h == 0 || w * h > max_pixels) {
        out.error = "The webp file's size is out of range.";
        return false;
    }
    if (state != WEBP_DEMUX_DONE) {
        out.error = "The webp file is cut short (the file ends before the picture does).";
        return false;
    }
    out.frames = static_cast<int>(WebPDemuxGetI(demux.get(), WEBP_FF_FRAME_COUNT));
    const uint32_t flags = WebPDemuxGetI(demux.get(), WEBP_FF_FORMAT_FLAGS);
    if (flags & ICCP_FLAG) {
        out.icc = chunk(demux.get(), "ICCP");
    }
    out.orientation = exif_chunk_orientation(demux.get());
    out.image.width = static_cast<int>(w);
    out.image.height = static_cast<int>(h);
    const bool ok = (flags & ANIMATION_FLAG) ? decode_first_frame(data, size, out) : decode_still(data, size, out);
    if (ok && out.frames > 1) {
        out.note = "animated WebP: first frame of " + std::to_string(out.frames) + " used";
    }
    return ok;
}

} // namespace core
