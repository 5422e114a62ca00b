const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|basic render/i;

/**
 * The software rasteriser a GPU adapter or renderer string names (swiftshader, llvmpipe), or
 * undefined for hardware. Such a "GPU" computes on the machine's CPU, so its timings say nothing
 * about a GPU.
 */
export const rasteriser = (renderer: string): string | undefined => SOFTWARE_RENDERER.exec(renderer)?.[0].toLowerCase();
