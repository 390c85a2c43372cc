/*
 * png_deflate.c — filtering and deflating one piece of an image's IDAT stream (png_deflate.h).
 * zlib or ISA-L; nothing here calls libpng, so no longjmp can happen.
 */
#include "png_deflate.h"
#include "png_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <isa-l/igzip_lib.h>

struct pngshim_deflater {
    int library;
    z_stream stream;        /* zlib's state */
    int smooth_pieces_rle;  /* ISA-L, with smooth pieces by zlib RLE in `stream` */
    struct isal_zstream isal; /* ISA-L's state, with its level buffer */
    uint8_t *isal_level_buffer;
    int level;
    int strategy;
    uint8_t *filtered; /* the piece's lead and rows, filtered */
    size_t filtered_capacity;
};

static size_t isal_level_buffer_size(int level) {
    switch (level) {
    case 0: return ISAL_DEF_LVL0_DEFAULT;
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    default: return ISAL_DEF_LVL3_DEFAULT;
    }
}

pngshim_deflater *pngshim_deflater_create(int library, int level, int strategy, int memory_level,
                                          int smooth_pieces_rle) {
    if (library != PNGSHIM_DEFLATE_ZLIB && library != PNGSHIM_DEFLATE_ISAL) return NULL;
    pngshim_deflater *deflater = calloc(1, sizeof *deflater);
    if (deflater == NULL) return NULL;
    deflater->library = library;
    deflater->level = level;
    deflater->strategy = strategy;
    if (library == PNGSHIM_DEFLATE_ISAL) {
        if (level < ISAL_DEF_MIN_LEVEL || level > ISAL_DEF_MAX_LEVEL) {
            free(deflater);
            return NULL;
        }
        size_t size = isal_level_buffer_size(level);
        deflater->isal_level_buffer = malloc(size);
        if (deflater->isal_level_buffer == NULL) {
            free(deflater);
            return NULL;
        }
        isal_deflate_init(&deflater->isal);
        deflater->isal.level = (uint32_t)level;
        deflater->isal.level_buf = deflater->isal_level_buffer;
        deflater->isal.level_buf_size = (uint32_t)size;
        deflater->isal.gzip_flag = IGZIP_DEFLATE; /* raw: one zlib header and trailer around all pieces */
        if (smooth_pieces_rle) {
            if (deflateInit2(&deflater->stream, 1, Z_DEFLATED, -15, 8, Z_RLE) != Z_OK) {
                free(deflater->isal_level_buffer);
                free(deflater);
                return NULL;
            }
            deflater->smooth_pieces_rle = 1;
        }
        return deflater;
    }
    /* Raw deflate (negative window bits): the pieces are joined under one zlib header and trailer. */
    if (deflateInit2(&deflater->stream, level, Z_DEFLATED, -15, memory_level, strategy) != Z_OK) {
        free(deflater);
        return NULL;
    }
    return deflater;
}

void pngshim_deflater_destroy(pngshim_deflater *deflater) {
    if (deflater == NULL) return;
    if (deflater->library == PNGSHIM_DEFLATE_ZLIB || deflater->smooth_pieces_rle) deflateEnd(&deflater->stream);
    free(deflater->isal_level_buffer);
    free(deflater->filtered);
    free(deflater);
}

size_t pngshim_piece_bound(int library, int level, size_t row_count, size_t row_bytes) {
    size_t length = row_count * (row_bytes + 1);
    if (library == PNGSHIM_DEFLATE_ISAL) {
        /* ISA-L documents no bound. Its level 0 codes every literal with fixed tables, whose
         * longest codes are 15 bits; levels 1-3 fall back to stored blocks when coding does not
         * pay (random bytes: 1.0001 of the input, against level 0's 1.23). Plus block framing. */
        return level == 0 ? length + length / 8 * 7 + 4096 : length + length / 64 + 4096;
    }
    /* zlib's deflateBound for the default settings plus stored-block framing for any others,
     * the zlib header and the sync flush's empty stored block. */
    return length + length / 1000 * 5 + (length >> 12) + (length >> 14) + (length >> 25) + 64;
}

/* ------------------------------------------------------------ filtering */

static inline uint8_t paeth(uint8_t a, uint8_t b, uint8_t c) {
    int p = (int)a + (int)b - (int)c;
    int pa = abs(p - (int)a), pb = abs(p - (int)b), pc = abs(p - (int)c);
    if (pa <= pb && pa <= pc) return a;
    return pb <= pc ? b : c;
}

/* Writes `row` filtered with `type` (0 none ... 4 Paeth) to out (row_bytes bytes). */
static void filter_row(int type, const uint8_t *above, const uint8_t *row, size_t row_bytes, size_t bpp,
                       uint8_t *out) {
    size_t lead = bpp < row_bytes ? bpp : row_bytes;
    switch (type) {
    case 0:
        memcpy(out, row, row_bytes);
        break;
    case 1:
        memcpy(out, row, lead);
        for (size_t i = bpp; i < row_bytes; i++) out[i] = (uint8_t)(row[i] - row[i - bpp]);
        break;
    case 2:
        for (size_t i = 0; i < row_bytes; i++) out[i] = (uint8_t)(row[i] - above[i]);
        break;
    case 3:
        for (size_t i = 0; i < lead; i++) out[i] = (uint8_t)(row[i] - (above[i] >> 1));
        for (size_t i = bpp; i < row_bytes; i++) {
            out[i] = (uint8_t)(row[i] - (uint8_t)(((unsigned)row[i - bpp] + (unsigned)above[i]) >> 1));
        }
        break;
    default:
        for (size_t i = 0; i < lead; i++) out[i] = (uint8_t)(row[i] - above[i]); /* Paeth(0, b, 0) = b */
        for (size_t i = bpp; i < row_bytes; i++) {
            out[i] = (uint8_t)(row[i] - paeth(row[i - bpp], above[i], above[i - bpp]));
        }
        break;
    }
}

/* libpng's measure of a filtered row: the sum of its bytes' magnitudes as signed values. */
static uint64_t row_cost(const uint8_t *bytes, size_t length) {
    uint64_t sum = 0;
    for (size_t i = 0; i < length; i++) sum += bytes[i] < 128 ? bytes[i] : 256u - bytes[i];
    return sum;
}

static const int filter_bits[5] = {PNGSHIM_FILTER_NONE, PNGSHIM_FILTER_SUB, PNGSHIM_FILTER_UP,
                                   PNGSHIM_FILTER_AVG, PNGSHIM_FILTER_PAETH};

int pngshim_filter_rows(const uint8_t *above, const uint8_t *rows, size_t row_count, size_t row_bytes,
                         int bytes_per_pixel, int filters, uint8_t *out) {
    size_t bpp = (size_t)bytes_per_pixel;
    int allowed = 0, only = 0;
    for (int type = 0; type < 5; type++) {
        if (filters & filter_bits[type]) {
            allowed++;
            only = type;
        }
    }
    /* Above the image's first row the filters see a row of zeros (PNG specification, 9.2). */
    uint8_t *zeros = NULL;
    if (above == NULL && row_count > 0) {
        zeros = calloc(row_bytes, 1);
        if (zeros == NULL) return PNGSHIM_ERR_NO_MEMORY;
        above = zeros;
    }
    for (size_t r = 0; r < row_count; r++) {
        const uint8_t *row = rows + r * row_bytes;
        const uint8_t *up = r > 0 ? rows + (r - 1) * row_bytes : above;
        uint8_t *target = out + r * (row_bytes + 1);
        if (allowed == 1) {
            target[0] = (uint8_t)only;
            filter_row(only, up, row, row_bytes, bpp, target + 1);
            continue;
        }
        /* Several allowed: try each into the target, keep the cheapest; the winner is filtered
         * again at the end unless it was the last one tried. */
        uint64_t best_cost = UINT64_MAX;
        int best = 0, last_tried = -1;
        for (int type = 0; type < 5; type++) {
            if ((filters & filter_bits[type]) == 0) continue;
            filter_row(type, up, row, row_bytes, bpp, target + 1);
            last_tried = type;
            uint64_t cost = row_cost(target + 1, row_bytes);
            if (cost < best_cost) {
                best_cost = cost;
                best = type;
            }
        }
        if (best != last_tried) filter_row(best, up, row, row_bytes, bpp, target + 1);
        target[0] = (uint8_t)best;
    }
    free(zeros);
    return PNGSHIM_OK;
}

int pngshim_piece_is_smooth(const uint8_t *filtered, size_t length) {
    size_t small = 0;
    /* -1, 0 and 1 as bytes are 255, 0 and 1: one more, they are 0, 1 and 2. Counted in runs of
     * 255 bytes into a byte, which the compiler vectorises (a size_t count was 6.6 instructions
     * a byte). */
    for (size_t start = 0; start < length; start += 255) {
        size_t end = length - start < 255 ? length : start + 255;
        uint8_t run = 0;
        for (size_t i = start; i < end; i++) run += (uint8_t)(filtered[i] + 1) <= 2;
        small += run;
    }
    return small * 100 >= length * PNGSHIM_SMOOTH_PERCENT;
}

/* ------------------------------------------------------------ deflating */

static int zlib_failure(char *message, size_t capacity, const char *what, int code, const z_stream *stream) {
    if (message != NULL && capacity > 0) {
        snprintf(message, capacity, "zlib %s failed (%d%s%s)", what, code, stream->msg ? ": " : "",
                 stream->msg ? stream->msg : "");
    }
    return code == Z_MEM_ERROR ? PNGSHIM_ERR_NO_MEMORY : PNGSHIM_ERR_LIBPNG;
}

static int output_too_small(char *message, size_t capacity) {
    if (message != NULL && capacity > 0) snprintf(message, capacity, "the output room for a piece was too small");
    return PNGSHIM_ERR_USAGE;
}

/* Deflates `data` with zlib after `dictionary` bytes before it, ending with a sync flush or, if
 * last, the final block; *out_left is the room on entry, what is left of it on return. */
static int deflate_zlib(pngshim_deflater *deflater, const uint8_t *data, size_t length, size_t dictionary, int last,
                        uint8_t *out, size_t *out_left, char *message, size_t message_capacity) {
    z_stream *stream = &deflater->stream;
    int result = deflateReset(stream);
    if (result != Z_OK) return zlib_failure(message, message_capacity, "reset", result, stream);
    if (dictionary > 0) {
        result = deflateSetDictionary(stream, data - dictionary, (uInt)dictionary);
        if (result != Z_OK) return zlib_failure(message, message_capacity, "dictionary", result, stream);
    }
    stream->next_in = (Bytef *)data;
    stream->next_out = out;
    size_t in_left = length;
    int flush = last ? Z_FINISH : Z_SYNC_FLUSH;
    for (;;) {
        /* avail_in and avail_out are 32-bit: feed a large piece in turns. */
        uInt in_turn = in_left > 0x40000000u ? 0x40000000u : (uInt)in_left;
        uInt out_turn = *out_left > 0x40000000u ? 0x40000000u : (uInt)*out_left;
        stream->avail_in = in_turn;
        stream->avail_out = out_turn;
        result = deflate(stream, in_left > in_turn ? Z_NO_FLUSH : flush);
        in_left -= in_turn - stream->avail_in;
        *out_left -= out_turn - stream->avail_out;
        if (result == Z_STREAM_ERROR) return zlib_failure(message, message_capacity, "deflate", result, stream);
        if (last ? result == Z_STREAM_END : (in_left == 0 && stream->avail_out > 0)) return PNGSHIM_OK;
        if (*out_left == 0 || (result == Z_BUF_ERROR && stream->avail_out > 0 && in_left == 0)) {
            return output_too_small(message, message_capacity);
        }
    }
}

/* As deflate_zlib, with ISA-L. */
static int deflate_isal(pngshim_deflater *deflater, const uint8_t *data, size_t length, size_t dictionary, int last,
                        uint8_t *out, size_t *out_left, char *message, size_t message_capacity) {
    struct isal_zstream *stream = &deflater->isal;
    isal_deflate_reset(stream); /* keeps the level, its buffer and the raw format */
    if (dictionary > 0) {
        int result = isal_deflate_set_dict(stream, (uint8_t *)data - dictionary, (uint32_t)dictionary);
        if (result != COMP_OK) {
            if (message != NULL && message_capacity > 0) snprintf(message, message_capacity, "ISA-L dictionary failed (%d)", result);
            return PNGSHIM_ERR_LIBPNG;
        }
    }
    stream->next_in = (uint8_t *)data;
    stream->next_out = out;
    size_t in_left = length;
    for (;;) {
        /* avail_in and avail_out are 32-bit: feed a large piece in turns. */
        uint32_t in_turn = in_left > 0x40000000u ? 0x40000000u : (uint32_t)in_left;
        uint32_t out_turn = *out_left > 0x40000000u ? 0x40000000u : (uint32_t)*out_left;
        int final_turn = in_left == in_turn;
        stream->avail_in = in_turn;
        stream->avail_out = out_turn;
        stream->flush = last || !final_turn ? NO_FLUSH : SYNC_FLUSH;
        stream->end_of_stream = last && final_turn;
        int result = isal_deflate(stream);
        in_left -= in_turn - stream->avail_in;
        *out_left -= out_turn - stream->avail_out;
        if (result != COMP_OK) {
            if (message != NULL && message_capacity > 0) snprintf(message, message_capacity, "ISA-L deflate failed (%d)", result);
            return PNGSHIM_ERR_LIBPNG;
        }
        if (in_left == 0) {
            /* Done once the final block, or the sync flush's empty stored block, is out. */
            int state = stream->internal_state.state;
            if (last ? state == ZSTATE_END : state == ZSTATE_NEW_HDR) return PNGSHIM_OK;
        }
        if (*out_left == 0) return output_too_small(message, message_capacity);
    }
}

int pngshim_deflater_piece(pngshim_deflater *deflater, const pngshim_piece *piece, uint8_t *out,
                           size_t out_capacity, size_t *out_length, uint32_t *adler, uint64_t *filtered_length,
                           char *message, size_t message_capacity) {
    if (deflater == NULL || piece == NULL || out == NULL || out_length == NULL || adler == NULL ||
        filtered_length == NULL || piece->rows == NULL || piece->row_bytes == 0 || piece->row_count == 0 ||
        out_capacity < 2 || (piece->lead_rows == 0 && piece->lead_starts_image) ||
        (!piece->first && piece->lead_rows == 0) || (piece->first && piece->lead_rows > 0)) {
        if (message != NULL && message_capacity > 0) snprintf(message, message_capacity, "invalid piece");
        return PNGSHIM_ERR_USAGE;
    }
    size_t stride = piece->row_bytes + 1;
    /* Lead rows that are filtered: all, or all but the first, which is only the row above. */
    size_t lead_filtered = piece->lead_starts_image ? piece->lead_rows : (piece->lead_rows > 0 ? piece->lead_rows - 1 : 0);
    const uint8_t *first_filtered = piece->rows + (piece->lead_rows - lead_filtered) * piece->row_bytes;
    const uint8_t *above = piece->lead_starts_image || piece->lead_rows == 0 ? NULL : piece->rows;
    size_t needed = (lead_filtered + piece->row_count) * stride;
    if (needed > deflater->filtered_capacity) {
        uint8_t *grown = realloc(deflater->filtered, needed);
        if (grown == NULL) {
            if (message != NULL && message_capacity > 0) snprintf(message, message_capacity, "out of memory");
            return PNGSHIM_ERR_NO_MEMORY;
        }
        deflater->filtered = grown;
        deflater->filtered_capacity = needed;
    }
    /* The image's first piece has no row above, and no lead. */
    if (piece->first) above = NULL;
    int code = pngshim_filter_rows(above, first_filtered, lead_filtered + piece->row_count, piece->row_bytes,
                                   piece->bytes_per_pixel, piece->filters, deflater->filtered);
    if (code != PNGSHIM_OK) {
        if (message != NULL && message_capacity > 0) snprintf(message, message_capacity, "out of memory");
        return code;
    }
    const uint8_t *data = deflater->filtered + lead_filtered * stride;
    size_t length = piece->row_count * stride;

    size_t lead_bytes = lead_filtered * stride;
    size_t dictionary = lead_bytes < PNGSHIM_DICTIONARY_BYTES ? lead_bytes : PNGSHIM_DICTIONARY_BYTES;
    size_t written = 0;
    if (piece->first) {
        /* RFC 1950: deflate with a 32 KB window; the level hint as zlib itself would write it. */
        int hint = deflater->library == PNGSHIM_DEFLATE_ISAL ? 0
                 : deflater->strategy >= Z_HUFFMAN_ONLY || deflater->level < 2 ? 0
                 : deflater->level < 6 ? 1 : deflater->level == 6 ? 2 : 3;
        unsigned header = (0x78u << 8) | ((unsigned)hint << 6);
        header += (31 - header % 31) % 31;
        out[0] = (uint8_t)(header >> 8);
        out[1] = (uint8_t)(header & 0xff);
        written = 2;
    }
    size_t out_left = out_capacity - written;
    int isal = deflater->library == PNGSHIM_DEFLATE_ISAL &&
               !(deflater->smooth_pieces_rle && pngshim_piece_is_smooth(data, length));
    code = isal
         ? deflate_isal(deflater, data, length, dictionary, piece->last, out + written, &out_left, message, message_capacity)
         : deflate_zlib(deflater, data, length, dictionary, piece->last, out + written, &out_left, message, message_capacity);
    if (code != PNGSHIM_OK) return code;
    *out_length = out_capacity - out_left;
    /* ISA-L's Adler-32 is vectorised: a tenth of zlib's time. */
    *adler = isal_adler32(1, data, length);
    *filtered_length = length;
    return PNGSHIM_OK;
}

uint32_t pngshim_adler32_combine(uint32_t adler_a, uint32_t adler_b, uint64_t length_b) {
    /* zlib's z_off_t is 64 bits on LP64 systems; longer pieces than 2^31 bytes never occur here. */
    return (uint32_t)adler32_combine(adler_a, adler_b, (z_off_t)length_b);
}
