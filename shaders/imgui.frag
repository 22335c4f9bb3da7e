#version 300 es
// Dear ImGui's triangles: the vertex colour times the bound texture (font atlas or an image).
precision mediump float;

uniform sampler2D u_texture;
in vec2 v_uv;
in vec4 v_colour;
out vec4 frag_colour;

void main()
{
    frag_colour = v_colour * texture(u_texture, v_uv);
}
