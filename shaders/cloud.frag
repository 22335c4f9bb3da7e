#version 300 es
// Plain square points for pixels; discs with a dark rim for centroids (u_discs = 1).
precision highp float;

uniform int u_discs;
in vec3 v_colour;
in float v_dim;
out vec4 frag_colour;

void main()
{
    if (u_discs == 1) {
        float r = length(gl_PointCoord - vec2(0.5));
        if (r > 0.5) {
            discard;
        }
        if (r > 0.36) {
            frag_colour = vec4(0.0, 0.0, 0.0, 1.0);
            return;
        }
    }
    frag_colour = vec4(v_colour * v_dim, 1.0);
}
