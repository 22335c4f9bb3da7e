// Standard input and output as files: "-" as an INPUT reads the image from stdin, "-o -" and
// "--stats-json -" write to stdout. When stdout carries data, every human line goes to stderr.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cli {

/// When data is to go to stdout, points file descriptor 1 (printf's stdout) at stderr, so that
/// any line printed for people lands there, and keeps the real stdout for write_data. Call once,
/// before anything is printed.
void reserve_stdout_for_data(bool data_on_stdout);

/// read_file, with "-" meaning standard input.
bool read_input(const std::string& path, std::vector<uint8_t>& bytes, std::string& error);

/// write_file, with "-" meaning standard output (the real one: see reserve_stdout_for_data).
bool write_output(const std::string& path, const std::vector<uint8_t>& bytes, std::string& error);

} // namespace cli
