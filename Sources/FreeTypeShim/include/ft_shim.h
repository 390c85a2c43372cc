/*
 * ft_shim.h — the boundary between Swift and FreeType.
 *
 * FreeType reports errors as FT_Error codes, and some of its failures (a missing file, a file
 * that is not a font, a font without a Unicode character map, a glyph rendered in a mode we
 * cannot blend) are only distinguishable by looking at those codes and at errno. Every function
 * here turns them into an FTSHIM_ERR_* code and a message copied into the caller's buffer, so
 * that Swift never sees FreeType's types or error table.
 *
 * This header deliberately does not include FreeType's headers: Swift sees only these types.
 * A font is not thread-safe (FreeType's FT_Face is not): the caller serialises its use.
 */
#ifndef FT_SHIM_H
#define FT_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes. */
#define FTSHIM_OK 0
#define FTSHIM_ERR_NOT_FOUND 1    /* the font file does not exist */
#define FTSHIM_ERR_UNREADABLE 2   /* the file exists but cannot be read; the message has strerror */
#define FTSHIM_ERR_NOT_A_FONT 3   /* FreeType does not recognise the file's format */
#define FTSHIM_ERR_NO_UNICODE 4   /* the font has no Unicode character map */
#define FTSHIM_ERR_FREETYPE 5     /* any other FreeType error; the message has FreeType's text */
#define FTSHIM_ERR_USAGE 6        /* bad argument (NULL handle, pixel size 0 or too large) */

/* Room for a message; longer messages are cut. */
#define FTSHIM_MESSAGE_CAPACITY 512

/* The largest pixel size set_pixel_size accepts: beyond it a glyph bitmap's size overflows. */
#define FTSHIM_MAX_PIXEL_SIZE 4096

typedef struct ftshim_font ftshim_font;

/* The line metrics of a font at its current pixel size, whole pixels (rounded by FreeType). */
typedef struct {
    int32_t ascender;  /* above the baseline, positive */
    int32_t descender; /* below the baseline, positive */
    int32_t line_height;
} ftshim_line_metrics;

/*
 * One glyph rendered as 8-bit coverage (0 nothing, 255 fully covered), hinted for the pixel
 * grid. The bitmap's top-left pixel is at (pen + left, baseline - top); `buffer` stays valid
 * until the next call on the same font.
 */
typedef struct {
    int32_t left;
    int32_t top;
    uint32_t width;
    uint32_t rows;
    int32_t pitch;         /* bytes from one bitmap row to the next, top to bottom (>= width) */
    const uint8_t *buffer; /* NULL when width or rows is 0 (a space) */
    int32_t advance_x;     /* pen advance, 1/64 pixel (26.6 fixed point), hinted: whole pixels */
    int32_t kerning_x;     /* kerning with the previous character, 1/64 pixel; 0 without one */
} ftshim_glyph;

/* Opens the font at `path` (face 0) with its own FreeType library. On error *font_out is NULL. */
int ftshim_font_open(const char *path, ftshim_font **font_out, char *message, size_t message_capacity);

/* The family and style names, for messages ("DejaVu Sans Book"); never NULL. */
const char *ftshim_font_family(const ftshim_font *font);
const char *ftshim_font_style(const ftshim_font *font);

/* Sets the size in pixels per em (1 ... FTSHIM_MAX_PIXEL_SIZE) and reads the line metrics. */
int ftshim_font_set_pixel_size(ftshim_font *font, uint32_t pixels, ftshim_line_metrics *metrics,
                               char *message, size_t message_capacity);

/*
 * Loads and renders the glyph of Unicode `codepoint` at the current size (a code point the font
 * lacks gives its .notdef box), with the kerning against `previous` (0: none).
 */
int ftshim_font_glyph(ftshim_font *font, uint32_t codepoint, uint32_t previous, ftshim_glyph *glyph,
                      char *message, size_t message_capacity);

/* Frees the face and its library. NULL is allowed. */
void ftshim_font_destroy(ftshim_font *font);

#ifdef __cplusplus
}
#endif

#endif /* FT_SHIM_H */
