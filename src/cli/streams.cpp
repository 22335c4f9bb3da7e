// "-" for stdin and stdout. Human lines are moved off stdout at the descriptor level (dup2), so
// every printf of the CLI follows without each one choosing a stream.
#include "streams.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <unistd.h>

#include "core/image.h"

namespace cli {
namespace {

/// The real stdout once reserve_stdout_for_data moved it; else 1.
int g_data_fd = STDOUT_FILENO;

} // namespace

void reserve_stdout_for_data(bool data_on_stdout)
{
    if (!data_on_stdout) {
        return;
    }
    std::fflush(stdout);
    const int kept = dup(STDOUT_FILENO);
    if (kept >= 0 && dup2(STDERR_FILENO, STDOUT_FILENO) >= 0) {
        g_data_fd = kept;
    }
}

bool read_input(const std::string& path, std::vector<uint8_t>& bytes, std::string& error)
{
    if (path != "-") {
        return core::read_file(path, bytes, error);
    }
    bytes.clear();
    uint8_t buf[1 << 16];
    size_t got = 0;
    while ((got = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
        bytes.insert(bytes.end(), buf, buf + got);
    }
    if (std::ferror(stdin)) {
        error = std::string("cannot read standard input: ") + std::strerror(errno);
        return false;
    }
    return true;
}

bool write_output(const std::string& path, const std::vector<uint8_t>& bytes, std::string& error)
{
    if (path != "-") {
        return core::write_file(path, bytes, error);
    }
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = write(g_data_fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            error = std::string("cannot write standard output: ") + std::strerror(errno);
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return true;
}

} // namespace cli
