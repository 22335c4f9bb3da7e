// An RGBA8 GL texture that owns its name.
#pragma once

#include <cstdint>

namespace app {

class Texture {
public:
    Texture() = default;
    ~Texture();
    Texture(const Texture&) = delete;
    Texture& operator=(const Texture&) = delete;

    /// Replaces the contents (width * height * 4 bytes), reallocating if the size changed.
    void upload(const uint8_t* rgba, int width, int height);
    void reset();

    unsigned id() const { return m_id; }
    int width() const { return m_width; }
    int height() const { return m_height; }
    bool valid() const { return m_id != 0 && m_width > 0; }

private:
    unsigned m_id = 0;
    int m_width = 0;
    int m_height = 0;
};

} // namespace app
