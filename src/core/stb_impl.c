/* The one translation unit that compiles stb_image and stb_image_write (Debian's libstb-dev
   headers). Kept in C and apart so the project's -Werror flags do not apply to stb's code. */
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#include <stb_image.h>
#include <stb_image_write.h>
