#version 300 es
// Pixels as points in colour space (axes normalised to the sample's bounding box), coloured by
// their own colour or their cluster's; the same program draws the cube, centroids and trails.
precision highp float;
precision highp int;

layout(location = 0) in vec3 a_position;  // in 0..1 on every axis
layout(location = 1) in vec3 a_colour;    // 0..1
layout(location = 2) in float a_label;    // cluster, or -1 for "use a_colour"

uniform mat4 u_mvp;
uniform sampler2D u_palette;  // 64 x ceil(k / 64), as in segment.frag
uniform int u_by_cluster;
uniform int u_highlight;
uniform float u_point_size;

out vec3 v_colour;
out float v_dim;

void main()
{
    gl_Position = u_mvp * vec4(a_position - 0.5, 1.0);
    int label = int(a_label + 0.5);
    vec3 colour = a_colour;
    if (u_by_cluster == 1 && a_label >= 0.0) {
        colour = texelFetch(u_palette, ivec2(label % 64, label / 64), 0).rgb;
    }
    v_dim = (u_highlight >= 0 && a_label >= 0.0 && label != u_highlight) ? 0.12 : 1.0;
    v_colour = colour;
    gl_PointSize = u_point_size;
}
