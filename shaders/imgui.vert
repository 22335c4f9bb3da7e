#version 300 es
// Dear ImGui's vertices: pixel positions from the top-left corner, atlas coordinates, colour.
precision highp float;

uniform vec2 u_scale;
uniform vec2 u_offset;
layout(location = 0) in vec2 a_position;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_colour;
out vec2 v_uv;
out vec4 v_colour;

void main()
{
    v_uv = a_uv;
    v_colour = a_colour;
    gl_Position = vec4(a_position * u_scale + u_offset, 0.0, 1.0);
}
