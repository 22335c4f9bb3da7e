# The image codecs as targets kpix_jpeg and kpix_spng, their headers system headers (-Werror does
# not reach them): natively Debian's -dev packages through pkg-config; for wasm the archives
# scripts/setup.sh builds from the Debian sources into KPIX_CODECS_WASM_DIR; for the fuzzer the
# same Debian sources (unpacked by setup.sh) built here with its instrumentation, so it sees
# inside the decoders.
if(EMSCRIPTEN)
    kpix_wasm_archive(kpix_zlib "${KPIX_CODECS_WASM_DIR}" libz.a)
    kpix_wasm_archive(kpix_jpeg "${KPIX_CODECS_WASM_DIR}" libjpeg.a)
    kpix_wasm_archive(kpix_spng "${KPIX_CODECS_WASM_DIR}" libspng.a)
    set_target_properties(kpix_spng PROPERTIES
        INTERFACE_COMPILE_DEFINITIONS SPNG_STATIC
        INTERFACE_LINK_LIBRARIES kpix_zlib)
elseif(KPIX_FUZZ)
    set(codec_src "$ENV{KPIX_CACHE}/src")
    if(NOT EXISTS "${codec_src}/libjpeg-turbo/jpeglib.h" OR NOT EXISTS "${codec_src}/libspng/spng/spng.c")
        message(FATAL_ERROR "libjpeg-turbo / libspng sources not found in '${codec_src}': run scripts/setup.sh")
    endif()
    include(ExternalProject)
    set(jpeg_dir "${CMAKE_BINARY_DIR}/libjpeg-turbo")
    file(MAKE_DIRECTORY "${jpeg_dir}")
    ExternalProject_Add(jpeg_instrumented
        SOURCE_DIR "${codec_src}/libjpeg-turbo"
        BINARY_DIR "${jpeg_dir}"
        CMAKE_ARGS -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER} -DCMAKE_BUILD_TYPE=RelWithDebInfo
                   "-DCMAKE_C_FLAGS=-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined"
                   -DWITH_SIMD=0 -DENABLE_SHARED=0 -DWITH_TURBOJPEG=0
        BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target jpeg-static --parallel 2
        INSTALL_COMMAND ""
        BUILD_BYPRODUCTS "${jpeg_dir}/libjpeg.a")
    add_library(kpix_jpeg STATIC IMPORTED)
    set_target_properties(kpix_jpeg PROPERTIES
        IMPORTED_LOCATION "${jpeg_dir}/libjpeg.a"
        INTERFACE_INCLUDE_DIRECTORIES "${codec_src}/libjpeg-turbo;${jpeg_dir}")
    add_dependencies(kpix_jpeg jpeg_instrumented)
    find_package(ZLIB REQUIRED)
    add_library(kpix_spng STATIC "${codec_src}/libspng/spng/spng.c")
    target_compile_definitions(kpix_spng PUBLIC SPNG_STATIC)
    target_include_directories(kpix_spng SYSTEM PUBLIC "${codec_src}/libspng/spng")
    target_link_libraries(kpix_spng PUBLIC ZLIB::ZLIB)
    kpix_common_flags(kpix_spng)
else()
    kpix_pkg_library(kpix_jpeg libjpeg)
    kpix_pkg_library(kpix_spng spng)
endif()

# The formats src/core/decode_codec.h reads (HEIF/HEIC/AVIF, WebP, TIFF), each where its library is
# in the build: natively Debian's libheif-dev, libwebp-dev and libtiff-dev. A build without one
# compiles decode_missing.cpp's refusal for it (KPIX_NO_HEIF, KPIX_NO_WEBP, KPIX_NO_TIFF), so the
# page hands such files to the browser's decoder.
# KPIX_FORMAT_SOURCES, KPIX_FORMAT_LIBS and KPIX_FORMATS_MISSING (its definitions) are what
# kpix_core adds.
set(KPIX_FORMAT_SOURCES src/core/decode_missing.cpp)
set(KPIX_FORMAT_LIBS)
set(KPIX_FORMATS_MISSING)
if(EMSCRIPTEN)
    # WebP and TIFF from setup.sh's emcc builds of their Debian sources; HEIF not in the app's wasm:
    # the page hands HEIC and HEIF files to its decoder module (cmake/KpixHeifModule.cmake), AVIF
    # to the browser's decoder.
    kpix_wasm_archive(kpix_webp "${KPIX_FORMATS_WASM_DIR}" libwebp.a)
    kpix_wasm_archive(kpix_tiff "${KPIX_FORMATS_WASM_DIR}" libtiff.a)
    set_target_properties(kpix_tiff PROPERTIES INTERFACE_LINK_LIBRARIES kpix_zlib)
    list(APPEND KPIX_FORMAT_SOURCES src/core/decode_webp.cpp src/core/decode_tiff.cpp)
    list(APPEND KPIX_FORMAT_LIBS kpix_webp kpix_tiff)
    list(APPEND KPIX_FORMATS_MISSING KPIX_NO_HEIF)
else()
    kpix_pkg_library(kpix_heif libheif)
    kpix_pkg_library(kpix_webp libwebpdemux)
    kpix_pkg_library(kpix_tiff libtiff-4)
    list(APPEND KPIX_FORMAT_SOURCES src/core/decode_heif.cpp src/core/decode_webp.cpp src/core/decode_tiff.cpp)
    list(APPEND KPIX_FORMAT_LIBS kpix_heif kpix_webp kpix_tiff)
endif()
