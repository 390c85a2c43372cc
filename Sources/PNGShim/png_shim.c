/*
 * png_shim.c — the only code that calls libpng.
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

/* The largest width or height the PNG specification allows. */
#define PNGSHIM_MAX_DIMENSION 0x7fffffffu

/* ------------------------------------------------------------ diagnostics */

/* Where libpng's callbacks leave what went wrong. The png struct's error_ptr. */
typedef struct {
    int code; /* PNGSHIM_OK until the first error */
    char message[PNGSHIM_MESSAGE_CAPACITY];
    char warnings[PNGSHIM_MESSAGE_CAPACITY];
} pngshim_diagnostics;

static void copy_text(char *destination, size_t capacity, const char *text) {
    if (destination == NULL || capacity == 0) return;
    if (text == NULL) text = "";
    size_t length = strlen(text);
    if (length >= capacity) length = capacity - 1;
    memcpy(destination, text, length);
    destination[length] = '\0';
}

/* Records the first error only: the root cause, not its consequences. */
static void record(pngshim_diagnostics *diagnostics, int code, const char *message) {
    if (diagnostics->code != PNGSHIM_OK) return;
    diagnostics->code = code;
    copy_text(diagnostics->message, sizeof diagnostics->message, message);
}

/* Copies the error and any collected warnings to the caller; returns the code. */
static int report(const pngshim_diagnostics *diagnostics, char *message, size_t capacity) {
    if (message != NULL && capacity > 0) {
        if (diagnostics->warnings[0] != '\0') {
            snprintf(message, capacity, "%s (warnings: %s)", diagnostics->message, diagnostics->warnings);
        } else {
            copy_text(message, capacity, diagnostics->message);
        }
    }
    return diagnostics->code;
}

static int fail(char *message, size_t capacity, int code, const char *text) {
    copy_text(message, capacity, text);
    return code;
}

/* libpng's error callback: must not return. */
static void on_error(png_structp png, png_const_charp text) {
    pngshim_diagnostics *diagnostics = (pngshim_diagnostics *)png_get_error_ptr(png);
    if (diagnostics != NULL) record(diagnostics, PNGSHIM_ERR_LIBPNG, text);
    png_longjmp(png, 1);
}

/* libpng's warning callback: appends to the handle's warnings, never prints. */
static void on_warning(png_structp png, png_const_charp text) {
    pngshim_diagnostics *diagnostics = (pngshim_diagnostics *)png_get_error_ptr(png);
    if (diagnostics == NULL || text == NULL) return;
    size_t used = strlen(diagnostics->warnings);
    size_t room = sizeof diagnostics->warnings - used;
    if (room <= 1) return;
    snprintf(diagnostics->warnings + used, room, "%s%s", used > 0 ? "; " : "", text);
}

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
