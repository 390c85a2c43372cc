/*
 * png_shim.c — the only code that calls libpng: this file writes, png_shim_read.c reads.
 *
 * Pattern of every entry point: check the handle's state, setjmp(png_jmpbuf(png)),
 * call libpng. libpng's error callback records the message in the handle's
 * diagnostics and longjmps back to that setjmp, which marks the handle failed and
 * returns an error code with the message copied to the caller. Nothing longjmps
 * past the function that set the jump buffer, so no Swift frame is ever crossed.
 */
#define _POSIX_C_SOURCE 200809L /* fileno, fstat */

#include "png_shim.h"

#include <png.h>
#include <zlib.h>

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "png_shim_diagnostics.h"

_Static_assert(PNGSHIM_FILTER_NONE == PNG_FILTER_NONE, "filter bits follow libpng");
_Static_assert(PNGSHIM_FILTER_SUB == PNG_FILTER_SUB, "filter bits follow libpng");
_Static_assert(PNGSHIM_FILTER_UP == PNG_FILTER_UP, "filter bits follow libpng");
_Static_assert(PNGSHIM_FILTER_AVG == PNG_FILTER_AVG, "filter bits follow libpng");
_Static_assert(PNGSHIM_FILTER_PAETH == PNG_FILTER_PAETH, "filter bits follow libpng");
_Static_assert(PNGSHIM_STRATEGY_DEFAULT == Z_DEFAULT_STRATEGY, "strategies follow zlib");
_Static_assert(PNGSHIM_STRATEGY_FILTERED == Z_FILTERED, "strategies follow zlib");
_Static_assert(PNGSHIM_STRATEGY_HUFFMAN_ONLY == Z_HUFFMAN_ONLY, "strategies follow zlib");
_Static_assert(PNGSHIM_STRATEGY_RLE == Z_RLE, "strategies follow zlib");
_Static_assert(PNGSHIM_STRATEGY_FIXED == Z_FIXED, "strategies follow zlib");
_Static_assert(PNGSHIM_COLOR_GRAY == PNG_COLOR_TYPE_GRAY, "colour types follow PNG");
_Static_assert(PNGSHIM_COLOR_RGB == PNG_COLOR_TYPE_RGB, "colour types follow PNG");
_Static_assert(PNGSHIM_COLOR_PALETTE == PNG_COLOR_TYPE_PALETTE, "colour types follow PNG");
_Static_assert(PNGSHIM_COLOR_GRAY_ALPHA == PNG_COLOR_TYPE_GRAY_ALPHA, "colour types follow PNG");
_Static_assert(PNGSHIM_COLOR_RGBA == PNG_COLOR_TYPE_RGB_ALPHA, "colour types follow PNG");

/* ---------------------------------------------------------------- writing */

#define PNGSHIM_WRITE_BUFFER 65536

struct pngshim_writer {
    pngshim_diagnostics diagnostics;
    png_structp png;
    png_infop info;
    int fd;
    int failed;
    int finished;
    size_t row_bytes;
    uint32_t height;
    uint32_t rows_written;
    int idat_written; /* IDAT came through pngshim_writer_write_idat, so rows may not */
    size_t buffered;
    unsigned char buffer[PNGSHIM_WRITE_BUFFER];
};

/* Writes all bytes, retrying short writes and EINTR; returns 0 or an errno. */
static int write_all(int fd, const unsigned char *bytes, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        if (written == 0) return EIO;
        bytes += written;
        length -= (size_t)written;
    }
    return 0;
}

static void raise_write_error(png_structp png, pngshim_writer *writer, int error_number) {
    char text[PNGSHIM_MESSAGE_CAPACITY];
    snprintf(text, sizeof text, "write failed: %s", strerror(error_number));
    record(&writer->diagnostics, PNGSHIM_ERR_IO, text);
    png_error(png, text);
}

static void flush_buffer(png_structp png, pngshim_writer *writer) {
    if (writer->buffered == 0) return;
    int error_number = write_all(writer->fd, writer->buffer, writer->buffered);
    writer->buffered = 0;
    if (error_number != 0) raise_write_error(png, writer, error_number);
}

/* libpng's write callback: buffers, so that each chunk is not four system calls. */
static void on_write(png_structp png, png_bytep data, size_t length) {
    pngshim_writer *writer = (pngshim_writer *)png_get_io_ptr(png);
    if (writer->buffered + length > sizeof writer->buffer) flush_buffer(png, writer);
    if (length >= sizeof writer->buffer) {
        int error_number = write_all(writer->fd, data, length);
        if (error_number != 0) raise_write_error(png, writer, error_number);
        return;
    }
    memcpy(writer->buffer + writer->buffered, data, length);
    writer->buffered += length;
}

static void on_flush(png_structp png) {
    flush_buffer(png, (pngshim_writer *)png_get_io_ptr(png));
}

static int writer_options_error(const pngshim_write_options *options) {
    if (options->width == 0 || options->width > PNGSHIM_MAX_DIMENSION) return 1;
    if (options->height == 0 || options->height > PNGSHIM_MAX_DIMENSION) return 1;
    if (options->channels != 1 && options->channels != 3 && options->channels != 4) return 1;
    if (options->zlib_level < 0 || options->zlib_level > 9) return 1;
    if (options->zlib_strategy < 0 || options->zlib_strategy > 4) return 1;
    if (options->zlib_memory_level < 1 || options->zlib_memory_level > 9) return 1;
    if ((options->filters & ~PNG_ALL_FILTERS) != 0 || (options->filters & PNG_ALL_FILTERS) == 0) return 1;
    if (options->pixels_per_metre > PNGSHIM_MAX_DIMENSION) return 1;
    if (options->text_count > 0 && options->texts == NULL) return 1;
    return 0;
}

int pngshim_writer_create(int fd, const pngshim_write_options *options,
                          pngshim_writer **writer_out, char *message, size_t message_capacity) {
    if (writer_out == NULL) return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "no place for the writer");
    *writer_out = NULL;
    if (fd < 0 || options == NULL || writer_options_error(options)) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "invalid writer options");
    }

    pngshim_writer *writer = calloc(1, sizeof *writer);
    if (writer == NULL) return fail(message, message_capacity, PNGSHIM_ERR_NO_MEMORY, "out of memory");
    writer->fd = fd;
    writer->height = options->height;
    writer->row_bytes = (size_t)options->width * (size_t)options->channels;

    writer->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer->diagnostics, on_error, on_warning);
    if (writer->png != NULL) writer->info = png_create_info_struct(writer->png);
    if (writer->png == NULL || writer->info == NULL) {
        pngshim_writer_destroy(writer);
        return fail(message, message_capacity, PNGSHIM_ERR_NO_MEMORY, "libpng could not allocate its write structures");
    }

    /* png_text holds non-const pointers; libpng only reads them while writing. */
    png_textp texts = NULL;
    if (options->text_count > 0) {
        texts = calloc(options->text_count, sizeof *texts);
        if (texts == NULL) {
            pngshim_writer_destroy(writer);
            return fail(message, message_capacity, PNGSHIM_ERR_NO_MEMORY, "out of memory");
        }
    }

    /* `texts` is not modified between setjmp and a longjmp, so it need not be volatile. */
    if (setjmp(png_jmpbuf(writer->png))) {
        int code = report(&writer->diagnostics, message, message_capacity);
        free(texts);
        pngshim_writer_destroy(writer);
        return code;
    }

    png_set_write_fn(writer->png, writer, on_write, on_flush);
    /* Only the specification's limits apply when writing (libpng's default user limit is 10^6). */
    png_set_user_limits(writer->png, PNGSHIM_MAX_DIMENSION, PNGSHIM_MAX_DIMENSION);

    int color_type = options->channels == 1 ? PNG_COLOR_TYPE_GRAY
                   : options->channels == 3 ? PNG_COLOR_TYPE_RGB
                                            : PNG_COLOR_TYPE_RGB_ALPHA;
    png_set_IHDR(writer->png, writer->info, options->width, options->height, 8, color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (options->pixels_per_metre > 0) {
        png_set_pHYs(writer->png, writer->info, options->pixels_per_metre, options->pixels_per_metre,
                     PNG_RESOLUTION_METER);
    }
    for (size_t index = 0; index < options->text_count; index++) {
        const pngshim_text *text = &options->texts[index];
        texts[index].compression = text->utf8 ? PNG_ITXT_COMPRESSION_NONE : PNG_TEXT_COMPRESSION_NONE;
        texts[index].key = (png_charp)text->key;
        texts[index].text = (png_charp)text->value;
        texts[index].text_length = strlen(text->value);
    }
    if (options->text_count > 0) png_set_text(writer->png, writer->info, texts, (int)options->text_count);

    png_set_compression_level(writer->png, options->zlib_level);
    png_set_compression_strategy(writer->png, options->zlib_strategy);
    png_set_compression_mem_level(writer->png, options->zlib_memory_level);
    /* Bigger IDAT chunks: fewer 12-byte chunk overheads and write callbacks. */
    png_set_compression_buffer_size(writer->png, 65536);
    png_set_filter(writer->png, PNG_FILTER_TYPE_BASE, options->filters);

    png_write_info(writer->png, writer->info);

    free(texts); /* png_set_text copied the strings */
    *writer_out = writer;
    return PNGSHIM_OK;
}

int pngshim_writer_write_rows(pngshim_writer *writer, const uint8_t *rows, size_t row_count,
                              char *message, size_t message_capacity) {
    if (writer == NULL || writer->failed || writer->finished || writer->idat_written) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "the writer has failed or finished, or takes IDAT");
    }
    if (row_count == 0) return PNGSHIM_OK;
    if (rows == NULL || row_count > (size_t)(writer->height - writer->rows_written)) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "more rows than the image height");
    }
    if (setjmp(png_jmpbuf(writer->png))) {
        writer->failed = 1;
        return report(&writer->diagnostics, message, message_capacity);
    }
    for (size_t index = 0; index < row_count; index++) {
        png_write_row(writer->png, rows + index * writer->row_bytes);
        writer->rows_written++;
    }
    return PNGSHIM_OK;
}

int pngshim_writer_finish(pngshim_writer *writer, char *message, size_t message_capacity) {
    if (writer == NULL || writer->failed || writer->finished) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "the writer has failed or finished");
    }
    if (writer->rows_written != writer->height) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "not all rows were written");
    }
    if (setjmp(png_jmpbuf(writer->png))) {
        writer->failed = 1;
        return report(&writer->diagnostics, message, message_capacity);
    }
    png_write_end(writer->png, NULL);
    flush_buffer(writer->png, writer);
    writer->finished = 1;
    return PNGSHIM_OK;
}

int pngshim_writer_write_idat(pngshim_writer *writer, const uint8_t *bytes, size_t length,
                              char *message, size_t message_capacity) {
    if (writer == NULL || writer->failed || writer->finished || writer->rows_written != 0) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "the writer has failed, finished or takes rows");
    }
    if (length == 0) return PNGSHIM_OK;
    if (bytes == NULL || length > PNG_UINT_31_MAX) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "an IDAT chunk of no data or over 2^31-1 bytes");
    }
    if (setjmp(png_jmpbuf(writer->png))) {
        writer->failed = 1;
        return report(&writer->diagnostics, message, message_capacity);
    }
    static const png_byte idat[5] = {'I', 'D', 'A', 'T', '\0'};
    png_write_chunk(writer->png, idat, bytes, length);
    writer->idat_written = 1;
    return PNGSHIM_OK;
}

int pngshim_writer_finish_idat(pngshim_writer *writer, char *message, size_t message_capacity) {
    if (writer == NULL || writer->failed || writer->finished || !writer->idat_written) {
        return fail(message, message_capacity, PNGSHIM_ERR_USAGE, "no IDAT written, or the writer has failed or finished");
    }
    if (setjmp(png_jmpbuf(writer->png))) {
        writer->failed = 1;
        return report(&writer->diagnostics, message, message_capacity);
    }
    static const png_byte iend[5] = {'I', 'E', 'N', 'D', '\0'};
    png_write_chunk(writer->png, iend, NULL, 0);
    flush_buffer(writer->png, writer);
    writer->finished = 1;
    return PNGSHIM_OK;
}

void pngshim_writer_destroy(pngshim_writer *writer) {
    if (writer == NULL) return;
    if (writer->png != NULL) {
        png_destroy_write_struct(&writer->png, writer->info != NULL ? &writer->info : NULL);
    }
    free(writer);
}
