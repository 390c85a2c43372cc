/*
 * png_deflate.h — one image's IDAT stream deflated in pieces, on any threads.
 *
 * The rows are cut into pieces of a fixed number of rows (chosen from the width only, never
 * from the thread count). Each piece is filtered and deflated on its own, pigz's way: its
 * deflate stream is primed with the last 32 KB of the filtered bytes before it as the
 * dictionary, and ended with a sync flush (the last piece: finished), so that the pieces,
 * concatenated after a zlib header and followed by the Adler-32 of all the filtered bytes
 * (combined from the pieces' own), are one valid zlib stream. The same rows give the same
 * bytes whichever thread deflates which piece.
 */
#ifndef PNG_DEFLATE_H
#define PNG_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The deflate libraries a deflater can use. */
#define PNGSHIM_DEFLATE_ZLIB 0 /* zlib: levels 0-9, strategies, memory levels */
#define PNGSHIM_DEFLATE_ISAL 1 /* Intel's ISA-L (igzip): levels 0-3, about twice zlib's speed at level 1 */

/* deflate's window: the most of the preceding data a piece can refer to. */
#define PNGSHIM_DICTIONARY_BYTES 32768

/* One piece's rows, raw (unfiltered), as the deflater needs them. */
typedef struct {
    /* lead_rows rows before the piece, then row_count rows of the piece, each row_bytes, contiguous. */
    const uint8_t *rows;
    /* Rows of the image before the piece: the last 32 KB of their filtered bytes are the
     * dictionary. Unless lead_starts_image, the first lead row serves only as the row above
     * the second (filters look one row up). 0 for the image's first piece. */
    size_t lead_rows;
    /* Nonzero when the first lead row is the image's first row (nothing above it). */
    int lead_starts_image;
    size_t row_count;
    size_t row_bytes;
    int bytes_per_pixel;
    int filters;        /* nonzero mask of PNGSHIM_FILTER_* (png_shim.h) */
    int first;          /* nonzero: the image's first piece, which starts with the zlib header */
    int last;           /* nonzero: the image's last piece, ended with Z_FINISH */
} pngshim_piece;

typedef struct pngshim_deflater pngshim_deflater;

/* A deflater for one thread at a time; NULL when memory or the settings fail. `strategy` and
 * `memory_level` are zlib's, unused by ISA-L. With `smooth_pieces_rle` nonzero (ISA-L only), a
 * piece whose filtered bytes are smooth (pngshim_piece_is_smooth) is deflated by zlib's RLE at
 * level 1 instead: ISA-L's matches cost more there than zlib's runs of small residuals. */
pngshim_deflater *pngshim_deflater_create(int library, int level, int strategy, int memory_level,
                                          int smooth_pieces_rle);
void pngshim_deflater_destroy(pngshim_deflater *deflater);

/* Bytes of output room a piece of `row_count` rows of `row_bytes` may need with `library` at `level`. */
size_t pngshim_piece_bound(int library, int level, size_t row_count, size_t row_bytes);

/*
 * Filters and deflates `piece` into `out`: the zlib header first if piece->first, no Adler-32
 * trailer (the caller appends the combined one). *adler is the Adler-32 of the piece's filtered
 * bytes alone, *filtered_length their count. Returns PNGSHIM_OK or an error code with a message.
 */
int pngshim_deflater_piece(pngshim_deflater *deflater, const pngshim_piece *piece, uint8_t *out,
                           size_t out_capacity, size_t *out_length, uint32_t *adler, uint64_t *filtered_length,
                           char *message, size_t message_capacity);

/*
 * Whether `length` filtered bytes are smooth: at least PNGSHIM_SMOOTH_PERCENT per cent of them
 * are residuals of -1, 0 or 1. Depends on the bytes alone, so the choice it makes does not
 * depend on the thread count.
 */
#define PNGSHIM_SMOOTH_PERCENT 94
int pngshim_piece_is_smooth(const uint8_t *filtered, size_t length);

/* The Adler-32 of A followed by B, from their own checksums and B's length (zlib's adler32_combine). */
uint32_t pngshim_adler32_combine(uint32_t adler_a, uint32_t adler_b, uint64_t length_b);

/*
 * Filters row_count rows into out, each as a filter-type byte and row_bytes filtered bytes.
 * `above` is the row above the first (NULL: the image's first row, zeros above). With more
 * than one filter allowed, each row takes the one whose output has the smallest sum of
 * absolute values as signed bytes (libpng's heuristic), the lowest filter type on a tie.
 * Returns PNGSHIM_OK, or PNGSHIM_ERR_NO_MEMORY when the zero row above the image is not had.
 */
int pngshim_filter_rows(const uint8_t *above, const uint8_t *rows, size_t row_count, size_t row_bytes,
                         int bytes_per_pixel, int filters, uint8_t *out);

#ifdef __cplusplus
}
#endif

#endif /* PNG_DEFLATE_H */
