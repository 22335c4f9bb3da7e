// The entry points of the page's HEIC/HEIF decoder module (kpix_heif.js, cmake/KpixHeifModule.cmake),
// which web/kpix_heif_worker.js runs in a Worker: core::decode_image on a file's bytes, the result
// kept until the next call. Not the app: no state, no GL, no threads. Also the module's one
// override of libheif: its libde265 plugin switches HEVC's in-loop filters off under Emscripten.
#include <emscripten/emscripten.h>
#include <libde265/de265.h>

#include <cstdint>
#include <string>

#include "core/image.h"

namespace {

/// The last decode: its pixels and messages stay valid until the next kpix_heif_decode.
core::DecodeResult g_result;
/// What the user should be told about a decode that worked (turn, profile, notes), one line.
std::string g_notes;

void add(const std::string& text)
{
    if (!text.empty()) {
        g_notes += (g_notes.empty() ? "" : "; ") + text;
    }
}

} // namespace

extern "C" {

void __real_de265_set_parameter_bool(de265_decoder_context* ctx, de265_param param, int value);

/// libheif 1.15's libde265 plugin, built by Emscripten, turns off the deblocking filter and SAO
/// ("to speed up decoding from JavaScript"), so the page's HEIC pixels would differ from every
/// other build's (grid.heic: 12 pixels where SAO moves three Cr samples). The link wraps
/// de265_set_parameter_bool (-Wl,--wrap, cmake/KpixHeifModule.cmake) and this drops those two
/// requests, so the module decodes as HEVC says; any other parameter passes through.
void __wrap_de265_set_parameter_bool(de265_decoder_context* ctx, de265_param param, int value)
{
    if (param == DE265_DECODER_PARAM_DISABLE_DEBLOCKING || param == DE265_DECODER_PARAM_DISABLE_SAO) {
        return;
    }
    __real_de265_set_parameter_bool(ctx, param, value);
}

/// Decodes size bytes at data (a HEIC or HEIF file) to upright sRGB RGBA8; 1 when it worked
/// (kpix_heif_width, kpix_heif_height, kpix_heif_pixels, kpix_heif_notes), 0 with kpix_heif_error.
EMSCRIPTEN_KEEPALIVE int kpix_heif_decode(const uint8_t* data, int size)
{
    g_result = core::decode_image(data, size > 0 ? static_cast<size_t>(size) : 0);
    g_notes.clear();
    if (g_result.ok) {
        add(g_result.orientation_applied);
        add(g_result.icc_profile.empty() ? "" : "converted from " + g_result.icc_profile);
        add(g_result.note);
    }
    return g_result.ok ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE int kpix_heif_width()
{
    return g_result.image.width;
}

EMSCRIPTEN_KEEPALIVE int kpix_heif_height()
{
    return g_result.image.height;
}

/// width * height * 4 bytes, rows top to bottom.
EMSCRIPTEN_KEEPALIVE const uint8_t* kpix_heif_pixels()
{
    return g_result.image.rgba.data();
}

/// Why the last decode failed, a sentence naming the format.
EMSCRIPTEN_KEEPALIVE const char* kpix_heif_error()
{
    return g_result.error.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* kpix_heif_notes()
{
    return g_notes.c_str();
}

/// Frees the last decode's pixels.
EMSCRIPTEN_KEEPALIVE void kpix_heif_release()
{
    g_result = core::DecodeResult{};
    g_notes.clear();
}

} // extern "C"
