/*
 * libpng-level1.c: issue 24's yardstick for a whole `smp render --only after` process. Reads a
 * PNG's pixels into memory (not timed), then encodes them with libpng alone on one core at zlib
 * level 1, default strategy, no row filter, `repeat` times; prints the best wall time in seconds.
 *
 *     gcc -O2 -o /tmp/libpng-level1 Benchmarks/Scripts/libpng-level1.c -lpng -lz
 *     /tmp/libpng-level1 Outputs/demo/after.png 5
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s IMAGE.png [REPEAT]\n", argv[0]);
        return 64;
    }
    int repeat = argc > 2 ? atoi(argv[2]) : 5;
    FILE *in = fopen(argv[1], "rb");
    if (in == NULL) {
        perror(argv[1]);
        return 66;
    }
    png_structp reader = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(reader);
    if (setjmp(png_jmpbuf(reader))) {
        fprintf(stderr, "%s: not a PNG libpng can read\n", argv[1]);
        return 65;
    }
    png_init_io(reader, in);
    png_read_info(reader, info);
    png_set_expand(reader);
    png_set_strip_16(reader);
    png_read_update_info(reader, info);
    png_uint_32 width = png_get_image_width(reader, info), height = png_get_image_height(reader, info);
    int channels = png_get_channels(reader, info);
    size_t row_bytes = png_get_rowbytes(reader, info);
    png_bytep pixels = malloc(row_bytes * height);
    png_bytepp rows = malloc(sizeof(png_bytep) * height);
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + y * row_bytes;
    png_read_image(reader, rows);
    png_destroy_read_struct(&reader, &info, NULL);
    fclose(in);

    double best = 1e9;
    for (int run = 0; run < repeat; run++) {
        double start = now();
        FILE *out = fopen("/dev/null", "wb");
        png_structp writer = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
        png_infop winfo = png_create_info_struct(writer);
        if (setjmp(png_jmpbuf(writer))) return 70;
        png_init_io(writer, out);
        png_set_compression_level(writer, 1);
        png_set_filter(writer, 0, PNG_FILTER_NONE);
        png_set_IHDR(writer, winfo, width, height, 8, channels == 4 ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        png_write_info(writer, winfo);
        png_write_image(writer, rows);
        png_write_end(writer, winfo);
        png_destroy_write_struct(&writer, &winfo);
        fclose(out);
        double seconds = now() - start;
        if (seconds < best) best = seconds;
    }
    printf("%.4f\n", best);
    return 0;
}
