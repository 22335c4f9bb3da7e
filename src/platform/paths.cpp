// Finding installed files from the executable's own path (/proc/self/exe on Linux).
#include "paths.h"

#include <cstdlib>
#include <filesystem>
#include <vector>
#include <system_error>

namespace platform {

std::string samples_dir()
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    std::vector<fs::path> candidates;
    if (!ec) {
        candidates.push_back(exe.parent_path() / "samples");
        // Installed: KPIX_SAMPLES_FROM_BINDIR is the GNUInstallDirs datadir's samples folder seen
        // from the bindir ("../share/kpix/samples" by default), set by CMakeLists.txt.
        candidates.push_back((exe.parent_path() / KPIX_SAMPLES_FROM_BINDIR).lexically_normal());
    }
    if (const char* env = std::getenv("KPIX_SAMPLES_DIR")) {
        candidates.emplace_back(env);
    }
    for (const fs::path& dir : candidates) {
        if (fs::exists(dir / "coffee.png", ec)) {
            return dir.string();
        }
    }
    return "";
}

} // namespace platform
