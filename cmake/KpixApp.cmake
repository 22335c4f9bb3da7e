# The interactive app: Dear ImGui (Debian's source, unpacked by scripts/setup.sh) on SDL2 + GL.
# Native: Debian's libsdl2-dev and desktop OpenGL 3.3. Web: SDL2 built for wasm, WebGL2.

if(NOT EXISTS "${KPIX_IMGUI_DIR}/imgui.cpp")
    message(FATAL_ERROR "Dear ImGui sources not found in '${KPIX_IMGUI_DIR}': run scripts/setup.sh "
                        "and source scripts/env.sh (or pass -DKPIX_IMGUI_DIR=...)")
endif()

if(EMSCRIPTEN)
    if(NOT EXISTS "${KPIX_SDL2_WASM_DIR}/lib/libSDL2.a")
        message(FATAL_ERROR "SDL2 for wasm not found in '${KPIX_SDL2_WASM_DIR}': run scripts/setup.sh")
    endif()
    add_library(kpix_sdl2 INTERFACE)
    target_include_directories(kpix_sdl2 SYSTEM INTERFACE "${KPIX_SDL2_WASM_DIR}/include/SDL2")
    target_link_libraries(kpix_sdl2 INTERFACE "${KPIX_SDL2_WASM_DIR}/lib/libSDL2.a")
else()
    find_package(SDL2 REQUIRED)
    find_package(OpenGL REQUIRED)
    add_library(kpix_sdl2 INTERFACE)
    target_link_libraries(kpix_sdl2 INTERFACE SDL2::SDL2 OpenGL::GL)
endif()

# Third-party code: built without our warning flags.
add_library(imgui STATIC
    ${KPIX_IMGUI_DIR}/imgui.cpp
    ${KPIX_IMGUI_DIR}/imgui_draw.cpp
    ${KPIX_IMGUI_DIR}/imgui_tables.cpp
    ${KPIX_IMGUI_DIR}/imgui_widgets.cpp
    ${KPIX_IMGUI_DIR}/backends/imgui_impl_sdl.cpp
)
target_include_directories(imgui SYSTEM PUBLIC ${KPIX_IMGUI_DIR} ${KPIX_IMGUI_DIR}/backends)
target_link_libraries(imgui PUBLIC kpix_sdl2)
kpix_common_flags(imgui)

# shaders/ become string constants in one generated header (rebuilt when a shader changes).
file(GLOB kpix_shader_sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/shaders/*.vert" "${PROJECT_SOURCE_DIR}/shaders/*.frag")
set(kpix_shaders_header "${CMAKE_BINARY_DIR}/generated/kpix_shaders.h")
add_custom_command(OUTPUT "${kpix_shaders_header}"
    COMMAND ${CMAKE_COMMAND} -DSHADER_DIR=${PROJECT_SOURCE_DIR}/shaders -DOUTPUT=${kpix_shaders_header}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedShaders.cmake
    DEPENDS ${kpix_shader_sources} ${PROJECT_SOURCE_DIR}/cmake/EmbedShaders.cmake
    VERBATIM)

add_library(kpix_app STATIC
    src/app/app.cpp
    src/app/choose_k_panel.cpp
    src/app/cloud_view.cpp
    src/app/exports.cpp
    src/app/files_panel.cpp
    src/app/gl_program.cpp
    src/app/gpu.cpp
    src/app/image_view.cpp
    src/app/images_panel.cpp
    src/app/layout_plan.cpp
    src/app/imgui_renderer.cpp
    src/app/keys.cpp
    src/app/palette_panel.cpp
    src/app/panels.cpp
    src/app/plot.cpp
    src/app/rounds.cpp
    src/app/segment_view.cpp
    src/app/texture.cpp
    "${kpix_shaders_header}"
)
target_include_directories(kpix_app PRIVATE "${CMAKE_BINARY_DIR}/generated")
target_link_libraries(kpix_app PUBLIC kpix_document kpix_core imgui kpix_sdl2)
if(EMSCRIPTEN)
    target_compile_definitions(kpix_app PUBLIC KPIX_GLES)
endif()
kpix_common_flags(kpix_app)
kpix_warnings(kpix_app)

if(EMSCRIPTEN)
    add_executable(kpix src/platform/web.cpp)
    kpix_web_link_flags(kpix app)
    # The page: kpix.js/.wasm/.worker.js land in www/ with index.html, web/, the service worker and
    # the samples. The single-threaded build (KPIX_THREADS off, preset wasm-st) puts only its
    # kpix.js/.wasm into the threaded page's www/st/ (KPIX_WWW_DIR), which web/kpix_page.js loads
    # when the page is not cross-origin isolated.
    set(KPIX_WWW_DIR "${CMAKE_BINARY_DIR}/www" CACHE PATH "Where the page's files go")
    set(www "${KPIX_WWW_DIR}")
    set_target_properties(kpix PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${www}")
    if(KPIX_THREADS)
        # The web app manifest's icons (the sizes browsers ask for, and a maskable one).
        include(KpixIcons)
        if(NOT KPIX_RSVG_CONVERT)
            message(FATAL_ERROR "rsvg-convert not found (the page's icons): run scripts/setup.sh")
        endif()
        kpix_render_icon("${www}/icons/kpix-192.png" 192)
        kpix_render_icon("${www}/icons/kpix-512.png" 512)
        kpix_render_icon("${www}/icons/kpix-maskable-512.png" 512 MASKABLE)
        add_custom_target(kpix_web_icons DEPENDS
            "${www}/icons/kpix-192.png" "${www}/icons/kpix-512.png" "${www}/icons/kpix-maskable-512.png")
        add_dependencies(kpix kpix_web_icons)
        add_custom_command(TARGET kpix POST_BUILD
            COMMAND ${CMAKE_COMMAND} -E copy_if_different "${PROJECT_SOURCE_DIR}/index.html" "${www}/index.html"
            COMMAND ${CMAKE_COMMAND} -E copy_directory "${PROJECT_SOURCE_DIR}/web" "${www}/web"
            # NOTE: a service worker controls only pages under its own folder, so it sits at the root;
            # the manifest too, so that its start_url and scope "./" are the page's folder.
            COMMAND ${CMAKE_COMMAND} -E copy_if_different "${PROJECT_SOURCE_DIR}/web/kpix_sw.js" "${www}/kpix_sw.js"
            COMMAND ${CMAKE_COMMAND} -E copy_if_different "${PROJECT_SOURCE_DIR}/web/kpix.webmanifest" "${www}/kpix.webmanifest"
            COMMAND ${CMAKE_COMMAND} -E copy_if_different "${KPIX_ICON_SVG}" "${www}/icons/kpix.svg"
            VERBATIM)
        kpix_copy_samples(kpix "${www}/samples")
        set(kpix_page_dir "${www}")
    else()
        get_filename_component(kpix_page_dir "${www}" DIRECTORY)
        # The HEIC decoder module goes with this build (cmake/KpixHeifModule.cmake), in place
        # before the precache list below is made.
        add_dependencies(kpix kpix_heif)
    endif()
    # Last, once the page's files are in place: the service worker's precache list and version.
    add_custom_command(TARGET kpix POST_BUILD
        COMMAND ${CMAKE_COMMAND} -DWWW=${kpix_page_dir} -DIF_PAGE=$<NOT:$<BOOL:${KPIX_THREADS}>>
                -P "${PROJECT_SOURCE_DIR}/cmake/KpixPrecache.cmake"
        VERBATIM)
else()
    # The samples next to it are copied by kpix-cli's target (same folder).
    add_executable(kpix src/platform/desktop.cpp src/platform/paths.cpp)
    install(TARGETS kpix RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
target_link_libraries(kpix PRIVATE kpix_app)
kpix_common_flags(kpix)
kpix_warnings(kpix)
