#version 300 es
// The segmented image from a label per pixel and a palette: pixel colour = palette[label].
// Hovering a swatch dims every other cluster; region boundaries can be drawn over the image.
precision highp float;
precision highp int;
precision highp usampler2D;

uniform usampler2D u_labels;   // R16UI, one label per pixel, row 0 = top of the image
uniform sampler2D u_palette;   // RGBA8, 64 x ceil(k / 64): label l at (l % 64, l / 64)
uniform sampler2D u_original;  // RGBA8, the original at the same size (alpha is kept)
uniform int u_highlight;       // a label to keep bright, or -1
uniform int u_boundaries;      // region boundaries: 0 none, 1 white, 2 contrasting (the regions view)

out vec4 frag_colour;

uint label_at(ivec2 p)
{
    ivec2 size = textureSize(u_labels, 0);
    p = clamp(p, ivec2(0), size - 1);
    return texelFetch(u_labels, p, 0).r;
}

void main()
{
    // The output texture's row 0 is the image's top row, like every texture the UI shows.
    ivec2 p = ivec2(gl_FragCoord.xy);
    uint label = label_at(p);
    vec3 colour = texelFetch(u_palette, ivec2(int(label % 64u), int(label / 64u)), 0).rgb;
    float alpha = texelFetch(u_original, p, 0).a;
    if (u_highlight >= 0 && label != uint(u_highlight)) {
        colour = mix(colour, vec3(dot(colour, vec3(0.299, 0.587, 0.114))), 0.85) * 0.35;
    }
    if (u_boundaries != 0 && (label_at(p + ivec2(1, 0)) != label || label_at(p + ivec2(0, 1)) != label)) {
        // The regions view: a line in the region's own hue, darker on light regions and lighter
        // on dark ones, so it shows everywhere without covering small regions in one colour.
        float light = dot(colour, vec3(0.299, 0.587, 0.114));
        vec3 contrast = light > 0.45 ? colour * 0.3 : mix(colour, vec3(1.0), 0.55);
        colour = u_boundaries == 2 ? contrast : vec3(1.0);
    }
    frag_colour = vec4(colour, alpha);
}
