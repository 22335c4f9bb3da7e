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
    /// Wraps a texture owned elsewhere (release() before this object dies).
    void adopt(unsigned id, int width, int height)
    {
        m_id = id;
        m_width = width;
        m_height = height;
    }
    void release()
    {
        m_id = 0;
        m_width = 0;
        m_height = 0;
    }

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
