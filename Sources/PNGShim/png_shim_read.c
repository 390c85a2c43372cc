/*
 * png_shim_read.c — the reading half of the only code that calls libpng, with the same
 * pattern as png_shim.c: setjmp in every entry point, errors recorded by the callbacks.
 */
#define _POSIX_C_SOURCE 200809L /* fileno, fstat */

#include "png_shim.h"
#include "png_shim_diagnostics.h"

#include <png.h>

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- reading */

/* The bytes after the signature that hold IHDR's width and height: length, type, 13 data bytes. */
#define PNGSHIM_IHDR_PREFIX 21

struct pngshim_reader {
    pngshim_diagnostics diagnostics;
    png_structp png;
    png_infop info;
    FILE *file;
    int failed;
    int header_read;
    int image_read;
    uint32_t height;
    int passes;
    size_t row_bytes;
    /* Bytes consumed while peeking at IHDR, handed to libpng before the rest of the file. */
    unsigned char prefix[PNGSHIM_IHDR_PREFIX];
    size_t prefix_offset;
    /* The chunk structure of the bytes handed to libpng so far (check_chunks): the header being
     * gathered, the bytes of the current chunk's data and CRC still to come, the offset. */
    unsigned char chunk_header[8];
    size_t chunk_header_fill;
    uint64_t chunk_left;
    uint64_t offset;
};

/* The most an ancillary chunk may declare: libpng 1.6 allocates (and zeroes) a text, sPLT,
 * pCAL or sCAL chunk's declared length before it finds the file too short, and past
 * png_set_chunk_malloc_max it only warns. Checked on the chunk's header, before libpng sees
 * its data, so a 50-byte file declaring 2 GB costs nothing. */
#define PNGSHIM_MAX_ANCILLARY_CHUNK (8u << 20)

static uint32_t big_endian_32(const unsigned char *bytes) {
    return ((uint32_t)bytes[0] << 24) | ((uint32_t)bytes[1] << 16) | ((uint32_t)bytes[2] << 8) | (uint32_t)bytes[3];
}

/* Reads up to `length` bytes; returns how many (fewer only at end of file or on error). */
static size_t read_up_to(FILE *file, unsigned char *bytes, size_t length) {
    size_t total = 0;
    while (total < length) {
        size_t got = fread(bytes + total, 1, length - total, file);
        if (got == 0) {
            if (ferror(file) && errno == EINTR) {
                clearerr(file);
                continue;
            }
            break;
        }
        total += got;
    }
    return total;
}

/* Follows the chunk structure of `length` bytes about to go to libpng, which reads every chunk
 * header before the chunk's data: a length past PNG's 2^31 - 1, or an ancillary chunk longer
 * than PNGSHIM_MAX_ANCILLARY_CHUNK, is an error before libpng allocates anything for it. */
static void check_chunks(png_structp png, pngshim_reader *reader, const unsigned char *bytes, size_t length) {
    while (length > 0) {
        if (reader->chunk_left > 0) {
            uint64_t skip = reader->chunk_left < length ? reader->chunk_left : length;
            reader->chunk_left -= skip;
            reader->offset += skip;
            bytes += skip;
            length -= (size_t)skip;
            continue;
        }
        reader->chunk_header[reader->chunk_header_fill++] = *bytes++;
        length--;
        if (reader->chunk_header_fill < sizeof reader->chunk_header) continue;
        reader->chunk_header_fill = 0;
        uint32_t declared = big_endian_32(reader->chunk_header);
        char type[5];
        for (int i = 0; i < 4; i++) {
            unsigned char c = reader->chunk_header[4 + i];
            type[i] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ? (char)c : '?';
        }
        type[4] = '\0';
        int ancillary = (reader->chunk_header[4] & 0x20) != 0;
        const char *problem = declared > 0x7fffffffu ? "more than PNG allows (2^31 - 1)"
                            : ancillary && declared > PNGSHIM_MAX_ANCILLARY_CHUNK ? "more than the 8 MB allowed for an ancillary chunk"
                            : NULL;
        if (problem != NULL) {
            char text[PNGSHIM_MESSAGE_CAPACITY];
            snprintf(text, sizeof text, "the %s chunk at byte offset %llu declares %lu bytes of data, %s", type,
                     (unsigned long long)reader->offset, (unsigned long)declared, problem);
            record(&reader->diagnostics, PNGSHIM_ERR_CORRUPT, text);
            png_error(png, text);
        }
        reader->offset += sizeof reader->chunk_header;
        reader->chunk_left = (uint64_t)declared + 4; /* data and CRC */
    }
}

/* libpng's read callback: first the peeked IHDR bytes, then the file; every byte through
 * check_chunks. */
static void on_read(png_structp png, png_bytep data, size_t length) {
    pngshim_reader *reader = (pngshim_reader *)png_get_io_ptr(png);
    png_bytep start = data;
    size_t requested = length;
    while (length > 0 && reader->prefix_offset < sizeof reader->prefix) {
        *data++ = reader->prefix[reader->prefix_offset++];
        length--;
    }
    if (length == 0 || read_up_to(reader->file, data, length) == length) {
        check_chunks(png, reader, start, requested);
        return;
    }
    if (ferror(reader->file)) {
        char text[PNGSHIM_MESSAGE_CAPACITY];
        snprintf(text, sizeof text, "read failed: %s", strerror(errno));
        record(&reader->diagnostics, PNGSHIM_ERR_IO, text);
        png_error(png, text);
    }
    record(&reader->diagnostics, PNGSHIM_ERR_TRUNCATED, "unexpected end of file");
    png_error(png, "unexpected end of file");
}

int pngshim_reader_open(const char *path, pngshim_reader **reader_out,
                        uint32_t *width, uint32_t *height, char *message, size_t message_capacity) {
    if (reader_out == NULL || path == NULL || width == NULL || height == NULL) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "missing argument");
    }
    *reader_out = NULL;
    *width = 0;
    *height = 0;

    pngshim_reader *reader = calloc(1, sizeof *reader);
    if (reader == NULL) return fail(message, message_capacity, PNGSHIM_ERR_NO_MEMORY, "out of memory");

    char text[PNGSHIM_MESSAGE_CAPACITY];
    reader->file = fopen(path, "rb");
    if (reader->file == NULL) {
        snprintf(text, sizeof text, "cannot open: %s", strerror(errno));
        pngshim_reader_destroy(reader);
        return fail(message, message_capacity, PNGSHIM_ERR_IO, text);
    }
    struct stat status;
    if (fstat(fileno(reader->file), &status) == 0 && S_ISDIR(status.st_mode)) {
        pngshim_reader_destroy(reader);
        return fail(message, message_capacity, PNGSHIM_ERR_IO, "it is a folder, not a file");
    }

    unsigned char signature[8];
    size_t got = read_up_to(reader->file, signature, sizeof signature);
    if (ferror(reader->file)) {
        snprintf(text, sizeof text, "read failed: %s", strerror(errno));
        pngshim_reader_destroy(reader);
        return fail(message, message_capacity, PNGSHIM_ERR_IO, text);
    }
    if (got == 0) {
        pngshim_reader_destroy(reader);
        return fail(message, message_capacity, PNGSHIM_ERR_EMPTY, "the file is empty");
    }
    if (png_sig_cmp(signature, 0, got) != 0) {
        pngshim_reader_destroy(reader);
        return fail(message, message_capacity, PNGSHIM_ERR_NOT_PNG, "the file does not start with the PNG signature");
    }
    if (got < sizeof signature) {
        pngshim_reader_destroy(reader);
        return fail(message, message_capacity, PNGSHIM_ERR_TRUNCATED, "the file ends inside the PNG signature");
    }

    got = read_up_to(reader->file, reader->prefix, sizeof reader->prefix);
    if (got < sizeof reader->prefix) {
        int code = ferror(reader->file) ? PNGSHIM_ERR_IO : PNGSHIM_ERR_TRUNCATED;
        if (code == PNGSHIM_ERR_IO) snprintf(text, sizeof text, "read failed: %s", strerror(errno));
        else copy_text(text, sizeof text, "the file ends before the end of the IHDR header");
        pngshim_reader_destroy(reader);
        return fail(message, message_capacity, code, text);
    }
    if (big_endian_32(reader->prefix) != 13 || memcmp(reader->prefix + 4, "IHDR", 4) != 0) {
        pngshim_reader_destroy(reader);
        return fail(message, message_capacity, PNGSHIM_ERR_CORRUPT,
                    "the first chunk is not a 13-byte IHDR header");
    }
    *width = big_endian_32(reader->prefix + 8);
    *height = big_endian_32(reader->prefix + 12);

    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader->diagnostics, on_error, on_warning);
    if (reader->png != NULL) reader->info = png_create_info_struct(reader->png);
    if (reader->png == NULL || reader->info == NULL) {
        pngshim_reader_destroy(reader);
        return fail(message, message_capacity, PNGSHIM_ERR_NO_MEMORY, "libpng could not allocate its read structures");
    }
    reader->offset = 8; /* the signature, read above */
    png_set_read_fn(reader->png, reader, on_read);
    png_set_sig_bytes(reader->png, 8);
    *reader_out = reader;
    return PNGSHIM_OK;
}

int pngshim_reader_read_header(pngshim_reader *reader, uint32_t max_width, uint32_t max_height,
                               pngshim_read_info *info, char *message, size_t message_capacity) {
    if (reader == NULL || info == NULL || reader->failed || reader->header_read) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "the reader has failed or already read the header");
    }
    memset(info, 0, sizeof *info);
    /* libpng's own limits, a second line behind the caller's pixel limit. These setters never
     * raise a libpng error, so they may run before the jump buffer is set. */
    if (max_width == 0 || max_width > PNGSHIM_MAX_DIMENSION) max_width = PNGSHIM_MAX_DIMENSION;
    if (max_height == 0 || max_height > PNGSHIM_MAX_DIMENSION) max_height = PNGSHIM_MAX_DIMENSION;
    png_set_user_limits(reader->png, max_width, max_height);
    png_set_chunk_cache_max(reader->png, 1000);       /* ancillary chunks kept, at most */
    png_set_chunk_malloc_max(reader->png, 8u << 20); /* bytes for one ancillary chunk, at most */

    if (setjmp(png_jmpbuf(reader->png))) {
        reader->failed = 1;
        return report(&reader->diagnostics, message, message_capacity);
    }
    png_structp png = reader->png;
    png_infop png_info = reader->info;

    png_read_info(png, png_info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(png, png_info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    info->width = width;
    info->height = height;
    info->bit_depth = bit_depth;
    info->color_type = color_type;
    info->interlaced = interlace != PNG_INTERLACE_NONE;
    info->has_transparency = png_get_valid(png, png_info, PNG_INFO_tRNS) != 0;

    png_uint_32 x = 0, y = 0;
    int unit = 0;
    if (png_get_pHYs(png, png_info, &x, &y, &unit) != 0) {
        info->has_phys = 1;
        info->phys_x = x;
        info->phys_y = y;
        info->phys_unit_is_metre = unit == PNG_RESOLUTION_METER;
    }

    /* Every PNG becomes 8-bit RGBA. No gamma or colour-space conversion: values as stored. */
    png_set_expand(png); /* palette -> RGB, grey < 8 bits -> 8 bits, tRNS -> alpha */
    if (bit_depth == 16) png_set_scale_16(png); /* rounds 16 -> 8 (v * 255 / 65535) */
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    if ((color_type & PNG_COLOR_MASK_ALPHA) == 0 && !info->has_transparency) {
        png_set_filler(png, 0xff, PNG_FILLER_AFTER); /* opaque alpha */
    }
    reader->passes = png_set_interlace_handling(png);
    png_read_update_info(png, png_info);

    info->output_row_bytes = png_get_rowbytes(png, png_info);
    if (png_get_bit_depth(png, png_info) != 8 || png_get_channels(png, png_info) != 4 ||
        info->output_row_bytes != (size_t)width * 4) {
        record(&reader->diagnostics, PNGSHIM_ERR_LIBPNG, "could not convert the image to 8-bit RGBA");
        png_error(png, "could not convert the image to 8-bit RGBA");
    }
    reader->height = height;
    reader->row_bytes = info->output_row_bytes;
    reader->header_read = 1;
    return PNGSHIM_OK;
}

int pngshim_reader_read_image(pngshim_reader *reader, uint8_t *pixels, size_t pixels_capacity,
                              char *message, size_t message_capacity) {
    if (reader == NULL || reader->failed || !reader->header_read || reader->image_read) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "read the header first, and the image once");
    }
    if (pixels == NULL || reader->row_bytes == 0 || pixels_capacity / reader->row_bytes < reader->height) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "the pixel buffer is too small");
    }
    if (setjmp(png_jmpbuf(reader->png))) {
        reader->failed = 1;
        return report(&reader->diagnostics, message, message_capacity);
    }
    /* Row by row (every pass for Adam7), so no array of row pointers the size of the image. */
    for (int pass = 0; pass < reader->passes; pass++) {
        for (uint32_t row = 0; row < reader->height; row++) {
            png_read_row(reader->png, pixels + (size_t)row * reader->row_bytes, NULL);
        }
    }
    /* Reads the chunks after the image up to IEND: text there, and a truncated tail, are seen. */
    png_read_end(reader->png, reader->info);
    reader->image_read = 1;
    return PNGSHIM_OK;
}

size_t pngshim_reader_text_count(const pngshim_reader *reader) {
    if (reader == NULL || reader->png == NULL || reader->info == NULL) return 0;
    png_textp texts = NULL;
    int count = png_get_text(reader->png, reader->info, &texts, NULL);
    return count > 0 ? (size_t)count : 0;
}

int pngshim_reader_text(const pngshim_reader *reader, size_t index, const char **key,
                        const char **value, size_t *value_length, int *value_is_utf8) {
    if (reader == NULL || reader->png == NULL || reader->info == NULL || key == NULL || value == NULL ||
        value_length == NULL || value_is_utf8 == NULL) {
        return PNGSHIM_ERR_USAGE;
    }
    png_textp texts = NULL;
    int count = png_get_text(reader->png, reader->info, &texts, NULL);
    if (count <= 0 || index >= (size_t)count) return PNGSHIM_ERR_USAGE;
    png_textp text = &texts[index];
    *key = text->key;
    *value = text->text != NULL ? text->text : "";
    int is_utf8 = text->compression == PNG_ITXT_COMPRESSION_NONE || text->compression == PNG_ITXT_COMPRESSION_zTXt;
    *value_length = text->text == NULL ? 0 : is_utf8 ? text->itxt_length : text->text_length;
    *value_is_utf8 = is_utf8;
    return PNGSHIM_OK;
}

void pngshim_reader_destroy(pngshim_reader *reader) {
    if (reader == NULL) return;
    if (reader->png != NULL) {
        png_destroy_read_struct(&reader->png, reader->info != NULL ? &reader->info : NULL, NULL);
    }
    if (reader->file != NULL) fclose(reader->file);
    free(reader);
}
