# kpix's icon, data/kpix.svg, rendered to PNG at build time by rsvg-convert (Debian's librsvg2-bin):
# the hicolor sizes for the desktop (KpixPackaging.cmake) and the web app manifest's (KpixApp.cmake).

find_program(KPIX_RSVG_CONVERT rsvg-convert)
set(KPIX_ICON_SVG "${PROJECT_SOURCE_DIR}/data/kpix.svg")
# The page's background, behind a maskable icon's safe zone (web/kpix_page.js uses the same).
set(KPIX_ICON_BACKGROUND "#1b1c1f")

# kpix_render_icon(PNG SIZE [MASKABLE]): a rule that renders the SVG to PNG at SIZE x SIZE pixels.
# MASKABLE puts the icon in the middle 70 % on a full background, so that a launcher's circle or
# squircle mask (which keeps the middle 80 %) never cuts into the drawing.
function(kpix_render_icon png size)
    if(ARGN STREQUAL "MASKABLE")
        math(EXPR inner "${size} * 70 / 100")
        math(EXPR margin "(${size} - ${inner}) / 2")
        set(how --page-width ${size} --page-height ${size} --left ${margin} --top ${margin}
                -w ${inner} -h ${inner} --background-color "${KPIX_ICON_BACKGROUND}")
    else()
        set(how -w ${size} -h ${size})
    endif()
    get_filename_component(dir "${png}" DIRECTORY)
    add_custom_command(OUTPUT "${png}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
        COMMAND "${KPIX_RSVG_CONVERT}" ${how} -o "${png}" "${KPIX_ICON_SVG}"
        DEPENDS "${KPIX_ICON_SVG}"
        COMMENT "Rendering the icon: ${png}"
        VERBATIM)
endfunction()
