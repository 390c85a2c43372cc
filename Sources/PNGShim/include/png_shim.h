/*
 * png_shim.h — the setjmp-guarded boundary between Swift and libpng.
 *
 * libpng reports errors by longjmp, which must never cross a Swift frame. Every
 * function here sets up setjmp(png_jmpbuf(...)) before calling into libpng and
 * turns a libpng error into a PNGSHIM_ERR_* code plus a message copied into the
 * caller's buffer. libpng warnings are collected (and appended to a later error
 * message), never printed.
 *
 * This header deliberately does not include <png.h>: Swift sees only these types.
 * After any error a writer or reader is unusable; destroy it.
 */
#ifndef PNG_SHIM_H
#define PNG_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes. */
#define PNGSHIM_OK 0
#define PNGSHIM_ERR_LIBPNG 1    /* libpng rejected the data (bad CRC, bad zlib stream, invalid header...) */
#define PNGSHIM_ERR_IO 2        /* a read/write/open system call failed; the message has strerror */
#define PNGSHIM_ERR_TRUNCATED 3 /* the file ended before the PNG did */
#define PNGSHIM_ERR_NOT_PNG 4   /* the first 8 bytes are not the PNG signature */
#define PNGSHIM_ERR_EMPTY 5     /* the file has no bytes */
#define PNGSHIM_ERR_CORRUPT 6   /* structure error found by the shim (e.g. first chunk not IHDR) */
#define PNGSHIM_ERR_NO_MEMORY 7 /* libpng could not allocate its structures */
#define PNGSHIM_ERR_USAGE 8     /* bad argument, or called in the wrong state */

/* Room for a message including collected warnings; longer messages are cut. */
#define PNGSHIM_MESSAGE_CAPACITY 512

/* Row filters (same bits as libpng's PNG_FILTER_*). */
#define PNGSHIM_FILTER_NONE 0x08
#define PNGSHIM_FILTER_SUB 0x10
#define PNGSHIM_FILTER_UP 0x20
#define PNGSHIM_FILTER_AVG 0x40
#define PNGSHIM_FILTER_PAETH 0x80

/* zlib strategies (same values as zlib's Z_*). */
#define PNGSHIM_STRATEGY_DEFAULT 0
#define PNGSHIM_STRATEGY_FILTERED 1
#define PNGSHIM_STRATEGY_HUFFMAN_ONLY 2
#define PNGSHIM_STRATEGY_RLE 3
#define PNGSHIM_STRATEGY_FIXED 4

/* IHDR colour types (same values as the PNG specification). */
#define PNGSHIM_COLOR_GRAY 0
#define PNGSHIM_COLOR_RGB 2
#define PNGSHIM_COLOR_PALETTE 3
#define PNGSHIM_COLOR_GRAY_ALPHA 4
#define PNGSHIM_COLOR_RGBA 6

/* ---------------------------------------------------------------- writing */

typedef struct pngshim_writer pngshim_writer;

/* One text chunk. Both strings are NUL-terminated. */
typedef struct {
    const char *key;   /* Latin-1, 1–79 bytes, validated by the caller */
    const char *value; /* Latin-1 (tEXt) or UTF-8 (iTXt) */
    int utf8;          /* nonzero: write an uncompressed iTXt chunk with a UTF-8 value */
} pngshim_text;

typedef struct {
    uint32_t width;            /* 1 ... 2^31-1 */
    uint32_t height;           /* 1 ... 2^31-1 */
    int channels;              /* 1 grey, 3 RGB, 4 RGBA; 8 bits per channel */
    int zlib_level;            /* 0 ... 9 */
    int zlib_strategy;         /* PNGSHIM_STRATEGY_* */
    int zlib_memory_level;     /* 1 ... 9 */
    int filters;               /* nonzero mask of PNGSHIM_FILTER_* */
    uint32_t pixels_per_metre; /* 0: no pHYs chunk; otherwise pHYs x = y = this, unit metre */
    const pngshim_text *texts; /* written before the image data */
    size_t text_count;
} pngshim_write_options;

/*
 * Starts a PNG on `fd` (an open, writable file the caller keeps owning and closes):
 * writes the signature, IHDR, pHYs and text chunks. On error *writer_out is NULL.
 */
int pngshim_writer_create(int fd, const pngshim_write_options *options,
                          pngshim_writer **writer_out, char *message, size_t message_capacity);

/* Appends `row_count` rows, each width*channels bytes, contiguous in `rows`. */
int pngshim_writer_write_rows(pngshim_writer *writer, const uint8_t *rows, size_t row_count,
                              char *message, size_t message_capacity);

/* Writes IEND and flushes every byte to the file descriptor (no fsync, no close). */
int pngshim_writer_finish(pngshim_writer *writer, char *message, size_t message_capacity);

/*
 * For IDAT deflated elsewhere (png_deflate.h) instead of through write_rows: appends one IDAT
 * chunk holding `length` bytes of the zlib stream (libpng frames it and computes its CRC).
 */
int pngshim_writer_write_idat(pngshim_writer *writer, const uint8_t *bytes, size_t length,
                              char *message, size_t message_capacity);

/*
 * Ends a PNG whose IDAT came through write_idat: writes IEND and flushes every byte to the file
 * descriptor (no fsync, no close). libpng's png_write_end refuses a file whose image data its
 * own compressor did not write, so IEND goes through png_write_chunk like the IDAT chunks.
 */
int pngshim_writer_finish_idat(pngshim_writer *writer, char *message, size_t message_capacity);

/* Frees libpng's structures. Does not close the file descriptor. NULL is allowed. */
void pngshim_writer_destroy(pngshim_writer *writer);

/* ---------------------------------------------------------------- reading */

typedef struct pngshim_reader pngshim_reader;

/* What the header chunks say, and the decoded row size. */
typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;          /* as stored: 1, 2, 4, 8 or 16 */
    int color_type;         /* as stored: PNGSHIM_COLOR_* */
    int interlaced;         /* nonzero for Adam7 */
    int has_transparency;   /* a tRNS chunk is present */
    int has_phys;           /* a pHYs chunk is present */
    uint32_t phys_x;        /* pixels per unit, x */
    uint32_t phys_y;        /* pixels per unit, y */
    int phys_unit_is_metre; /* pHYs unit: 1 metre, 0 unknown (aspect ratio only) */
    size_t output_row_bytes; /* bytes per decoded row: width * 4 (RGBA, 8 bits) */
} pngshim_read_info;

/*
 * Opens `path`, checks the PNG signature, and reads the width and height from the
 * IHDR bytes without validating anything else, so that the caller can check them
 * against its pixel limit before libpng allocates anything for the image.
 */
int pngshim_reader_open(const char *path, pngshim_reader **reader_out,
                        uint32_t *width, uint32_t *height, char *message, size_t message_capacity);

/*
 * Sets libpng's limits (max_width, max_height, at most 2^31-1 each), reads the
 * chunks before the image data, and sets the transformations that turn every
 * PNG into 8-bit RGBA.
 */
int pngshim_reader_read_header(pngshim_reader *reader, uint32_t max_width, uint32_t max_height,
                               pngshim_read_info *info, char *message, size_t message_capacity);

/*
 * Decodes the whole image into `pixels` (height rows of info.output_row_bytes,
 * no padding; pixels_capacity must be at least that), then reads the chunks
 * after it up to IEND.
 */
int pngshim_reader_read_image(pngshim_reader *reader, uint8_t *pixels, size_t pixels_capacity,
                              char *message, size_t message_capacity);

/* Text chunks (tEXt, zTXt, iTXt) seen so far, in file order. */
size_t pngshim_reader_text_count(const pngshim_reader *reader);

/* The index-th text chunk; the pointers live as long as the reader. */
int pngshim_reader_text(const pngshim_reader *reader, size_t index, const char **key,
                        const char **value, size_t *value_length, int *value_is_utf8);

/* Frees libpng's structures and closes the file. NULL is allowed. */
void pngshim_reader_destroy(pngshim_reader *reader);

#ifdef __cplusplus
}
#endif

#endif /* PNG_SHIM_H */
