# The page's HEIC/HEIF decoder, kpix_heif.js/.wasm: a wasm module of its own, so the app's wasm
# carries no libheif and its first paint never waits for it. web/kpix_heif_worker.js loads it into
# a Worker when a HEIC or HEIF file arrives. It runs core::decode_image, the decoder path of every
# build (libheif: grid, irot/imir, ICC or nclx; then core's orientation and colour conversion), so
# a HEIC gives the page the pixels the desktop app and the CLI give; the page hands them to the app
# through kpix_open_rgba. Single-threaded (one decode at a time in its Worker), so it is built with
# the wasm-st preset, whose flags and archives are the single-threaded ones, into the page's st/.
# libde265 and libheif: scripts/setup.sh's emcmake builds of the unmodified Debian sources.
set(KPIX_WWW_DIR "${CMAKE_BINARY_DIR}/www" CACHE PATH "Where the page's files go")
kpix_wasm_archive(kpix_de265 "${KPIX_HEIF_WASM_DIR}" libde265.a)
kpix_wasm_archive(kpix_libheif "${KPIX_HEIF_WASM_DIR}" libheif.a)
set_target_properties(kpix_libheif PROPERTIES INTERFACE_LINK_LIBRARIES kpix_de265)

# core's decode path, compiled again with decode_heif.cpp where the app's core has the refusal
# (decode_missing.cpp still refuses WebP and TIFF here: the page never sends them to this module).
add_library(kpix_core_heif STATIC
    src/core/containers.cpp
    src/core/decode_heif.cpp
    src/core/decode_jpeg.cpp
    src/core/decode_missing.cpp
    src/core/decode_png.cpp
    src/core/exif.cpp
    src/core/gif.cpp
    src/core/icc.cpp
    src/core/image.cpp
    src/core/thread_pool.cpp
    src/core/work_resolution.cpp
)
target_compile_definitions(kpix_core_heif PRIVATE KPIX_NO_WEBP KPIX_NO_TIFF)
target_include_directories(kpix_core_heif PUBLIC src)
target_link_libraries(kpix_core_heif PUBLIC stb_impl kpix_lcms2 kpix_jpeg kpix_spng kpix_libheif)
kpix_common_flags(kpix_core_heif)
kpix_warnings(kpix_core_heif)

add_executable(kpix_heif src/platform/web_heif.cpp)
target_link_libraries(kpix_heif PRIVATE kpix_core_heif)
kpix_common_flags(kpix_heif)
kpix_warnings(kpix_heif)
target_link_options(kpix_heif PRIVATE
    ${KPIX_WASM_FLAGS}
    # NOTE: under emscripten libheif.a carries embind bindings; without --bind the link fails on
    # _embind_register_*.
    --bind
    # libheif's plugin would switch libde265's deblocking and SAO off under Emscripten: web_heif.cpp's
    # __wrap_de265_set_parameter_bool keeps them on, so the module's pixels are native's.
    -Wl,--wrap=de265_set_parameter_bool
    # NOTE: embind builds its glue with new Function(), which the page's Content-Security-Policy
    # (script-src without 'unsafe-eval') refuses inside the Worker: the closure-based glue instead.
    -sDYNAMIC_EXECUTION=0
    -sMODULARIZE=1 -sEXPORT_NAME=KpixHeif
    # A Worker in the page; node for tests/heif_module.mjs.
    -sENVIRONMENT=worker,node
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB
    -sEXPORTED_FUNCTIONS=_malloc,_free
    -sEXPORTED_RUNTIME_METHODS=UTF8ToString
)
set_target_properties(kpix_heif PROPERTIES SUFFIX ".js" RUNTIME_OUTPUT_DIRECTORY "${KPIX_WWW_DIR}")
# The page's precache list names the module's files by content: remade when only the module changed.
get_filename_component(kpix_heif_page_dir "${KPIX_WWW_DIR}" DIRECTORY)
add_custom_command(TARGET kpix_heif POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DWWW=${kpix_heif_page_dir} -DIF_PAGE=ON -P "${PROJECT_SOURCE_DIR}/cmake/KpixPrecache.cmake"
    VERBATIM)
