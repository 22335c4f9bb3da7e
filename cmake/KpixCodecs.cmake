# The image codecs as targets kpix_jpeg and kpix_spng, their headers system headers (-Werror does
# not reach them): natively Debian's -dev packages through pkg-config; for wasm the archives
# scripts/setup.sh builds from the Debian sources into KPIX_CODECS_WASM_DIR; for the fuzzer the
# same Debian sources (unpacked by setup.sh) built here with its instrumentation, so it sees
# inside the decoders.
if(EMSCRIPTEN)
    set(codec_libs libjpeg.a libspng.a libz.a)
    foreach(lib ${codec_libs})
        if(NOT EXISTS "${KPIX_CODECS_WASM_DIR}/lib/${lib}")
            message(FATAL_ERROR "${lib} for wasm not found in KPIX_CODECS_WASM_DIR='${KPIX_CODECS_WASM_DIR}': "
                                "run scripts/setup.sh and source scripts/env.sh")
        endif()
    endforeach()
    add_library(kpix_zlib STATIC IMPORTED)
    set_target_properties(kpix_zlib PROPERTIES
        IMPORTED_LOCATION "${KPIX_CODECS_WASM_DIR}/lib/libz.a"
        INTERFACE_INCLUDE_DIRECTORIES "${KPIX_CODECS_WASM_DIR}/include")
    add_library(kpix_jpeg STATIC IMPORTED)
    set_target_properties(kpix_jpeg PROPERTIES
        IMPORTED_LOCATION "${KPIX_CODECS_WASM_DIR}/lib/libjpeg.a"
        INTERFACE_INCLUDE_DIRECTORIES "${KPIX_CODECS_WASM_DIR}/include")
    add_library(kpix_spng STATIC IMPORTED)
    set_target_properties(kpix_spng PROPERTIES
        IMPORTED_LOCATION "${KPIX_CODECS_WASM_DIR}/lib/libspng.a"
        INTERFACE_INCLUDE_DIRECTORIES "${KPIX_CODECS_WASM_DIR}/include"
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
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(JPEG REQUIRED IMPORTED_TARGET libjpeg)
    pkg_check_modules(SPNG REQUIRED IMPORTED_TARGET spng)
    add_library(kpix_jpeg INTERFACE IMPORTED)
    target_link_libraries(kpix_jpeg INTERFACE PkgConfig::JPEG)
    add_library(kpix_spng INTERFACE IMPORTED)
    target_link_libraries(kpix_spng INTERFACE PkgConfig::SPNG)
endif()
